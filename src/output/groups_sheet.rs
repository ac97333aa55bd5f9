//! The sheet "Đội ngũ theo nhóm": for the office and each school, one line per group of staff
//! (CBQL, GV, NV, all) with the figures school plans set targets on.

use super::xlsx::{num, owned_labels, titled, txt, Table, Val};
use crate::analyse::groups::{GroupCounts, GroupFigure, Groups, FIGURES, GROUPS};
use crate::domain::schema::Schemas;
use crate::pipeline::Figures;

/// The figures the sheet prints, after school and group: those with a label.
fn printed() -> impl Iterator<Item = &'static GroupFigure> {
    FIGURES.iter().filter(|f| f.label.is_some())
}

/// The group's figures, then the office's; one nobody's value was written for is "—", not 0.
fn cells(g: &GroupCounts, s: &Schemas) -> Vec<Val> {
    printed()
        .map(|f| match g.not_collected(f) {
            true => txt("—"),
            false => num((f.get)(g)),
        })
        .chain(
            s.rules
                .figures
                .iter()
                .map(|f| num(g.declared.get(&f.key).copied().unwrap_or(0))),
        )
        .collect()
}

/// The office's lines by group, then each school's.
pub(crate) fn table(fig: &Figures, s: &Schemas) -> Table {
    let columns: Vec<&str> = ["col_school", "col_group"]
        .into_iter()
        .chain(printed().filter_map(|f| f.label))
        .collect();
    let mut headers = owned_labels(s, &columns);
    headers.extend(s.rules.figures.iter().map(|f| f.label.clone()));
    let mut rows = Vec::new();
    let mut bold = Vec::new();
    // By name (the school's code is in the report's tables): one column less to print.
    let mut add = |name: &str, groups: &Groups, total: bool| {
        for group in GROUPS {
            let mut row = vec![txt(name), txt(s.label(&format!("group_{group}")))];
            row.extend(cells(
                groups.get(group).unwrap_or(&GroupCounts::default()),
                s,
            ));
            if total || group == "all" {
                bold.push(rows.len());
            }
            rows.push(row);
        }
    };
    add(s.label("district_row"), &fig.district.groups, true);
    for school in &fig.schools {
        add(&school.school.name, &school.measures.groups, false);
    }
    Table {
        bold,
        ..Table::new(titled(s, "title_groups", &fig.school_year), headers, rows)
    }
}
