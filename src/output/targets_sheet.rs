//! The sheet "Kiểm định - Chuẩn QG": each school against the rules of `schemas/targets.toml`.

use super::xlsx::FormatRuns;
use crate::analyse::targets::Judgment;
use crate::domain::criteria::{Metric, Rule};
use crate::domain::schema::Schemas;
use crate::domain::text::fill;
use crate::pipeline::{JobResult, SchoolResult};
use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

struct Styles {
    header: Format,
    text: Format,
    num: Format,
    met: [Format; 2],
    unmet: [Format; 2],
    info: [Format; 2],
    note: Format,
}

fn styles() -> Styles {
    let base = Format::new()
        .set_border(FormatBorder::Thin)
        .set_font_name("Times New Roman")
        .set_font_size(11);
    let pair = |f: Format| {
        [
            f.clone().set_num_format("#,##0.##"),
            f.set_num_format("0.00%"),
        ]
    };
    let filled = |bg: u32, fg: u32| {
        pair(
            base.clone()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg)),
        )
    };
    Styles {
        header: base
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xDDEBF7)),
        text: base.clone().set_text_wrap(),
        num: base.clone().set_num_format("#,##0"),
        met: filled(0xC6EFCE, 0x006100),
        unmet: filled(0xFFC7CE, 0x9C0006),
        info: filled(0xFFEB9C, 0x9C5700),
        note: Format::new()
            .set_italic()
            .set_font_name("Times New Roman")
            .set_font_size(11)
            .set_text_wrap(),
    }
}

fn is_share(metric: Metric) -> bool {
    !matches!(
        metric,
        Metric::TeachersAgainstNorm | Metric::MissingSupportPosts
    )
}

/// Writes the sheet; one column group (value, gap) per rule.
pub fn write(ws: &mut Worksheet, job: &JobResult, s: &Schemas) -> Result<()> {
    let st = styles();
    let rules = &s.targets.rules;
    let fixed = [
        "col_no",
        "col_code",
        "col_school",
        "col_level",
        "col_disadvantaged",
    ];
    let first_rule_col = fixed.len() as u16;
    let after_rules = first_rule_col + 2 * rules.len() as u16;
    let criteria = &s.targets.levels.criteria;
    let tail: Vec<String> = criteria
        .iter()
        .map(|c| s.label("col_criterion").replace("{criterion}", c))
        .chain(
            [
                "col_max_accreditation",
                "col_max_national",
                "col_target",
                "col_target_ok",
                "col_needs",
            ]
            .map(|k| s.label(k).to_string()),
        )
        .collect();
    let last_col = after_rules + tail.len() as u16 - 1;
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &s.label("title_targets").replace("{year}", &job.school_year),
        &st.header,
    )?;
    let (h1, h2) = (2u32, 3u32);
    for (c, key) in fixed.iter().enumerate() {
        ws.merge_range(h1, c as u16, h2, c as u16, s.label(key), &st.header)?;
    }
    for (i, rule) in rules.iter().enumerate() {
        let c = first_rule_col + 2 * i as u16;
        let mark = if rule.verified {
            ""
        } else {
            s.label("unverified_mark")
        };
        let title = format!("{} {}{}", rule.id, rule.wording, mark);
        ws.merge_range(h1, c, h1, c + 1, &title, &st.header)?;
        ws.write_string_with_format(h2, c, s.label("col_value"), &st.header)?;
        ws.write_string_with_format(h2, c + 1, s.label("col_gap"), &st.header)?;
        ws.set_column_width(c, 11)?;
        ws.set_column_width(c + 1, 8)?;
    }
    for (i, label) in tail.iter().enumerate() {
        let c = after_rules + i as u16;
        ws.merge_range(h1, c, h2, c, label, &st.header)?;
        ws.set_column_width(c, if i + 1 == tail.len() { 50 } else { 12 })?;
    }
    ws.set_row_height(h1, 120)?;
    ws.set_column_width(2, 30)?;
    ws.set_column_width(4, 8)?;
    let mut r = h2 + 1;
    // Values first, formats after, a column run at a time (see `FormatRuns`).
    let mut runs = FormatRuns::new(true);
    for (n, school) in job.schools.iter().enumerate() {
        school_row(ws, &mut runs, &st, r, n, school, rules, s, after_rules)?;
        r += 1;
    }
    runs.apply(ws)?;
    ws.set_freeze_panes(h2 + 1, 3)?;
    ws.autofilter(h2, 0, r.saturating_sub(1).max(h2 + 1), last_col)?;
    r = district_lines(ws, &st, r + 1, job, s)?;
    ws.merge_range(
        r + 1,
        0,
        r + 1,
        last_col.min(20),
        s.label("note_targets"),
        &st.note,
    )?;
    ws.set_row_height(r + 1, 45)?;
    let unjudged = unjudged_levels(s);
    if !unjudged.is_empty() {
        let line = s
            .label("note_levels_unjudged")
            .replace("{items}", &unjudged);
        ws.merge_range(r + 2, 0, r + 2, last_col.min(20), &line, &st.note)?;
        ws.set_row_height(r + 2, 30)?;
    }
    ws.set_paper_size(8); // A3: one column group per rule is wide.
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(h1, h2)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn school_row<'f>(
    ws: &mut Worksheet,
    runs: &mut FormatRuns<'f>,
    st: &'f Styles,
    r: u32,
    n: usize,
    school: &SchoolResult,
    rules: &[Rule],
    s: &Schemas,
    after_rules: u16,
) -> Result<()> {
    let sc = &school.school;
    let yes_no = |b: bool| s.label(if b { "yes" } else { "no" }).to_string();
    ws.write_number(r, 0, (n + 1) as f64)?;
    runs.add(r, 0, &st.num);
    ws.write_string(r, 1, &sc.code)?;
    runs.add(r, 1, &st.text);
    ws.write_string(r, 2, &sc.name)?;
    runs.add(r, 2, &st.text);
    ws.write_string(r, 3, s.vocab["school_level"].label(&sc.level))?;
    runs.add(r, 3, &st.text);
    ws.write_string(r, 4, yes_no(sc.disadvantaged))?;
    runs.add(r, 4, &st.text);
    for (i, rule) in rules.iter().enumerate() {
        let c = 5 + 2 * i as u16;
        let Some(res) = school.targets.targets.iter().find(|t| t.rule == rule.id) else {
            continue;
        };
        if let Some(why) = res.not_judged {
            let n = res.unknown.to_string();
            let text = s
                .label(&format!("reason_{}", why.code()))
                .replace("{n}", &n);
            ws.write_string(r, c, text)?;
            runs.add(r, c, &st.text);
            ws.write_string(r, c + 1, "")?;
            runs.add(r, c + 1, &st.text);
            continue;
        }
        let styles = if res.met {
            &st.met
        } else if res.informative {
            &st.info
        } else {
            &st.unmet
        };
        let (value, style) = if is_share(rule.metric) {
            (res.value / 100.0, &styles[1])
        } else {
            (res.value, &styles[0])
        };
        ws.write_number(r, c, value)?;
        runs.add(r, c, style);
        ws.write_number(r, c + 1, res.gap_people as f64)?;
        runs.add(r, c + 1, &st.num);
    }
    let t = &school.targets;
    let mut c = after_rules;
    for criterion in &s.targets.levels.criteria {
        ws.write_number(r, c, t.criteria.get(criterion).copied().unwrap_or(0) as f64)?;
        runs.add(r, c, &st.num);
        c += 1;
    }
    for (i, level) in [
        t.reachable.accreditation_level,
        t.reachable.national_standard_level,
    ]
    .into_iter()
    .enumerate()
    {
        let c = c + i as u16;
        match level {
            Some(l) => {
                ws.write_number(r, c, l as f64)?;
                runs.add(r, c, &st.num);
            }
            None => {
                ws.write_string(r, c, s.label("not_judged"))?;
                runs.add(r, c, &st.text);
            }
        }
    }
    ws.write_string(r, c + 2, target_text(sc, s))?;
    runs.add(r, c + 2, &st.text);
    let ok = t.target_reachable.map(yes_no).unwrap_or_default();
    ws.write_string(r, c + 3, ok)?;
    runs.add(r, c + 3, &st.text);
    let needs = needs_text(school, rules, s);
    // Rows do not grow by themselves for wrapped text in every spreadsheet program.
    ws.set_row_height(r, 15.0 * needs.chars().count().div_ceil(55).max(1) as f64)?;
    ws.write_string(r, c + 4, needs)?;
    runs.add(r, c + 4, &st.text);
    Ok(())
}

fn target_text(sc: &crate::domain::model::School, s: &Schemas) -> String {
    let get = |k: &str| {
        sc.figures
            .get(k)
            .map(|x| format!("{x}"))
            .unwrap_or_else(|| "–".into())
    };
    if !sc.figures.contains_key("accreditation_target")
        && !sc.figures.contains_key("national_standard_target")
    {
        return String::new();
    }
    fill(
        s.label("target_text"),
        &[
            ("accreditation", &get("accreditation_target")),
            ("national", &get("national_standard_target")),
            ("year", &get("target_year")),
        ],
    )
}

/// What the school lacks for the level above the one its staff data reaches.
fn needs_text(school: &SchoolResult, rules: &[Rule], s: &Schemas) -> String {
    let Some(level) = school.targets.reachable.accreditation_level else {
        return String::new();
    };
    let next = level + 1;
    if next > s.targets.levels.max_level {
        return String::new();
    }
    let items: Vec<String> = school
        .targets
        .targets
        .iter()
        .filter(|t| t.judgment == Judgment::NotMet && !t.informative && t.level <= next)
        .filter(|t| t.gap_people > 0)
        .filter_map(|t| {
            let rule = rules.iter().find(|r| r.id == t.rule)?;
            let n = t.gap_people.to_string();
            Some(fill(
                s.label("need_item"),
                &[("n", &n), ("unit", &rule.gap_unit)],
            ))
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    fill(
        s.label("needs_line"),
        &[("level", &next.to_string()), ("items", &items.join("; "))],
    )
}

/// The criterion levels no rule measures from staff data ("tiêu chí 2.3: Mức 2, Mức 3"): no
/// school is shown reaching them.
fn unjudged_levels(s: &Schemas) -> String {
    let levels = &s.targets.levels;
    levels
        .criteria
        .iter()
        .filter_map(|c| {
            let missing: Vec<String> = (1..=levels.max_level)
                .filter(|&l| {
                    !s.targets
                        .rules
                        .iter()
                        .any(|r| &r.criterion == c && r.level == l && !r.informative)
                })
                .map(|l| s.label("level_n").replace("{n}", &l.to_string()))
                .collect();
            (!missing.is_empty()).then(|| {
                let criterion = s.label("criterion_n").replace("{criterion}", c);
                format!("{criterion}: {}", missing.join(", "))
            })
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Counts of schools per reachable level, below the table.
fn district_lines(
    ws: &mut Worksheet,
    st: &Styles,
    mut r: u32,
    job: &JobResult,
    s: &Schemas,
) -> Result<u32> {
    let max = s.targets.levels.max_level;
    let national_max = s.targets.levels.national_standard.len() as u8;
    let lines = (0..=max)
        .map(|n| ("district_accreditation_count", Some(n), false))
        .chain([("district_not_judged_count", None, false)])
        .chain((0..=national_max).map(|n| ("district_national_count", Some(n), true)));
    for (key, n, national) in lines {
        let level = |t: &crate::analyse::targets::Reachable| {
            if national {
                t.national_standard_level
            } else {
                t.accreditation_level
            }
        };
        let count = job
            .schools
            .iter()
            .filter(|sch| level(&sch.targets.reachable) == n)
            .count();
        ws.merge_range(
            r,
            0,
            r,
            4,
            &s.label(key)
                .replace("{n}", &n.map(|n| n.to_string()).unwrap_or_default()),
            &st.text,
        )?;
        ws.write_number_with_format(r, 5, count as f64, &st.num)?;
        r += 1;
    }
    Ok(r)
}
