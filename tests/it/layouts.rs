//! The layouts, encodings and formats schools really send (tests/fixtures, made by
//! tests/make_fixtures.rs): exact per-school figures, the exact issue list, and every row
//! accounted for.

use crate::common::*;
use std::path::Path;

fn district(dir: &Path) {
    write_registry(
        dir,
        &[
            ("TH10", "Trường Tiểu học Hòa Bình", "Tiểu học"),
            ("TH11", "Trường Tiểu học Tân Lập", "Tiểu học"),
            ("CS10", "Trường THCS Đông Phong", "THCS"),
            ("TH12", "Trường Tiểu học Yên Hòa", "Tiểu học"),
            ("TH13", "Trường Tiểu học Minh Đức", "Tiểu học"),
        ],
    );
    for f in [
        "tcvn3_hoa_binh.xlsx",
        "vni_tan_lap.xls",
        "nfd_dong_phong.xlsx",
        "yen_hoa_merged.xlsx",
        "minh_duc.xlsm",
        "mat_khau.xlsx",
        "rong.xlsx",
        "khong_tieu_de.xlsx",
        "hong_cat_ngang.xlsx",
        "bang_diem.xls",
    ] {
        std::fs::copy(fixture(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("~$vni_tan_lap.xls"), "lock").unwrap();
}

/// (total, managers, teachers, support, female, minority, party), qualification counts
/// (doctorate … other), meeting, above, (completed, not completed, no result).
type Figures = ([u32; 7], [u32; 6], u32, u32, [u32; 3]);

fn figures(job: &bdtx::pipeline::JobResult, code: &str) -> Figures {
    let s = &job.school(code).unwrap().measures.stats;
    let (st, q, t) = (&s.staff, &s.teacher_qualification, &s.training);
    (
        [
            st.total,
            st.managers,
            st.teachers,
            st.support,
            st.female,
            st.ethnic_minority,
            st.party_members,
        ],
        [
            q.doctorate,
            q.master,
            q.bachelor,
            q.college,
            q.intermediate,
            q.other,
        ],
        s.teachers_meeting_standard,
        s.teachers_above_standard,
        [t.completed, t.not_completed, t.no_result],
    )
}

fn names(job: &bdtx::pipeline::JobResult, code: &str) -> Vec<String> {
    let df = &job.figures.people;
    let (school, name) = (
        df.column("school").unwrap().str().unwrap(),
        df.column("name").unwrap().str().unwrap(),
    );
    (0..df.height())
        .filter(|&i| school.get(i) == Some(code))
        .map(|i| name.get(i).unwrap().to_string())
        .collect()
}

#[test]
fn tcvn3_workbook_reads_as_unicode() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    // Hòa, Bình (managers); Thủy and Hương (blank role under "II. GIÁO VIÊN"), Thắng ("Tiếng
    // Anh" only) are teachers; Toàn (support). Hương has no BDTX row; Thắng failed content 2.
    assert_eq!(
        figures(&job, "TH10"),
        ([6, 2, 3, 1, 3, 0, 0], [0, 0, 2, 1, 0, 0], 2, 0, [3, 1, 1])
    );
    assert_eq!(
        names(&job, "TH10"),
        [
            "Nguyễn Thị Hòa",
            "Trần Văn Bình",
            "Lê Thị Thủy",
            "Phạm Đức Thắng",
            "Đỗ Thị Hương",
            "Vũ Văn Toàn"
        ]
    );
}

#[test]
fn vni_xls_with_birth_dates_under_gender_columns() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    // Gender from the column the birth date is under: Hạnh, Lan, Mai are women. No BDTX sheet.
    assert_eq!(
        figures(&job, "TH11"),
        ([5, 2, 2, 1, 3, 0, 3], [0, 0, 1, 1, 0, 0], 1, 0, [0, 0, 4])
    );
    assert_eq!(
        names(&job, "TH11"),
        [
            "Hoàng Văn Nam",
            "Lý Thị Hạnh",
            "Phan Thị Lan",
            "Bùi Văn Dũng",
            "Đặng Thị Mai"
        ]
    );
    let df = &job.figures.people;
    let text = |c: &str, i: usize| {
        df.column(c)
            .unwrap()
            .str()
            .unwrap()
            .get(i)
            .map(str::to_string)
    };
    let nam = (0..df.height())
        .find(|&i| text("name", i).as_deref() == Some("Hoàng Văn Nam"))
        .unwrap();
    let levels = (
        text("it_level", nam),
        text("language_level", nam),
        text("political_theory", nam),
    );
    let want = |s: &str| Some(s.to_string());
    assert_eq!(levels, (want("cert_b"), want("B1"), want("intermediate")));
}

#[test]
fn nfd_split_names_and_mixed_dates() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    // Minh's role cell says only "Toán" under "II. TỔ KHOA HỌC TỰ NHIÊN"; Nga's is blank;
    // Quỳnh is under "III. TỔ VĂN PHÒNG". Party: Hùng (a date), Nga (a year).
    assert_eq!(
        figures(&job, "CS10"),
        ([6, 2, 3, 1, 3, 2, 2], [1, 0, 1, 1, 0, 0], 2, 1, [4, 1, 0])
    );
    assert_eq!(
        names(&job, "CS10"),
        [
            "Trịnh Văn Hùng",
            "Ngô Thị Liên",
            "Hà Văn Minh",
            "Lương Thị Nga",
            "Chu Văn Phong",
            "Mạc Thị Quỳnh"
        ]
    );
    let df = &job.figures.people;
    let births: Vec<String> = {
        let b = df
            .column("birth_date")
            .unwrap()
            .cast(&polars::prelude::DataType::String)
            .unwrap();
        let school = df.column("school").unwrap().str().unwrap().clone();
        let b = b.str().unwrap().clone();
        (0..df.height())
            .filter(|&i| school.get(i) == Some("CS10"))
            .map(|i| b.get(i).unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        births,
        [
            "1979-01-01",
            "1982-04-10",
            "1985-06-15",
            "1985-06-15",
            "1990-01-01",
            "1993-01-01"
        ]
    );
}

#[test]
fn merged_name_columns_hidden_copy_and_results_without_scores() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    assert_eq!(
        figures(&job, "TH12"),
        ([4, 1, 2, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0], 1, 0, [2, 1, 0])
    );
    assert_eq!(
        names(&job, "TH12"),
        [
            "Nguyễn Văn An",
            "Trần Thị Bích",
            "Lê Văn Cường",
            "Phạm Thị Dung"
        ]
    );
    assert_eq!(
        figures(&job, "TH13"),
        ([2, 1, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], 1, 0, [2, 0, 0])
    );
}

#[test]
fn broken_files_are_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    let key = |f: &str, sheet: &str, c: &str| (f.to_string(), sheet.to_string(), c.to_string());
    let issues: Vec<(String, String, String)> = job
        .issues
        .iter()
        .map(|i| (i.file.clone(), i.sheet.clone(), i.code.clone()))
        .collect();
    assert_eq!(
        issues,
        vec![
            key("bang_diem.xls", "", "file_unreadable"),
            key("hong_cat_ngang.xlsx", "", "file_unreadable"),
            key("khong_tieu_de.xlsx", "Danh sách", "file_no_data_sheet"),
            key("mat_khau.xlsx", "", "file_password"),
            key("rong.xlsx", "", "file_empty"),
            key("tcvn3_hoa_binh.xlsx", "BDTX", "legacy_encoding"),
            key("tcvn3_hoa_binh.xlsx", "DS", "legacy_encoding"),
            key("vni_tan_lap.xls", "Doi ngu", "legacy_encoding"),
            key("yen_hoa_merged.xlsx", "DS cũ", "hidden_sheet_skipped"),
        ]
    );
    let message = |code: &str| message(job.issues.iter().find(|i| i.code == code).unwrap());
    assert!(message("file_password").contains("Tệp được đặt mật khẩu"));
    assert!(message("file_no_data_sheet").contains("Chức vụ / Vị trí việc làm"));
    assert!(message("legacy_encoding").contains("TCVN3"));
    assert_eq!(
        job.received.files_ignored,
        vec!["~$vni_tan_lap.xls".to_string()]
    );
    let failed: Vec<&str> = job
        .received
        .files_failed
        .iter()
        .map(|f| f.file.as_str())
        .collect();
    assert_eq!(
        failed,
        [
            "bang_diem.xls",
            "hong_cat_ngang.xlsx",
            "mat_khau.xlsx",
            "rong.xlsx"
        ]
    );
    assert!(job.figures.missing_submissions.is_empty());
}

#[test]
fn every_row_of_every_fixture_is_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    assert_rows_balance(&job);
    let counts = |k: &str| {
        let c = &job.received.rows[k];
        (c.data, c.accepted, c.rejected, c.skipped)
    };
    // 3 group labels, 6 people, a total, a date line and a signature line.
    assert_eq!(counts("tcvn3_hoa_binh.xlsx/DS"), (12, 6, 0, 6));
    // 3 group labels, 6 people, the "Cộng" line.
    assert_eq!(counts("nfd_dong_phong.xlsx/CBGVNV"), (10, 6, 0, 4));
    // 4 people and a row holding only its number; the blank row is not data.
    assert_eq!(counts("yen_hoa_merged.xlsx/DS 2024-2025"), (5, 4, 0, 1));
    // The hidden old copy: skipped whole.
    assert_eq!(counts("yen_hoa_merged.xlsx/DS cũ"), (2, 0, 0, 2));
    assert_eq!(counts("vni_tan_lap.xls/Doi ngu"), (5, 5, 0, 0));
}

#[test]
fn skipped_rows_keep_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    let reasons = |k: &str| {
        job.received.rows[k]
            .skipped_reasons
            .iter()
            .map(|(r, n)| (r.clone(), *n))
            .collect::<Vec<_>>()
    };
    let r = |k: &str, n| (k.to_string(), n);
    assert_eq!(
        reasons("tcvn3_hoa_binh.xlsx/DS"),
        [r("footer", 2), r("group_label", 3), r("total", 1)]
    );
    assert_eq!(
        reasons("yen_hoa_merged.xlsx/DS 2024-2025"),
        [r("seq_only", 1)]
    );
    assert_eq!(reasons("yen_hoa_merged.xlsx/DS cũ"), [r("hidden_sheet", 2)]);
}
