//! The school template: its dropdowns hold exactly the schemas' vocabularies, and a template
//! filled in (programmatically here) reads back with exact figures and no issue; a value
//! pasted from outside a dropdown is reported.

use crate::common::*;
use bdtx::domain::schema::Schemas;
use bdtx::tools::template::{
    list_reference, list_values, school_template, Fill, Prefill, TemplateOptions,
};
use calamine::{open_workbook_auto, Reader};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

fn opts() -> TemplateOptions {
    TemplateOptions {
        school_year: "2024-2025".into(),
        deadline: "17/5/2025".into(),
        contact: "Tổ chức cán bộ".into(),
        rows: 50,
    }
}

/// Every `<dataValidation>` of a sheet of the xlsx: (cells, formula1).
fn validations(xlsx: &[u8], sheet_index: usize) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{sheet_index}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("<dataValidation ")
        .skip(1)
        .filter_map(|v| {
            let sqref = v.split("sqref=\"").nth(1)?.split('"').next()?.to_string();
            let formula = v
                .split("<formula1>")
                .nth(1)
                .and_then(|f| f.split("</formula1>").next())
                .unwrap_or("");
            Some((sqref, formula.replace("&apos;", "'")))
        })
        .collect()
}

#[test]
fn dropdowns_hold_the_schema_vocabularies() {
    let s = Schemas::load(None).unwrap();
    let bytes = school_template(
        Some(&bdtx::domain::model::School::new(
            "TH01",
            "Trường Tiểu học Kim Đồng",
            "tieu_hoc",
        )),
        &Prefill::default(),
        &opts(),
        &s,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let mut wb = open_workbook_auto(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Thông tin trường",
            "Đội ngũ",
            "BDTX",
            "Hướng dẫn",
            "Danh mục"
        ]
    );
    // The guide tells the school to check its file with the office's page before sending it.
    let guide = wb.worksheet_range("Hướng dẫn").unwrap();
    let told = guide.get_value((4, 0)).unwrap().to_string();
    assert!(
        told.starts_with("Trước khi gửi: mở trang \"kiem_tra_truoc_khi_gui.html\""),
        "{told}"
    );
    // Each list column of the hidden sheet is exactly a vocabulary's labels.
    let lists = wb.worksheet_range("Danh mục").unwrap();
    let mut checked = 0;
    for c in 0..lists.width() {
        let name = lists.get_value((0, c as u32)).unwrap().to_string();
        let values: Vec<String> = (1..lists.height())
            .filter_map(|r| lists.get_value((r as u32, c as u32)))
            .map(|d| d.to_string())
            .filter(|v| !v.is_empty())
            .collect();
        assert_eq!(values, list_values(&s, &name), "list {name}");
        checked += 1;
    }
    assert_eq!(checked, 13);
    // Each vocabulary column of the staff sheet validates against its list, rows 5 to 54.
    let staff = validations(&bytes, 2);
    for (c, key) in s.staff.template.iter().enumerate() {
        let letter = bdtx::domain::text::column_letter(c as u32);
        let Some(vocab) = s.staff.column(key).unwrap().vocab.clone() else {
            continue;
        };
        let reference = list_reference(&s, &vocab).unwrap();
        let cells = format!("{letter}5:{letter}54");
        assert!(
            staff.contains(&(cells.clone(), reference.trim_start_matches('=').to_string())),
            "{key}: {cells} {reference} not in {staff:?}"
        );
    }
    // Scores 0–10 and dates are validated too.
    let training = validations(&bytes, 3);
    assert!(
        training
            .iter()
            .any(|(cells, f)| cells == "E5:E54" && f == "0"),
        "{training:?}"
    );
}

fn filled(code: &'static str, level: &str, rows: &[(&str, &str, &str, &str, [f64; 3])]) -> Vec<u8> {
    let s = Schemas::load(None).unwrap();
    let mut prefill = Prefill::default();
    for (i, (name, gender, role, qual, scores)) in rows.iter().enumerate() {
        let birth = NaiveDate::from_ymd_opt(1980 + i as i32, 3, 15).unwrap();
        let mut staff = BTreeMap::new();
        staff.insert("seq".to_string(), Fill::Number(i as f64 + 1.0));
        for (k, v) in [
            ("name", *name),
            ("gender", *gender),
            ("role", *role),
            ("qualification", *qual),
            ("ethnicity", "Tày"),
        ] {
            staff.insert(k.to_string(), Fill::Text(v.to_string()));
        }
        staff.insert("birth_date".to_string(), Fill::Date(birth));
        // Every other person on a contract; the principal with both management certificates.
        let employment =
            s.vocab["employment"].label(if i % 2 == 0 { "permanent" } else { "contract" });
        staff.insert("employment".to_string(), Fill::Text(employment));
        if *role == "Hiệu trưởng" {
            for key in ["management_training", "state_management"] {
                staff.insert(key.to_string(), Fill::Text("x".into()));
            }
        }
        staff.insert(
            "standard_rating".to_string(),
            Fill::Text(s.vocab["standard_rating"].label("fair")),
        );
        prefill.staff.push(staff);
        if role.contains("Nhân viên") || *role == "Kế toán" {
            continue;
        }
        let mut t = BTreeMap::new();
        t.insert("name".to_string(), Fill::Text(name.to_string()));
        t.insert("birth_date".to_string(), Fill::Date(birth));
        for (j, sc) in scores.iter().enumerate() {
            t.insert(format!("score_{}", j + 1), Fill::Number(*sc));
        }
        t.insert(
            "modules".to_string(),
            Fill::Text(
                if level == "thcs" {
                    "GVTHCS01, GVTHCS02"
                } else {
                    "GVTH01"
                }
                .into(),
            ),
        );
        prefill.training.push(t);
    }
    let name = if level == "thcs" {
        "Trường THCS Lê Lợi"
    } else {
        "Trường Tiểu học Kim Đồng"
    };
    school_template(
        Some(&bdtx::domain::model::School::new(code, name, level)),
        &prefill,
        &opts(),
        &s,
    )
    .unwrap()
}

fn district(dir: &Path, bad_role: bool) {
    write_registry(
        dir,
        &[
            ("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học"),
            ("CS01", "Trường THCS Lê Lợi", "THCS"),
        ],
    );
    let role = if bad_role {
        "Hợp đồng 68"
    } else {
        "Giáo viên"
    };
    let th = filled(
        "TH01",
        "tieu_hoc",
        &[
            ("Lê Văn An", "Nam", "Hiệu trưởng", "Thạc sĩ", [9., 9., 9.]),
            ("Trần Thị Bình", "Nữ", role, "Đại học", [8., 7., 6.]),
            ("Phạm Thị Cúc", "Nữ", "Giáo viên", "Cao đẳng", [4., 7., 6.]),
            ("Vũ Văn Dũng", "Nam", "Kế toán", "Trung cấp", [0., 0., 0.]),
        ],
    );
    let cs = filled(
        "CS01",
        "thcs",
        &[
            (
                "Hoàng Văn Em",
                "Nam",
                "Phó hiệu trưởng",
                "Đại học",
                [7., 7., 7.],
            ),
            (
                "Đỗ Thị Giang",
                "Nữ",
                "Giáo viên",
                "Tiến sĩ",
                [10., 10., 10.],
            ),
            (
                "Ngô Thị Hoa",
                "Nữ",
                "Tổng phụ trách Đội",
                "Trung cấp",
                [5., 5., 5.],
            ),
        ],
    );
    std::fs::write(dir.join("kim_dong.xlsx"), th).unwrap();
    std::fs::write(dir.join("le_loi.xlsx"), cs).unwrap();
}

#[test]
fn filled_templates_read_back_exactly_with_no_issue() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path(), false);
    let job = run(dir.path());
    assert!(job.issues.is_empty(), "{:?}", job.issues);
    let st = |c: &str| job.school(c).unwrap().measures.stats.clone();
    let (th, cs) = (st("TH01"), st("CS01"));
    let s = &th.staff;
    assert_eq!(
        (
            s.total,
            s.managers,
            s.teachers,
            s.support,
            s.female,
            s.ethnic_minority
        ),
        (4, 1, 2, 1, 2, 4)
    );
    let q = &th.teacher_qualification;
    assert_eq!(
        (q.bachelor, q.college, th.teachers_meeting_standard),
        (1, 1, 1)
    );
    // The columns of issue 19 read back: Biên chế / Hợp đồng and the certificates.
    let groups = &job.school("TH01").unwrap().measures.groups;
    let all = &groups["all"];
    assert_eq!((all.total, all.permanent, all.contract), (4, 2, 2));
    let managers = &groups["managers"];
    assert_eq!(
        (
            managers.total,
            managers.management_training,
            managers.state_management
        ),
        (1, 1, 1)
    );
    assert_eq!(
        (groups["teachers"].permanent, groups["teachers"].contract),
        (1, 1)
    );
    assert_eq!(
        (
            th.training.completed,
            th.training.not_completed,
            th.training.no_result
        ),
        (2, 1, 0)
    );
    let s = &cs.staff;
    assert_eq!(
        (s.total, s.managers, s.teachers, s.support, s.female),
        (3, 1, 2, 0, 2)
    );
    assert_eq!(
        (
            cs.teacher_qualification.doctorate,
            cs.teacher_qualification.intermediate
        ),
        (1, 1)
    );
    assert_eq!((cs.training.completed, cs.training.not_completed), (3, 0));
    assert_eq!(
        job.figures.schools[1]
            .training_detail
            .modules
            .get("GVTHCS01"),
        Some(&3)
    );
    assert_rows_balance(&job);
}

#[test]
fn a_value_pasted_from_outside_the_dropdown_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path(), true);
    let job = run(dir.path());
    let found: Vec<(String, Option<u32>, Option<String>, String)> = job
        .issues
        .iter()
        .map(|i| (i.sheet.clone(), i.row, i.column.clone(), i.code.clone()))
        .collect();
    // Row 6 of the staff sheet (header on row 4), role in column G; her BDTX row then has no one to match.
    assert_eq!(
        found,
        [
            (
                "BDTX".to_string(),
                Some(6),
                Some("B".to_string()),
                "training_unmatched".to_string()
            ),
            (
                "Đội ngũ".to_string(),
                Some(6),
                Some("G".to_string()),
                "unknown_role".to_string()
            ),
        ]
    );
}

#[test]
fn templates_prefilled_from_last_year_read_back_the_same_staff() {
    let tmp = tempfile::tempdir().unwrap();
    let last = tmp.path().join("last");
    district(&last, false);
    let out = tmp.path().join("out");
    bdtx(&[
        "run",
        "--input",
        last.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--year",
        "2024-2025",
    ]);
    let this = tmp.path().join("this");
    let registry = last.join("danh_muc_truong.xlsx");
    bdtx(&[
        "template",
        "--out",
        this.to_str().unwrap(),
        "--registry",
        registry.to_str().unwrap(),
        "--year",
        "2025-2026",
        "--with-staff",
        out.to_str().unwrap(),
    ]);
    std::fs::copy(&registry, this.join("danh_muc_truong.xlsx")).unwrap();
    let before = run(&last);
    // The templates say "Năm học 2025-2026": the year is read from them.
    let after = run_reading_year(&this);
    assert_eq!(after.figures.school_year, "2025-2026");
    for code in ["TH01", "CS01"] {
        let staff = |job: &bdtx::pipeline::JobResult| {
            job.school(code).unwrap().measures.stats.staff.clone()
        };
        assert_eq!(staff(&after), staff(&before), "{code}");
    }
    // Nothing wrong in the prefilled lists; only the BDTX results are still to come.
    assert!(after.issues.is_empty(), "{:?}", after.issues);
}
