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

/// Registry columns read into their own fields; every other one is a number in `figures`.
const CORE_COLUMNS: [&str; 9] = [
    "code",
    "name",
    "level",
    "commune",
    "cluster",
    "classes",
    "students",
    "sessions",
    "disadvantaged",
];

/// The registry's schools in file order, and the problems found in it.
pub struct Registry {
    pub schools: Vec<School>,
    pub issues: Vec<Issue>,
    /// Text of the rows above the header ("PHÒNG GD&ĐT HUYỆN …"): the issuing body.
    pub title_lines: Vec<String>,
    /// The "Thông tin đơn vị" sheet, if the workbook has one.
    pub issuer: IssuerFields,
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

/// Reads the first sheet of `book` that has a registry header.
pub fn parse_registry(book: &Workbook, schemas: &Schemas) -> Option<Registry> {
    let kind = &schemas.registry;
    let (grid, header) = book
        .sheets
        .iter()
        .find_map(|g| find_header(g, kind).map(|h| (g, h)))?;
    let mut schools: Vec<School> = Vec::new();
    let mut issues = Vec::new();
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
        let level = schemas.vocab["school_level"]
            .lookup(&level_text)
            .or_else(|| schemas.vocab["school_level"].lookup(&name))
            .map(|e| e.code.clone());
        let Some(level) = level else {
            issues.push(Issue::new(
                Severity::Error,
                "unknown_school_level",
                &loc("level"),
                &[("value", &level_text)],
            ));
            continue;
        };
        let mut number = |key: &str| match parse_number(cell(key)) {
            Parsed::Value(x) => Some(x),
            Parsed::Blank => None,
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
        let norm = &schemas.targets.norms.teachers_per_class;
        if classes.is_none() {
            let issue = Issue::new(
                Severity::Warning,
                "registry_missing_classes",
                &loc("classes"),
                &[("value", &named)],
            );
            issues.push(issue);
        }
        if sessions.is_none() && norm.needs_sessions(&level) {
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
            commune: as_text(cell("commune")),
            cluster: as_text(cell("cluster")),
            classes,
            students,
            sessions,
            disadvantaged,
            figures,
        });
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
    })
}
