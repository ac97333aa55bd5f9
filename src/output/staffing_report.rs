//! `bao_cao_doi_ngu_<year>.xlsx`: the annual staffing report in the official layout of
//! Nghị định 30/2020 (issuing body, national motto, date line, title, tables, signatures),
//! with charts, ready to print on A4 landscape.

use super::official::{closing, official_table, Letterhead};
use super::xlsx::{
    a4_landscape, labels, new_workbook, num, owned_labels, titled, txt, write_table, Formats, Val,
};
use crate::domain::schema::Schemas;
use crate::pipeline::previous::Previous;
use crate::pipeline::Figures;
use anyhow::Result;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet};

/// The staffing report as xlsx bytes, in the formats `f`.
pub fn staffing_report(
    fig: &Figures,
    f: Formats,
    s: &Schemas,
    lh: &Letterhead,
    previous: Option<&Previous>,
) -> Result<Vec<u8>> {
    let mut wb = new_workbook(&fig.school_year)?;
    type TableSheet = fn(&mut Worksheet, &Formats, &Figures, &Schemas, &Letterhead) -> Result<()>;
    let tables: [(&str, TableSheet); 6] = [
        ("staffing_sheet_norms", norms_sheet),
        ("staffing_sheet_ages", ages_sheet),
        ("staffing_sheet_forecast", forecast_sheet),
        ("staffing_sheet_retirees", retirees_sheet),
        ("staffing_sheet_qualification", qualification_sheet),
        ("staffing_sheet_managers", managers_sheet),
    ];
    for (label, write) in tables {
        write(
            f.table_sheet(&mut wb)?.set_name(s.label(label))?,
            &f,
            fig,
            s,
            lh,
        )?;
    }
    if let Some(prev) = previous {
        previous_sheet(
            wb.add_worksheet()
                .set_name(s.label("staffing_sheet_previous"))?,
            &f,
            fig,
            s,
            lh,
            prev,
        )?;
    }
    // Last: the charts, then the hidden sheet of their figures.
    charts_sheet(&mut wb, &f, fig, s)?;
    Ok(wb.save_to_buffer()?)
}

fn signed(n: i64) -> Val {
    Val::Num(n as f64)
}

/// The line of a school that sent nothing: its number, code and name, then "Chưa nộp"
/// instead of figures it never gave.
fn not_sent_row(i: usize, r: &crate::pipeline::SchoolResult, s: &Schemas) -> Option<Vec<Val>> {
    let missing = r.measures.stats.staff.total == 0;
    missing.then(|| {
        vec![
            num(i as u32 + 1),
            txt(&r.school.code),
            txt(&r.school.name),
            txt(s.label("not_submitted")),
        ]
    })
}

fn norms_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<()> {
    let headers = labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_school",
            "col_level",
            "col_classes",
            "col_sessions",
            "col_required_teachers",
            "col_actual_teachers",
            "col_balance",
            "col_students",
            "col_students_per_class",
            "col_students_per_teacher",
            "col_principals",
            "col_vice_principals",
            "col_manager_note",
            "col_missing_posts",
        ],
    );
    let norms = &s.targets.norms.managers;
    let mut rows = Vec::new();
    let mut bold = Vec::new();
    let levels = ["tieu_hoc", "thcs"];
    let mut totals = vec![(0u32, 0u32, 0i64); levels.len() + 1];
    // A school with staff but no norm (no Số lớp): its teachers count, its balance cannot.
    let mut unnormed = false;
    for (i, r) in fig.schools.iter().enumerate() {
        let st = &fig.staffing.schools[&r.school.code];
        // A school that sent no staff list has no staff to count: "Chưa nộp", not 0.
        let submitted = r.measures.stats.staff.total > 0;
        let mut manager_notes = Vec::new();
        let max_vice = norms.max_vice_principals_of(&r.school);
        if !submitted {
        } else if st.principals < norms.principals {
            manager_notes.push(s.label("principal_missing").to_string());
        } else if st.principals > norms.principals {
            manager_notes.push(s.label("principal_extra").to_string());
        }
        if st.vice_principals > max_vice {
            manager_notes.push(
                s.label("vice_extra")
                    .replace("{max}", &max_vice.to_string()),
            );
        }
        let count = |n: u32| match submitted {
            true => num(n),
            false => txt(s.label("not_submitted")),
        };
        rows.push(vec![
            num(i as u32 + 1),
            txt(&r.school.code),
            txt(&r.school.name),
            txt(s.vocab["school_level"].label(&r.school.level)),
            r.school.classes.map(Val::Num).unwrap_or(txt("")),
            r.school.sessions.map(Val::Num).unwrap_or(txt("")),
            // The norm of a school that sent nothing stays out of the totals too, so that the
            // office line reads actual − norm = balance.
            st.required_teachers
                .filter(|_| submitted)
                .map(num)
                .unwrap_or(txt("")),
            count(st.teachers),
            st.balance.map(signed).unwrap_or(txt("")),
            r.school.students.map(Val::Num).unwrap_or(txt("")),
            st.students_per_class.map(Val::Num).unwrap_or(txt("")),
            st.students_per_teacher.map(Val::Num).unwrap_or(txt("")),
            count(st.principals),
            count(st.vice_principals),
            // One a line: the columns stay narrow.
            txt(manager_notes.join(";\n")),
            txt(st.missing_posts.join(",\n")),
        ]);
        let slot = levels
            .iter()
            .position(|l| *l == r.school.level)
            .unwrap_or(levels.len());
        unnormed |= submitted && st.required_teachers.is_none();
        for k in [slot, levels.len()] {
            totals[k].0 += st.required_teachers.filter(|_| submitted).unwrap_or(0);
            totals[k].1 += st.teachers;
            totals[k].2 += st.balance.unwrap_or(0);
        }
    }
    let names: Vec<String> = levels
        .iter()
        .map(|l| {
            s.label("level_total")
                .replace("{level}", &s.vocab["school_level"].label(l))
        })
        .chain(std::iter::once(s.label("district_row").to_string()))
        .collect();
    for (k, name) in names.iter().enumerate() {
        bold.push(rows.len());
        let (req, act, bal) = totals[k];
        let mut row = vec![txt(""), txt(""), txt(name)];
        row.extend([txt(""), txt(""), txt(""), num(req), num(act), signed(bal)]);
        rows.push(row);
    }
    let title = titled(s, "staffing_title_norms", &fig.school_year);
    let next = official_table(
        ws,
        f,
        &title,
        &headers,
        &rows,
        &bold,
        &fig.school_year,
        s,
        lh,
    )?;
    let mut notes = vec![format!(
        "{}; {}",
        s.targets.norms.teachers_per_class.source, norms.source
    )];
    if unnormed {
        notes.push(s.label("note_balance_normed_only").to_string());
    }
    closing(ws, f, next, headers.len(), &notes, lh, s)
}

fn category_label(s: &Schemas, key: &str) -> String {
    let (cat, gender) = key.split_once('/').unwrap_or((key, ""));
    let g = match gender {
        "male" => s.label("male"),
        "female" => s.label("female"),
        _ => s.label("gender_unknown"),
    };
    format!("{} - {}", s.label(&format!("category_{cat}")), g)
}

/// Age bands per school, then the office's bands by role and gender, in one table.
fn ages_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<()> {
    let st = &fig.staffing;
    let bands = &s.targets.norms.age_bands.labels;
    let mut headers: Vec<String> = owned_labels(s, &["col_no", "col_code", "col_school"]);
    headers.extend(bands.iter().cloned());
    headers.push(s.label("col_total_people").into());
    let with_total = |mut row: Vec<Val>, counts: &[u32]| {
        row.extend(counts.iter().map(|n| num(*n)));
        row.push(num(counts.iter().sum()));
        row
    };
    let mut rows: Vec<Vec<Val>> = fig
        .schools
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let counts = &st.schools[&r.school.code].age_bands;
            let row = vec![num(i as u32 + 1), txt(&r.school.code), txt(&r.school.name)];
            not_sent_row(i, r, s).unwrap_or_else(|| with_total(row, counts))
        })
        .collect();
    // The office's bands by role and gender, under the schools, in bold.
    let order = ["manager", "teacher", "support"];
    let mut keys: Vec<&String> = st.age_bands.keys().collect();
    keys.sort_by_key(|k| {
        (
            order.iter().position(|o| k.starts_with(o)).unwrap_or(9),
            k.to_string(),
        )
    });
    let first_total = rows.len();
    let mut office = vec![0u32; bands.len()];
    for k in &keys {
        for (sum, n) in office.iter_mut().zip(&st.age_bands[*k]) {
            *sum += n;
        }
    }
    rows.push(with_total(
        vec![txt(""), txt(""), txt(s.label("district_row"))],
        &office,
    ));
    for k in keys {
        let name = format!("– {}", category_label(s, k));
        rows.push(with_total(
            vec![txt(""), txt(""), txt(name)],
            &st.age_bands[k],
        ));
    }
    let bold: Vec<usize> = (first_total..rows.len()).collect();
    let as_of = st.as_of.format("%d/%m/%Y").to_string();
    let title = s.label("staffing_title_ages").replace("{as_of}", &as_of);
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    let next = official_table(ws, f, &title, &h, &rows, &bold, &fig.school_year, s, lh)?;
    closing(ws, f, next, h.len(), &[], lh, s)
}

/// Retirements and the teacher balance they leave, per school and year.
fn forecast_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<()> {
    let st = &fig.staffing;
    let mut headers: Vec<String> = owned_labels(
        s,
        &["col_no", "col_code", "col_school", "col_past_retirement"],
    );
    headers.extend(st.years.iter().map(|y| {
        s.label("col_retiring_year")
            .replace("{year}", &y.to_string())
    }));
    headers.extend(st.years.iter().map(|y| {
        s.label("col_balance_year")
            .replace("{year}", &y.to_string())
    }));
    let rows: Vec<Vec<Val>> = fig
        .schools
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let sc = &st.schools[&r.school.code];
            if let Some(row) = not_sent_row(i, r, s) {
                return row;
            }
            let mut row = vec![
                num(i as u32 + 1),
                txt(&r.school.code),
                txt(&r.school.name),
                num(sc.past_retirement),
            ];
            row.extend(sc.retiring.iter().map(|n| num(*n)));
            row.extend(
                sc.forecast_balance
                    .iter()
                    .map(|b| b.map(signed).unwrap_or(txt(""))),
            );
            row
        })
        .collect();
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    let title = s.label("staffing_title_forecast");
    let next = official_table(ws, f, title, &h, &rows, &[], &fig.school_year, s, lh)?;
    closing(ws, f, next, h.len(), &[], lh, s)
}

/// Who retires, by name; then those past the age still listed. Both lists have the same
/// columns, so the header repeated on each printed page is right for either.
fn retirees_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<()> {
    let st = &fig.staffing;
    let headers = labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_name",
            "col_role",
            "col_birth_date",
            "col_retirement_month",
            "col_note",
        ],
    );
    let retiree_rows = |list: &[crate::analyse::staffing::Retiree]| -> Vec<Vec<Val>> {
        list.iter()
            .enumerate()
            .map(|(i, r)| retiree_row(i, r, s))
            .collect()
    };
    let title = s.label("staffing_title_retirees");
    let mut next = official_table(
        ws,
        f,
        title,
        &headers,
        &retiree_rows(&st.retirees),
        &[],
        &fig.school_year,
        s,
        lh,
    )?;
    if !st.reached_retirement.is_empty() {
        let as_of = st.as_of.format("%d/%m/%Y").to_string();
        let title = s.label("staffing_title_reached").replace("{as_of}", &as_of);
        next = write_table(
            ws,
            f,
            next + 1,
            &title,
            &headers,
            &retiree_rows(&st.reached_retirement),
            &[],
        )?;
    }
    let source = [s.targets.norms.retirement.source.clone()];
    closing(ws, f, next, headers.len(), &source, lh, s)
}

/// A line of a list of people reaching retirement age.
fn retiree_row(i: usize, r: &crate::analyse::staffing::Retiree, s: &Schemas) -> Vec<Val> {
    let year_only = r.birth_precision == crate::domain::model::Precision::Year;
    let note = match (r.may_extend, year_only) {
        (true, _) => s.label("may_extend_note"),
        (false, true) => s.label("year_only_note"),
        (false, false) => "",
    };
    let month = format!("{:02}/{}", r.month, r.year);
    vec![
        num(i as u32 + 1),
        txt(&r.school),
        txt(r.name.as_str()),
        txt(s.vocab["role"].label(&r.role)),
        txt(r.birth_precision.format(r.birth_date)),
        txt(month),
        txt(note),
    ]
}

fn qualification_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<()> {
    let st = &fig.staffing;
    let ratings = ["good", "fair", "pass", "fail"];
    let civil = ["excellent", "good", "done", "fail"];
    let mut headers: Vec<String> = owned_labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_school",
            "col_teachers",
            "col_below_standard",
            "col_must_upgrade",
            "col_exempt_from_upgrading",
            "col_upgrading",
            "col_upgrading_pct",
        ],
    );
    headers.extend(ratings.iter().map(|c| {
        s.label("col_standard_rating")
            .replace("{rating}", &s.vocab["standard_rating"].label(c))
    }));
    headers.extend(
        civil
            .iter()
            .map(|c| s.vocab["civil_servant_rating"].label(c)),
    );
    let rows: Vec<Vec<Val>> = fig
        .schools
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let sc = &st.schools[&r.school.code];
            if let Some(row) = not_sent_row(i, r, s) {
                return row;
            }
            let dist = |field: &str, code: &str| {
                num(sc
                    .distributions
                    .get(field)
                    .and_then(|d| d.get(code))
                    .copied()
                    .unwrap_or(0))
            };
            let pct = (sc.must_upgrade > 0).then(|| sc.upgrading as f64 / sc.must_upgrade as f64);
            let mut row = vec![
                num(i as u32 + 1),
                txt(&r.school.code),
                txt(&r.school.name),
                num(sc.teachers),
                num(sc.below_standard),
                num(sc.must_upgrade),
                num(sc.exempt_from_upgrading),
                num(sc.upgrading),
                Val::Pct(pct),
            ];
            row.extend(ratings.iter().map(|c| dist("standard_rating", c)));
            row.extend(civil.iter().map(|c| dist("civil_servant_rating", c)));
            row
        })
        .collect();
    let title = titled(s, "staffing_title_qualification", &fig.school_year);
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    let next = official_table(ws, f, &title, &h, &rows, &[], &fig.school_year, s, lh)?;
    let note = [s.label("note_upgrading").to_string()];
    closing(ws, f, next, h.len(), &note, lh, s)
}

/// Managers' political theory, IT and language levels, office-wide.
fn managers_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<()> {
    let st = &fig.staffing;
    let mut rows = Vec::new();
    for field in ["political_theory", "it_level", "language_level"] {
        let mut total: std::collections::BTreeMap<&str, u32> = Default::default();
        for sc in st.schools.values() {
            for (code, n) in sc.distributions.get(field).into_iter().flatten() {
                *total.entry(code.as_str()).or_default() += n;
            }
        }
        for e in &s.vocab[field].entries {
            if let Some(n) = total.get(e.code.as_str()) {
                rows.push(vec![
                    num(rows.len() as u32 + 1),
                    txt(format!("{}: {}", s.staff.label_of(field), e.label)),
                    num(*n),
                ]);
            }
        }
    }
    let headers = labels(s, &["col_no", "col_level_name", "col_count"]);
    let title = titled(s, "staffing_title_managers", &fig.school_year);
    let next = official_table(ws, f, &title, &headers, &rows, &[], &fig.school_year, s, lh)?;
    closing(ws, f, next, headers.len(), &[], lh, s)
}

/// Most bars a chart shows one per commune; more communes are charted by school level.
const MAX_CHART_GROUPS: usize = 25;

/// Charts by commune (or cluster), or by level when there are too many communes to read, on
/// a sheet of their own; the figures they plot are on a hidden sheet, which does not print.
fn charts_sheet(wb: &mut Workbook, f: &Formats, fig: &Figures, s: &Schemas) -> Result<()> {
    let level_label =
        |r: &crate::pipeline::SchoolResult| s.vocab["school_level"].label(&r.school.level);
    let commune =
        |r: &crate::pipeline::SchoolResult| r.school.cluster.clone().or(r.school.commune.clone());
    let communes: std::collections::BTreeSet<String> =
        fig.schools.iter().filter_map(commune).collect();
    let by_commune = (2..=MAX_CHART_GROUPS).contains(&communes.len());
    let mut groups: std::collections::BTreeMap<String, crate::analyse::aggregate::Stats> =
        Default::default();
    for r in &fig.schools {
        let key = match by_commune {
            true => commune(r).unwrap_or_else(|| s.label("chart_no_commune").to_string()),
            false => level_label(r),
        };
        *groups.entry(key).or_default() += &r.measures.stats;
    }
    let axis = s.label(if by_commune {
        "col_commune"
    } else {
        "col_level"
    });
    let name = s.label("staffing_sheet_charts").to_string();
    let data = s.label("staffing_sheet_chart_data").to_string();
    let n = groups.len() as u32;
    let quals = crate::analyse::aggregate::QUALIFICATIONS;
    let (rate_col, average_col) = (1 + quals.len() as u16, 2 + quals.len() as u16);
    let top = n + 2;
    let last = top + fig.staffing.years.len() as u32;
    let d = data.as_str();
    let mut bars = Chart::new(ChartType::ColumnStacked);
    bars.title().set_name(s.label("chart_qualification"));
    for j in 0..quals.len() as u16 {
        bars.add_series()
            .set_name((d, 0, 1 + j))
            .set_categories((d, 1, 0, n, 0))
            .set_values((d, 1, 1 + j, n, 1 + j));
    }
    bars.x_axis().set_name(axis);
    bars.y_axis().set_name(s.label("chart_axis_teachers"));
    bars.set_width(960).set_height(300);
    let mut completion = Chart::new(ChartType::Column);
    completion.title().set_name(s.label("chart_completion"));
    completion
        .add_series()
        .set_name((d, 0, rate_col))
        .set_categories((d, 1, 0, n, 0))
        .set_values((d, 1, rate_col, n, rate_col));
    let mut line = Chart::new(ChartType::Line);
    line.add_series()
        .set_name((d, 0, average_col))
        .set_categories((d, 1, 0, n, 0))
        .set_values((d, 1, average_col, n, average_col));
    completion.combine(&line);
    completion.x_axis().set_name(axis);
    completion
        .y_axis()
        .set_name(s.label("chart_axis_rate"))
        .set_num_format("0%")
        .set_max(1.0)
        .set_min(0.0);
    completion.set_width(960).set_height(300);
    let mut columns = Chart::new(ChartType::Column);
    columns.title().set_name(s.label("chart_retirement"));
    columns
        .add_series()
        .set_name((d, top, 0))
        .set_categories((d, top + 1, 0, last, 0))
        .set_values((d, top + 1, 1, last, 1));
    columns.x_axis().set_name(s.label("chart_axis_year"));
    columns.y_axis().set_name(s.label("chart_axis_people"));
    columns.set_width(960).set_height(300);
    let charts = wb.add_worksheet().set_name(&name)?;
    charts.insert_chart(0, 0, &bars)?;
    charts.insert_chart(16, 0, &completion)?;
    charts.insert_chart(32, 0, &columns)?;
    a4_landscape(charts);
    // Two charts (32 rows of 15 pt) fill an A4 landscape page (509 pt inside the margins):
    // the third starts the next page instead of being cut across two.
    charts.set_page_breaks(&[32])?;
    let _ = f;
    // After the charts' sheet: the visible sheets keep their order.
    write_chart_data(wb, &data, axis, &groups, fig, s)
}

/// The hidden sheet of what the charts plot: a row per group (teachers by qualification,
/// completion rate, the office's rate), then the retirements per year.
fn write_chart_data(
    wb: &mut Workbook,
    data: &str,
    axis: &str,
    groups: &std::collections::BTreeMap<String, crate::analyse::aggregate::Stats>,
    fig: &Figures,
    s: &Schemas,
) -> Result<()> {
    let q = &s.vocab["qualification"];
    let quals = crate::analyse::aggregate::QUALIFICATIONS;
    let pct = Format::new().set_num_format("0.0%");
    let n = groups.len() as u32;
    // The data: one row per group, then the retirements per year.
    let ws = wb.add_worksheet().set_name(data)?;
    ws.set_hidden(true);
    ws.write_string(0, 0, axis)?;
    for (j, code) in quals.iter().enumerate() {
        ws.write_string(0, 1 + j as u16, q.label(code))?;
    }
    let (rate_col, average_col) = (1 + quals.len() as u16, 2 + quals.len() as u16);
    ws.write_string(0, rate_col, s.label("col_completion_pct"))?;
    ws.write_string(0, average_col, s.label("chart_district_average"))?;
    let average = fig.district.stats.completion_rate();
    for (i, (group, st)) in groups.iter().enumerate() {
        let row = 1 + i as u32;
        let t = &st.teacher_qualification;
        ws.write_string(row, 0, group)?;
        let counts = [
            t.doctorate,
            t.master,
            t.bachelor,
            t.college,
            t.intermediate,
            t.other,
        ];
        for (j, v) in counts.iter().enumerate() {
            ws.write_number(row, 1 + j as u16, *v as f64)?;
        }
        // No results sent: no bar, not a bar at 0%.
        if let Some(rate) = st.completion_rate() {
            ws.write_number_with_format(row, rate_col, rate, &pct)?;
        }
        if let Some(a) = average {
            ws.write_number_with_format(row, average_col, a, &pct)?;
        }
    }
    let top = n + 2;
    ws.write_string(top, 0, s.label("chart_retirement"))?;
    for (i, y) in fig.staffing.years.iter().enumerate() {
        let total: u32 = fig.staffing.schools.values().map(|sc| sc.retiring[i]).sum();
        ws.write_string(top + 1 + i as u32, 0, y.to_string())?;
        ws.write_number(top + 1 + i as u32, 1, total as f64)?;
    }
    Ok(())
}

fn previous_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    lh: &Letterhead,
    prev: &Previous,
) -> Result<()> {
    let headers = labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_school",
            "col_indicator",
            "col_this_year",
            "col_last_year",
            "col_change",
        ],
    );
    let mut rows = Vec::new();
    for r in &fig.schools {
        let now = crate::pipeline::previous::Indicators::of(&r.measures.stats);
        let before = prev.schools.get(&r.school.code);
        for (key, value) in now.named() {
            let last = before
                .and_then(|b| {
                    b.named()
                        .into_iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, v)| v)
                })
                .flatten();
            let change = match (value, last) {
                (Some(a), Some(b)) => Val::Num(((a - b) * 100.0).round() / 100.0),
                _ => txt(""),
            };
            rows.push(vec![
                num(rows.len() as u32 + 1),
                txt(&r.school.code),
                txt(&r.school.name),
                txt(s.label(key)),
                value.map(Val::Num).unwrap_or(txt("")),
                last.map(Val::Num).unwrap_or(txt("")),
                change,
            ]);
        }
    }
    let title = s.label("staffing_title_previous").to_string();
    let next = official_table(ws, f, &title, &headers, &rows, &[], &fig.school_year, s, lh)?;
    closing(ws, f, next, headers.len(), &[], lh, s)
}
