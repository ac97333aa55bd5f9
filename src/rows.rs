//! Walks the rows under a recognised header and sorts each non-empty one into a candidate
//! record, a skipped non-data row (total, footer, group label, numbering) or a rejected row.
//! Markers come from `[rows]` in `schemas/rules.toml`.

use crate::read::SheetGrid;
use crate::recognise::Header;
use crate::schema::{RowMarkers, Schemas};
use crate::text::clean;
use calamine::Data;
use serde::Serialize;
use std::collections::BTreeMap;

/// A row that looks like a person: its known cells by key, plus the group label above it.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// 1-based Excel row.
    pub row: u32,
    /// Cell per canonical key, with its 0-based worksheet column.
    pub cells: BTreeMap<String, (u32, Data)>,
    /// Text of the nearest group label above ("II. GIÁO VIÊN"), if any.
    pub group: Option<String>,
}

impl RawRow {
    pub fn get(&self, key: &str) -> Option<&Data> {
        self.cells.get(key).map(|(_, d)| d)
    }

    pub fn col(&self, key: &str) -> Option<u32> {
        self.cells.get(key).map(|(c, _)| *c)
    }
}

/// Why a row under the header is not a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    Total,
    Footer,
    GroupLabel,
    Numbering,
    SeqOnly,
}

impl Skip {
    pub fn key(self) -> &'static str {
        match self {
            Skip::Total => "total",
            Skip::Footer => "footer",
            Skip::GroupLabel => "group_label",
            Skip::Numbering => "numbering",
            Skip::SeqOnly => "seq_only",
        }
    }
}

/// What became of one non-empty row.
#[derive(Debug, Clone)]
pub enum RowFate {
    Candidate(RawRow),
    Skipped {
        row: u32,
        reason: Skip,
    },
    /// Data but no name: rejected with a `missing_name` issue at `col`.
    NoName {
        row: u32,
        col: u32,
    },
}

/// Per-sheet row accounting: data = accepted + rejected + skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    pub data: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub skipped: usize,
    /// Skipped rows by reason (`total`, `footer`, `group_label`, `numbering`, `seq_only`,
    /// `hidden_sheet`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub skipped_reasons: BTreeMap<String, usize>,
}

/// Sorts the rows below `header` in `grid`.
pub fn map_rows(grid: &SheetGrid, header: &Header, schemas: &Schemas) -> Vec<RowFate> {
    let markers = Markers::new(&schemas.rules.rows);
    let name_col = header
        .name_cols
        .first()
        .copied()
        .or(header.col("name"))
        .unwrap_or(0);
    let seq_col = header.col("seq");
    let mut fates = Vec::new();
    let mut in_footer = false;
    let mut group: Option<String> = None;
    for r in header.last_row + 1..grid.rows.len() {
        let row = &grid.rows[r];
        let filled: Vec<(usize, &Data)> = row
            .iter()
            .enumerate()
            .filter(|(_, d)| !is_blank(d))
            .collect();
        if filled.is_empty() {
            continue;
        }
        let excel_row = grid.excel_row(r);
        let texts: Vec<String> = filled.iter().filter_map(|(_, d)| as_text(d)).collect();
        let name = name_text(grid, r, &header.name_cols);
        let skip = |reason| RowFate::Skipped {
            row: excel_row,
            reason,
        };
        if in_footer || markers.starts_footer(&texts, name.is_none()) {
            in_footer = true;
            fates.push(skip(Skip::Footer));
            continue;
        }
        let first_text = name
            .clone()
            .or_else(|| texts.first().cloned())
            .unwrap_or_default();
        if markers.is_total(&first_text) {
            fates.push(skip(Skip::Total));
            continue;
        }
        let others: Vec<&(usize, &Data)> = filled
            .iter()
            .filter(|(c, _)| !header.name_cols.contains(c) && Some(*c) != seq_col)
            .collect();
        if name.is_none() && is_numbering(&filled) {
            fates.push(skip(Skip::Numbering));
            continue;
        }
        if name.is_none() && others.is_empty() {
            fates.push(skip(Skip::SeqOnly));
            continue;
        }
        if let Some(label) = group_label(&filled, name.as_deref(), &others, &markers) {
            group = Some(label);
            fates.push(skip(Skip::GroupLabel));
            continue;
        }
        if name.is_none() {
            fates.push(RowFate::NoName {
                row: excel_row,
                col: grid.sheet_col(name_col),
            });
            continue;
        }
        let mut cells: BTreeMap<String, (u32, Data)> = header
            .columns
            .iter()
            .filter_map(|(key, &c)| {
                let d = grid.cell(r, c);
                (!is_blank(d)).then(|| (key.clone(), (grid.sheet_col(c), d.clone())))
            })
            .collect();
        if let Some(name) = &name {
            cells.insert(
                "name".into(),
                (grid.sheet_col(name_col), Data::String(name.clone())),
            );
        }
        fates.push(RowFate::Candidate(RawRow {
            row: excel_row,
            cells,
            group: group.clone(),
        }));
    }
    fates
}

/// The name of row `r`: the texts of its name columns joined ("Nguyễn Thị" + "Hoa").
fn name_text(grid: &SheetGrid, r: usize, cols: &[usize]) -> Option<String> {
    let parts: Vec<String> = cols
        .iter()
        .filter_map(|&c| as_text(grid.cell(r, c)))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

struct Markers {
    total: Vec<String>,
    footer_contains: Vec<String>,
    footer_exact: Vec<String>,
    date_line: Vec<String>,
    group_words: Vec<String>,
}

impl Markers {
    fn new(m: &RowMarkers) -> Markers {
        Markers {
            total: Schemas::lower_list(&m.total),
            footer_contains: Schemas::lower_list(&m.footer_contains),
            footer_exact: Schemas::lower_list(&m.footer_exact),
            date_line: Schemas::lower_list(&m.date_line_words),
            group_words: Schemas::lower_list(&m.group_words),
        }
    }

    /// `text` is cleaned already (`as_text`): lower-casing is all that is left to do.
    fn is_total(&self, text: &str) -> bool {
        let t = text.to_lowercase();
        self.total.iter().any(|m| {
            t == *m
                || t.strip_prefix(m.as_str())
                    .is_some_and(|rest| !starts_alpha(rest))
        })
    }

    /// A footer starts at a signature line, a place-and-date line, or (when the row has no
    /// name) a lone signature title such as "HIỆU TRƯỞNG".
    fn starts_footer(&self, texts: &[String], nameless: bool) -> bool {
        texts.iter().any(|t| {
            let t = t.to_lowercase();
            self.footer_contains.iter().any(|m| t.contains(m.as_str()))
                || (nameless
                    && self
                        .date_line
                        .iter()
                        .all(|w| t.split(' ').any(|x| x.trim_matches(',') == w)))
        }) || (nameless && texts.len() == 1 && self.footer_exact.contains(&texts[0].to_lowercase()))
    }

    fn is_group_word(&self, text: &str) -> bool {
        let t = strip_ordinal(text).to_lowercase();
        self.group_words.iter().any(|w| {
            t == *w
                || t.strip_prefix(w.as_str())
                    .is_some_and(|r| r.starts_with(' '))
        })
    }
}

/// A group label is a lone text cell (in the name column or anywhere on a nameless row)
/// that starts with an ordinal ("II.", "A.") or a group word from `[rows].group_words`.
fn group_label(
    filled: &[(usize, &Data)],
    name: Option<&str>,
    others: &[&(usize, &Data)],
    markers: &Markers,
) -> Option<String> {
    let lone = match name {
        Some(n) if others.is_empty() => n.to_string(),
        None if filled.iter().filter(|(_, d)| as_text(d).is_some()).count() == 1 => {
            filled.iter().find_map(|(_, d)| as_text(d))?
        }
        _ => return None,
    };
    (has_ordinal(&lone) || markers.is_group_word(&lone)).then(|| strip_ordinal(&lone).to_string())
}

fn starts_alpha(rest: &str) -> bool {
    rest.chars().next().is_some_and(char::is_alphabetic)
}

/// "II. GIÁO VIÊN" → true; "A) Nhân viên" → true; "Lê An" → false.
fn has_ordinal(text: &str) -> bool {
    ordinal_len(text).is_some()
}

fn ordinal_len(text: &str) -> Option<usize> {
    let t = text.trim_start();
    let head: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let roman = !head.is_empty() && head.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
    let letter = head.len() == 1 && head.chars().all(|c| c.is_ascii_uppercase());
    let number = !head.is_empty() && head.chars().all(|c| c.is_ascii_digit());
    let next = t[head.len()..].chars().next();
    ((roman || letter || number) && matches!(next, Some('.') | Some(')') | Some('/')))
        .then_some(text.len() - t.len() + head.len() + 1)
}

fn strip_ordinal(text: &str) -> &str {
    match ordinal_len(text) {
        Some(n) => text[n..].trim_start(),
        None => text.trim(),
    }
}

/// The "(1) (2) (3)" or "1 2 3" row some templates put under the header.
fn is_numbering(filled: &[(usize, &Data)]) -> bool {
    let nums: Vec<Option<i64>> = filled
        .iter()
        .map(|(_, d)| match d {
            Data::Int(i) => Some(*i),
            Data::Float(f) if f.fract() == 0.0 => Some(*f as i64),
            Data::String(s) => s
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .parse()
                .ok(),
            _ => None,
        })
        .collect();
    nums.len() >= 3 && nums.iter().all(Option::is_some) && nums.windows(2).all(|w| w[1] > w[0])
}

pub fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Cleaned text of a text cell; numbers and dates are not text.
pub fn as_text(d: &Data) -> Option<String> {
    match d {
        Data::String(s) => Some(clean(s)).filter(|s| !s.is_empty()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert!(has_ordinal("II. GIÁO VIÊN"));
        assert!(has_ordinal("A) Nhân viên"));
        assert!(!has_ordinal("Lê An"));
        assert!(!has_ordinal("IVAN"));
        assert_eq!(strip_ordinal("III. NHÂN VIÊN"), "NHÂN VIÊN");
    }
}
