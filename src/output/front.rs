//! The first sheet of the signed report, "Báo cáo": a báo cáo as an office writes one
//! (Nghị định 30/2020): letterhead, title, a short body written from the figures (who
//! reported, the staff, the training standard, BDTX, the norm, the accreditation clauses, a
//! dotted line for what the office proposes), then the per-school table of what the office
//! reports, notes and signatures. How the files were processed is in the working book.

use super::official::{closing, heading, Letterhead};
use super::report::per_school_rows;
use super::xlsx::{owned_labels, paragraphs, write_table, Formats, Val};
use super::GroupBy;
use crate::analyse::aggregate::Stats;
use crate::domain::schema::Schemas;
use crate::domain::text::fill;
use crate::pipeline::Figures;
use anyhow::Result;
use rust_xlsxwriter::Worksheet;

/// Width units across an A4 landscape page inside the margins (7.5 px a unit as printed).
const PAGE_UNITS: f64 = 130.0;
/// Narrowest figure column: the motto's half of the letterhead spans five of them.
const MIN_FIGURE_WIDTH: f64 = 11.0;
/// The column of the school's name in `COLUMNS`.
const NAME_COLUMN: usize = 2;

/// Columns of the per-school table under the body.
const COLUMNS: [&str; 9] = [
    "col_no",
    "col_code",
    "col_school",
    "col_total",
    "col_managers",
    "col_teachers",
    "col_support",
    "col_meeting_pct",
    "col_completion_pct",
];

pub fn write(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    group_by: GroupBy,
    lh: &Letterhead,
) -> Result<()> {
    let headers = owned_labels(s, &COLUMNS);
    let (rows, bold) = per_school_rows(fig, s, group_by, |st: &Stats| {
        let c = &st.staff;
        vec![
            Val::Num(c.total as f64),
            Val::Num(c.managers as f64),
            Val::Num(c.teachers as f64),
            Val::Num(c.support as f64),
            Val::Pct(st.share_of_teachers(st.teachers_meeting_standard)),
            Val::Pct(st.completion_rate()),
        ]
    });
    let last_col = headers.len() as u16 - 1;
    let title = fill(s.label("front_title"), &[("year", &fig.school_year)]);
    let top = heading(ws, f, last_col, &title, &fig.school_year, lh, s)?;
    // The title holds two lines: "BÁO CÁO" and what it reports.
    f.set_height(ws, top - 2, 40.0)?;
    // Widths first: the body is wrapped across the table's columns.
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let body = body(fig, s, lh);
    // The table spans the page, so that the letterhead's halves and the body have the
    // width of an A4 landscape page: the school's name takes what the figures leave.
    let mut widths = super::xlsx::column_widths(&refs, &rows);
    // The figures under the motto's half need room for it.
    for w in &mut widths[NAME_COLUMN + 1..] {
        *w = w.max(MIN_FIGURE_WIDTH);
    }
    let short = PAGE_UNITS - widths.iter().sum::<f64>();
    if short > 0.0 {
        widths[NAME_COLUMN] += short;
    }
    for (c, w) in widths.into_iter().enumerate() {
        f.preset_width(ws, c as u16, w)?;
    }
    let next = paragraphs(ws, f, top, headers.len(), &body, &f.body)?;
    let after = write_table(ws, f, next - 1, "", &refs, &rows, &bold)?;
    ws.set_repeat_rows(next + 1, next + 1)?;
    super::xlsx::a4_landscape(ws);
    let note = vec![s.label("front_note").to_string()];
    closing(ws, f, after, headers.len(), &note, lh, s)
}

/// A share as Vietnamese text writes it: "91,2%"; "—" when there is nothing to share.
fn pct(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "—".to_string();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64).replace('.', ",")
}

/// The body: one paragraph per subject, each from the figures.
fn body(fig: &Figures, s: &Schemas, lh: &Letterhead) -> Vec<String> {
    let d = &fig.district.stats;
    let c = &d.staff;
    let n = |x: u32| x.to_string();
    let total = fig.schools.len() as u32;
    let missing = fig.missing_submissions.len() as u32;
    let missing_names: Vec<String> = fig
        .schools
        .iter()
        .filter(|r| fig.missing_submissions.contains(&r.school.code))
        .map(|r| r.school.name.clone())
        .collect();
    let not_sent = match missing {
        0 => String::new(),
        1..=10 => s
            .label("front_not_sent_names")
            .replace("{names}", &missing_names.join(", ")),
        _ => s.label("front_not_sent_count").replace("{n}", &n(missing)),
    };
    // Which area the report covers: its communes, named when few.
    let communes: std::collections::BTreeSet<&str> = fig
        .schools
        .iter()
        .filter_map(|r| r.school.commune.as_deref())
        .collect();
    let area = match communes.len() {
        0 => String::new(),
        1..=5 => {
            let names: Vec<&str> = communes.into_iter().collect();
            s.label("front_area_names")
                .replace("{names}", &names.join(", "))
        }
        n => s.label("front_area_count").replace("{n}", &n.to_string()),
    };
    let office = lh
        .issuer
        .get(1)
        .map(|b| sentence_case(b))
        .unwrap_or_default();
    let assessed = c.managers + c.teachers;
    let t = &d.training;
    let (mut below, mut below_sum, mut above, mut above_sum) = (0u32, 0i64, 0u32, 0i64);
    for st in fig.staffing.schools.values() {
        match st.balance {
            Some(b) if b < 0 => (below, below_sum) = (below + 1, below_sum - b),
            Some(b) if b > 0 => (above, above_sum) = (above + 1, above_sum + b),
            _ => {}
        }
    }
    let reach = |level: Option<u8>| {
        fig.schools
            .iter()
            .filter(|r| r.targets.reachable.accreditation_level == level)
            .count()
            .to_string()
    };
    let reached: usize = fig
        .schools
        .iter()
        .filter(|r| {
            r.targets
                .reachable
                .accreditation_level
                .is_some_and(|l| l > 0)
        })
        .count();
    let lines = [
        (
            "front_intro",
            vec![("office", office), ("year", fig.school_year.clone())],
        ),
        (
            "front_reported",
            vec![
                ("sent", n(total - missing)),
                ("total", n(total)),
                ("area", area),
                ("not_sent", not_sent),
            ],
        ),
        (
            "front_staff",
            vec![
                ("total", n(c.total)),
                ("managers", n(c.managers)),
                ("teachers", n(c.teachers)),
                ("support", n(c.support)),
                ("female", n(c.female)),
                ("female_pct", pct(c.female, c.total)),
                ("minority", n(c.ethnic_minority)),
                ("party", n(c.party_members)),
            ],
        ),
        (
            "front_standard",
            vec![
                ("meeting", n(d.teachers_meeting_standard)),
                ("teachers", n(c.teachers)),
                ("meeting_pct", pct(d.teachers_meeting_standard, c.teachers)),
                ("above", n(d.teachers_above_standard)),
                ("above_pct", pct(d.teachers_above_standard, c.teachers)),
            ],
        ),
        (
            "front_training",
            vec![
                ("assessed", n(assessed)),
                ("completed", n(t.completed)),
                ("completed_pct", pct(t.completed, assessed)),
                ("not_completed", n(t.not_completed)),
                ("no_result", n(t.no_result)),
            ],
        ),
        (
            "front_norm",
            vec![
                ("below", n(below)),
                ("below_sum", below_sum.to_string()),
                ("above", n(above)),
                ("above_sum", above_sum.to_string()),
            ],
        ),
        (
            "front_targets",
            vec![
                ("reached", reached.to_string()),
                ("none", reach(Some(0))),
                ("unjudged", reach(None)),
            ],
        ),
    ];
    let mut out: Vec<String> = lines
        .iter()
        .map(|(key, values)| {
            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            fill(s.label(key), &values)
        })
        .collect();
    out.push(s.label("front_proposals").to_string());
    out.push(s.label("blank_line").to_string());
    out.push(s.label("blank_line").to_string());
    out.push(s.label("front_table_intro").to_string());
    out
}

/// "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" as a sentence names it: "Phòng giáo dục và đào tạo".
fn sentence_case(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
