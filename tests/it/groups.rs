//! Figures by group of staff (issue 19): a school with managers, teachers and support staff of
//! mixed qualifications, contract staff and certificates gives exact figures for every group,
//! in summary.json and the printed sheet; the Tô Hiệu plan's staff-wide goals (seed 000: 80%
//! of CBQL, GV, NV above the standard, 24/30; half of them party members, 15/30) are judged by
//! goal metrics.

use crate::common::*;
use bdtx::analyse::groups::FIGURES;
use bdtx::analyse::targets::Judgment;
use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;

fn registry(dir: &Path) {
    let rows = vec![
        vec![
            S("Mã trường"),
            S("Tên trường"),
            S("Cấp học"),
            S("Số lớp"),
            S("Số buổi/ngày"),
            S("Tỷ lệ CB, GV, NV trên chuẩn mục tiêu (%)"),
            S("Tỷ lệ đảng viên mục tiêu (%)"),
        ],
        vec![
            S("G1"),
            S("Trường Tiểu học Số Một"),
            S("Tiểu học"),
            N(4.),
            N(2.),
            E,
            E,
        ],
        vec![
            S("TH000"),
            S("Trường Tiểu học Tô Hiệu"),
            S("Tiểu học"),
            N(15.),
            N(2.),
            N(80.),
            N(50.),
        ],
        vec![
            S("TH001"),
            S("Trường Tiểu học Tô Hiệu Hai"),
            S("Tiểu học"),
            N(15.),
            N(2.),
            N(80.),
            N(50.),
        ],
    ];
    write_xlsx(&dir.join("danh_muc_truong.xlsx"), &[("DM", rows)]);
}

const HEADER: [&str; 10] = [
    "Họ và tên",
    "Giới tính",
    "Chức vụ",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Biên chế / Hợp đồng",
    "Đảng viên",
    "Chứng chỉ bồi dưỡng CBQL",
    "Quản lý nhà nước",
    "Tin học",
];

fn staff(dir: &Path, code: &'static str, people: Vec<[&'static str; 10]>) {
    let mut rows = vec![
        vec![S("Mã trường:"), S(code)],
        HEADER.iter().map(|h| S(h)).collect(),
    ];
    rows.extend(people.into_iter().map(|p| p.iter().map(|c| S(c)).collect()));
    write_xlsx(&dir.join(format!("{code}.xlsx")), &[("DS", rows)]);
}

/// Tô Hiệu: 3 managers, 22 teachers, 5 support staff; `above` of them with a master's
/// degree (above the primary standard), the first 15 party members.
fn to_hieu(dir: &Path, code: &'static str, above: usize) {
    let mut people = Vec::new();
    for i in 0..30 {
        let name: &'static str = Box::leak(format!("Người Số {i}").into_boxed_str());
        let role = match i {
            0 => "Hiệu trưởng",
            1 | 2 => "Phó hiệu trưởng",
            3..=24 => "Giáo viên",
            _ => "Nhân viên",
        };
        let qualification = if i < above {
            "Thạc sĩ"
        } else {
            "Đại học"
        };
        let party = if i < 15 { "x" } else { "" };
        people.push([name, "Nữ", role, qualification, "", "BC", party, "", "", ""]);
    }
    staff(dir, code, people);
}

fn district(dir: &Path) {
    registry(dir);
    staff(
        dir,
        "G1",
        vec![
            [
                "Lê Thị Hà",
                "Nữ",
                "Hiệu trưởng",
                "Thạc sĩ",
                "Trung cấp",
                "Biên chế",
                "x",
                "x",
                "x",
                "B",
            ],
            [
                "Lê Văn Hải",
                "Nam",
                "Phó hiệu trưởng",
                "Đại học",
                "Sơ cấp",
                "Biên chế",
                "",
                "x",
                "",
                "",
            ],
            [
                "Lê Văn Hùng",
                "Nam",
                "Giáo viên",
                "Thạc sĩ",
                "",
                "BC",
                "x",
                "",
                "",
                "B",
            ],
            [
                "Lê Thị Hoa",
                "Nữ",
                "Giáo viên",
                "Đại học",
                "",
                "Biên chế",
                "",
                "",
                "",
                "",
            ],
            [
                "Lê Thị Huệ",
                "Nữ",
                "Giáo viên",
                "Cao đẳng",
                "",
                "HĐ",
                "",
                "",
                "",
                "",
            ],
            [
                "Lê Thị Hồng",
                "Nữ",
                "Giáo viên",
                "Trung cấp",
                "",
                "HĐ 68",
                "",
                "",
                "",
                "",
            ],
            [
                "Lê Văn Hưng",
                "Nam",
                "Kế toán",
                "Đại học",
                "",
                "Hợp đồng NĐ 111",
                "",
                "",
                "",
                "",
            ],
            [
                "Lê Thị Hạnh",
                "Nữ",
                "Văn thư",
                "Trung cấp",
                "",
                "Biên chế",
                "",
                "",
                "",
                "",
            ],
        ],
    );
    to_hieu(dir, "TH000", 24);
    to_hieu(dir, "TH001", 23);
}

/// A run's summary.json, and its line of the school G1.
fn summary_and_g1(run: &Path) -> (serde_json::Value, serde_json::Value) {
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("summary.json")).unwrap()).unwrap();
    let g1 = summary["schools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "G1")
        .unwrap()
        .clone();
    (summary, g1)
}

#[test]
fn every_group_has_exact_figures() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    let g = &job.school("G1").unwrap().measures.groups;
    // (total, female, party, permanent, contract, meeting, above, management, state)
    let row = |name: &str| {
        let x = &g[name];
        (
            x.total,
            x.female,
            x.party_members,
            x.permanent,
            x.contract,
            x.meeting_standard,
            x.above_standard,
            x.management_training,
            x.state_management,
        )
    };
    assert_eq!(row("managers"), (2, 1, 1, 2, 0, 2, 1, 2, 1));
    assert_eq!(row("teachers"), (4, 3, 1, 2, 2, 2, 1, 0, 0));
    assert_eq!(row("support"), (2, 1, 0, 1, 1, 1, 0, 0, 0));
    assert_eq!(row("all"), (8, 5, 2, 5, 3, 5, 2, 2, 1));
    let q = &g["all"].qualification;
    assert_eq!(
        (q.master, q.bachelor, q.college, q.intermediate),
        (2, 3, 1, 2)
    );
    assert_eq!(g["managers"].political_in(&["intermediate"]), 1);
    assert_eq!(g["managers"].political_theory.get("basic"), Some(&1));
    assert_eq!(g["all"].it_level.values().sum::<u32>(), 2);
    // The office adds the three schools up.
    assert_eq!(job.figures.district.groups["all"].total, 68);

    // The same figures in the printed sheet.
    let out = tempfile::tempdir().unwrap();
    bdtx(&run_args(dir.path(), out.path()));
    let mut wb = open_workbook_auto(out.path().join("2024-2025/phu_luc_2024-2025.xlsx")).unwrap();
    let sheet = wb.worksheet_range("PL4 Đội ngũ theo nhóm").unwrap();
    let line = (0..sheet.height() as u32)
        .find(|&r| {
            sheet.get_value((r, 0)) == Some(&Data::String("Trường Tiểu học Số Một".into()))
                && sheet.get_value((r, 1)) == Some(&Data::String("Tổng số".into()))
        })
        .unwrap();
    let figures: Vec<f64> = (2..8)
        .map(|c| match sheet.get_value((line, c)) {
            Some(Data::Float(x)) => *x,
            other => panic!("{other:?}"),
        })
        .collect();
    // Tổng, Nữ, DTTS, Đảng viên, Biên chế, Hợp đồng
    assert_eq!(figures, [8., 5., 0., 2., 5., 3.]);
    let (_, g1) = summary_and_g1(&out.path().join("2024-2025"));
    assert_eq!(g1["groups"]["teachers"]["contract"], 2);
    assert_eq!(g1["groups"]["all"]["above_standard"], 2);

    // Each declared figure (issue 30: declared once) is the same in the sheet, where its
    // label heads its column, and in nhom.csv, under its key.
    let all = &g["all"];
    let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    let at = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let top = (0..line)
        .find(|&r| at(r, 1) == s.label("col_group"))
        .unwrap();
    let header: Vec<String> = (0..sheet.width() as u32).map(|c| at(top, c)).collect();
    let csv = std::fs::read_to_string(out.path().join("2024-2025/du_lieu/nhom.csv")).unwrap();
    let keys: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let g1_all: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("G1,all,"))
        .unwrap()
        .split(',')
        .collect();
    let mut printed = 0;
    for f in &FIGURES {
        let value = (f.get)(all);
        if let Some(label) = f.label {
            let c = header
                .iter()
                .position(|h| h == s.label(label))
                .unwrap_or_else(|| panic!("{label}: {header:?}"));
            assert_eq!(
                sheet.get_value((line, c as u32)),
                Some(&Data::Float(value as f64)),
                "{}",
                f.key
            );
            printed += 1;
        }
        match keys.iter().position(|k| *k == f.key) {
            Some(c) => assert_eq!(g1_all[c], value.to_string(), "{}", f.key),
            None => assert!(!f.in_tables, "{}", f.key),
        }
    }
    assert_eq!((printed, header.len()), (19, 21));
}

#[test]
fn the_to_hieu_plans_staff_wide_goals() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    let goals = |code: &str| {
        job.school(code)
            .unwrap()
            .targets
            .goals
            .iter()
            .map(|g| (g.column.clone(), g.judgment, g.value, g.gap_people))
            .collect::<Vec<_>>()
    };
    // 24 of 30 above the standard is 80%: met; 15 of 30 party members is 50%: met.
    assert_eq!(
        goals("TH000"),
        [
            (
                "goal_all_staff_above_standard_pct".into(),
                Judgment::Met,
                80.0,
                0
            ),
            ("goal_party_members_pct".into(), Judgment::Met, 50.0, 0),
        ]
    );
    // 23 of 30 is 76.67%: one more person above the standard needed.
    assert_eq!(
        goals("TH001")[0],
        (
            "goal_all_staff_above_standard_pct".into(),
            Judgment::NotMet,
            76.67,
            1
        )
    );
}

/// Runs bdtx on the test district with rules.toml declaring `figures` after the default
/// rules; returns the output folder and how the run ended.
fn run_declaring(figures: &str) -> (tempfile::TempDir, std::process::Output) {
    let (dir, schemas, out) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    district(dir.path());
    let rules = std::fs::read_to_string(repo_path("schemas/rules.toml")).unwrap();
    let declared = format!("{rules}\n{figures}");
    std::fs::write(schemas.path().join("rules.toml"), declared).unwrap();
    let mut args = run_args(dir.path(), out.path()).to_vec();
    args.extend(["--schemas", schemas.path().to_str().unwrap()]);
    let ran = std::process::Command::new(env!("CARGO_BIN_EXE_bdtx"))
        .args(&args)
        .output()
        .unwrap();
    (out, ran)
}

#[test]
fn a_figure_the_office_declares_is_counted_in_summary_csv_and_sheet() {
    // A code list, a text column written or not, a yes/no column.
    let (out, ran) = run_declaring(
        r#"
[[figures]]
key = "master_or_higher"
label = "Thạc sĩ trở lên"
column = "qualification"
is = ["master", "doctorate"]

[[figures]]
key = "it_written"
label = "Có trình độ tin học"
column = "it_level"

[[figures]]
key = "state_management_again"
label = "QLNN (khai báo)"
column = "state_management"
"#,
    );
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let run = out.path().join("2024-2025");

    // summary.json: G1 has Hà (manager) and Hùng (teacher) with a master's and a B in IT,
    // Hà alone with the state-management certificate; Tô Hiệu 24 and 23 masters.
    let (summary, g1) = summary_and_g1(&run);
    let figure = |groups: &serde_json::Value, group: &str, key: &str| groups[group][key].clone();
    for (group, masters, it, state) in [
        ("managers", 1, 1, 1),
        ("teachers", 1, 1, 0),
        ("support", 0, 0, 0),
        ("all", 2, 2, 1),
    ] {
        assert_eq!(figure(&g1["groups"], group, "master_or_higher"), masters);
        assert_eq!(figure(&g1["groups"], group, "it_written"), it);
        assert_eq!(
            figure(&g1["groups"], group, "state_management_again"),
            state
        );
        // The declared yes/no figure equals the built-in one on the same column.
        assert_eq!(
            figure(&g1["groups"], group, "state_management_again"),
            figure(&g1["groups"], group, "state_management")
        );
    }
    assert_eq!(
        figure(&summary["district_groups"], "all", "master_or_higher"),
        2 + 24 + 23
    );

    // nhom.csv: the keys after the built-in figures, G1's line and the office's.
    let csv = std::fs::read_to_string(run.join("du_lieu/nhom.csv")).unwrap();
    let keys: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = |key: &str| keys.iter().position(|k| *k == key).unwrap();
    assert_eq!(column("master_or_higher"), column("training_no_result") + 1);
    assert!(column("state_management_again") < column("political_theory:none"));
    let line = |start: &str| -> Vec<String> {
        let line = csv.lines().find(|l| l.starts_with(start)).unwrap();
        line.split(',').map(str::to_string).collect()
    };
    let (g1_all, office_all) = (line("G1,all,"), line(",all,"));
    assert_eq!(
        [
            &g1_all[column("master_or_higher")],
            &g1_all[column("it_written")],
            &g1_all[column("state_management_again")],
            &office_all[column("master_or_higher")],
        ],
        ["2", "2", "1", "49"]
    );

    // The annex's groups sheet: the labels head the last columns, G1's line holds the counts.
    let mut wb = open_workbook_auto(run.join("phu_luc_2024-2025.xlsx")).unwrap();
    let sheet = wb.worksheet_range("PL4 Đội ngũ theo nhóm").unwrap();
    let at = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let rows = 0..sheet.height() as u32;
    let top = rows.clone().find(|&r| at(r, 1) == "Nhóm").unwrap();
    let width = sheet.width() as u32;
    let last: Vec<String> = (width - 3..width).map(|c| at(top, c)).collect();
    assert_eq!(
        last,
        ["Thạc sĩ trở lên", "Có trình độ tin học", "QLNN (khai báo)"]
    );
    let g1_line = rows
        .clone()
        .find(|&r| at(r, 0) == "Trường Tiểu học Số Một" && at(r, 1) == "Tổng số")
        .unwrap();
    let counts: Vec<String> = (width - 3..width).map(|c| at(g1_line, c)).collect();
    assert_eq!(counts, ["2", "2", "1"]);
}

#[test]
fn a_declared_figure_on_a_column_the_table_lacks_stops_the_run_saying_which() {
    let (out, ran) =
        run_declaring("[[figures]]\nkey = \"typo\"\nlabel = \"Lỗi\"\ncolumn = \"qualificaton\"\n");
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(!ran.status.success());
    assert!(
        stderr.contains("[[figures]] \"typo\"") && stderr.contains("\"qualificaton\""),
        "{stderr}"
    );
    // Nothing half-written.
    assert!(!out.path().join("2024-2025").exists());
}
