//! The sheets "Kiểm định - Chuẩn QG" (the levels each school's staff data leaves open) and
//! "Kiểm định - Chi tiết" (one row per school and requirement of `schemas/targets.toml`, the
//! requirements' wording in a legend under the table). Both print on A4 landscape: a column
//! pair per rule did not fit on A3.

use super::xlsx::{num, owned_labels, titled, txt, write_table_sheet, Formats, Table, Val};
use crate::analyse::targets::{Judgment, RuleResult};
use crate::domain::criteria::{Metric, Op, Rule};
use crate::domain::model::School;
use crate::domain::schema::Schemas;
use crate::domain::text::fill;
use crate::pipeline::{Figures, SchoolResult};
use anyhow::Result;
use rust_xlsxwriter::Worksheet;

fn is_share(metric: Metric) -> bool {
    !matches!(
        metric,
        Metric::TeachersAgainstNorm | Metric::MissingSupportPosts | Metric::SubjectsWithoutTeacher
    )
}

/// A level as printed: the number, "Chưa đạt" for 0, "Chưa đánh giá" when not judged.
fn level_cell(level: Option<u8>, s: &Schemas) -> Val {
    match level {
        Some(0) => txt(s.label("judgment_not_met")),
        Some(l) => num(l as u32),
        // On two lines: the level columns stay narrow.
        None => txt(s.label("not_judged").replacen(' ', "\n", 1)),
    }
}

/// The per-school levels, with the office's counts and notes under the table.
pub fn write_summary(ws: &mut Worksheet, f: &Formats, fig: &Figures, s: &Schemas) -> Result<()> {
    let criteria = &s.targets.levels.criteria;
    let mut headers: Vec<String> = owned_labels(
        s,
        &["col_no", "col_code", "col_school", "col_disadvantaged"],
    );
    headers.extend(
        criteria
            .iter()
            .map(|c| s.label("col_criterion").replace("{criterion}", c)),
    );
    headers.extend(owned_labels(
        s,
        &[
            "col_max_accreditation",
            "col_max_national",
            "col_target",
            "col_needs",
        ],
    ));
    let rows: Vec<Vec<Val>> = fig
        .schools
        .iter()
        .enumerate()
        .map(|(n, school)| summary_row(n, school, s))
        .collect();
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    let title = titled(s, "title_targets", &fig.school_year);
    let mut lines = office_counts(fig, s);
    lines.push(s.label("note_targets").to_string());
    let unjudged = unjudged_levels(s);
    if !unjudged.is_empty() {
        lines.push(
            s.label("note_levels_unjudged")
                .replace("{items}", &unjudged),
        );
    }
    write_table_sheet(ws, f, &title, &h, &rows, &[], &lines)
}

fn summary_row(n: usize, school: &SchoolResult, s: &Schemas) -> Vec<Val> {
    let sc = &school.school;
    let t = &school.targets;
    let yes_no = |b: bool| s.label(if b { "yes" } else { "no" }).to_string();
    let level = |l: Option<u8>| level_cell(l, s);
    let mut row = vec![
        num(n as u32 + 1),
        txt(&sc.code),
        txt(&sc.name),
        txt(yes_no(sc.disadvantaged)),
    ];
    row.extend(
        s.targets
            .levels
            .criteria
            .iter()
            .map(|c| level(t.criteria.get(c).copied().flatten())),
    );
    row.extend([
        level(t.reachable.accreditation_level),
        level(t.reachable.national_standard_level),
        txt(target_text(sc, t.target_reachable, s)),
        txt(needs_text(school, &s.targets.rules, s)),
    ]);
    row
}

/// One row per school and rule applied to it, then the legend of the requirements.
pub(crate) fn detail_table(fig: &Figures, s: &Schemas) -> Table {
    let requirements = Requirements::of(&s.targets.rules);
    let headers = owned_labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_school",
            "col_criterion_short",
            "col_level_short",
            "col_requirement",
            "col_threshold",
            "col_result",
            "col_judgment",
            "col_gap",
        ],
    );
    let mut rows = Vec::new();
    for school in &fig.schools {
        let mut results: Vec<(usize, &RuleResult, &Rule)> = school
            .targets
            .targets
            .iter()
            .filter_map(|t| {
                let (number, rule) = requirements.find(&t.rule)?;
                Some((number, t, rule))
            })
            .collect();
        results.sort_by_key(|(number, ..)| *number);
        for (number, result, rule) in results {
            rows.push(detail_row(
                rows.len(),
                &school.school,
                number,
                result,
                rule,
                s,
            ));
        }
    }
    let title = titled(s, "title_targets_detail", &fig.school_year);
    let mut notes = vec![s.label("legend_title").to_string()];
    notes.extend(requirements.legend(s));
    notes.push(s.label("note_targets_detail").to_string());
    Table {
        notes,
        ..Table::new(title, headers, rows)
    }
}

fn detail_row(
    n: usize,
    school: &School,
    number: usize,
    result: &RuleResult,
    rule: &Rule,
    s: &Schemas,
) -> Vec<Val> {
    let share = is_share(rule.metric);
    let op = match rule.op {
        Op::AtLeast => "≥",
        Op::AtMost => "≤",
    };
    let judged = result.judgment != Judgment::NotJudged;
    let (threshold, value) = match rule.metric {
        _ if share => {
            let value = match judged {
                true => Val::Pct(Some(result.value / 100.0)),
                false => txt(""),
            };
            (format!("{op} {}%", result.threshold), value)
        }
        Metric::TeachersAgainstNorm => {
            let threshold = s
                .label("threshold_teachers_max")
                .replace("{n}", &result.threshold.to_string());
            let value = match judged {
                true => Val::Num(result.value),
                false => txt(""),
            };
            (threshold, value)
        }
        _ => {
            let key = format!("threshold_{}", metric_code(rule.metric));
            let value = match (judged, result.missing.is_empty()) {
                (false, _) => txt(""),
                (true, true) => txt(s.label("none_missing")),
                (true, false) => txt(s
                    .label("missing_list")
                    .replace("{items}", &missing_labels(rule.metric, &result.missing, s))),
            };
            (s.label(&key).to_string(), value)
        }
    };
    let judgment = match result.not_judged {
        Some(why) => s
            .label(&format!("reason_{}", why.code()))
            .replace("{n}", &result.unknown.to_string()),
        None if rule.metric == Metric::TeachersAgainstNorm => max_norm_text(result, s),
        None => {
            let word = s.label(if result.met {
                "judgment_met"
            } else {
                "judgment_not_met"
            });
            if result.informative {
                s.label("judgment_informative").replace("{judgment}", word)
            } else {
                word.to_string()
            }
        }
    };
    let gap = if result.judgment == Judgment::NotMet && result.gap_people > 0 {
        num(result.gap_people)
    } else {
        txt("")
    };
    vec![
        num(n as u32 + 1),
        txt(&school.code),
        txt(&school.name),
        txt(&rule.criterion),
        num(rule.level as u32),
        txt(format!("({number})")),
        txt(threshold),
        value,
        txt(judgment),
        gap,
    ]
}

/// The metric's code as written in targets.toml.
fn metric_code(metric: Metric) -> String {
    serde_json::to_value(metric)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The Vietnamese names of missing posts (role labels) or subjects (subject labels);
/// alternatives joined by " / ".
fn missing_labels(metric: Metric, missing: &[String], s: &Schemas) -> String {
    let vocab = match metric {
        Metric::SubjectsWithoutTeacher => &s.vocab["subject"],
        _ => &s.vocab["role"],
    };
    missing
        .iter()
        .map(|m| {
            m.split('|')
                .map(|c| vocab.label(c))
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect::<Vec<_>>()
        // One a line: the column stays narrow.
        .join(",\n")
}

/// The teachers against the TT 20/2023 maximum, as information: how many below or above it.
fn max_norm_text(result: &RuleResult, s: &Schemas) -> String {
    let gap = result.value - result.threshold;
    let (key, n) = match gap {
        g if g < 0.0 => ("norm_below_max", -g),
        g if g > 0.0 => ("norm_above_max", g),
        _ => ("norm_at_max", 0.0),
    };
    s.label(key).replace("{n}", &n.to_string())
}

/// The requirements as the legend numbers them, by criterion and level: the copies of one
/// requirement for each school level (same criterion, level and wording) share a number.
struct Requirements<'r> {
    /// (criterion, level, wording) and the rules that state it.
    items: Vec<(Requirement<'r>, Vec<&'r Rule>)>,
}

/// A requirement: criterion, level, wording.
type Requirement<'r> = (&'r str, u8, &'r str);

impl<'r> Requirements<'r> {
    fn of(rules: &'r [Rule]) -> Requirements<'r> {
        let mut items: Vec<(Requirement, Vec<&Rule>)> = Vec::new();
        for rule in rules {
            let key = (rule.criterion.as_str(), rule.level, rule.wording.as_str());
            match items.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(rule),
                None => items.push((key, vec![rule])),
            }
        }
        // Stable: rules of one criterion and level keep the order of targets.toml.
        items.sort_by_key(|((criterion, level, _), _)| (criterion.to_string(), *level));
        Requirements { items }
    }

    /// The number of the requirement rule `id` states, and the rule.
    fn find(&self, id: &str) -> Option<(usize, &'r Rule)> {
        self.items.iter().enumerate().find_map(|(i, (_, rules))| {
            let rule = rules.iter().find(|r| r.id == id)?;
            Some((i + 1, *rule))
        })
    }

    fn legend(&self, s: &Schemas) -> Vec<String> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, ((criterion, level, wording), rules))| {
                let mut sources: Vec<&str> = rules.iter().map(|r| r.source.as_str()).collect();
                sources.dedup();
                let mark = if rules.iter().all(|r| r.verified) {
                    ""
                } else {
                    s.label("unverified_mark")
                };
                fill(
                    s.label("legend_item"),
                    &[
                        ("n", &(i + 1).to_string()),
                        ("criterion", criterion),
                        ("level", &level.to_string()),
                        ("wording", wording),
                        ("mark", mark),
                        ("source", &sources.join("; ")),
                    ],
                )
            })
            .collect()
    }
}

/// The registered target ("Cấp độ 3, Mức độ 2, năm 2027"; no national-standard level when
/// it is 0) and whether the staff data leaves it within reach.
fn target_text(sc: &School, reachable: Option<bool>, s: &Schemas) -> String {
    let get = |k: &str| sc.figures.get(k).map(|x| format!("{x}"));
    let accreditation = get("accreditation_target");
    let national = get("national_standard_target").filter(|n| n != "0");
    if accreditation.is_none() && national.is_none() {
        return String::new();
    }
    let mut parts = Vec::new();
    if let Some(a) = accreditation {
        parts.push(s.label("target_accreditation").replace("{n}", &a));
    }
    if let Some(n) = national {
        parts.push(s.label("target_national").replace("{n}", &n));
    }
    // The levels on one line, the year and whether it is within reach on the next: the
    // column stays narrow.
    let mut second = get("target_year")
        .map(|y| s.label("target_year").replace("{year}", &y))
        .unwrap_or_default();
    second.push_str(match reachable {
        Some(true) => s.label("target_within_reach"),
        Some(false) => s.label("target_out_of_reach"),
        None => "",
    });
    match second.is_empty() {
        true => parts.join(", "),
        false => format!("{}\n{second}", parts.join(", ")),
    }
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
            // Posts and subjects are named, not counted.
            if !t.missing.is_empty() {
                let key = format!("need_{}", metric_code(rule.metric));
                let items = missing_labels(rule.metric, &t.missing, s);
                return Some(s.label(&key).replace("{items}", &items));
            }
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
        &[("level", &next.to_string()), ("items", &items.join(";\n"))],
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

/// How many schools can reach each level, as lines under the table.
fn office_counts(fig: &Figures, s: &Schemas) -> Vec<String> {
    let max = s.targets.levels.max_level;
    let national_max = s.targets.levels.national_standard.len() as u8;
    let count = |national: bool, n: Option<u8>| {
        fig.schools
            .iter()
            .filter(|sch| {
                let r = &sch.targets.reachable;
                n == if national {
                    r.national_standard_level
                } else {
                    r.accreditation_level
                }
            })
            .count()
            .to_string()
    };
    let line = |key: &str, national: bool, n: Option<u8>| {
        fill(
            s.label(key),
            &[
                ("n", &n.map(|n| n.to_string()).unwrap_or_default()),
                ("count", &count(national, n)),
            ],
        )
    };
    let mut lines = vec![line("district_accreditation_none", false, Some(0))];
    lines.extend((1..=max).map(|n| line("district_accreditation_count", false, Some(n))));
    lines.push(line("district_national_none", true, Some(0)));
    lines.extend((1..=national_max).map(|n| line("district_national_count", true, Some(n))));
    lines.push(line("district_not_judged_count", false, None));
    lines
}
