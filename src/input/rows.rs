//! Walks the rows under a recognised header and sorts each non-empty one into a candidate
//! record, a skipped non-data row (total, footer, group label, numbering, the header printed
//! again) or a rejected row.
//! Markers come from `[rows]` in `schemas/rules.toml`.

use crate::domain::schema::{RowMarkers, Schemas, SheetKind};
use crate::domain::text::{clean, fold};
use crate::input::read::{is_blank, SheetGrid};
use crate::input::recognise::{header_at, training_alongside, Header, PERSON_KEYS};
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use calamine::Data;
use serde::Serialize;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A non-blank cell of a row, with its folded text (for vocabulary lookups and markers).
#[derive(Debug, Clone)]
pub struct FilledCell<'g> {
    /// Grid column.
    pub col: usize,
    pub data: &'g Data,
    /// `fold` of a text cell (the sheet folds each distinct text once).
    pub folded: Option<&'g str>,
}

/// A header's known columns: canonical key → grid column.
pub type HeaderKeys = Rc<rustc_hash::FxHashMap<String, usize>>;

/// A row that looks like a person: its known cells by key, plus the group label above it.
/// Borrows the sheet's cells: rows are read once, straight into records.
#[derive(Debug, Clone)]
pub struct RawRow<'g> {
    /// 1-based Excel row.
    pub row: u32,
    /// The texts of the name columns joined and cleaned ("Nguyễn Thị" + "Hoa").
    pub name: String,
    /// 0-based worksheet column of the name.
    pub name_col: u32,
    /// Text of the nearest group label above ("II. GIÁO VIÊN"), if any.
    pub group: Option<Rc<str>>,
    filled: Vec<FilledCell<'g>>,
    /// The known columns of the header above: canonical key → grid column (one map per
    /// header, shared by its rows).
    keys: HeaderKeys,
    /// 0-based worksheet column of grid column 0.
    col_offset: u32,
}

impl<'g> RawRow<'g> {
    /// The non-blank cell of column `key`.
    pub fn cell(&self, key: &str) -> Option<&FilledCell<'g>> {
        let col = *self.keys.get(key)?;
        let i = self.filled.binary_search_by_key(&col, |f| f.col).ok()?;
        Some(&self.filled[i])
    }

    /// The cell of column `key`, when the sheet has it and it is not blank.
    pub fn get(&self, key: &str) -> Option<&'g Data> {
        self.cell(key).map(|c| c.data)
    }

    /// The keys of the header above the row (shared by the rows under that header).
    pub fn header_keys(&self) -> HeaderKeys {
        self.keys.clone()
    }

    /// Whether the row was read under the header whose keys are `keys`.
    pub fn same_header(&self, keys: Option<&HeaderKeys>) -> bool {
        keys.is_some_and(|k| Rc::ptr_eq(k, &self.keys))
    }

    /// The known columns of the header above the row.
    pub fn column_keys(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// Whether the header above the row has a column `key`.
    pub fn has_column(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    /// 0-based worksheet column of a non-blank cell of `key` (the name's for "name").
    pub fn col(&self, key: &str) -> Option<u32> {
        if key == "name" {
            return Some(self.name_col);
        }
        // A blank cell is still in its column: an issue about it names that cell.
        let col = self
            .cell(key)
            .map(|c| c.col)
            .or_else(|| self.keys.get(key).copied());
        col.map(|c| self.col_offset + c as u32)
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
    /// The header rows printed again inside the table (a list pasted from printed pages),
    /// or the header of a second table below the first.
    RepeatedHeader,
    /// The title of a second table, right above its header.
    Title,
}

impl Skip {
    pub fn key(self) -> &'static str {
        match self {
            Skip::Total => "total",
            Skip::Footer => "footer",
            Skip::GroupLabel => "group_label",
            Skip::Numbering => "numbering",
            Skip::SeqOnly => "seq_only",
            Skip::RepeatedHeader => "repeated_header",
            Skip::Title => "title",
        }
    }
}

/// What became of one non-empty row.
#[derive(Debug, Clone)]
pub enum RowFate<'g> {
    Candidate(RawRow<'g>),
    Skipped {
        row: u32,
        reason: Skip,
    },
    /// Data but no name: rejected with a `missing_name` issue at `col`.
    NoName {
        row: u32,
        col: u32,
    },
    /// A person's row below the footer (a name, two data columns or more filled, a figure
    /// among them): not read, rejected with a `row_after_footer` issue at the name's column.
    AfterFooter {
        row: u32,
        col: u32,
        name: String,
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
    /// `repeated_header`, `title`, `hidden_sheet`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub skipped_reasons: BTreeMap<String, usize>,
}

/// The columns rows are read with: those of the header above them.
struct Block {
    name_cols: Vec<usize>,
    name_col: usize,
    seq_col: Option<usize>,
    keys: HeaderKeys,
    /// Grid rows of the header, and the row above it: the parent row of a two-row header
    /// whose children the header search took alone (filled down from cells merged over both).
    header_rows: Vec<usize>,
    last_row: usize,
}

impl Block {
    fn of(header: &Header) -> Block {
        Block {
            name_cols: header.name_cols.clone(),
            name_col: header
                .name_cols
                .first()
                .copied()
                .or(header.col("name"))
                .unwrap_or(0),
            seq_col: header.col("seq"),
            keys: Rc::new(
                header
                    .columns
                    .iter()
                    .filter(|(key, _)| key.as_str() != "name")
                    .map(|(key, &c)| (key.clone(), c))
                    .collect(),
            ),
            header_rows: (header.first_row.saturating_sub(1)..=header.last_row).collect(),
            last_row: header.last_row,
        }
    }
}

/// How a header further down a sheet is recognised: as one of `kind`, or (for the BDTX
/// reading of a staff list carrying its results) as a staff header and the BDTX columns
/// beside it, so each table of the sheet is read with its own columns.
#[derive(Clone, Copy)]
pub enum Headers<'s> {
    Of(&'s SheetKind),
    Beside {
        staff: &'s SheetKind,
        training: &'s SheetKind,
    },
}

impl Headers<'_> {
    fn at(&self, grid: &SheetGrid, r: usize) -> Option<Header> {
        match *self {
            Headers::Of(kind) => header_at(grid, r, kind),
            Headers::Beside { staff, training } => {
                let s = header_at(grid, r, staff)?;
                let t = header_at(grid, r, training);
                // A table without BDTX columns still re-maps: its rows have no BDTX value.
                Some(
                    training_alongside(grid, &s, t.as_ref(), training).unwrap_or(Header {
                        columns: PERSON_KEYS
                            .iter()
                            .filter_map(|k| Some((k.to_string(), s.col(k)?)))
                            .collect(),
                        ..s
                    }),
                )
            }
        }
    }
}

/// Sorts the rows below `header` in `grid`. A header further down (a second table, the
/// header printed again in another order) maps the rows below it.
pub fn map_rows<'g>(
    grid: &'g SheetGrid,
    header: &Header,
    headers: Headers,
    markers: &Markers,
) -> Vec<RowFate<'g>> {
    let mut block = Block::of(header);
    let mut fates = Vec::new();
    let mut in_footer = false;
    let mut group: Option<Rc<str>> = None;
    for r in header.last_row + 1..grid.height() {
        let filled: Vec<FilledCell> = grid
            .row(r)
            .iter()
            .enumerate()
            .filter(|(_, d)| !is_blank(d))
            .map(|(col, data)| FilledCell {
                col,
                data,
                folded: grid.folded(r, col),
            })
            .collect();
        if filled.is_empty() {
            continue;
        }
        let excel_row = grid.excel_row(r);
        let skip = |reason| RowFate::Skipped {
            row: excel_row,
            reason,
        };
        // The second row of a header met below the first.
        if r <= block.last_row {
            fates.push(skip(Skip::RepeatedHeader));
            continue;
        }
        let name = name_text(grid, r, &block.name_cols);
        if in_footer {
            // A person's row below the signatures (added after the list was signed) is no
            // footer line: it is said, so that nobody goes uncounted without a word.
            fates.push(match name {
                Some(name) if fills_data_columns(&filled, &block) => RowFate::AfterFooter {
                    row: excel_row,
                    col: grid.sheet_col(block.name_col),
                    name,
                },
                _ => skip(Skip::Footer),
            });
            continue;
        }
        if markers.starts_footer(&filled, name.is_none()) {
            in_footer = true;
            fates.push(skip(Skip::Footer));
            continue;
        }
        if repeats_header(grid, &filled, &block.header_rows) {
            fates.push(skip(Skip::RepeatedHeader));
            continue;
        }
        if let Some(next) = headers.at(grid, r) {
            block = Block::of(&next);
            fates.push(skip(Skip::RepeatedHeader));
            continue;
        }
        let total = match &name {
            // A one-column name's folded text is the cell's.
            Some(n) => match block.name_cols[..] {
                [c] => markers.is_total_folded(n, grid.folded(r, c).unwrap_or_default()),
                _ => markers.is_total(n),
            },
            None => filled
                .iter()
                .find_map(|c| as_text(c.data))
                .is_some_and(|t| markers.is_total(&t)),
        };
        if total {
            fates.push(skip(Skip::Total));
            continue;
        }
        let others: Vec<&FilledCell> = filled
            .iter()
            .filter(|c| !block.name_cols.contains(&c.col) && Some(c.col) != block.seq_col)
            .collect();
        if name.is_none() && is_numbering(&filled) {
            fates.push(skip(Skip::Numbering));
            continue;
        }
        // Before the bare-sequence check: schools often write the label in the STT column
        // ("II. GIÁO VIÊN" in column A, or merged across the table from there).
        if let Some(label) = group_label(&filled, name.as_deref(), &others, markers) {
            group = Some(label.into());
            fates.push(skip(Skip::GroupLabel));
            continue;
        }
        if name.is_none() && others.is_empty() {
            fates.push(skip(Skip::SeqOnly));
            continue;
        }
        // "DANH SÁCH NHÂN VIÊN" over the header of a second table.
        if is_lone_text(&filled) && next_is_header(grid, r, headers) {
            fates.push(skip(Skip::Title));
            continue;
        }
        let Some(name) = name else {
            fates.push(RowFate::NoName {
                row: excel_row,
                col: grid.sheet_col(block.name_col),
            });
            continue;
        };
        fates.push(RowFate::Candidate(RawRow {
            row: excel_row,
            name,
            name_col: grid.sheet_col(block.name_col),
            group: group.clone(),
            filled,
            keys: block.keys.clone(),
            col_offset: grid.sheet_col(0),
        }));
    }
    fates
}

/// Two cells or more of the row lie in data columns of the header (not the name's or the
/// sequence number's), one of them with a figure (a date of birth, a score, a year): a
/// person's row, not the signers' names under three signature titles, which are names only.
fn fills_data_columns(filled: &[FilledCell], block: &Block) -> bool {
    let data_col = |c: usize| {
        !block.name_cols.contains(&c)
            && Some(c) != block.seq_col
            && block.keys.values().any(|&k| k == c)
    };
    let data: Vec<&FilledCell> = filled.iter().filter(|f| data_col(f.col)).collect();
    let has_figure = |d: &Data| match d {
        Data::String(t) => t.bytes().any(|b| b.is_ascii_digit()),
        _ => true,
    };
    data.len() >= 2 && data.iter().any(|f| has_figure(f.data))
}

/// One text in the row, however many cells a merge fills with it.
fn is_lone_text(filled: &[FilledCell]) -> bool {
    filled
        .first()
        .is_some_and(|f| f.folded.is_some() && filled.iter().all(|c| c.folded == f.folded))
}

/// Whether the next non-blank row below `r` (within a few) is a header.
fn next_is_header(grid: &SheetGrid, r: usize, headers: Headers) -> bool {
    (r + 1..grid.height().min(r + 4))
        .find(|&n| grid.row(n).iter().any(|d| !is_blank(d)))
        .is_some_and(|n| headers.at(grid, n).is_some())
}

/// A row whose texts (two or more) are header texts of their own columns.
fn repeats_header(grid: &SheetGrid, filled: &[FilledCell], header_rows: &[usize]) -> bool {
    filled.len() >= 2
        && filled.iter().all(|c| {
            c.folded.is_some()
                && header_rows
                    .iter()
                    .any(|&h| c.folded == grid.folded(h, c.col))
        })
}

/// The name of row `r`: the texts of its name columns joined ("Nguyễn Thị" + "Hoa").
fn name_text(grid: &SheetGrid, r: usize, cols: &[usize]) -> Option<String> {
    let parts: Vec<String> = cols
        .iter()
        .filter_map(|&c| as_text(grid.cell(r, c)))
        .collect();
    // A name has letters: 500 combining marks, or "..." , name nobody.
    (!parts.is_empty())
        .then(|| parts.join(" "))
        .filter(|n| n.chars().any(char::is_alphabetic))
}

/// Row markers from `[rows]`, lower-cased and folded for matching; built once per run by the
/// caller of `map_rows`.
#[derive(Debug, Clone)]
pub struct Markers {
    total: Vec<String>,
    footer_contains: Vec<String>,
    footer_exact: Vec<String>,
    date_line: Vec<String>,
    group_words: Vec<String>,
    /// Folded forms: a cell whose folded text lacks them cannot hold the marker, so most
    /// cells are ruled out without lower-casing them.
    total_folded: Vec<String>,
    footer_folded: Vec<String>,
    /// Finds any of `footer_folded` in one pass over a cell (None if it could not be built:
    /// then each marker is searched for in turn).
    footer_any: Option<AhoCorasick>,
    date_line_folded: Vec<String>,
}

impl Markers {
    pub fn new(m: &RowMarkers) -> Markers {
        let folded = |list: &[String]| list.iter().map(|t| fold(t)).collect::<Vec<_>>();
        Markers {
            total: Schemas::lower_list(&m.total),
            footer_contains: Schemas::lower_list(&m.footer_contains),
            footer_exact: Schemas::lower_list(&m.footer_exact),
            date_line: Schemas::lower_list(&m.date_line_words),
            group_words: Schemas::lower_list(&m.group_words),
            total_folded: folded(&m.total),
            footer_folded: folded(&m.footer_contains),
            // A DFA without prefilter: cells are a few words long, too short for a prefilter
            // to pay for itself.
            footer_any: AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .prefilter(false)
                .build(folded(&m.footer_contains))
                .ok(),
            date_line_folded: folded(&m.date_line_words),
        }
    }

    /// `text` is cleaned already (`as_text`): lower-casing is all that is left to do.
    fn is_total(&self, text: &str) -> bool {
        self.is_total_folded(text, &fold(text))
    }

    /// `is_total` with `fold(text)` at hand.
    fn is_total_folded(&self, text: &str, folded: &str) -> bool {
        if !self
            .total_folded
            .iter()
            .any(|m| folded.starts_with(m.as_str()))
        {
            return false;
        }
        let t = text.to_lowercase();
        self.total.iter().any(|m| {
            t == *m
                || t.strip_prefix(m.as_str())
                    .is_some_and(|rest| !starts_alpha(rest))
        })
    }

    /// Whether folded text `f` holds a folded footer marker.
    fn has_footer_marker(&self, f: &str) -> bool {
        match &self.footer_any {
            Some(any) => any.is_match(f),
            None => self.footer_folded.iter().any(|m| f.contains(m.as_str())),
        }
    }

    /// A footer starts at a signature line, a place-and-date line, or (when the row has no
    /// name) a lone signature title such as "HIỆU TRƯỞNG".
    fn starts_footer(&self, cells: &[FilledCell], nameless: bool) -> bool {
        // A place-and-date line may sit in the name column: with a number in it, it names
        // no one ("Yên Hòa, ngày 25 tháng 5 năm 2025").
        let dated = |f: &str| nameless || f.bytes().any(|b| b.is_ascii_digit());
        let maybe = |c: &&FilledCell| {
            c.folded.is_some_and(|f| {
                self.has_footer_marker(f)
                    || (dated(f)
                        && self
                            .date_line_folded
                            .iter()
                            .all(|w| f.split(' ').any(|x| x == w)))
            })
        };
        let signed = cells.iter().filter(maybe).any(|c| {
            let Some(t) = as_text(c.data) else {
                return false;
            };
            let t = t.to_lowercase();
            self.footer_contains.iter().any(|m| t.contains(m.as_str()))
                || (dated(&t)
                    && self
                        .date_line
                        .iter()
                        .all(|w| t.split(' ').any(|x| x.trim_matches(',') == w)))
        });
        signed || (nameless && self.is_footer_title(cells))
    }

    /// The row's only text is a signature title.
    fn is_footer_title(&self, cells: &[FilledCell]) -> bool {
        let mut texts = cells.iter().filter_map(|c| as_text(c.data));
        match (texts.next(), texts.next()) {
            (Some(t), None) => self.footer_exact.contains(&t.to_lowercase()),
            _ => false,
        }
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
    filled: &[FilledCell],
    name: Option<&str>,
    others: &[&FilledCell],
    markers: &Markers,
) -> Option<String> {
    let lone = match name {
        Some(n) if others.is_empty() => n.to_string(),
        None if filled.iter().filter(|c| c.folded.is_some()).count() == 1 => {
            filled.iter().find_map(|c| as_text(c.data))?
        }
        _ => return None,
    };
    let label = strip_ordinal(&lone);
    // A bare "1." in the STT column is numbering, not a label.
    let labelled = !label.is_empty() && label.chars().any(char::is_alphabetic);
    (labelled && (has_ordinal(&lone) || markers.is_group_word(&lone))).then(|| label.to_string())
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
fn is_numbering(filled: &[FilledCell]) -> bool {
    let nums: Vec<Option<i64>> = filled
        .iter()
        .map(|c| match c.data {
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
    fn footer_markers_found_with_and_without_the_automaton() {
        let schemas = Schemas::load(None).unwrap();
        let mut markers = Markers::new(&schemas.rules.rows);
        let cells = [
            ("Người lập biểu", true),
            ("(Ký, ghi rõ họ tên)", true),
            ("THỦ TRƯỞNG ĐƠN VỊ", true),
            ("Nguyễn Văn Lập", false),
            ("Đại học", false),
        ];
        for automaton in [true, false] {
            if !automaton {
                markers.footer_any = None;
            }
            for (text, want) in cells {
                assert_eq!(markers.has_footer_marker(&fold(text)), want, "{text}");
            }
        }
    }

    #[test]
    fn ordinals() {
        assert!(has_ordinal("II. GIÁO VIÊN"));
        assert!(has_ordinal("A) Nhân viên"));
        assert!(!has_ordinal("Lê An"));
        assert!(!has_ordinal("IVAN"));
        assert_eq!(strip_ordinal("III. NHÂN VIÊN"), "NHÂN VIÊN");
    }
}
