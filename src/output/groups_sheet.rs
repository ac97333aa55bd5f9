//! The sheet "Đội ngũ theo nhóm": for the office and each school, one line per group of staff
//! (CBQL, GV, NV, all) with the figures school plans set targets on.

use super::xlsx::{num, owned_labels, titled, txt, Table, Val};
use crate::analyse::groups::{GroupCounts, Groups, GROUPS};
use crate::domain::schema::Schemas;
use crate::pipeline::JobResult;

const COLUMNS: [&str; 21] = [
    "col_school",
    "col_group",
    "col_total_people",
    "col_female",
    "col_minority",
    "col_party",
    "col_permanent",
    "col_contract",
    "col_q_doctorate",
    "col_q_master",
    "col_q_bachelor",
    "col_q_college",
    "col_q_intermediate",
    "col_q_other",
    "col_meeting_standard_all",
    "col_above_standard_all",
    "col_political_intermediate",
    "col_management_training",
    "col_state_management",
    "col_training_completed",
    "col_training_not_completed",
];

/// The figures printed, by their name in `GroupCounts::figures`, after school and group.
const FIGURES: [&str; 19] = [
    "total",
    "female",
    "ethnic_minority",
    "party_members",
    "permanent",
    "contract",
    "doctorate",
    "master",
    "bachelor",
    "college",
    "intermediate",
    "other",
    "meeting_standard",
    "above_standard",
    "political_intermediate_or_higher",
    "management_training",
    "state_management",
    "training_completed",
    "training_not_completed",
];

/// The group's figures; one nobody's value was written for is "—", not 0.
fn cells(g: &GroupCounts) -> Vec<Val> {
    let figures = g.figures();
    FIGURES
        .iter()
        .map(|name| match g.not_collected(name) {
            true => txt("—"),
            false => num(figures.iter().find(|(n, _)| n == name).map_or(0, |f| f.1)),
        })
        .collect()
}

/// The office's lines by group, then each school's.
pub(crate) fn table(job: &JobResult, s: &Schemas) -> Table {
    let headers = owned_labels(s, &COLUMNS);
    let mut rows = Vec::new();
    let mut bold = Vec::new();
    // By name (the school's code is in the report's tables): one column less to print.
    let mut add = |name: &str, groups: &Groups, total: bool| {
        for group in GROUPS {
            let mut row = vec![txt(name), txt(s.label(&format!("group_{group}")))];
            row.extend(cells(groups.get(group).unwrap_or(&GroupCounts::default())));
            if total || group == "all" {
                bold.push(rows.len());
            }
            rows.push(row);
        }
    };
    add(s.label("district_row"), &job.district.groups, true);
    for school in &job.schools {
        add(&school.school.name, &school.measures.groups, false);
    }
    Table {
        bold,
        ..Table::new(titled(s, "title_groups", &job.school_year), headers, rows)
    }
}
