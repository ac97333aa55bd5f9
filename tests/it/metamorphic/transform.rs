//! Meaning-preserving transformations of school workbooks: each changes how the sheets look,
//! never what a person reading them would count. They work on `book::Book` and keep each
//! table's description true, so any sequence of them composes.

use super::book::{Book, Cell, Kind, Sheet, Table};
use bdtx::domain::schema::Schemas;
use bdtx::domain::text::fold;
use bdtx::input::legacy::encode;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};
use unicode_normalization::UnicodeNormalization;

/// The school workbooks of a district, each with the school code of its folder.
pub struct District {
    pub books: Vec<(String, Book)>,
}

pub type Apply = fn(&mut District, &mut dyn RngCore, &Schemas);

/// A transformation; those of one `group` exclude each other (one label placement, one
/// legacy font, one way to identify the school).
pub struct Transform {
    pub name: &'static str,
    pub group: Option<&'static str>,
    pub apply: Apply,
}

const fn t(name: &'static str, apply: Apply) -> Transform {
    Transform {
        name,
        group: None,
        apply,
    }
}

const fn g(name: &'static str, group: &'static str, apply: Apply) -> Transform {
    Transform {
        name,
        group: Some(group),
        apply,
    }
}

/// Every transformation, in the order a combination applies them.
pub const ALL: &[Transform] = &[
    t("date spellings", date_spellings),
    g("birth years in the staff sheet", "years", years_in_staff),
    g("birth years in the BDTX sheet", "years", years_in_training),
    t("score spellings", score_spellings),
    t("yes/no and gender spellings", yes_no_spellings),
    t("real date cells", real_date_cells),
    t("STT written as text", seq_as_text),
    t("staff and BDTX in one table", training_beside_staff),
    t("rows shuffled within groups", rows_shuffled),
    g(
        "names in capitals in the staff sheet",
        "caps",
        caps_in_staff,
    ),
    g(
        "names in capitals in the BDTX sheet",
        "caps",
        caps_in_training,
    ),
    t("no STT column", without_seq),
    t("role cells blank under group labels", blank_group_roles),
    g("group labels in the STT column", "labels", labels_in_stt),
    g(
        "group labels merged across the table",
        "labels",
        labels_merged,
    ),
    g(
        "group labels merged from the name column",
        "labels",
        labels_merged_from_name,
    ),
    t("total and subtotal rows", total_rows),
    t("name split into Họ đệm | Tên", split_name),
    g("Ngày sinh over Nam | Nữ", "gender", birth_by_gender),
    g("Giới tính over Nam | Nữ, marked x", "gender", gender_marks),
    t("Đảng viên over Có | Không, marked x", party_marks),
    t("columns shuffled", shuffle_columns),
    t(
        "headers renamed (synonyms, capitals, line breaks)",
        rename_headers,
    ),
    t("header rows repeated inside the table", repeated_header),
    t(
        "personal columns grouped under a two-row header",
        personal_group_header,
    ),
    t("blank column inside the table", blank_column),
    t("blank rows", blank_rows),
    t(
        "a second table with its own header, columns reversed",
        second_table,
    ),
    t("title blocks", title_blocks),
    t("footers", footers),
    t("header cells merged down over two rows", header_merged_down),
    t("equal cells merged down a column", equal_cells_merged_down),
    t("stray spaces and non-breaking spaces", spaces),
    t("NFD text", nfd),
    t("table moved right and down", move_tables),
    t("sheets added", add_sheets),
    t("sheets renamed", rename_sheets),
    t("sheets reordered", reorder_sheets),
    t("sheets hidden", hide_sheets),
    g(
        "workbooks split into staff and BDTX files",
        "files",
        split_books,
    ),
    g("staff and BDTX files merged", "files", merge_books),
    g(
        "school named by information sheet only",
        "identity",
        identify_by_info,
    ),
    g(
        "school named by title rows only",
        "identity",
        identify_by_title,
    ),
    g(
        "school named by file name only",
        "identity",
        identify_by_file_name,
    ),
    g("TCVN3 font, tab names included", "legacy", to_tcvn3),
    g("VNI font, tab names included", "legacy", to_vni),
    g("saved as .xlsm", "format", to_xlsm),
    g("saved as .ods", "format", to_ods),
];

// ---- helpers -------------------------------------------------------------------------

fn tables(d: &mut District, kind: Option<Kind>) -> impl Iterator<Item = &mut Sheet> {
    d.books
        .iter_mut()
        .flat_map(|(_, b)| b.sheets.iter_mut())
        .filter(move |s| {
            s.table
                .as_ref()
                .is_some_and(|t| kind.is_none_or(|k| t.kind == k))
        })
}

fn table(s: &Sheet) -> Table {
    s.table.clone().expect("a table sheet")
}

/// "I.", "II.", "III." at the start: a group label.
fn is_label(text: &str) -> bool {
    let head: String = text
        .trim()
        .chars()
        .take_while(|c| matches!(c, 'I' | 'V' | 'X'))
        .collect();
    !head.is_empty() && text.trim()[head.len()..].starts_with('.')
}

/// The group label of data row `r`: its only non-empty cell starts with a Roman ordinal.
fn label_of(s: &Sheet, t: &Table, r: usize) -> Option<String> {
    let cells: Vec<&Cell> = (t.left..t.left + t.width())
        .map(|c| s.get(r, c))
        .filter(|c| !c.is_empty())
        .collect();
    match cells[..] {
        [Cell::Text(x)] if is_label(x) => Some(x.clone()),
        _ => None,
    }
}

/// Data rows that name a person (not labels, blank rows or totals).
fn person_rows(s: &Sheet, t: &Table) -> Vec<usize> {
    let names: Vec<usize> = ["name", "family", "given"]
        .iter()
        .filter_map(|k| t.col(k))
        .collect();
    t.data_rows()
        .filter(|&r| label_of(s, t, r).is_none())
        .filter(|&r| {
            names.iter().any(|&c| {
                s.get(r, c)
                    .text()
                    .is_some_and(|x| !fold(x).starts_with("cong"))
            })
        })
        .collect()
}

fn map_texts(d: &mut District, f: &dyn Fn(&str) -> String) {
    for (_, b) in &mut d.books {
        for s in &mut b.sheets {
            for x in s.texts_mut() {
                *x = f(x);
            }
        }
    }
}

/// The cells of column `key` in the person rows of the sheets of `kind`.
fn each_cell(d: &mut District, kind: Option<Kind>, key: &str, f: &mut dyn FnMut(&mut Cell)) {
    for s in tables(d, kind) {
        let t = table(s);
        let Some(c) = t.col(key) else { continue };
        for r in person_rows(s, &t) {
            let mut cell = s.take(r, c);
            f(&mut cell);
            s.set(r, c, cell);
        }
    }
}

fn parse_dmy(text: &str) -> Option<(u32, u32, i32)> {
    let p: Vec<&str> = text.trim().split('/').collect();
    match p[..] {
        [d, m, y] => Some((d.parse().ok()?, m.parse().ok()?, y.parse().ok()?)),
        _ => None,
    }
}

// ---- values --------------------------------------------------------------------------

fn date_spellings(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    each_cell(d, None, "birth", &mut |cell| {
        let Some((day, m, y)) = cell.text().and_then(parse_dmy) else {
            return;
        };
        *cell = match rng.random_range(0..5) {
            0 => Cell::Text(format!("{day}/{m}/{y}")),
            1 => Cell::Text(format!("{day:02}-{m:02}-{y}")),
            2 => Cell::Text(format!("{day:02}.{m:02}.{y}")),
            3 => Cell::Text(format!("{y}-{m:02}-{day:02}")),
            _ => {
                let date = chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
                let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                Cell::Num((date - base).num_days() as f64)
            }
        };
    });
}

/// The year of a birth date in any of the spellings above.
fn year_of(cell: &Cell) -> Option<i32> {
    use chrono::Datelike;
    match cell {
        Cell::Date(d) => Some(d.year()),
        Cell::Num(serial) => {
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
            Some((base + chrono::Duration::days(*serial as i64)).year())
        }
        Cell::Text(t) => {
            let parts: Vec<i32> = t
                .trim()
                .split(['/', '-', '.'])
                .map(|p| p.parse().ok())
                .collect::<Option<_>>()?;
            match parts[..] {
                [y, _, _] if y > 31 => Some(y),
                [_, _, y] => Some(y),
                _ => None,
            }
        }
        Cell::Empty => None,
    }
}

fn years(d: &mut District, kind: Kind, rng: &mut dyn RngCore) {
    each_cell(d, Some(kind), "birth", &mut |cell| {
        let Some(y) = year_of(cell) else { return };
        *cell = if rng.random_bool(0.5) {
            Cell::Num(y as f64)
        } else {
            Cell::Text(y.to_string())
        };
    });
}

fn years_in_staff(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    years(d, Kind::Staff, rng)
}

fn years_in_training(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    years(d, Kind::Training, rng)
}

fn score_spellings(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, Some(Kind::Training)) {
        let t = table(s);
        let cols: Vec<usize> = (0..t.width())
            .filter(|&i| t.keys[i] == "score")
            .map(|i| t.left + i)
            .collect();
        for r in person_rows(s, &t) {
            for &c in &cols {
                let value = match s.get(r, c) {
                    Cell::Num(x) => *x,
                    Cell::Text(x) => match x.trim().replace(',', ".").parse::<f64>() {
                        Ok(v) => v,
                        Err(_) => continue,
                    },
                    Cell::Empty | Cell::Date(_) => continue,
                };
                let cell = match rng.random_range(0..3) {
                    0 => Cell::Num(value),
                    1 => Cell::Text(value.to_string().replace('.', ",")),
                    _ => Cell::Text(format!(" {value} ")),
                };
                s.set(r, c, cell);
            }
        }
    }
}

fn yes_no_spellings(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for key in ["party", "female_mark"] {
        each_cell(d, Some(Kind::Staff), key, &mut |cell| {
            if cell.text().is_some_and(|x| x.trim() == "x") {
                let spelled = ["X", "Có", "v", "✓", "x "][rng.random_range(0..5)];
                *cell = Cell::Text(spelled.into());
            }
        });
    }
    each_cell(d, Some(Kind::Staff), "gender", &mut |cell| {
        let spelled = match cell.text() {
            Some("Nữ") => ["nữ", "NỮ", "Nu", "Nữ "][rng.random_range(0..4)],
            Some("Nam") => ["nam", "NAM", " Nam"][rng.random_range(0..3)],
            _ => return,
        };
        *cell = Cell::Text(spelled.into());
    });
}

/// Birth dates typed as text become real date cells (shown the same, dd/mm/yyyy).
fn real_date_cells(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    each_cell(d, None, "birth", &mut |cell| {
        if let Some((day, m, y)) = cell.text().and_then(parse_dmy) {
            *cell = Cell::Date(chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap());
        }
    });
}

/// STT numbers written as text: "1.", "01", "1".
fn seq_as_text(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    each_cell(d, None, "seq", &mut |cell| {
        if let Cell::Num(n) = cell {
            let n = *n as i64;
            *cell = Cell::Text(match rng.random_range(0..3) {
                0 => format!("{n}."),
                1 => format!("{n:02}"),
                _ => n.to_string(),
            });
        }
    });
}

/// In a two-row header, each header cell with nothing under it is merged down over both rows.
fn header_merged_down(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        if t.header_rows != 2 {
            continue;
        }
        for c in t.left..t.left + t.width() {
            if !s.get(t.top, c).is_empty() && s.get(t.top + 1, c).is_empty() && !s.merged(t.top, c)
            {
                s.merges.push((t.top, c, t.top + 1, c));
            }
        }
    }
}

/// Equal values of consecutive people (same role, gender, ethnicity, qualification …)
/// merged into one cell down the column, as schools lay out their lists: a person reading
/// the sheet sees the value on every row of the merge.
fn equal_cells_merged_down(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, Some(Kind::Staff)) {
        let t = table(s);
        let persons = person_rows(s, &t);
        for key in [
            "role",
            "gender",
            "ethnicity",
            "subject",
            "qualification",
            "civil",
        ] {
            let Some(c) = t.col(key) else { continue };
            let mut i = 0;
            while i < persons.len() {
                let first = persons[i];
                let mut j = i;
                while j + 1 < persons.len()
                    && persons[j + 1] == persons[j] + 1
                    && !s.get(first, c).is_empty()
                    && s.get(persons[j + 1], c) == s.get(first, c)
                    && !s.merged(persons[j + 1], c)
                    && !s.merged(first, c)
                {
                    j += 1;
                }
                if j > i {
                    for &r in &persons[i + 1..=j] {
                        s.set(r, c, Cell::Empty);
                    }
                    s.merges.push((first, c, persons[j], c));
                }
                i = j + 1;
            }
        }
    }
}

/// People listed in another order inside each group. A person listed twice keeps the
/// order of their rows: the first one counts, and the school is told so.
fn rows_shuffled(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let persons = person_rows(s, &t);
        let name_of = |r: usize| {
            t.col("name")
                .map(|c| fold(s.get(r, c).text().unwrap_or("")))
        };
        let twice: Vec<usize> = persons
            .iter()
            .copied()
            .filter(|&r| {
                persons
                    .iter()
                    .filter(|&&o| name_of(o) == name_of(r))
                    .count()
                    > 1
            })
            .collect();
        // Runs of consecutive person rows, none of them merged or listed twice.
        let mut runs: Vec<Vec<usize>> = Vec::new();
        for &r in &persons {
            let free = !s.merges.iter().any(|m| (m.0..=m.2).contains(&r)) && !twice.contains(&r);
            match runs.last_mut() {
                Some(run) if free && run.last() == Some(&(r - 1)) => run.push(r),
                _ if free => runs.push(vec![r]),
                _ => {}
            }
        }
        for run in runs {
            let mut rows: Vec<Vec<Cell>> = run.iter().map(|&r| s.rows[r].clone()).collect();
            rows.shuffle(&mut RngAdapter(rng));
            for (&r, row) in run.iter().zip(rows) {
                s.rows[r] = row;
            }
        }
    }
}

/// An empty spacer column inside the table, header included.
fn blank_column(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let at = t.left + rng.random_range(1..t.width());
        if s.merges.iter().any(|m| m.1 < at && at <= m.3) {
            continue;
        }
        s.insert_cols(at, 1);
        s.table.as_mut().unwrap().keys.insert(at - t.left, "other");
    }
}

fn caps(d: &mut District, kind: Kind) {
    for s in tables(d, Some(kind)) {
        let t = table(s);
        for key in ["name", "family", "given"] {
            let Some(c) = t.col(key) else { continue };
            for r in person_rows(s, &t) {
                if let Cell::Text(x) = s.take(r, c) {
                    s.set(r, c, Cell::Text(x.to_uppercase()));
                }
            }
        }
    }
}

fn caps_in_staff(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    caps(d, Kind::Staff)
}

fn caps_in_training(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    caps(d, Kind::Training)
}

// ---- group labels --------------------------------------------------------------------

/// Blanks each role cell that says no more than the group label above it ("Giáo viên"
/// under "II. GIÁO VIÊN").
fn blank_group_roles(d: &mut District, _: &mut dyn RngCore, schemas: &Schemas) {
    for s in tables(d, Some(Kind::Staff)) {
        let t = table(s);
        let Some(role) = t.col("role") else { continue };
        let mut group: Option<String> = None;
        for r in t.data_rows() {
            if let Some(label) = label_of(s, &t, r) {
                let words = label
                    .trim_start_matches(['I', 'V', 'X', '.'])
                    .trim()
                    .to_string();
                group = schemas.vocab["group_role"]
                    .lookup(&words)
                    .map(|e| e.code.clone());
                continue;
            }
            let Some(text) = s.get(r, role).text() else {
                continue;
            };
            // Only a cell that says the role and nothing more ("Giáo viên Toán" also names
            // the subject, which a blank cell would lose).
            let folded = bdtx::domain::text::fold(text);
            let entry = schemas.vocab["role"].lookup(text);
            let whole = entry.is_some_and(|e| {
                e.aliases
                    .iter()
                    .chain([&e.label])
                    .any(|a| bdtx::domain::text::fold(a) == folded)
            });
            let code = entry.map(|e| e.code.clone());
            if whole && code.is_some() && code == group {
                s.set(r, role, Cell::Empty);
            }
        }
    }
}

/// Moves every group label to column `to(table)`, merged over `span` columns.
fn place_labels(d: &mut District, to: fn(&Table) -> Option<usize>, merged: bool) {
    for s in tables(d, None) {
        let t = table(s);
        let Some(col) = to(&t) else { continue };
        for r in t.data_rows() {
            let Some(label) = label_of(s, &t, r) else {
                continue;
            };
            s.unmerge_row(r);
            for c in t.left..t.left + t.width() {
                s.set(r, c, Cell::Empty);
            }
            s.set(r, col, Cell::Text(label));
            let last = t.left + t.width() - 1;
            if merged && last > col {
                s.merges.push((r, col, r, last));
            }
        }
    }
}

fn labels_in_stt(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    place_labels(d, |t| t.col("seq"), false)
}

fn labels_merged(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    place_labels(d, |t| Some(t.left), true)
}

fn labels_merged_from_name(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    place_labels(d, |t| t.col("name").or(t.col("family")), true)
}

// ---- rows ----------------------------------------------------------------------------

/// "Cộng" under each group and "Tổng cộng" under the table, with counts.
fn total_rows(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let Some(name) = t.col("name").or(t.col("family")) else {
            continue;
        };
        let count_col = t.col("birth").unwrap_or(t.left + t.width() - 1);
        // Group ends, bottom up so that inserting keeps the rows above in place.
        let mut ends: Vec<(usize, usize)> = Vec::new();
        let mut count = 0;
        for r in t.data_rows() {
            if label_of(s, &t, r).is_some() && count > 0 {
                ends.push((r, count));
                count = 0;
            } else if !s.row_is_empty(r) {
                count += 1;
            }
        }
        let total: usize = ends.iter().map(|e| e.1).sum::<usize>() + count;
        let end = t.end;
        if !ends.is_empty() {
            ends.push((end, count));
        }
        for &(at, n) in ends.iter().rev() {
            s.insert_rows(at, 1);
            s.set(at, name, Cell::Text("Cộng".into()));
            s.set(at, count_col, Cell::Num(n as f64));
        }
        let t = table(s);
        s.insert_rows(t.end, 1);
        // "Tổng cộng" in the name column, or in the STT column merged over the name.
        match t
            .col("seq")
            .filter(|&c| c + 1 == name && rng.random_bool(0.5))
        {
            Some(seq) => {
                s.set(t.end, seq, Cell::Text("TỔNG CỘNG".into()));
                s.merges.push((t.end, seq, t.end, name));
            }
            None => s.set(t.end, name, Cell::Text("Tổng cộng:".into())),
        }
        s.set(t.end, count_col, Cell::Num(total as f64));
        if let Some(tb) = &mut s.table {
            tb.end = t.end; // the total row is below the data
        }
    }
}

/// The header rows printed again inside the table, as when a list is pasted from pages.
fn repeated_header(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let persons = person_rows(s, &t);
        if persons.len() < 4 {
            continue;
        }
        let at = persons[rng.random_range(2..persons.len())];
        if s.merges.iter().any(|m| m.0 < at && at <= m.2) || s.merges.iter().any(|m| m.0 == at) {
            continue;
        }
        let n = t.header_rows;
        let copied: Vec<Vec<Cell>> = (t.top..t.top + n).map(|r| s.rows[r].clone()).collect();
        let merges: Vec<_> = s
            .merges
            .iter()
            .filter(|m| m.0 >= t.top && m.2 < t.top + n)
            .copied()
            .collect();
        s.insert_rows(at, n);
        for (i, row) in copied.into_iter().enumerate() {
            s.rows[at + i] = row;
        }
        for m in merges {
            s.merges
                .push((m.0 - t.top + at, m.1, m.2 - t.top + at, m.3));
        }
    }
}

/// No STT column: the numbering says nothing a person counts.
fn without_seq(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let Some(c) = t.col("seq") else { continue };
        if t.data_rows()
            .any(|r| label_of(s, &t, r).is_some_and(|_| !s.get(r, c).is_empty()))
        {
            continue;
        }
        s.remove_col(c, t.top);
    }
}

/// A single-row header becomes two rows: "THÔNG TIN CÁ NHÂN" merged over the name and the
/// column after it, every other header merged down over both rows.
fn personal_group_header(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let Some(name) = t.col("name") else { continue };
        if t.header_rows != 1 || name + 1 >= t.left + t.width() {
            continue;
        }
        s.insert_rows(t.top + 1, 1);
        {
            let tb = s.table.as_mut().unwrap();
            tb.header_rows = 2;
        }
        for c in t.left..t.left + t.width() {
            if c == name || c == name + 1 {
                let child = s.take(t.top, c);
                s.set(t.top + 1, c, child);
            } else if !s.merged(t.top, c) {
                s.merges.push((t.top, c, t.top + 1, c));
            }
        }
        s.set(t.top, name, Cell::Text("THÔNG TIN CÁ NHÂN".into()));
        s.merges.push((t.top, name, t.top, name + 1));
    }
}

fn blank_rows(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let n = rng.random_range(1..4);
        for _ in 0..n {
            let t = table(s);
            let at = rng.random_range(t.first_data()..=t.end.max(t.first_data()));
            // Not inside a merged cell: its value would show in the blank row.
            if s.merges.iter().any(|m| m.0 < at && at <= m.2) {
                continue;
            }
            s.insert_rows(at, 1);
        }
    }
}

fn title_blocks(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        s.insert_rows(0, 4);
        s.set(
            0,
            0,
            Cell::Text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into()),
        );
        s.set(1, 0, Cell::Text("Độc lập - Tự do - Hạnh phúc".into()));
        s.set(
            2,
            3,
            Cell::Text("(Kèm theo Công văn số 215/PGDĐT ngày 10/5/2025)".into()),
        );
    }
}

/// A signature block, right under the data (no blank row) or at the bottom of the sheet.
fn footers(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let name = t.col("name").or(t.col("family")).unwrap_or(t.left);
        let right = t.left + t.width().saturating_sub(3);
        let mut r = if rng.random_bool(0.5) && !s.merges.iter().any(|m| m.0 < t.end && t.end <= m.2)
        {
            s.insert_rows(t.end, 6);
            t.end
        } else {
            s.rows.len() + 1
        };
        let mut put = |r: usize, c: usize, x: &str| s.set(r, c, Cell::Text(x.into()));
        put(r, right, "Yên Hòa, ngày 25 tháng 5 năm 2025");
        r += 1;
        put(r, name, "NGƯỜI LẬP BIỂU");
        put(r, right, "HIỆU TRƯỞNG");
        r += 1;
        put(r, right, "(Ký, ghi rõ họ tên, đóng dấu)");
        r += 3;
        put(r, name, "Trần Văn Lập");
        put(r, right, "Lê Thị Hiệu");
    }
}

// ---- columns -------------------------------------------------------------------------

/// "Họ và tên" → "Họ đệm" | "Tên".
fn split_name(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let Some(c) = t.col("name") else { continue };
        let persons = person_rows(s, &t);
        s.insert_cols(c + 1, 1);
        s.set(t.top, c, Cell::Text("Họ đệm".into()));
        s.set(t.top, c + 1, Cell::Text("Tên".into()));
        if t.header_rows == 2 {
            s.merges.retain(|m| !(m.0 == t.top && m.1 == c));
        }
        for r in persons {
            let Some(full) = s.get(r, c).text().map(str::trim).map(str::to_string) else {
                continue;
            };
            let (family, given) = full.rsplit_once(' ').unwrap_or(("", &full));
            s.set(r, c, Cell::Text(family.into()));
            s.set(r, c + 1, Cell::Text(given.into()));
        }
        split_key(s, c, "family", "given");
    }
}

/// Gives the table a second header row (blank), when it has one.
fn two_row_header(s: &mut Sheet) {
    let t = table(s);
    if t.header_rows == 1 {
        s.insert_rows(t.top + 1, 1);
        let tb = s.table.as_mut().unwrap();
        tb.header_rows = 2;
        tb.end += 1;
    }
}

/// The table's column `col`, split in two columns: `left`, then `right`.
fn split_key(s: &mut Sheet, col: usize, left: &'static str, right: &'static str) {
    let tb = s.table.as_mut().unwrap();
    let i = col - tb.left;
    tb.keys[i] = left;
    tb.keys.insert(i + 1, right);
}

/// Replaces "Ngày sinh" and the gender column by "Ngày sinh" merged over "Nam" | "Nữ", each
/// date under its person's gender. Sheets where a dated person has no gender are left alone.
fn birth_by_gender(d: &mut District, _: &mut dyn RngCore, schemas: &Schemas) {
    for s in tables(d, Some(Kind::Staff)) {
        let t = table(s);
        let (Some(birth), gender) = (t.col("birth"), t.col("gender").or(t.col("female_mark")))
        else {
            continue;
        };
        let Some(gender) = gender else { continue };
        let by_mark = t.col("gender").is_none();
        let persons = person_rows(s, &t);
        let female = |s: &Sheet, r: usize| -> Option<bool> {
            let text = s.get(r, gender).text();
            if by_mark {
                return Some(text.is_some_and(|x| {
                    schemas.vocab["yes_mark"]
                        .lookup(x)
                        .is_some_and(|e| e.code == "yes")
                }));
            }
            schemas.vocab["gender"]
                .lookup(text?)
                .map(|e| e.code == "female")
        };
        if persons
            .iter()
            .any(|&r| !s.get(r, birth).is_empty() && female(s, r).is_none())
        {
            continue;
        }
        two_row_header(s);
        let t = table(s);
        let persons = person_rows(s, &t);
        // The gender column becomes the second date column, placed right after the first.
        let sexes: Vec<(usize, bool)> = persons
            .iter()
            .map(|&r| (r, female(s, r).unwrap_or(false)))
            .collect();
        let dates: Vec<(usize, Cell)> = persons.iter().map(|&r| (r, s.take(r, birth))).collect();
        for r in t.top..t.end {
            s.take(r, gender);
        }
        let gi = gender - t.left;
        let bi = birth - t.left;
        let (male_col, female_col) = (birth, gender);
        s.merges
            .retain(|m| !(m.0 == t.top && (m.1 == birth || m.1 == gender)));
        // Lay out: header "Ngày sinh" over [birth, gender] when adjacent, else each column
        // says it all ("Ngày sinh Nam", "Ngày sinh Nữ").
        if gender == birth + 1 {
            s.set(t.top, birth, Cell::Text("Ngày sinh".into()));
            s.set(t.top, gender, Cell::Empty);
            s.merges.push((t.top, birth, t.top, gender));
            s.set(t.top + 1, male_col, Cell::Text("Nam".into()));
            s.set(t.top + 1, female_col, Cell::Text("Nữ".into()));
        } else {
            s.set(t.top, male_col, Cell::Text("Ngày sinh Nam".into()));
            s.set(t.top, female_col, Cell::Text("Ngày sinh Nữ".into()));
            s.set(t.top + 1, male_col, Cell::Empty);
            s.set(t.top + 1, female_col, Cell::Empty);
        }
        for ((r, date), (_, is_female)) in dates.into_iter().zip(sexes) {
            s.set(r, if is_female { female_col } else { male_col }, date);
        }
        let tb = s.table.as_mut().unwrap();
        tb.keys[bi] = "birth_male";
        tb.keys[gi] = "birth_female";
    }
}

/// Replaces a "Giới tính" column of values by "Giới tính" merged over "Nam" | "Nữ" with an
/// "x" under each person's sex (issue 29). Sheets where a person has no gender written are
/// left alone.
fn gender_marks(d: &mut District, _: &mut dyn RngCore, schemas: &Schemas) {
    for s in tables(d, Some(Kind::Staff)) {
        let t = table(s);
        let Some(gender) = t.col("gender") else {
            continue;
        };
        let persons = person_rows(s, &t);
        let female = |s: &Sheet, r: usize| -> Option<bool> {
            schemas.vocab["gender"]
                .lookup(s.get(r, gender).text()?)
                .map(|e| e.code == "female")
        };
        let sexes: Option<Vec<(usize, bool)>> =
            persons.iter().map(|&r| Some((r, female(s, r)?))).collect();
        let Some(sexes) = sexes else { continue };
        two_row_header(s);
        let t = table(s);
        // Rows moved down by the header's second row: the people again.
        let persons = person_rows(s, &t);
        let sexes: Vec<(usize, bool)> = persons
            .iter()
            .copied()
            .zip(sexes.iter().map(|x| x.1))
            .collect();
        s.insert_cols(gender + 1, 1);
        s.merges.retain(|m| !(m.0 == t.top && m.1 == gender));
        s.set(t.top, gender, Cell::Text("Giới tính".into()));
        s.set(t.top, gender + 1, Cell::Empty);
        s.merges.push((t.top, gender, t.top, gender + 1));
        s.set(t.top + 1, gender, Cell::Text("Nam".into()));
        s.set(t.top + 1, gender + 1, Cell::Text("Nữ".into()));
        for (r, is_female) in sexes {
            s.set(r, gender, Cell::Empty);
            s.set(
                r,
                if is_female { gender + 1 } else { gender },
                Cell::Text("x".into()),
            );
        }
        split_key(s, gender, "male_mark", "female_mark");
    }
}

/// Replaces a "Đảng viên" column of marks by "Đảng viên" merged over "Có" | "Không" with an
/// "x" under one of them for every person (issue 29). Sheets where a party cell is neither a
/// mark nor blank are left alone.
fn party_marks(d: &mut District, _: &mut dyn RngCore, schemas: &Schemas) {
    for s in tables(d, Some(Kind::Staff)) {
        let t = table(s);
        let Some(party) = t.col("party") else {
            continue;
        };
        let member = |s: &Sheet, r: usize| -> Option<bool> {
            match s.get(r, party).text().map(str::trim) {
                None | Some("") => Some(false),
                Some(x) => schemas.vocab["yes_mark"].lookup(x).map(|e| e.code == "yes"),
            }
        };
        let marks: Option<Vec<bool>> = person_rows(s, &t).iter().map(|&r| member(s, r)).collect();
        let Some(marks) = marks else { continue };
        two_row_header(s);
        let t = table(s);
        let persons = person_rows(s, &t);
        s.insert_cols(party + 1, 1);
        s.merges.retain(|m| !(m.0 == t.top && m.1 == party));
        s.set(t.top, party, Cell::Text("Đảng viên".into()));
        s.set(t.top, party + 1, Cell::Empty);
        s.merges.push((t.top, party, t.top, party + 1));
        s.set(t.top + 1, party, Cell::Text("Có".into()));
        s.set(t.top + 1, party + 1, Cell::Text("Không".into()));
        for (r, is_member) in persons.into_iter().zip(marks) {
            s.set(r, party, Cell::Empty);
            let c = if is_member { party } else { party + 1 };
            s.set(r, c, Cell::Text("x".into()));
        }
        split_key(s, party, "party", "party_no");
    }
}

/// Moves the later people whose role cell names a role into a second table under the
/// first: a blank row, a title, the header again with its columns in reverse order, then
/// their rows in that order (issue 29). The rows they leave are blank. Sheets with a two-row
/// header are left alone.
fn second_table(d: &mut District, _: &mut dyn RngCore, schemas: &Schemas) {
    for s in tables(d, Some(Kind::Staff)) {
        let t = table(s);
        let Some(role) = t.col("role") else { continue };
        if t.header_rows != 1 {
            continue;
        }
        let roles = &schemas.vocab["role"];
        let persons = person_rows(s, &t);
        let moved: Vec<usize> = persons[persons.len() / 2..]
            .iter()
            .copied()
            .filter(|&r| {
                s.get(r, role)
                    .text()
                    .is_some_and(|x| roles.lookup(x).is_some())
            })
            .collect();
        if moved.is_empty() {
            continue;
        }
        let columns: Vec<usize> = (t.left..t.left + t.width()).rev().collect();
        let header: Vec<Cell> = columns.iter().map(|&c| s.get(t.top, c).clone()).collect();
        let rows: Vec<Vec<Cell>> = moved
            .iter()
            .map(|&r| columns.iter().map(|&c| s.take(r, c)).collect())
            .collect();
        let at = t.end;
        s.insert_rows(at, 3 + rows.len());
        s.set(
            at + 1,
            t.left,
            Cell::Text("DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN (TIẾP THEO)".into()),
        );
        for (r, cells) in std::iter::once(header).chain(rows).enumerate() {
            for (i, cell) in cells.into_iter().enumerate() {
                s.set(at + 2 + r, t.left + i, cell);
            }
        }
        s.table.as_mut().unwrap().end = at + 3 + moved.len();
    }
}

/// Permutes the table's columns; a header merged over several columns moves as one block.
fn shuffle_columns(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        let mut c = t.left;
        while c < t.left + t.width() {
            let end = s
                .merges
                .iter()
                .filter(|m| m.0 == t.top && m.1 == c)
                .map(|m| m.3)
                .max()
                .unwrap_or(c);
            blocks.push((c, end));
            c = end + 1;
        }
        // Labels merged across data rows are laid out again over the whole table.
        let spans: Vec<usize> = s
            .merges
            .iter()
            .filter(|m| m.0 >= t.first_data() && m.3 > m.1)
            .map(|m| m.0)
            .collect();
        s.merges.retain(|m| !spans.contains(&m.0));
        let mut order: Vec<usize> = (0..blocks.len()).collect();
        order.shuffle(&mut RngAdapter(rng));
        let new_cols: Vec<usize> = order
            .iter()
            .flat_map(|&b| blocks[b].0..=blocks[b].1)
            .collect();
        // Rows from the header down: column new_cols[i] goes to t.left + i.
        for r in t.top..s.rows.len() {
            let old: Vec<Cell> = new_cols.iter().map(|&c| s.get(r, c).clone()).collect();
            for (i, cell) in old.into_iter().enumerate() {
                s.set(r, t.left + i, cell);
            }
        }
        let to_new = |c: usize| new_cols.iter().position(|&x| x == c).map(|i| t.left + i);
        for m in &mut s.merges {
            if m.0 >= t.top && m.1 >= t.left && m.3 < t.left + t.width() {
                let (a, b) = (to_new(m.1).unwrap(), to_new(m.3).unwrap());
                m.1 = a.min(b);
                m.3 = a.max(b);
            }
        }
        // (Other rows merged across columns, such as "TỔNG CỘNG" over STT and name, keep
        // their cells where the shuffle put them, unmerged.)
        for r in spans {
            let filled: Vec<usize> = (t.left..t.left + t.width())
                .filter(|&c| !s.get(r, c).is_empty())
                .collect();
            if let [c] = filled[..] {
                let label = s.take(r, c);
                s.set(r, t.left, label);
                s.merges.push((r, t.left, r, t.left + t.width() - 1));
            }
        }
        let tb = s.table.as_mut().unwrap();
        tb.keys = new_cols.iter().map(|&c| t.keys[c - t.left]).collect();
    }
}

fn rename_headers(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        let t = table(s);
        let grouped: Vec<usize> = s
            .merges
            .iter()
            .filter(|m| m.0 == t.top && m.3 > m.1)
            .flat_map(|m| m.1..=m.3)
            .collect();
        for (i, key) in t.keys.iter().enumerate() {
            let c = t.left + i;
            let r = if grouped.contains(&c) {
                t.top + 1
            } else {
                t.top
            };
            let Some(old) = s.get(r, c).text().map(str::to_string) else {
                continue;
            };
            let synonyms: &[&str] = match (key, t.kind, grouped.contains(&c)) {
                (_, _, true) => &[],
                (&"seq", _, _) => &["TT", "Số TT"],
                (&"name", _, _) => &["Họ tên", "Họ và\ntên"],
                (&"birth", _, _) => &["Ngày, tháng, năm sinh", "Ngày\nsinh"],
                (&"role", Kind::Staff, _) => &["Chức vụ", "Vị trí việc làm"],
                (&"role", Kind::Training, _) => &["Chức danh"],
                (&"score", _, _) => &[],
                (&"result", _, _) => &["Kết quả", "Xếp loại BDTX"],
                (&"modules", _, _) => &["Các mô đun", "Module"],
                (&"ethnicity", _, _) => &["DT"],
                (&"party", _, _) => &["ĐV"],
                (&"subject", _, _) => &["Môn giảng dạy"],
                (&"qualification", _, _) => &["Trình độ đào tạo"],
                (&"political", _, _) => &["LLCT"],
                (&"it", _, _) => &["Trình độ tin học"],
                (&"language", _, _) => &["Trình độ ngoại ngữ"],
                (&"rating", _, _) => &["Chuẩn nghề nghiệp"],
                (&"civil", _, _) => &["Đánh giá viên chức"],
                _ => &[],
            };
            let base = match rng.random_range(0..3) {
                0 if !synonyms.is_empty() => {
                    synonyms[rng.random_range(0..synonyms.len())].to_string()
                }
                _ => old.clone(),
            };
            let new = match rng.random_range(0..3) {
                0 => base.to_uppercase(),
                1 => base.replacen(' ', "\n", 1),
                _ => base,
            };
            s.set(r, c, Cell::Text(new));
        }
    }
}

// ---- text ----------------------------------------------------------------------------

fn spaces(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for (_, b) in &mut d.books {
        for s in &mut b.sheets {
            for x in s.texts_mut() {
                *x = match rng.random_range(0..4) {
                    0 => format!("  {x} "),
                    1 => x.replace(' ', "\u{A0}"),
                    2 => x.replace(' ', "  "),
                    _ => continue,
                };
            }
        }
    }
}

fn nfd(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    map_texts(d, &|x| x.nfd().collect());
}

fn legacy(d: &mut District, encode_char: fn(char) -> String) {
    let convert = |x: &str| -> String { x.nfc().map(encode_char).collect() };
    map_texts(d, &convert);
    for (_, b) in &mut d.books {
        for s in &mut b.sheets {
            s.name = convert(&s.name);
        }
    }
}

fn to_tcvn3(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    legacy(d, |c| encode::tcvn3(c).to_string())
}

fn to_vni(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    legacy(d, encode::vni)
}

// ---- layout --------------------------------------------------------------------------

fn move_tables(d: &mut District, rng: &mut dyn RngCore, _: &Schemas) {
    for s in tables(d, None) {
        s.insert_cols(0, rng.random_range(1..4));
        s.insert_rows(0, rng.random_range(1..5));
    }
}

// ---- sheets --------------------------------------------------------------------------

fn add_sheets(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (_, b) in &mut d.books {
        let help = b.free_name("Hướng dẫn");
        b.sheets.push(Sheet::new(
            &help,
            vec![
                vec![Cell::Text("HƯỚNG DẪN NHẬP LIỆU".into())],
                vec![Cell::Text(
                    "1. Ghi đầy đủ họ và tên, ngày sinh theo dạng ngày/tháng/năm.".into(),
                )],
                vec![Cell::Text(
                    "2. Điểm các nội dung theo thang điểm 10.".into(),
                )],
            ],
        ));
        let blank = b.free_name("Sheet3");
        b.sheets.insert(0, Sheet::new(&blank, Vec::new()));
        // An old copy of the staff list, hidden, one person short: a person reading the
        // workbook does not see it.
        let staff = b.table_sheets(Kind::Staff).next();
        if let Some(i) = staff {
            let mut old = b.sheets[i].clone();
            old.name = b.free_name("DS cũ");
            old.hidden = true;
            let t = table(&old);
            if let Some(&r) = person_rows(&old, &t).last() {
                old.rows[r].clear();
                old.merges.retain(|m| !(m.0..=m.2).contains(&r));
            }
            b.sheets.push(old);
        }
    }
}

fn rename_sheets(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (_, b) in &mut d.books {
        for (i, s) in b.sheets.iter_mut().enumerate() {
            s.name = format!("Sheet{}", i + 1);
        }
    }
}

fn reorder_sheets(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (_, b) in &mut d.books {
        b.sheets.reverse();
    }
}

/// Hides the information sheet, and the BDTX sheet of a workbook that also holds the staff
/// list (the only sheet of its kind: bdtx still reads it, as an officer would unhide it).
fn hide_sheets(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (_, b) in &mut d.books {
        let both = b.has(Kind::Staff) && b.has(Kind::Training);
        for s in &mut b.sheets {
            let info = s.table.is_none()
                && s.rows
                    .iter()
                    .flatten()
                    .any(|c| c.text().is_some_and(|x| fold(x).starts_with("ma truong")));
            let training = s.table.as_ref().is_some_and(|t| t.kind == Kind::Training);
            if info || (both && training) {
                s.hidden = true;
            }
        }
    }
}

// ---- files ---------------------------------------------------------------------------

fn stem(path: &str) -> (&str, &str) {
    let dot = path.rfind('.').unwrap_or(path.len());
    (&path[..dot], &path[dot..])
}

fn split_books(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    let mut out = Vec::new();
    for (code, b) in std::mem::take(&mut d.books) {
        if !(b.has(Kind::Staff) && b.has(Kind::Training)) {
            out.push((code, b));
            continue;
        }
        let (base, ext) = stem(&b.path);
        for (kind, suffix) in [(Kind::Staff, "doi_ngu"), (Kind::Training, "bdtx")] {
            let keep = |s: &Sheet| s.table.as_ref().is_none_or(|t| t.kind == kind);
            let part = Book {
                path: format!("{base}_{suffix}{ext}"),
                sheets: b.sheets.iter().filter(|s| keep(s)).cloned().collect(),
            };
            out.push((code.clone(), part));
        }
    }
    d.books = out;
}

fn merge_books(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    let mut out: Vec<(String, Book)> = Vec::new();
    for (code, b) in std::mem::take(&mut d.books) {
        let partner = out.iter_mut().find(|(c, o)| {
            *c == code
                && o.sheets.iter().all(|s| {
                    s.table.is_none()
                        || !b.sheets.iter().any(|x| {
                            x.table.as_ref().map(|t| t.kind) == s.table.as_ref().map(|t| t.kind)
                        })
                })
        });
        match partner {
            Some((_, o)) => {
                for mut s in b.sheets {
                    s.name = o.free_name(&s.name);
                    o.sheets.push(s);
                }
                let folder = o.path.rsplit_once('/').map(|p| p.0).unwrap_or("");
                o.path = format!("{folder}/{folder}.xlsx");
            }
            None => out.push((code, b)),
        }
    }
    d.books = out;
}

/// Cells above a table that name the school ("TRƯỜNG TIỂU HỌC KIM ĐỒNG") are emptied.
fn drop_school_titles(b: &mut Book) {
    for s in &mut b.sheets {
        let Some(top) = s.table.as_ref().map(|t| t.top) else {
            continue;
        };
        for r in 0..top {
            for c in 0..s.rows[r].len() {
                if s.get(r, c)
                    .text()
                    .is_some_and(|x| fold(x).starts_with("truong"))
                {
                    s.set(r, c, Cell::Empty);
                }
            }
        }
    }
}

fn is_info(s: &Sheet) -> bool {
    s.table.is_none()
        && s.rows
            .iter()
            .flatten()
            .any(|c| c.text().is_some_and(|x| fold(x).starts_with("ma truong")))
}

/// Files renamed to names that say nothing of the school, in folders that say nothing.
fn anonymise_paths(d: &mut District) {
    for (i, (_, b)) in d.books.iter_mut().enumerate() {
        let (_, ext) = stem(&b.path);
        b.path = format!("nop_{i}/bao_cao_{i}{ext}");
    }
}

fn identify_by_info(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (code, b) in &mut d.books {
        drop_school_titles(b);
        if !b.sheets.iter().any(is_info) {
            let name = b.free_name("Thông tin chung");
            b.sheets.insert(
                0,
                Sheet::new(
                    &name,
                    vec![vec![
                        Cell::Text("Mã trường:".into()),
                        Cell::Text(code.clone()),
                    ]],
                ),
            );
        }
    }
    anonymise_paths(d);
}

fn identify_by_title(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (_, b) in &mut d.books {
        b.sheets.retain(|s| !is_info(s));
    }
    anonymise_paths(d);
}

fn identify_by_file_name(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (i, (code, b)) in d.books.iter_mut().enumerate() {
        b.sheets.retain(|s| !is_info(s));
        drop_school_titles(b);
        let (_, ext) = stem(&b.path);
        b.path = format!("nop_{i}/{code}_{i}{ext}");
    }
}

fn to_xlsm(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (_, b) in &mut d.books {
        let (base, _) = stem(&b.path);
        b.path = format!("{base}.xlsm");
    }
}

fn to_ods(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    for (_, b) in &mut d.books {
        let (base, _) = stem(&b.path);
        b.path = format!("{base}.ods");
    }
}

/// `SliceRandom::shuffle` wants a sized `Rng`.
struct RngAdapter<'a>(&'a mut dyn RngCore);

impl RngCore for RngAdapter<'_> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        self.0.fill_bytes(dst)
    }
}

/// The BDTX columns (scores, modules, result) move to the right of the staff table, each on
/// its person's row, and the BDTX sheet goes (with its workbook, when it held nothing else):
/// one table holding both (issue 29). Only where every BDTX row names exactly one person of
/// the list and holds a BDTX value (an empty BDTX row of its own sheet has no place there).
fn training_beside_staff(d: &mut District, _: &mut dyn RngCore, _: &Schemas) {
    let codes: Vec<String> = d.books.iter().map(|(c, _)| c.clone()).collect();
    for code in codes {
        let at = |d: &District, k: Kind| {
            d.books.iter().enumerate().find_map(|(bi, (c, b))| {
                let si = b
                    .sheets
                    .iter()
                    .position(|s| s.table.as_ref().is_some_and(|t| t.kind == k && !s.hidden))?;
                (*c == code).then_some((bi, si))
            })
        };
        let (Some(staff), Some(training)) = (at(d, Kind::Staff), at(d, Kind::Training)) else {
            continue;
        };
        let Some(moved) = training_columns(
            &d.books[staff.0].1.sheets[staff.1],
            &d.books[training.0].1.sheets[training.1],
        ) else {
            continue;
        };
        let sheet = &mut d.books[staff.0].1.sheets[staff.1];
        let t = table(sheet);
        let right = t.left + t.width();
        for (r, cells) in moved.cells {
            for (i, cell) in cells.into_iter().enumerate() {
                sheet.set(r, right + i, cell);
            }
        }
        // Under a two-row header each BDTX header is merged down over both rows.
        if t.header_rows == 2 {
            for i in 0..moved.keys.len() {
                sheet.merges.push((t.top, right + i, t.top + 1, right + i));
            }
        }
        sheet.table.as_mut().unwrap().keys.extend(moved.keys);
        let book = &mut d.books[training.0].1;
        book.sheets.remove(training.1);
        if !book.sheets.iter().any(|s| s.table.is_some()) {
            d.books.remove(training.0);
        }
    }
}

/// The BDTX-only columns of `training` laid out on the rows of `staff`: (row, cells), the
/// header row first, and the keys of those columns.
struct Moved {
    cells: Vec<(usize, Vec<Cell>)>,
    keys: Vec<&'static str>,
}

fn training_columns(staff: &Sheet, training: &Sheet) -> Option<Moved> {
    const OWN: [&str; 3] = ["score", "modules", "result"];
    let (ts, tt) = (table(staff), table(training));
    if ts.header_rows > 2 || tt.header_rows != 1 || training.merges.iter().any(|m| m.0 >= tt.top) {
        return None;
    }
    let (sn, tn) = (ts.col("name")?, tt.col("name")?);
    let name = |s: &Sheet, r: usize, c: usize| fold(s.get(r, c).text().unwrap_or(""));
    let people = person_rows(staff, &ts);
    let own: Vec<usize> = (0..tt.width())
        .filter(|&i| OWN.contains(&tt.keys[i]))
        .map(|i| tt.left + i)
        .collect();
    let row_of = |r: usize| own.iter().map(|&c| training.get(r, c).clone()).collect();
    let mut cells: Vec<(usize, Vec<Cell>)> = vec![(ts.top, row_of(tt.top))];
    for r in person_rows(training, &tt) {
        let mut matches = people
            .iter()
            .filter(|&&p| name(staff, p, sn) == name(training, r, tn));
        let (Some(&p), None) = (matches.next(), matches.next()) else {
            return None;
        };
        if own.iter().all(|&c| training.get(r, c).is_empty()) || cells.iter().any(|x| x.0 == p) {
            return None;
        }
        cells.push((p, row_of(r)));
    }
    let keys = own.iter().map(|&c| tt.keys[c - tt.left]).collect();
    Some(Moved { cells, keys })
}
