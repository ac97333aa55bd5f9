//! Finds a sheet's header row by scoring rows against a sheet kind from `schemas/`,
//! so that title blocks, column orders and extra columns do not matter. Handles two-row
//! headers whose parent cell is merged over its children (Trình độ over
//! Chuyên môn | Chính trị | Tin học).

use crate::domain::schema::{ColumnSpec, SheetKind};
use crate::input::read::SheetGrid;
use std::collections::BTreeMap;

/// Only this many rows from the top are searched for a header.
const HEADER_SEARCH_ROWS: usize = crate::input::read::TOP_ROWS - 1;

/// A recognised header: the rows it spans and the grid column of each known key.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Grid index of the first header row.
    pub first_row: usize,
    /// Grid index of the last header row; data starts below it.
    pub last_row: usize,
    pub columns: BTreeMap<String, usize>,
    /// Grid columns whose texts, joined, make a person's name: the name column, or the
    /// split "Họ đệm" | "Tên" columns, or a name column followed by an unlabeled one.
    pub name_cols: Vec<usize>,
}

impl Header {
    pub fn col(&self, key: &str) -> Option<usize> {
        self.columns.get(key).copied()
    }
}

/// The best header of `kind` in `grid`, if one qualifies.
pub fn find_header(grid: &SheetGrid, kind: &SheetKind) -> Option<Header> {
    find_header_in(grid, &TopCells::of(grid), kind)
}

/// `find_header` with the sheet's folded top cells already computed (several kinds share them).
pub fn find_header_in(grid: &SheetGrid, top: &TopCells, kind: &SheetKind) -> Option<Header> {
    let mut best = candidates(top, kind)
        .into_iter()
        .filter(|h| qualifies(h, kind))
        .max_by(|a, b| {
            a.columns
                .len()
                .cmp(&b.columns.len())
                .then(b.first_row.cmp(&a.first_row))
        })?;
    extend_name(grid, &mut best);
    Some(best)
}

/// A header of `kind` whose first row is grid row `r` (a second table under the first, or
/// the header printed again in another order), when it qualifies by itself: it maps the
/// columns of the rows below it. Only the cell that names the person's name is checked
/// first, so data rows cost one lookup.
pub fn header_at(grid: &SheetGrid, r: usize, kind: &SheetKind) -> Option<Header> {
    let names_name = (0..grid.row(r).len()).any(|c| {
        grid.folded(r, c).is_some_and(|f| {
            kind.match_folded(f).is_some_and(|(spec, len)| {
                len == f.len() && (spec.key == "name" || kind.name_parts.contains(&spec.key))
            })
        })
    });
    if !names_name {
        return None;
    }
    let top = TopCells::rows_at(grid, r, 2);
    let matches = Matches::of(&top, kind);
    let single = single_row(&matches, kind, 0);
    let double = (top.rows.len() > 1 && matches.live[0])
        .then(|| two_rows(&top, &matches, kind, 0))
        .flatten()
        .filter(|d| {
            let below = single_row(&matches, kind, 1).columns.len();
            d.columns.len() > single.columns.len().max(below)
        });
    let mut header = double.unwrap_or(single);
    if !qualifies(&header, kind) {
        return None;
    }
    header.first_row += r;
    header.last_row += r;
    extend_name(grid, &mut header);
    Some(header)
}

/// Keys a staff list and a BDTX sheet both use to name the person.
pub const PERSON_KEYS: [&str; 6] = [
    "seq",
    "name",
    "family_name",
    "given_name",
    "birth_date",
    "role",
];

/// Staff columns a BDTX sheet may carry too: they do not make a sheet a staff list.
const SHARED_DETAIL_KEYS: [&str; 6] = [
    "gender",
    "female_mark",
    "male_mark",
    "birth_date_male",
    "birth_date_female",
    "subject",
];

/// The BDTX reading of a staff list that carries the results at its right ("Nội dung 1" …
/// "Kết quả BDTX"), when both readings have columns of their own: `staff` names a column of
/// a staff list no BDTX header takes (qualification, rating …) and some column no staff
/// header takes is a BDTX score or a result headed as BDTX. The header keeps the person's
/// columns of `staff` and only the BDTX columns no staff column takes.
pub fn training_alongside(
    grid: &SheetGrid,
    staff: &Header,
    training: Option<&Header>,
    training_kind: &SheetKind,
) -> Option<Header> {
    let claimed_by_training =
        |c: usize| training.is_some_and(|t| t.columns.values().any(|&v| v == c));
    let staff_list = staff.columns.iter().any(|(k, &c)| {
        !PERSON_KEYS.contains(&k.as_str())
            && !SHARED_DETAIL_KEYS.contains(&k.as_str())
            && !claimed_by_training(c)
    });
    if !staff_list {
        return None;
    }
    let rows = staff.first_row..=staff.last_row;
    let mut columns: BTreeMap<String, usize> = PERSON_KEYS
        .iter()
        .filter_map(|k| Some((k.to_string(), staff.col(k)?)))
        .collect();
    let width = rows.clone().map(|r| grid.row(r).len()).max().unwrap_or(0);
    let mut results = false;
    for c in 0..width {
        if staff.columns.values().any(|&v| v == c) {
            continue;
        }
        // The child of a two-row header names the column; else the cell above it.
        let Some(text) = rows
            .clone()
            .rev()
            .find_map(|r| grid.folded(r, c).filter(|f| !f.is_empty()))
        else {
            continue;
        };
        let Some((spec, _)) = training_kind.match_folded(text) else {
            continue;
        };
        let key = spec.key.as_str();
        results |= key.starts_with("score_")
            || (key == "result" && (text.contains("bdtx") || text.contains("boi duong")));
        columns.entry(key.to_string()).or_insert(c);
    }
    results.then(|| Header {
        first_row: staff.first_row,
        last_row: staff.last_row,
        columns,
        name_cols: staff.name_cols.clone(),
    })
}

/// Makes `name` out of its parts when the sheet splits it ("Họ đệm" | "Tên").
fn complete(mut h: Header, kind: &SheetKind) -> Header {
    if let Some(&c) = h.columns.get("name") {
        h.name_cols = vec![c];
    } else if !kind.name_parts.is_empty()
        && kind.name_parts.iter().all(|k| h.columns.contains_key(k))
    {
        h.name_cols = kind
            .name_parts
            .iter()
            .filter_map(|k| h.columns.get(k).copied())
            .collect();
        let given = h.name_cols.last().copied().unwrap_or(0);
        h.columns.insert("name".to_string(), given);
    }
    h
}

/// A name header merged over two columns with no sub-header: the unlabeled column right of
/// the name holds the given name when most data rows have text in both.
fn extend_name(grid: &SheetGrid, h: &mut Header) {
    let [c] = h.name_cols[..] else { return };
    let next = c + 1;
    let labeled = h.columns.values().any(|&v| v == next)
        || (h.first_row..=h.last_row).any(|r| grid.folded(r, next).is_some());
    if labeled {
        return;
    }
    let sample = (h.last_row + 1..grid.height()).take(30);
    let named: Vec<usize> = sample.filter(|&r| grid.folded(r, c).is_some()).collect();
    let both = named
        .iter()
        .filter(|&&r| grid.folded(r, next).is_some())
        .count();
    if both >= 2 && both * 4 >= named.len() * 3 {
        h.name_cols.push(next);
    }
}

/// The required columns missing from the closest candidate header (for the error message).
pub fn missing_columns(grid: &SheetGrid, kind: &SheetKind) -> Vec<String> {
    let best = candidates(&TopCells::of(grid), kind)
        .into_iter()
        .max_by_key(|h| h.columns.len());
    let found = best.map(|h| h.columns).unwrap_or_default();
    let mut missing: Vec<String> = kind
        .required
        .iter()
        .filter(|k| !found.contains_key(*k))
        .map(|k| kind.label_of(k))
        .collect();
    if !kind.any_of.is_empty() && !kind.any_of.iter().any(|k| found.contains_key(k)) {
        missing.push(
            kind.any_of
                .iter()
                .map(|k| kind.label_of(k))
                .collect::<Vec<_>>()
                .join(" / "),
        );
    }
    missing
}

fn qualifies(h: &Header, kind: &SheetKind) -> bool {
    kind.required.iter().all(|k| h.columns.contains_key(k))
        && (kind.any_of.is_empty() || kind.any_of.iter().any(|k| h.columns.contains_key(k)))
        && h.columns.len() >= kind.min_columns
}

fn candidates(top: &TopCells, kind: &SheetKind) -> Vec<Header> {
    let matches = Matches::of(top, kind);
    let rows = top.rows.len();
    let last = rows.min(HEADER_SEARCH_ROWS);
    let mut out = Vec::new();
    for r in 0..last {
        let single = single_row(&matches, kind, r);
        // A two-row header must name more columns than either of its rows alone, so a
        // title line above a one-row header is not taken for a parent row. A top row that
        // names nothing and begins no alias can only repeat the row below: not tried.
        if r + 1 < rows && matches.live[r] {
            if let Some(double) = two_rows(top, &matches, kind, r) {
                let below = single_row(&matches, kind, r + 1).columns.len();
                if double.columns.len() > single.columns.len().max(below) {
                    out.push(double);
                    continue;
                }
            }
        }
        out.push(single);
    }
    out
}

/// What each top cell names by itself in one sheet kind, and whether it begins a longer
/// alias, looked up once.
struct Matches<'k> {
    cells: Vec<Vec<Option<(&'k ColumnSpec, usize)>>>,
    extends: Vec<Vec<bool>>,
    /// Rows with some cell that names a column or begins an alias.
    live: Vec<bool>,
}

impl<'k> Matches<'k> {
    fn of(top: &TopCells, kind: &'k SheetKind) -> Matches<'k> {
        let (cells, extends): (Vec<Vec<_>>, Vec<Vec<bool>>) = top
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| c.map_or((None, false), |t| kind.probe_folded(t)))
                    .unzip()
            })
            .unzip();
        let live = cells
            .iter()
            .zip(&extends)
            .map(|(m, e)| m.iter().any(Option::is_some) || e.iter().any(|x| *x))
            .collect();
        Matches {
            cells,
            extends,
            live,
        }
    }

    fn get(&self, r: usize, c: usize) -> Option<(&'k ColumnSpec, usize)> {
        self.cells
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .flatten()
    }

    fn extends(&self, r: usize, c: usize) -> bool {
        self.extends
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(false)
    }

    fn row(&self, r: usize) -> &[Option<(&'k ColumnSpec, usize)>] {
        self.cells.get(r).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Which column each key takes: the one named by the longest alias, the first of equals, so
/// "Xếp loại viên chức" takes the civil rating wherever a bare "Xếp loại" (a BDTX result)
/// stands in the same header.
#[derive(Default)]
struct Claims(BTreeMap<String, (usize, usize)>);

impl Claims {
    fn claim(&mut self, spec: &ColumnSpec, c: usize, len: usize) {
        let slot = self.0.entry(spec.key.clone()).or_insert((c, len));
        if len > slot.1 {
            *slot = (c, len);
        }
    }

    fn columns(self) -> BTreeMap<String, usize> {
        self.0.into_iter().map(|(k, (c, _))| (k, c)).collect()
    }
}

fn single_row(matches: &Matches, kind: &SheetKind, r: usize) -> Header {
    let mut claims = Claims::default();
    for (c, m) in matches.row(r).iter().enumerate() {
        if let Some((spec, len)) = m {
            claims.claim(spec, c, *len);
        }
    }
    complete(
        Header {
            first_row: r,
            last_row: r,
            columns: claims.columns(),
            name_cols: Vec::new(),
        },
        kind,
    )
}

/// Reads rows `r` and `r + 1` as one header: a child cell names its column by itself or
/// together with the parent text merged over it; a parent with no child (merged down) names
/// its own column. Accepted only when some parent really spans children.
fn two_rows(top_cells: &TopCells, matches: &Matches, kind: &SheetKind, r: usize) -> Option<Header> {
    let width = top_cells.row(r).len().max(top_cells.row(r + 1).len());
    let mut claims = Claims::default();
    // The column of the parent text over the current cell.
    let mut parent: Option<usize> = None;
    let mut spans_children = false;
    let mut joined = String::new();
    for c in 0..width {
        let top = top_cells.get(r, c);
        let bottom = top_cells.get(r + 1, c);
        if top.is_some() {
            parent = Some(c);
        } else if bottom.is_none() {
            parent = None;
        }
        let spec = match (top, bottom) {
            (_, Some(child)) => {
                if top.is_none() && parent.is_some() {
                    spans_children = true;
                }
                // "Ngày sinh" + "Nam" names a more specific column than "Ngày sinh" or "Nam";
                // "Kết quả BDTX" + "Nội dung 1" does not, so the child decides. Only a parent
                // that begins some alias can make a longer one with its child.
                let by_parent = parent.and_then(|p| {
                    if !matches.extends(r, p) {
                        return None;
                    }
                    let text = top_cells.get(r, p)?;
                    let parent_len = matches.get(r, p).map_or(0, |m| m.1);
                    joined.clear();
                    joined.push_str(text);
                    joined.push(' ');
                    joined.push_str(child);
                    kind.match_folded(&joined)
                        .filter(|(_, len)| *len > parent_len)
                });
                by_parent.or_else(|| matches.get(r + 1, c))
            }
            (Some(_), None) => matches.get(r, c),
            (None, None) => None,
        };
        if let Some((spec, len)) = spec {
            claims.claim(spec, c, len);
        }
    }
    spans_children.then(|| {
        complete(
            Header {
                first_row: r,
                last_row: r + 1,
                columns: claims.columns(),
                name_cols: Vec::new(),
            },
            kind,
        )
    })
}

/// The folded text of the cells a header is searched in, looked up once per sheet.
pub struct TopCells<'g> {
    rows: Vec<Vec<Option<&'g str>>>,
}

impl<'g> TopCells<'g> {
    pub fn of(grid: &'g SheetGrid) -> TopCells<'g> {
        TopCells::rows_at(grid, 0, HEADER_SEARCH_ROWS + 1)
    }

    /// The folded cells of `count` rows from grid row `first`, as rows 0.. .
    fn rows_at(grid: &'g SheetGrid, first: usize, count: usize) -> TopCells<'g> {
        let rows = (first..grid.height().min(first + count))
            .map(|r| {
                (0..grid.row(r).len())
                    .map(|c| grid.folded(r, c).filter(|f| !f.is_empty()))
                    .collect()
            })
            .collect();
        TopCells { rows }
    }

    fn row(&self, r: usize) -> &[Option<&'g str>] {
        self.rows.get(r).map(Vec::as_slice).unwrap_or(&[])
    }

    fn get(&self, r: usize, c: usize) -> Option<&'g str> {
        self.row(r).get(c).copied().flatten()
    }
}
