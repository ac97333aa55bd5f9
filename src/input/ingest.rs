//! One school workbook, start to finish up to normalised records: read it, recognise each
//! sheet, map and normalise its rows and account for every one. Runs as one rayon task per file.

use crate::domain::issue::{Issue, Severity};
use crate::domain::model::Loc;
use crate::domain::model::{Person, TrainingRow};
use crate::domain::schema::{BdtxRules, Schemas, SheetKind};
use crate::domain::text::fold;
use crate::input::normalise::Normaliser;
use crate::input::read::{read_workbook, ReadError, SheetGrid, TOP_ROWS};
use crate::input::recognise::{
    find_header_in, missing_columns, training_alongside, Header, TopCells, PERSON_KEYS,
};
use crate::input::rows::{as_text, map_rows, Headers, Markers, RawRow, RowCounts, RowFate};
use std::collections::BTreeMap;
use std::path::Path;

/// What one workbook yields.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub file: String,
    /// Texts that may name the school: the info sheet and the title rows above headers.
    pub identity: Vec<String>,
    pub people: Vec<Person>,
    pub training: Vec<TrainingRow>,
    pub issues: Vec<Issue>,
    /// Row accounting per "file/sheet".
    pub rows: BTreeMap<String, RowCounts>,
    /// Staff rows and BDTX rows rejected (no name, no role): not in `people` / `training`.
    pub staff_rejected: usize,
    pub training_rejected: usize,
    /// Column keys the file's staff lists have (for telling a field not read from a field
    /// not given).
    pub staff_columns: std::collections::BTreeSet<String>,
}

/// The sheet kinds a school file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Staff,
    Training,
}

impl Kind {
    fn of(self, schemas: &Schemas) -> &SheetKind {
        match self {
            Kind::Staff => &schemas.staff,
            Kind::Training => &schemas.training,
        }
    }
}

pub fn ingest(
    path: &Path,
    rel: &str,
    schemas: &Schemas,
    markers: &Markers,
    bdtx_rules: BdtxRules,
) -> Result<ParsedFile, ReadError> {
    let read = || read_workbook(path, rel);
    read_and_ingest(rel, read, schemas, markers, bdtx_rules)
}

/// `ingest` of a workbook's bytes, named `rel`: the self-check page's way in.
pub fn ingest_bytes(
    bytes: &[u8],
    rel: &str,
    schemas: &Schemas,
    markers: &Markers,
    bdtx_rules: BdtxRules,
) -> Result<ParsedFile, ReadError> {
    let read = || crate::input::read::read_workbook_bytes(bytes, rel);
    read_and_ingest(rel, read, schemas, markers, bdtx_rules)
}

/// The workbook `read` gives, ingested; a fault while reading it (a reader's bug on a file
/// nobody foresaw: calamine multiplies a cell reference past 2^64 without a check) fails
/// that file, as unreadable, and never the run.
fn read_and_ingest(
    rel: &str,
    read: impl FnOnce() -> Result<crate::input::read::Workbook, ReadError>,
    schemas: &Schemas,
    markers: &Markers,
    bdtx_rules: BdtxRules,
) -> Result<ParsedFile, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        panic_for_tests(rel);
        let book = read()?;
        Ok(ingest_book(&book, rel, schemas, markers, bdtx_rules))
    }))
    .unwrap_or_else(|_| {
        Err(ReadError::Unreadable(
            "nội dung bảng tính bị hỏng hoặc có giá trị vượt giới hạn của Excel".to_string(),
        ))
    })
}

/// A test hook: BDTX_FAULT_READING=name makes reading the file of that name fail as a
/// reader's bug would.
fn panic_for_tests(rel: &str) {
    if std::env::var("BDTX_FAULT_READING").is_ok_and(|name| rel.ends_with(&name)) {
        panic!("BDTX_FAULT_READING: {rel}");
    }
}

/// A workbook read, its sheets recognised, rows mapped and normalised.
fn ingest_book(
    book: &crate::input::read::Workbook,
    rel: &str,
    schemas: &Schemas,
    markers: &Markers,
    bdtx_rules: BdtxRules,
) -> ParsedFile {
    let mut parsed = ParsedFile {
        file: rel.to_string(),
        ..ParsedFile::default()
    };
    let info = InfoSheets::new(schemas);
    let mut recognised = Vec::new();
    let mut alongside = Vec::new();
    for grid in &book.sheets {
        if let Some(legacy) = grid.legacy {
            let loc = Loc {
                sheet: grid.name.as_str().into(),
                ..Loc::file(rel)
            };
            let detail = [("detail", legacy.name())];
            parsed.issues.push(Issue::new(
                Severity::Warning,
                "legacy_encoding",
                &loc,
                &detail,
            ));
        }
        if let Some(far) = grid.far {
            let loc = Loc {
                sheet: grid.name.as_str().into(),
                ..Loc::file(rel)
            };
            let cell = format!(
                "{}{}",
                crate::domain::text::column_letter(far.first.1),
                far.first.0 + 1
            );
            let count = far.count.to_string();
            let values = [("detail", count.as_str()), ("value", cell.as_str())];
            parsed
                .issues
                .push(Issue::new(Severity::Warning, "far_cells", &loc, &values));
        }
        if info.named(grid) {
            parsed.identity.extend(row_texts(grid, 0, grid.height()));
        } else if let Some((kind, header, beside)) = recognise(grid, schemas) {
            recognised.push((grid, kind, header));
            alongside.extend(beside.map(|h| (grid, h)));
        } else if info.labelled(grid) {
            parsed.identity.extend(row_texts(grid, 0, grid.height()));
        }
    }
    several_staff_lists(&mut parsed, &recognised, rel);
    for (grid, kind, header) in &recognised {
        parsed.identity.extend(row_texts(grid, 0, header.first_row));
        // A hidden sheet beside a visible one of the same kind is an old copy: counting it
        // would list people twice.
        let shadowed = grid.hidden && recognised.iter().any(|(g, k, _)| !g.hidden && k == kind);
        if shadowed {
            skip_sheet(&mut parsed, grid, (*kind, header), markers, schemas);
        } else {
            if *kind == Kind::Staff {
                parsed.staff_columns.extend(header.columns.keys().cloned());
            }
            ingest_sheet(
                &mut parsed,
                grid,
                *kind,
                header,
                markers,
                schemas,
                bdtx_rules,
            );
        }
    }
    // A staff list's own BDTX columns are read when the workbook has no BDTX sheet.
    if !recognised
        .iter()
        .any(|(g, k, _)| *k == Kind::Training && !g.hidden)
    {
        for (grid, header) in alongside.iter().filter(|(g, _)| !g.hidden) {
            ingest_beside(&mut parsed, grid, header, markers, schemas, bdtx_rules);
        }
    }
    if parsed.rows.is_empty() {
        let best = book
            .sheets
            .iter()
            .max_by_key(|g| staff_header_score(g, schemas))
            .map(|g| (g, missing_columns(g, &schemas.staff)));
        let detail = best.as_ref().map(|(_, m)| m.join(", ")).unwrap_or_default();
        let sheet = best
            .as_ref()
            .map(|(g, _)| g.name.clone())
            .unwrap_or_default();
        let loc = Loc {
            sheet: sheet.into(),
            ..Loc::file(rel)
        };
        parsed.issues.push(Issue::new(
            Severity::Error,
            "file_no_data_sheet",
            &loc,
            &[("detail", &detail)],
        ));
    }
    parsed
}

/// A workbook with more than one visible staff list is counted from all of them, and said
/// so: a list copied onto several sheets (5,000 of them, once) would count its people many
/// times without a word.
fn several_staff_lists(
    parsed: &mut ParsedFile,
    recognised: &[(
        &crate::input::read::SheetGrid,
        Kind,
        crate::input::recognise::Header,
    )],
    rel: &str,
) {
    let staff: Vec<&str> = recognised
        .iter()
        .filter(|(g, k, _)| *k == Kind::Staff && !g.hidden)
        .map(|(g, _, _)| g.name.as_str())
        .collect();
    if staff.len() < 2 {
        return;
    }
    let mut names = staff
        .iter()
        .take(5)
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    if staff.len() > 5 {
        names.push_str(&format!(" … ({} trang)", staff.len()));
    }
    let count = staff.len().to_string();
    parsed.issues.push(Issue::new(
        Severity::Warning,
        "several_staff_lists",
        &Loc::file(rel),
        &[("count", &count), ("detail", &names)],
    ));
}

/// Tells the sheets that hold the school's code and name ("Thông tin trường").
struct InfoSheets {
    /// Folded tab names.
    names: Vec<String>,
    /// Folded labels such as "ma truong".
    labels: Vec<String>,
}

impl InfoSheets {
    fn new(schemas: &Schemas) -> Self {
        let m = &schemas.rules.school_match;
        let folded = |list: &[String]| list.iter().map(|t| fold(t)).collect();
        InfoSheets {
            names: folded(&m.info_sheet_names),
            labels: folded(&m.info_labels),
        }
    }

    /// Named as an information sheet (in any case, with or without diacritics).
    fn named(&self, grid: &SheetGrid) -> bool {
        self.names.contains(&fold(&grid.unicode_name))
    }

    /// A cell in its top rows starts with an information label ("Mã trường:").
    fn labelled(&self, grid: &SheetGrid) -> bool {
        (0..grid.height().min(TOP_ROWS)).any(|r| {
            (0..grid.row(r).len()).any(|c| {
                grid.folded(r, c)
                    .is_some_and(|f| self.labels.iter().any(|l| starts_with_words(f, l)))
            })
        })
    }
}

/// `folded` starts with the words of `prefix` ("ma truong th005" with "ma truong").
fn starts_with_words(folded: &str, prefix: &str) -> bool {
    folded
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || !rest.starts_with(|c: char| c.is_alphanumeric()))
}

/// The kind whose header names more columns wins: a staff list's "Xếp loại viên chức" also
/// reads as a BDTX "Xếp loại", and a BDTX sheet also names people like a staff list. A staff
/// list that wins and carries BDTX results at its right has its BDTX reading beside.
fn recognise(grid: &SheetGrid, schemas: &Schemas) -> Option<(Kind, Header, Option<Header>)> {
    let top = TopCells::of(grid);
    let training = find_header_in(grid, &top, &schemas.training);
    let staff = find_header_in(grid, &top, &schemas.staff);
    let beside = |s: &Header| training_alongside(grid, s, training.as_ref(), &schemas.training);
    match (&training, staff) {
        (Some(t), Some(s)) if s.columns.len() > t.columns.len() => {
            let beside = beside(&s);
            Some((Kind::Staff, s, beside))
        }
        (Some(_), _) => training.map(|t| (Kind::Training, t, None)),
        (None, Some(s)) => Some((Kind::Staff, s, None)),
        (None, None) => None,
    }
}

/// How many staff columns a sheet's best row names: picks the sheet to describe when none fits.
fn staff_header_score(grid: &SheetGrid, schemas: &Schemas) -> usize {
    grid.rows()
        .take(40)
        .map(|r| {
            r.iter()
                .filter_map(as_text)
                .filter(|t| schemas.staff.match_header(t).is_some())
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn ingest_sheet(
    parsed: &mut ParsedFile,
    grid: &SheetGrid,
    kind: Kind,
    header: &Header,
    markers: &Markers,
    schemas: &Schemas,
    bdtx_rules: BdtxRules,
) {
    let mut norm = Normaliser::new(schemas, &parsed.file, &grid.name, bdtx_rules);
    let mut counts = RowCounts::default();
    let mut columns_seen = None;
    for fate in map_rows(grid, header, Headers::Of(kind.of(schemas)), markers) {
        counts.data += 1;
        match fate {
            RowFate::Skipped { reason, .. } => {
                counts.skipped += 1;
                *counts
                    .skipped_reasons
                    .entry(reason.key().to_string())
                    .or_default() += 1;
            }
            RowFate::NoName { row, col } => {
                counts.rejected += 1;
                match kind {
                    Kind::Staff => parsed.staff_rejected += 1,
                    Kind::Training => parsed.training_rejected += 1,
                }
                let loc = Loc::cell(&parsed.file, &grid.name, row, Some(col));
                norm.issues
                    .push(Issue::new(Severity::Error, "missing_name", &loc, &[]));
            }
            RowFate::AfterFooter { row, col, name } => {
                counts.rejected += 1;
                match kind {
                    Kind::Staff => parsed.staff_rejected += 1,
                    Kind::Training => parsed.training_rejected += 1,
                }
                let loc = Loc::cell(&parsed.file, &grid.name, row, Some(col));
                norm.issues.push(Issue::new(
                    Severity::Error,
                    "row_after_footer",
                    &loc,
                    &[("value", &name)],
                ));
            }
            // A second header on the sheet may give columns the first did not.
            RowFate::Candidate(raw) if !raw.same_header(columns_seen.as_ref()) => {
                if kind == Kind::Staff {
                    parsed
                        .staff_columns
                        .extend(raw.column_keys().map(str::to_string));
                }
                columns_seen = Some(raw.header_keys());
                candidate(parsed, &mut norm, &mut counts, kind, &raw);
            }
            RowFate::Candidate(raw) => candidate(parsed, &mut norm, &mut counts, kind, &raw),
        }
    }
    parsed.issues.append(&mut norm.issues);
    parsed
        .rows
        .insert(format!("{}/{}", parsed.file, grid.name), counts);
}

/// A row that names a person: a record, or rejected with its issue.
fn candidate(
    parsed: &mut ParsedFile,
    norm: &mut Normaliser,
    counts: &mut RowCounts,
    kind: Kind,
    raw: &RawRow,
) {
    match kind {
        Kind::Staff => match norm.person(raw) {
            Some(p) => {
                counts.accepted += 1;
                parsed.people.push(p);
            }
            None => {
                counts.rejected += 1;
                parsed.staff_rejected += 1;
            }
        },
        Kind::Training => {
            counts.accepted += 1;
            parsed.training.push(norm.training(raw));
        }
    }
}

/// The BDTX reading of a staff list that carries the results (`training_alongside`): a BDTX
/// row for each person row with some BDTX value written. Its rows are accounted for by the
/// staff reading.
fn ingest_beside(
    parsed: &mut ParsedFile,
    grid: &SheetGrid,
    header: &Header,
    markers: &Markers,
    schemas: &Schemas,
    bdtx_rules: BdtxRules,
) {
    let mut norm = Normaliser::new(schemas, &parsed.file, &grid.name, bdtx_rules);
    let own: Vec<&str> = header
        .columns
        .keys()
        .map(String::as_str)
        .filter(|k| !PERSON_KEYS.contains(k))
        .collect();
    let beside = Headers::Beside {
        staff: &schemas.staff,
        training: &schemas.training,
    };
    for fate in map_rows(grid, header, beside, markers) {
        if let RowFate::Candidate(raw) = fate {
            if own.iter().any(|k| raw.get(k).is_some()) {
                parsed.training.push(norm.training(&raw));
            }
        }
    }
    parsed.issues.append(&mut norm.issues);
}

/// Accounts for a sheet's rows without reading them, and says why.
fn skip_sheet(
    parsed: &mut ParsedFile,
    grid: &SheetGrid,
    (kind, header): (Kind, &Header),
    markers: &Markers,
    schemas: &Schemas,
) {
    let data = map_rows(grid, header, Headers::Of(kind.of(schemas)), markers).len();
    let mut counts = RowCounts {
        data,
        skipped: data,
        ..RowCounts::default()
    };
    counts.skipped_reasons.insert("hidden_sheet".into(), data);
    parsed
        .rows
        .insert(format!("{}/{}", parsed.file, grid.name), counts);
    let loc = Loc {
        sheet: grid.name.as_str().into(),
        ..Loc::file(&parsed.file)
    };
    parsed.issues.push(Issue::new(
        Severity::Warning,
        "hidden_sheet_skipped",
        &loc,
        &[],
    ));
}

/// The text cells of rows `from..to`, one string per row.
fn row_texts(grid: &SheetGrid, from: usize, to: usize) -> Vec<String> {
    grid.rows()
        .take(to)
        .skip(from)
        .map(|r| {
            r.iter()
                .map(crate::input::normalise::display)
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect()
}
