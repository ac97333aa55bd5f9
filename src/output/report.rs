//! The consolidated workbook `bao_cao_tong_hop_<year>.xlsx` and the per-school error
//! workbooks, written with rust_xlsxwriter. Labels come from `schemas/report.toml`.

use super::xlsx::{
    filter_and_freeze, labels, new_workbook, num, owned_labels, titled, txt, write_table,
    write_table_sheet, Formats, Table, Val,
};
use super::GroupBy;
use crate::analyse::aggregate::Stats;
use crate::combine::frames::columns;
use crate::domain::issue::Issue;
use crate::domain::model::Outcome;
use crate::domain::schema::Schemas;
use crate::pipeline::{Figures, JobResult, Received};
use anyhow::Result;
use polars::prelude::PolarsResult;
use rust_xlsxwriter::Worksheet;
use std::collections::HashMap;

/// The formats of a run's report workbooks, sized by the rows their table sheets hold,
/// about: one per school, issue and sheet read.
pub(crate) fn formats_for(job: &JobResult, s: &Schemas) -> Formats {
    let rows = job.figures.schools.len() + job.issues.len() + job.received.rows.len();
    Formats::for_rows(rows).naming(s)
}

/// The consolidated report as xlsx bytes: what the office signs (the report with its
/// per-school table, then the per-school figures and the accreditation summary). The lists
/// go to the annex (`annex`), the processing to the working book (`working`).
pub fn consolidated(
    fig: &Figures,
    f: Formats,
    s: &Schemas,
    group_by: GroupBy,
    lh: &super::official::Letterhead,
) -> Result<Vec<u8>> {
    let mut wb = new_workbook(&fig.school_year)?;
    super::front::write(
        wb.add_worksheet().set_name(s.label("sheet_front"))?,
        &f,
        fig,
        s,
        group_by,
        lh,
    )?;
    type PerSchool = fn(&mut Worksheet, &Formats, &Figures, &Schemas, GroupBy) -> Result<()>;
    let per_school: [(&str, PerSchool); 3] = [
        ("sheet_staff", staff_sheet),
        ("sheet_qualification", qualification_sheet),
        ("sheet_training", training_sheet),
    ];
    for (label, write) in per_school {
        write(
            f.table_sheet(&mut wb)?.set_name(s.label(label))?,
            &f,
            fig,
            s,
            group_by,
        )?;
    }
    type Listing = fn(&mut Worksheet, &Formats, &Figures, &Schemas) -> Result<()>;
    let listings: [(&str, Listing); 3] = [
        ("sheet_training_contents", training_detail_sheet),
        ("sheet_training_modules", modules_sheet),
        ("sheet_targets", super::targets_sheet::write_summary),
    ];
    for (label, write) in listings {
        write(
            f.table_sheet(&mut wb)?.set_name(s.label(label))?,
            &f,
            fig,
            s,
        )?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The per-school lines of a table (their figures built by `cells`) under the office's
/// total: in registry order, or sorted by group (cluster or commune, then level, then code),
/// each group under a line naming it and, when it has two or more schools, followed by its
/// subtotal. Returns the lines and which are totals or group names (printed bold).
pub(crate) fn per_school_rows(
    fig: &Figures,
    s: &Schemas,
    group_by: GroupBy,
    cells: impl Fn(&Stats) -> Vec<Val>,
) -> (Vec<Vec<Val>>, Vec<usize>) {
    let total =
        |label: &str, stats: &Stats| [vec![txt(""), txt(""), txt(label)], cells(stats)].concat();
    let mut rows = vec![total(s.label("district_row"), &fig.district.stats)];
    let mut bold = vec![0];
    let level_name =
        |r: &crate::pipeline::SchoolResult| s.vocab["school_level"].label(&r.school.level);
    let key = |r: &crate::pipeline::SchoolResult| -> String {
        match group_by {
            GroupBy::Commune => r
                .school
                .cluster
                .clone()
                .or(r.school.commune.clone())
                .unwrap_or_default(),
            GroupBy::Level => level_name(r),
            GroupBy::None => String::new(),
        }
    };
    let mut order: Vec<usize> = (0..fig.schools.len()).collect();
    if group_by != GroupBy::None {
        // Levels in the order of their vocabulary (Tiểu học, then THCS).
        let levels = &s.vocab["school_level"].entries;
        let rank = |level: &str| levels.iter().position(|e| e.code == level);
        order.sort_by_key(|&i| {
            let r = &fig.schools[i];
            (key(r), rank(&r.school.level), r.school.code.clone())
        });
    }
    let mut n = 0;
    let mut i = 0;
    while i < order.len() {
        let group = key(&fig.schools[order[i]]);
        let members: Vec<usize> = order[i..]
            .iter()
            .copied()
            .take_while(|&j| key(&fig.schools[j]) == group)
            .collect();
        // Each group opens with a line naming it, so that every school stands under the
        // name of its commune (or cluster, or level) and each "Cộng …" line under the
        // schools it totals.
        let grouped = group_by != GroupBy::None && !group.is_empty();
        // Lines without figures keep the table's borders: blank cells to its last column.
        let blanks = |n: usize| std::iter::repeat_with(|| txt("")).take(n);
        let width = cells(&Stats::default()).len();
        if grouped {
            bold.push(rows.len());
            rows.push(
                [txt(""), txt(""), txt(&group)]
                    .into_iter()
                    .chain(blanks(width))
                    .collect(),
            );
        }
        let mut subtotal = Stats::default();
        for &j in &members {
            let r = &fig.schools[j];
            n += 1;
            let mut row = vec![num(n), txt(&r.school.code), txt(&r.school.name)];
            // A school that sent nothing has no figures to print, not zeros.
            match fig.missing_submissions.contains(&r.school.code) {
                true => {
                    row.push(txt(s.label("not_submitted")));
                    row.extend(blanks(width - 1));
                }
                false => row.extend(cells(&r.measures.stats)),
            }
            rows.push(row);
            subtotal += &r.measures.stats;
        }
        if grouped && members.len() > 1 {
            bold.push(rows.len());
            rows.push(total(
                &s.label("subtotal_row").replace("{group}", &group),
                &subtotal,
            ));
        }
        i += members.len();
    }
    (rows, bold)
}

fn staff_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    group_by: GroupBy,
) -> Result<()> {
    let headers = labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_school",
            "col_total",
            "col_managers",
            "col_teachers",
            "col_support",
            "col_female",
            "col_minority",
            "col_party",
        ],
    );
    let (rows, bold) = per_school_rows(fig, s, group_by, |st| {
        let c = &st.staff;
        vec![
            num(c.total),
            num(c.managers),
            num(c.teachers),
            num(c.support),
            num(c.female),
            num(c.ethnic_minority),
            num(c.party_members),
        ]
    });
    write_table_sheet(
        ws,
        f,
        &titled(s, "title_staff", &fig.school_year),
        &headers,
        &rows,
        &bold,
        &[],
    )
}

fn qualification_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    group_by: GroupBy,
) -> Result<()> {
    let q = &s.vocab["qualification"];
    let mut headers = labels(s, &["col_no", "col_code", "col_school", "col_teachers"]);
    let q_labels: Vec<String> = crate::analyse::aggregate::QUALIFICATIONS
        .iter()
        .map(|c| q.label(c))
        .collect();
    headers.extend(q_labels.iter().map(String::as_str));
    headers.extend(labels(
        s,
        &[
            "col_meeting",
            "col_meeting_pct",
            "col_above",
            "col_above_pct",
        ],
    ));
    let (rows, bold) = per_school_rows(fig, s, group_by, |st| {
        let t = &st.teacher_qualification;
        vec![
            num(st.staff.teachers),
            num(t.doctorate),
            num(t.master),
            num(t.bachelor),
            num(t.college),
            num(t.intermediate),
            num(t.other),
            num(st.teachers_meeting_standard),
            Val::Pct(st.share_of_teachers(st.teachers_meeting_standard)),
            num(st.teachers_above_standard),
            Val::Pct(st.share_of_teachers(st.teachers_above_standard)),
        ]
    });
    let note = s
        .label("note_standard")
        .replace("{source}", &s.rules.qualification_standard.source);
    let title = titled(s, "title_qualification", &fig.school_year);
    write_table_sheet(ws, f, &title, &headers, &rows, &bold, &[note])
}

fn training_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
    group_by: GroupBy,
) -> Result<()> {
    let headers = labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_school",
            "col_assessed",
            "col_completed",
            "col_not_completed",
            "col_no_result",
            "col_completion_pct",
        ],
    );
    let (rows, bold) = per_school_rows(fig, s, group_by, |st| {
        let t = &st.training;
        vec![
            num(st.staff.managers + st.staff.teachers),
            num(t.completed),
            num(t.not_completed),
            num(t.no_result),
            Val::Pct(st.completion_rate()),
        ]
    });
    let note = s
        .label("note_training")
        .replace("{source}", &s.rules.training.source);
    let title = titled(s, "title_training", &fig.school_year);
    write_table_sheet(ws, f, &title, &headers, &rows, &bold, &[note])
}

/// "Chưa hoàn thành BDTX": the people not completed or without a result, on their own sheet
/// so that every printed page repeats this list's own header.
pub(crate) fn not_completed_table(fig: &Figures, s: &Schemas) -> Result<Table> {
    let headers = owned_labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_school",
            "col_name",
            "col_role",
            "col_result",
        ],
    );
    let title = titled(s, "title_training_list", &fig.school_year);
    Ok(Table::new(title, headers, not_completed_list(fig, s)?))
}

/// Per-content results (and TT 26 grades) per school, then module frequency for the district.
fn training_detail_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    fig: &Figures,
    s: &Schemas,
) -> Result<()> {
    let contents = &s.rules.training.contents;
    let grades: Vec<(String, String)> = fig
        .district_training_detail
        .grades
        .keys()
        .map(|code| {
            let label = s
                .rules
                .training
                .tt26
                .grades
                .iter()
                .find(|g| &g.code == code)
                .map(|g| g.label.clone());
            (code.clone(), label.unwrap_or_else(|| code.clone()))
        })
        .collect();
    let mut headers: Vec<String> = labels(s, &["col_no", "col_code", "col_school"])
        .iter()
        .map(|h| h.to_string())
        .collect();
    for c in contents {
        let name = s.training.label_of(c);
        for key in [
            "col_content_scored",
            "col_content_passed",
            "col_content_pass_pct",
            "col_content_average",
        ] {
            headers.push(s.label(key).replace("{content}", &name));
        }
    }
    headers.extend(grades.iter().map(|(_, label)| label.clone()));
    let cells = |d: &crate::analyse::aggregate::TrainingDetail| -> Vec<Val> {
        let mut v = Vec::new();
        for c in &d.contents {
            let rate = (c.scored > 0).then(|| c.passed as f64 / c.scored as f64);
            v.extend([
                num(c.scored),
                num(c.passed),
                Val::Pct(rate),
                c.average.map(Val::Num).unwrap_or(txt("")),
            ]);
        }
        v.extend(
            grades
                .iter()
                .map(|(code, _)| num(d.grades.get(code).copied().unwrap_or(0))),
        );
        v
    };
    let mut rows = vec![[
        vec![txt(""), txt(""), txt(s.label("district_row"))],
        cells(&fig.district_training_detail),
    ]
    .concat()];
    for (i, r) in fig.schools.iter().enumerate() {
        rows.push(
            [
                vec![num(i as u32 + 1), txt(&r.school.code), txt(&r.school.name)],
                cells(&r.training_detail),
            ]
            .concat(),
        );
    }
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    write_table(
        ws,
        f,
        0,
        &titled(s, "title_training_contents", &fig.school_year),
        &header_refs,
        &rows,
        &[0],
    )?;
    filter_and_freeze(ws, f, 0, &header_refs, rows.len(), true)
}

/// "BDTX theo mô đun": people per module, on its own sheet so that its pages repeat its own
/// header.
fn modules_sheet(ws: &mut Worksheet, f: &Formats, fig: &Figures, s: &Schemas) -> Result<()> {
    let modules: Vec<Vec<Val>> = fig
        .district_training_detail
        .modules
        .iter()
        .enumerate()
        .map(|(i, (m, n))| vec![num(i as u32 + 1), txt(m), num(*n)])
        .collect();
    let module_headers = labels(s, &["col_no", "col_module", "col_people"]);
    write_table_sheet(
        ws,
        f,
        &titled(s, "title_training_modules", &fig.school_year),
        &module_headers,
        &modules,
        &[],
        &[],
    )
}

/// Managers and teachers who did not complete BDTX or have no result, in school order.
fn not_completed_list(fig: &Figures, s: &Schemas) -> Result<Vec<Vec<Val>>> {
    // A plain scan of two columns: a lazy filter would wait for the polars thread pool,
    // which the CSV writers running beside this report keep busy.
    let df = &fig.people;
    let assessed = df.column(columns::ASSESSED)?.bool()?;
    let training = df.column(columns::TRAINING)?.str()?;
    let listed = |i: usize| {
        assessed.get(i) == Some(true) && training.get(i) != Some(Outcome::Completed.code())
    };
    let (school, name, role, result) = (
        df.column(columns::SCHOOL)?.str()?,
        df.column(columns::NAME)?.str()?,
        df.column(columns::ROLE)?.str()?,
        df.column(columns::TRAINING)?.str()?,
    );
    // Registry order, then input order within a school.
    let order: HashMap<&str, usize> = fig
        .schools
        .iter()
        .enumerate()
        .map(|(i, r)| (r.school.code.as_str(), i))
        .collect();
    let mut picked: Vec<(usize, usize)> = (0..df.height())
        .filter(|&i| listed(i))
        .filter_map(|i| school.get(i).and_then(|c| order.get(c)).map(|&o| (o, i)))
        .collect();
    picked.sort_unstable();
    let mut out = Vec::with_capacity(picked.len());
    for (o, i) in picked {
        let r = &fig.schools[o];
        let result = match result.get(i) {
            Some(code) => s.vocab["training_result"].label(code),
            None => s.label("result_none").to_string(),
        };
        out.push(vec![
            num(out.len() as u32 + 1),
            txt(&r.school.code),
            txt(&r.school.name),
            txt(name.get(i).unwrap_or("")),
            txt(s.vocab["role"].label(role.get(i).unwrap_or(""))),
            txt(result),
        ]);
    }
    Ok(out)
}

/// "Danh sách hoàn thành BDTX": everyone whose BDTX counts as completed, with the scores, for
/// the certificates the office issues. In registry order, then input order.
pub(crate) fn completers_table(fig: &Figures, s: &Schemas) -> Result<Table> {
    let contents = &s.rules.training.contents;
    let mut headers = owned_labels(
        s,
        &["col_no", "col_code", "col_school", "col_name", "col_role"],
    );
    headers.extend(contents.iter().map(|c| s.training.label_of(c)));
    headers.push(s.label("col_result").to_string());
    let df = &fig.training;
    let (school, name, role, outcome, matched) = (
        df.column(columns::SCHOOL)?.str()?,
        df.column(columns::NAME)?.str()?,
        df.column(columns::ROLE)?.str()?,
        df.column(columns::OUTCOME)?.str()?,
        df.column(columns::MATCHED)?.bool()?,
    );
    let scores = contents
        .iter()
        .map(|c| Ok(df.column(c)?.f64()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let order: HashMap<&str, usize> = fig
        .schools
        .iter()
        .enumerate()
        .map(|(i, r)| (r.school.code.as_str(), i))
        .collect();
    let completed = Outcome::Completed.code();
    let mut picked: Vec<(usize, usize)> = (0..df.height())
        .filter(|&i| matched.get(i) == Some(true) && outcome.get(i) == Some(completed))
        .filter_map(|i| school.get(i).and_then(|c| order.get(c)).map(|&o| (o, i)))
        .collect();
    picked.sort_unstable();
    let mut rows = Vec::with_capacity(picked.len());
    for (o, i) in picked {
        let r = &fig.schools[o];
        let mut row = vec![
            num(rows.len() as u32 + 1),
            txt(&r.school.code),
            txt(&r.school.name),
            txt(name.get(i).unwrap_or("")),
            txt(role
                .get(i)
                .map(|c| s.vocab["role"].label(c))
                .unwrap_or_default()),
        ];
        row.extend(scores.iter().map(|sc| match sc.get(i) {
            Some(x) => Val::Num(x),
            None => txt(""),
        }));
        row.push(txt(s.vocab["training_result"].label(completed)));
        rows.push(row);
    }
    let title = titled(s, "title_completers", &fig.school_year);
    Ok(Table::new(title, headers, rows))
}

/// The issues table of the office's list of files no school was found for.
pub fn issues_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    issues: &[Issue],
    s: &Schemas,
    year: &str,
) -> Result<()> {
    issues_table(issues, s, year).write_at(ws, f, 0)?;
    Ok(())
}

/// Every problem found, with its place and machine code: the office's working list.
pub(crate) fn issues_table(issues: &[Issue], s: &Schemas, year: &str) -> Table {
    let headers = owned_labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_file",
            "col_sheet",
            "col_row",
            "col_column",
            "col_severity",
            "col_issue_code",
            "col_message",
        ],
    );
    let rows: Vec<Vec<Val>> = issues
        .iter()
        .enumerate()
        .map(|(i, is)| {
            vec![
                num(i as u32 + 1),
                txt(is.school.clone().unwrap_or_default()),
                txt(&is.file),
                txt(&is.sheet),
                is.row.map(num).unwrap_or(txt("")),
                txt(is.column.clone().unwrap_or_default()),
                txt(s
                    .messages
                    .severity
                    .get(is.severity.key())
                    .cloned()
                    .unwrap_or_default()),
                txt(&is.code),
                txt(is.message(&s.messages)),
            ]
        })
        .collect();
    Table::new(titled(s, "title_issues", year), headers, rows)
}

/// Rows read, accepted, rejected and skipped per sheet read.
pub(crate) fn rows_table(received: &Received, year: &str, s: &Schemas) -> Table {
    let headers = owned_labels(
        s,
        &[
            "col_no",
            "col_sheet",
            "col_data_rows",
            "col_accepted",
            "col_rejected",
            "col_skipped",
            "col_skip_reasons",
        ],
    );
    let reason = |key: &str| {
        s.messages
            .skip_reasons
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    };
    let rows: Vec<Vec<Val>> = received
        .rows
        .iter()
        .enumerate()
        .map(|(i, (k, c))| {
            vec![
                num(i as u32 + 1),
                txt(k),
                num(c.data as u32),
                num(c.accepted as u32),
                num(c.rejected as u32),
                num(c.skipped as u32),
                txt(c
                    .skipped_reasons
                    .iter()
                    .map(|(k, n)| format!("{}: {n}", reason(k)))
                    .collect::<Vec<_>>()
                    .join("; ")),
            ]
        })
        .collect();
    Table::new(titled(s, "title_rows", year), headers, rows)
}
