//! Reads the district registry (danh mục trường): the schools expected to submit.

use crate::domain::issue::{Issue, Severity};
use crate::domain::issuer::IssuerFields;
use crate::domain::model::Loc;
use crate::domain::model::School;
use crate::domain::schema::Schemas;
use crate::domain::text::fold;
use crate::input::normalise::{display, parse_number, Parsed};
use crate::input::read::is_blank;
use crate::input::read::Workbook;
use crate::input::recognise::find_header;
use crate::input::rows::as_text;
use calamine::Data;
use std::collections::BTreeMap;

/// Registry columns read into their own fields; every other one is a number in `figures`.
const CORE_COLUMNS: [&str; 11] = [
    "code",
    "name",
    "level",
    "commune",
    "commune_code",
    "cluster",
    "classes",
    "students",
    "sessions",
    "disadvantaged",
    "school_type",
];

/// Registry columns holding a level, which exports write in words ("Mức độ 1", "Chưa đạt").
const LEVEL_COLUMNS: [&str; 4] = [
    "accreditation_current",
    "national_standard_current",
    "accreditation_target",
    "national_standard_target",
];

/// The level a text names: its one number ("Mức độ 1", "Cấp độ 2"), or 0 when it says the
/// school has none yet ("Chưa đạt", "Chưa", "Không").
fn level_in_words(text: &str) -> Option<f64> {
    let numbers: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    match numbers[..] {
        [n] => n.parse().ok(),
        [] => {
            let folded = fold(text);
            (folded.starts_with("chua") || folded == "khong").then_some(0.0)
        }
        _ => None,
    }
}

/// The registry's schools in file order, and the problems found in it.
pub struct Registry {
    pub schools: Vec<School>,
    pub issues: Vec<Issue>,
    /// Text of the rows above the header ("PHÒNG GD&ĐT HUYỆN …"): the issuing body.
    pub title_lines: Vec<String>,
    /// The "Thông tin đơn vị" sheet, if the workbook has one.
    pub issuer: IssuerFields,
    /// Units of other levels left out (preschools, upper-secondary …): label → how many.
    pub left_out: BTreeMap<String, u32>,
}

/// What a registry row's level says about the unit.
enum UnitLevel {
    /// A level bdtx reports on (a code of `school_level`).
    Kept(String),
    /// Another level (a label of `other_school_level`): left out quietly.
    Outside(String),
    Unknown,
}

/// The unit's level from its Cấp học cell when that is a known word or code, else from the
/// start of its name ("Trường Mầm non …", "Trường TH&THCS …").
fn unit_level(level_text: &str, name: &str, schemas: &Schemas) -> UnitLevel {
    let (ours, others) = (
        &schemas.vocab["school_level"],
        &schemas.vocab["other_school_level"],
    );
    for text in [level_text, name] {
        if let Some(e) = ours.lookup(text) {
            return UnitLevel::Kept(e.code.clone());
        }
        if let Some(e) = others.lookup(text) {
            return UnitLevel::Outside(e.label.clone());
        }
    }
    UnitLevel::Unknown
}

/// The label → value rows of the registry workbook's "Thông tin đơn vị" sheet.
pub fn issuer_fields(book: &Workbook, schemas: &Schemas) -> IssuerFields {
    let wanted: Vec<String> = schemas.issuer.sheet_names.iter().map(|n| fold(n)).collect();
    let Some(grid) = book
        .sheets
        .iter()
        .find(|g| wanted.contains(&fold(&g.unicode_name)))
    else {
        return IssuerFields::new();
    };
    let mut fields = IssuerFields::new();
    for r in 0..grid.height() {
        let mut texts = grid.row(r).iter().filter_map(|d| {
            let t = display(d);
            (!t.trim().is_empty()).then(|| t.trim().to_string())
        });
        let (Some(label), Some(value)) = (texts.next(), texts.next()) else {
            continue;
        };
        if let Some(key) = schemas.issuer.field_of(&label) {
            fields.entry(key.to_string()).or_insert(value);
        }
    }
    fields
}

/// Why the registry `rel` could not be read, for the office: what is wrong with it, without
/// the advice the same problem gives a school in its letter ("Đề nghị nhà trường …").
pub fn unreadable(e: &crate::input::read::ReadError, rel: &str, s: &Schemas) -> anyhow::Error {
    let (what, _) = e.issue(rel).what_and_fix(&s.messages);
    anyhow::anyhow!("Không đọc được danh mục trường {rel}: {what}")
}

/// Reads the first sheet of `book` that has a registry header.
pub fn parse_registry(book: &Workbook, schemas: &Schemas) -> Option<Registry> {
    let kind = &schemas.registry;
    let (grid, header) = book
        .sheets
        .iter()
        .find_map(|g| find_header(g, kind).map(|h| (g, h)))?;
    let mut schools: Vec<School> = Vec::new();
    let mut issues = Vec::new();
    let mut left_out: BTreeMap<String, u32> = BTreeMap::new();
    let mut unknown_levels: BTreeMap<String, (Loc, u32)> = BTreeMap::new();
    for r in header.last_row + 1..grid.height() {
        if grid.row(r).iter().all(is_blank) {
            continue;
        }
        let loc = |key: &str| {
            Loc::cell(
                &book.file,
                &grid.name,
                grid.excel_row(r),
                header.col(key).map(|c| grid.sheet_col(c)),
            )
        };
        let cell = |key: &str| {
            header
                .col(key)
                .map(|c| grid.cell(r, c))
                .unwrap_or(&Data::Empty)
        };
        let code = display(cell("code"));
        let name = as_text(cell("name")).unwrap_or_default();
        if code.is_empty() || name.is_empty() {
            issues.push(Issue::new(
                Severity::Warning,
                "registry_row_invalid",
                &loc("code"),
                &[],
            ));
            continue;
        }
        if schools.iter().any(|s| s.code.eq_ignore_ascii_case(&code)) {
            issues.push(Issue::new(
                Severity::Error,
                "registry_duplicate_code",
                &loc("code"),
                &[("value", &code)],
            ));
            continue;
        }
        let level_text = display(cell("level"));
        let level = match unit_level(&level_text, &name, schemas) {
            UnitLevel::Kept(level) => level,
            UnitLevel::Outside(label) => {
                *left_out.entry(label).or_default() += 1;
                continue;
            }
            UnitLevel::Unknown => {
                // One issue per distinct value, at its first row.
                let (_, count) = unknown_levels
                    .entry(level_text.trim().to_string())
                    .or_insert_with(|| (loc("level"), 0u32));
                *count += 1;
                continue;
            }
        };
        let mut number = |key: &str| match parse_number(cell(key)) {
            Parsed::Value(x) => Some(x),
            Parsed::Blank => None,
            Parsed::Invalid(v) if LEVEL_COLUMNS.contains(&key) && level_in_words(&v).is_some() => {
                level_in_words(&v)
            }
            Parsed::Invalid(v) => {
                let column = kind.label_of(key);
                issues.push(Issue::new(
                    Severity::Warning,
                    "invalid_number",
                    &loc(key),
                    &[("value", &v), ("column", &column)],
                ));
                None
            }
        };
        let (classes, students, sessions) =
            (number("classes"), number("students"), number("sessions"));
        let figures = header
            .columns
            .keys()
            .filter(|k| !CORE_COLUMNS.contains(&k.as_str()))
            .filter_map(|k| number(k).map(|x| (k.clone(), x)))
            .collect();
        let mark = display(cell("disadvantaged"));
        let disadvantaged = schemas.vocab["yes_mark"]
            .lookup(&mark)
            .is_some_and(|e| e.code == "yes");
        // Without them the teacher norm cannot be judged: said on the registry row.
        let named = format!("{name} ({code})");
        let norms = &schemas.targets.norms;
        let norm = &norms.teachers_per_class;
        let type_text = display(cell("school_type"));
        let cells = [level_text.as_str(), type_text.as_str()];
        let levels = norms.levels_taught(&cells, &name);
        let boarding = norms.is_boarding(&[level_text.as_str(), type_text.as_str(), &name]);
        // A registry without the column at all gets one warning for all its schools.
        if classes.is_none() && header.col("classes").is_some() {
            let issue = Issue::new(
                Severity::Warning,
                "registry_missing_classes",
                &loc("classes"),
                &[("value", &named)],
            );
            issues.push(issue);
        }
        let per_level = |l: &String| {
            let key = format!("classes_{l}");
            matches!(parse_number(cell(&key)), Parsed::Value(_))
        };
        // A registry without Số lớp at all gets one warning for the sheet instead.
        if levels.len() > 1 && header.col("classes").is_some() && !levels.iter().all(per_level) {
            let issue = Issue::new(
                Severity::Warning,
                "registry_missing_classes_per_level",
                &loc("classes"),
                &[("value", &named)],
            );
            issues.push(issue);
        }
        let with_primary =
            norm.needs_sessions(&level) || levels.iter().any(|l| norm.needs_sessions(l));
        if sessions.is_none() && with_primary && header.col("sessions").is_some() {
            let issue = Issue::new(
                Severity::Warning,
                "registry_missing_sessions",
                &loc("sessions"),
                &[("value", &named)],
            );
            issues.push(issue);
        }
        schools.push(School {
            code,
            name,
            level,
            commune: as_text(cell("commune")).or_else(|| as_text(cell("commune_code"))),
            cluster: as_text(cell("cluster")),
            classes,
            students,
            sessions,
            disadvantaged,
            levels,
            boarding,
            figures,
        });
    }
    issues.extend(level_issues(unknown_levels, &left_out, book, grid));
    let primary = schools.iter().any(|s| {
        schemas
            .targets
            .norms
            .teachers_per_class
            .needs_sessions(&s.level)
    });
    for (key, code, needed) in [
        ("classes", "registry_no_classes_column", !schools.is_empty()),
        ("sessions", "registry_no_sessions_column", primary),
    ] {
        if needed && header.col(key).is_none() {
            let n = schools.len().to_string();
            issues.push(Issue::new(
                Severity::Warning,
                code,
                &whole_sheet(book, grid),
                &[("count", &n)],
            ));
        }
    }
    let title_lines = grid
        .rows()
        .take(header.first_row)
        .filter_map(|r| r.iter().find_map(as_text))
        .collect();
    Some(Registry {
        schools,
        issues,
        title_lines,
        issuer: issuer_fields(book, schemas),
        left_out,
    })
}

/// A problem of the registry sheet as a whole.
fn whole_sheet(book: &Workbook, grid: &crate::input::read::SheetGrid) -> Loc {
    Loc {
        file: book.file.as_str().into(),
        sheet: grid.name.as_str().into(),
        row: None,
        col: None,
    }
}

/// One error per level value not understood, and one note for all units of other levels.
fn level_issues(
    unknown: BTreeMap<String, (Loc, u32)>,
    left_out: &BTreeMap<String, u32>,
    book: &Workbook,
    grid: &crate::input::read::SheetGrid,
) -> Vec<Issue> {
    let mut issues: Vec<Issue> = unknown
        .into_iter()
        .map(|(value, (loc, count))| {
            let code = if value.is_empty() {
                "missing_school_level"
            } else {
                "unknown_school_level"
            };
            let values = [("value", value.as_str()), ("count", &count.to_string())];
            Issue::new(Severity::Error, code, &loc, &values)
        })
        .collect();
    let total: u32 = left_out.values().sum();
    if total > 0 {
        let detail = left_out
            .iter()
            .map(|(label, n)| format!("{label}: {n}"))
            .collect::<Vec<_>>()
            .join("; ");
        issues.push(Issue::new(
            Severity::Info,
            "registry_other_levels",
            &whole_sheet(book, grid),
            &[("count", &total.to_string()), ("detail", &detail)],
        ));
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::level_in_words;

    #[test]
    fn levels_written_in_words() {
        let read = |t| level_in_words(t);
        assert_eq!(read("Mức độ 1"), Some(1.0));
        assert_eq!(read("Cấp độ 2"), Some(2.0));
        assert_eq!(read("Chưa đạt"), Some(0.0));
        assert_eq!(read("Không"), Some(0.0));
        assert_eq!(read("Mức 1 hoặc 2"), None);
        assert_eq!(read("Đạt"), None);
    }
}
