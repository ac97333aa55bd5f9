//! `du_lieu/nhom.csv`: the figures of each group of staff, one line per school (and the office,
//! with an empty code) and group, for officers who load the tables elsewhere.

use crate::analyse::groups::{GroupCounts, Groups, GROUPS, LEVEL_FIELDS};
use crate::domain::schema::Schemas;
use crate::pipeline::JobResult;
use std::fmt::Write;

pub fn csv(job: &JobResult, s: &Schemas) -> String {
    let level_columns: Vec<(&str, &str)> = LEVEL_FIELDS
        .iter()
        .flat_map(|f| {
            s.vocab[*f]
                .entries
                .iter()
                .map(move |e| (*f, e.code.as_str()))
        })
        .collect();
    let mut out = String::from(
        "school,group,total,female,ethnic_minority,party_members,permanent,contract,\
         doctorate,master,bachelor,college,intermediate,other,qualification_unknown,\
         meeting_standard,above_standard,management_training,state_management,\
         training_completed,training_not_completed,training_no_result",
    );
    for (field, code) in &level_columns {
        let _ = write!(out, ",{field}:{code}");
    }
    out.push('\n');
    let mut lines = |code: &str, groups: &Groups| {
        for group in GROUPS {
            let g = groups.get(group).cloned().unwrap_or_default();
            line(&mut out, code, group, &g, &level_columns);
        }
    };
    lines("", &job.district.groups);
    for school in &job.schools {
        lines(&school.school.code, &school.measures.groups);
    }
    out
}

fn line(out: &mut String, code: &str, group: &str, g: &GroupCounts, levels: &[(&str, &str)]) {
    let q = &g.qualification;
    let code = if code.contains([',', '"', '\n']) {
        format!("\"{}\"", code.replace('"', "\"\""))
    } else {
        code.to_string()
    };
    let figures = [
        g.total,
        g.female,
        g.ethnic_minority,
        g.party_members,
        g.permanent,
        g.contract,
        q.doctorate,
        q.master,
        q.bachelor,
        q.college,
        q.intermediate,
        q.other,
        g.qualification_unknown,
        g.meeting_standard,
        g.above_standard,
        g.management_training,
        g.state_management,
        g.training.completed,
        g.training.not_completed,
        g.training.no_result,
    ];
    let _ = write!(out, "{code},{group}");
    for n in figures {
        let _ = write!(out, ",{n}");
    }
    for (field, c) in levels {
        let _ = write!(out, ",{}", g.levels(field).get(*c).copied().unwrap_or(0));
    }
    out.push('\n');
}
