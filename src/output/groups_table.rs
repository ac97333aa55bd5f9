//! `du_lieu/nhom.csv`: the figures of each group of staff, one line per school (and the office,
//! with an empty code) and group, for officers who load the tables elsewhere.

use crate::analyse::groups::{GroupCounts, Groups, GROUPS, LEVEL_FIELDS};
use crate::domain::schema::Schemas;
use crate::pipeline::Figures;
use std::fmt::Write;

pub fn csv(fig: &Figures, s: &Schemas) -> String {
    let level_columns: Vec<(&str, &str)> = LEVEL_FIELDS
        .iter()
        .flat_map(|f| {
            s.vocab[*f]
                .entries
                .iter()
                .map(move |e| (*f, e.code.as_str()))
        })
        .collect();
    let mut out = String::from("school,group");
    for (name, _) in GroupCounts::default().figures() {
        let _ = write!(out, ",{name}");
    }
    for spec in &s.rules.figures {
        let _ = write!(out, ",{}", spec.key);
    }
    for (field, code) in &level_columns {
        let _ = write!(out, ",{field}:{code}");
    }
    out.push('\n');
    let mut lines = |code: &str, groups: &Groups| {
        for group in GROUPS {
            let g = groups.get(group).cloned().unwrap_or_default();
            line(&mut out, code, group, &g, &level_columns, s);
        }
    };
    lines("", &fig.district.groups);
    for school in &fig.schools {
        lines(&school.school.code, &school.measures.groups);
    }
    out
}

fn line(
    out: &mut String,
    code: &str,
    group: &str,
    g: &GroupCounts,
    levels: &[(&str, &str)],
    s: &Schemas,
) {
    let code = if code.contains([',', '"', '\n']) {
        format!("\"{}\"", code.replace('"', "\"\""))
    } else {
        code.to_string()
    };
    let _ = write!(out, "{code},{group}");
    for (_, n) in g.figures() {
        let _ = write!(out, ",{n}");
    }
    for spec in &s.rules.figures {
        let _ = write!(out, ",{}", g.declared.get(&spec.key).copied().unwrap_or(0));
    }
    for (field, c) in levels {
        let _ = write!(out, ",{}", g.levels(field).get(*c).copied().unwrap_or(0));
    }
    out.push('\n');
}
