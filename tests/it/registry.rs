//! A registry exported from the national database: system-style headers ("MA_TRUONG *"),
//! codes stored as text, levels as numeric codes, and every level of a province mixed.

use crate::common::*;
use bdtx::domain::issue::Severity;

/// (code, name, CAP_HOC, national standard, disadvantaged, commune code)
type Unit = (&'static str, &'static str, C, C, C, &'static str);

fn export(dir: &std::path::Path, units: &[Unit]) {
    let mut rows = vec![
        vec![S("DANH SÁCH ĐƠN VỊ - SỞ GIÁO DỤC VÀ ĐÀO TẠO")],
        vec![],
        vec![
            S("STT"),
            S("MA_TRUONG *"),
            S("TEN_TRUONG_HOC *"),
            S("CAP_HOC *"),
            S("LOAI_HINH"),
            S("MA_XA_PHUONG"),
            S("CHUAN_QUOC_GIA *"),
            S("VUNG_KHO_KHAN"),
        ],
    ];
    for (i, (code, name, level, standard, hard, commune)) in units.iter().enumerate() {
        rows.push(vec![
            N(i as f64 + 1.0),
            S(code),
            S(name),
            level.clone(),
            S("Công lập"),
            S(commune),
            standard.clone(),
            hard.clone(),
        ]);
    }
    write_xlsx(&dir.join("danh_muc_truong.xlsx"), &[("DS", rows)]);
}

#[test]
fn an_export_keeps_its_primary_and_lower_secondary_schools_with_one_note() {
    let tmp = tempfile::tempdir().unwrap();
    export(
        tmp.path(),
        &[
            (
                "1917201010",
                "Trường Tiểu học Kim Đồng",
                N(1.0),
                N(1.0),
                N(0.0),
                "25240",
            ),
            (
                "1917201011",
                "Trường THCS Nguyễn Trãi",
                S("2"),
                N(2.0),
                N(1.0),
                "25240",
            ),
            (
                "1917201012",
                "Trường PTDTBT TH&THCS Na Ư",
                S("12"),
                N(0.0),
                N(1.0),
                "25243",
            ),
            (
                "1917201013",
                "Trường Mầm non Hoa Sen",
                S("45"),
                N(1.0),
                E,
                "25240",
            ),
            (
                "1917201014",
                "Trường Mẫu giáo Sơn Ca",
                N(45.0),
                E,
                E,
                "25243",
            ),
            (
                "1917201015",
                "Trường THPT Lê Quý Đôn",
                S("3"),
                E,
                E,
                "25240",
            ),
            (
                "1917201016",
                "Trung tâm GDNN-GDTX huyện Yên Hòa",
                S("6"),
                E,
                E,
                "25240",
            ),
            (
                "1917201017",
                "Trường Tiểu học Lê Lợi",
                E,
                S("Chưa đạt"),
                E,
                "25243",
            ),
            ("1917201018", "Trường Hy Vọng", S("9"), E, E, "25240"),
            ("1917201019", "Trường Sao Mai", S("9"), E, E, "25240"),
            ("1917201020", "Trường Hoa Mai", E, E, E, "25240"),
        ],
    );
    let job = run(tmp.path());
    let kept: Vec<(&str, &str, Option<&str>, bool)> = job
        .figures
        .schools
        .iter()
        .map(|r| {
            let s = &r.school;
            (
                s.code.as_str(),
                s.level.as_str(),
                s.commune.as_deref(),
                s.disadvantaged,
            )
        })
        .collect();
    assert_eq!(
        kept,
        [
            ("1917201010", "tieu_hoc", Some("25240"), false),
            ("1917201011", "thcs", Some("25240"), true),
            ("1917201012", "thcs", Some("25243"), true),
            ("1917201017", "tieu_hoc", Some("25243"), false),
        ]
    );
    // The export's national-standard column feeds the current level, in figures or words.
    let standard: Vec<Option<f64>> = job
        .figures
        .schools
        .iter()
        .map(|r| r.school.figures.get("national_standard_current").copied())
        .collect();
    assert_eq!(standard, [Some(1.0), Some(2.0), Some(0.0), Some(0.0)]);
    // Problems of the whole sheet first (no row): no Số lớp / Số buổi column, one warning
    // each instead of one per school, and one note for the four units of other levels; then
    // one error per level value not understood, at its first row.
    let registry: Vec<(Severity, String, Option<u32>, String)> = job
        .issues
        .iter()
        .filter(|i| i.file == "danh_muc_truong.xlsx")
        .map(|i| (i.severity, i.code.clone(), i.row, message(i)))
        .collect();
    assert_eq!(
        registry,
        [
            (
                Severity::Warning,
                "registry_no_classes_column".to_string(),
                None,
                "Danh mục trường không có cột Số lớp: chưa đánh giá được số giáo viên so với định mức của 4 trường. Đề nghị bổ sung cột Số lớp vào danh mục.".to_string()
            ),
            (
                Severity::Warning,
                "registry_no_sessions_column".to_string(),
                None,
                "Danh mục trường không có cột Số buổi/ngày: định mức giáo viên tiểu học phụ thuộc số buổi học nên chưa đánh giá được cho các trường tiểu học. Đề nghị bổ sung cột Số buổi/ngày vào danh mục.".to_string()
            ),
            (
                Severity::Info,
                "registry_other_levels".to_string(),
                None,
                "4 đơn vị không thuộc cấp Tiểu học/THCS được bỏ qua (Giáo dục thường xuyên, giáo dục nghề nghiệp: 1; Mầm non: 2; THPT: 1).".to_string()
            ),
            (
                Severity::Error,
                "unknown_school_level".to_string(),
                Some(12),
                "Không xác định được cấp học của 2 đơn vị ghi \"9\" ở cột Cấp học (dòng này là đơn vị đầu tiên); các đơn vị này bị bỏ qua. Đề nghị ghi Tiểu học hoặc THCS, hoặc tên trường có ghi rõ cấp học.".to_string()
            ),
            (
                Severity::Error,
                "missing_school_level".to_string(),
                Some(14),
                "Không xác định được cấp học của 1 đơn vị: cột Cấp học để trống và tên trường không ghi rõ cấp học (dòng này là đơn vị đầu tiên); các đơn vị này bị bỏ qua. Đề nghị ghi Tiểu học hoặc THCS vào cột Cấp học.".to_string()
            ),
        ]
    );
    assert_eq!(job.received.registry_left_out.values().sum::<u32>(), 4);
}
