//! A small district built by the test (registry + schools in one- and two-workbook form, .xlsx)
//! plus the committed .xls and .ods fixtures; asserts every STATS figure and the exact issues.

use crate::common::*;
use bdtx::analyse::aggregate::{QualificationCounts, StaffCounts, Stats, TrainingCounts};
use std::path::Path;

/// Trường Tiểu học Kim Đồng (TH01): one workbook with a "Thông tin trường" sheet.
fn kim_dong(dir: &Path) {
    let info = vec![
        vec![S("Mã trường:"), S("TH01")],
        vec![S("Tên trường:"), S("Trường Tiểu học Kim Đồng")],
    ];
    let staff = vec![
        vec![S("PHÒNG GD&ĐT HUYỆN YÊN HÒA")],
        vec![S("TRƯỜNG TIỂU HỌC KIM ĐỒNG")],
        vec![
            E,
            E,
            S("DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN NĂM HỌC 2024-2025"),
        ],
        vec![],
        // row 5: header
        vec![
            S("STT"),
            S("Họ và tên"),
            S("Ngày sinh"),
            S("Giới tính"),
            S("Dân tộc"),
            S("Đảng viên"),
            S("Chức vụ"),
            S("Trình độ chuyên môn"),
        ],
        vec![E, S("I. CÁN BỘ QUẢN LÝ")],
        vec![
            N(1.),
            S("Nguyễn Văn An"),
            S("12/03/1975"),
            S("Nam"),
            S("Kinh"),
            S("x"),
            S("Hiệu trưởng"),
            S("Thạc sĩ"),
        ],
        vec![
            N(2.),
            S("TRẦN THỊ BÌNH"),
            N(1980.),
            S("Nữ"),
            S("Tày"),
            S("x"),
            S("P.HT"),
            S("ĐHSP Tiểu học"),
        ],
        vec![E, S("II. GIÁO VIÊN")],
        vec![
            N(3.),
            S("Lê Thị Cúc"),
            S("15/06/1985"),
            S("Nữ"),
            S("Kinh"),
            E,
            S("GV"),
            S("ĐHSP Tiểu học"),
        ],
        vec![
            N(4.),
            S("Phạm Văn Dũng"),
            S("15-6-85"),
            S("Nam"),
            S("Kinh"),
            S("Có"),
            S("Giáo viên Tiếng Anh"),
            S("Th.S"),
        ],
        vec![
            N(5.),
            S("Hoàng Thị Em"),
            S("01.02.1990"),
            S("Nữ"),
            S("Mường"),
            E,
            S("GV"),
            S("CĐSP Toán"),
        ],
        vec![
            N(6.),
            S("Vũ Thị Giang"),
            E,
            S("Nữ"),
            S("Kinh"),
            E,
            S("TPT Đội"),
            S("TCSP"),
        ],
        vec![E, S("III. NHÂN VIÊN")],
        vec![
            N(7.),
            S("Đỗ Văn Hùng"),
            N(1970.),
            S("Nam"),
            S("Kinh"),
            E,
            S("Kế toán"),
            S("Trung cấp"),
        ],
        // row 16: data without a name
        vec![N(8.), E, N(1991.), S("Nữ"), E, E, S("GV"), S("ĐH")],
        // row 17: unknown role
        vec![
            N(9.),
            S("Ngô Thị Ích"),
            S("01/01/1992"),
            S("Nữ"),
            S("Kinh"),
            E,
            S("Hợp đồng"),
            S("ĐH"),
        ],
        // row 18: Lê Thị Cúc again
        vec![
            N(10.),
            S("Lê  Thị Cúc"),
            S("15/06/1985"),
            S("Nữ"),
            S("Kinh"),
            E,
            S("GV"),
            S("ĐHSP"),
        ],
        vec![E, S("Tổng cộng"), N(10.)],
        vec![],
        vec![E, E, E, E, E, S("Yên Hòa, ngày 20 tháng 5 năm 2025")],
        vec![E, S("Người lập biểu"), E, E, E, S("HIỆU TRƯỞNG")],
        vec![],
        vec![E, S("Lê Văn Lập"), E, E, E, S("Nguyễn Văn An")],
    ];
    let training = vec![
        vec![S("KẾT QUẢ BỒI DƯỠNG THƯỜNG XUYÊN NĂM HỌC 2024-2025")],
        // row 2: header
        vec![
            S("STT"),
            S("Họ và tên"),
            S("Ngày sinh"),
            S("Nội dung 1"),
            S("Nội dung 2"),
            S("Nội dung 3"),
            S("Xếp loại"),
        ],
        vec![
            N(1.),
            S("Nguyễn Văn An"),
            S("12/03/1975"),
            N(8.),
            N(7.5),
            S("9"),
            S("Hoàn thành"),
        ],
        // row 4: the written result contradicts a failed content
        vec![
            N(2.),
            S("Trần Thị Bình"),
            E,
            N(7.),
            N(4.),
            N(8.),
            S("Hoàn thành"),
        ],
        vec![
            N(3.),
            S("Lê Thị Cúc"),
            S("15/06/1985"),
            S("8,5"),
            N(9.),
            N(9.),
            S("Hoàn thành"),
        ],
        // row 6: a score out of range; no other result → no result
        vec![N(4.), S("Phạm Văn Dũng"), E, N(6.), N(6.), N(12.)],
        vec![N(5.), S("Vũ Thị Giang"), E, E, E, E, S("Không hoàn thành")],
        // row 8: support staff are not assessed
        vec![N(6.), S("Đỗ Văn Hùng"), E, N(7.), N(7.), N(7.)],
        // row 9: not on the staff list
        vec![N(7.), S("Người Lạ"), E, N(5.), N(5.), N(5.)],
    ];
    write_xlsx(
        &dir.join("kim_dong/bao_cao_kim_dong.xlsx"),
        &[
            ("Thông tin trường", info),
            ("Đội ngũ", staff),
            ("BDTX", training),
        ],
    );
}

/// Trường TH Lê Lợi (TH02): two workbooks, two-row header, gender as an "x" under "Nữ".
fn le_loi_primary(dir: &Path) {
    let staff = vec![
        vec![S("TRƯỜNG TIỂU HỌC LÊ LỢI")],
        vec![],
        // rows 3–4: two-row header
        vec![
            S("STT"),
            S("Họ và tên"),
            S("Năm sinh"),
            S("Nữ"),
            S("Chức vụ"),
            S("Trình độ"),
            E,
        ],
        vec![E, E, E, E, E, S("Chuyên môn"), S("Chính trị")],
        vec![
            N(1.),
            S("Lý Văn Khoa"),
            N(1978.),
            E,
            S("HT"),
            S("ĐH"),
            S("Trung cấp"),
        ],
        vec![
            N(2.),
            S("Mai Thị Lan"),
            N(1988.),
            S("x"),
            S("GV"),
            S("ĐHSP"),
            E,
        ],
        vec![
            N(3.),
            S("Đinh Thị Mơ"),
            N(1990.),
            S("x"),
            S("GV"),
            S("Cao đẳng"),
            E,
        ],
        vec![N(4.), S("Tạ Văn Nam"), N(1995.), E, S("Bảo vệ"), E, E],
    ];
    let training = vec![
        vec![S("TRƯỜNG TIỂU HỌC LÊ LỢI")],
        vec![S("TT"), S("Họ tên"), S("ND1"), S("ND2"), S("ND3")],
        vec![N(1.), S("Lý Văn Khoa"), N(8.), N(8.), N(8.)],
        vec![N(2.), S("Mai Thị Lan"), N(5.), N(5.), N(5.)],
        vec![N(3.), S("Đinh Thị Mơ"), N(4.9), N(9.), N(9.)],
    ];
    write_xlsx(&dir.join("le_loi/doi_ngu.xlsx"), &[("Sheet1", staff)]);
    write_xlsx(&dir.join("le_loi/bdtx.xlsx"), &[("Sheet1", training)]);
}

fn district(dir: &Path) {
    write_registry(
        dir,
        &[
            ("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học"),
            ("TH02", "Trường TH Lê Lợi", "Tiểu học"),
            ("CS01", "Trường THCS Lê Lợi", "THCS"),
            ("TH03", "Trường Tiểu học Tô Hiệu", "Tiểu học"),
            ("TH04", "Trường Tiểu học Nguyễn Trãi", "Tiểu học"),
        ],
    );
    kim_dong(dir);
    le_loi_primary(dir);
    std::fs::copy(fixture("thcs_le_loi.xls"), dir.join("thcs_le_loi.xls")).unwrap();
    std::fs::copy(
        fixture("th_nguyen_trai.ods"),
        dir.join("th_nguyen_trai.ods"),
    )
    .unwrap();
    std::fs::write(dir.join("ghi_chu.txt"), "hạn nộp 17/5").unwrap();
    std::fs::write(dir.join("~$bao_cao.xlsx"), "lock").unwrap();
    std::fs::write(dir.join("hong.xlsx"), "this is not a zip file").unwrap();
    write_xlsx(
        &dir.join("khong_ro.xlsx"),
        &[(
            "Sheet1",
            vec![
                vec![S("Họ và tên"), S("Chức vụ")],
                vec![S("Lê Thị Hoa"), S("GV")],
            ],
        )],
    );
}

#[allow(clippy::too_many_arguments)]
fn stats(staff: [u32; 7], qual: [u32; 6], meeting: u32, above: u32, training: [u32; 3]) -> Stats {
    Stats {
        staff: StaffCounts {
            total: staff[0],
            managers: staff[1],
            teachers: staff[2],
            support: staff[3],
            female: staff[4],
            ethnic_minority: staff[5],
            party_members: staff[6],
        },
        teacher_qualification: QualificationCounts {
            doctorate: qual[0],
            master: qual[1],
            bachelor: qual[2],
            college: qual[3],
            intermediate: qual[4],
            other: qual[5],
        },
        teachers_meeting_standard: meeting,
        teachers_above_standard: above,
        training: TrainingCounts {
            completed: training[0],
            not_completed: training[1],
            no_result: training[2],
        },
    }
}

#[test]
fn district_figures_are_exact() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    let by_code = |c: &str| job.school(c).unwrap().measures.stats.clone();

    // An, Bình (managers); Cúc, Dũng, Em, Giang (teachers); Hùng (support).
    assert_eq!(
        by_code("TH01"),
        stats([7, 2, 4, 1, 4, 2, 3], [0, 1, 1, 1, 1, 0], 2, 1, [2, 2, 2])
    );
    // Khoa (manager); Lan, Mơ (teachers); Nam (support). Lan at exactly 5 passes, Mơ at 4.9 fails.
    assert_eq!(
        by_code("TH02"),
        stats([4, 1, 2, 1, 2, 0, 0], [0, 0, 1, 1, 0, 0], 1, 0, [2, 1, 0])
    );
    // .xls: Phúc (manager); Quyên, Sang, Tâm (teachers, Tâm's "Bằng lái xe" → other); Út (support).
    assert_eq!(
        by_code("CS01"),
        stats([5, 1, 3, 1, 2, 0, 0], [1, 0, 1, 0, 0, 1], 2, 1, [2, 1, 1])
    );
    assert_eq!(by_code("TH03"), Stats::default());
    // .ods: Vinh (manager), Xuân (teacher, fails content 3 with 4,5).
    assert_eq!(
        by_code("TH04"),
        stats([2, 1, 1, 0, 1, 0, 0], [0, 0, 1, 0, 0, 0], 1, 0, [1, 1, 0])
    );
    assert_eq!(
        job.figures.district.stats,
        stats([18, 5, 10, 3, 9, 2, 3], [1, 1, 4, 2, 1, 1], 6, 2, [7, 5, 3])
    );

    assert_eq!(job.figures.missing_submissions, vec!["TH03".to_string()]);
    assert_eq!(
        job.received.files_ignored,
        vec!["ghi_chu.txt".to_string(), "~$bao_cao.xlsx".to_string()]
    );
    assert_eq!(job.received.files_failed.len(), 1);
    assert_eq!(job.received.files_failed[0].file, "hong.xlsx");
    let files = |c: &str| job.school(c).unwrap().files.clone();
    assert_eq!(
        files("TH02"),
        vec![
            "le_loi/bdtx.xlsx".to_string(),
            "le_loi/doi_ngu.xlsx".to_string()
        ]
    );
    assert_eq!(files("CS01"), vec!["thcs_le_loi.xls".to_string()]);
    assert_rows_balance(&job);
}

#[test]
fn planted_problems_are_reported_exactly() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    let kd = "kim_dong/bao_cao_kim_dong.xlsx";
    let key = |f: &str, r: Option<u32>, c: &str| (f.to_string(), r, c.to_string());
    let expected = vec![
        key("", None, "missing_submission"),
        key("hong.xlsx", None, "file_unreadable"),
        key("khong_ro.xlsx", None, "school_unmatched"),
        // Vũ Thị Giang's birth date is blank: 6 of 7 read, under 90%.
        key(kd, None, "fields_not_read"),
        key(kd, Some(4), "result_contradicts_scores"),
        key(kd, Some(6), "score_out_of_range"),
        key(kd, Some(8), "support_has_training"),
        key(kd, Some(9), "training_unmatched"),
        key(kd, Some(16), "missing_name"),
        key(kd, Some(17), "unknown_role"),
        key(kd, Some(18), "duplicate_person"),
        key("thcs_le_loi.xls", Some(9), "unknown_qualification"),
    ];
    assert_eq!(issue_keys(&job), expected);
    let unread = job
        .issues
        .iter()
        .find(|i| i.code == "fields_not_read")
        .unwrap();
    assert!(
        message(unread).contains("Ngày sinh 6/7"),
        "{}",
        message(unread)
    );
    let column = |code: &str| {
        job.issues
            .iter()
            .find(|i| i.code == code)
            .unwrap()
            .column
            .clone()
    };
    assert_eq!(column("score_out_of_range").as_deref(), Some("F"));
    assert_eq!(column("result_contradicts_scores").as_deref(), Some("G"));
    assert_eq!(column("missing_name").as_deref(), Some("B"));
    assert_eq!(column("unknown_role").as_deref(), Some("G"));
    assert_eq!(column("unknown_qualification").as_deref(), Some("G"));
    let sheet = |code: &str| {
        job.issues
            .iter()
            .find(|i| i.code == code)
            .unwrap()
            .sheet
            .clone()
    };
    assert_eq!(sheet("missing_name"), "Đội ngũ");
    assert_eq!(sheet("score_out_of_range"), "BDTX");
    assert!(job
        .issues
        .iter()
        .all(|i| !message(i).is_empty() && !message(i).contains('{')));
}

#[test]
fn every_row_is_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    let rows = |k: &str| job.received.rows[k].clone();
    // 17 non-empty rows under the header: 3 group labels, 1 total, 3 footer rows
    // (date line, signature titles, signature names), 7 people, 3 rejected (no name,
    // unknown role, duplicate).
    let staff = rows("kim_dong/bao_cao_kim_dong.xlsx/Đội ngũ");
    assert_eq!(
        (staff.data, staff.accepted, staff.rejected, staff.skipped),
        (17, 7, 3, 7)
    );
    let training = rows("kim_dong/bao_cao_kim_dong.xlsx/BDTX");
    assert_eq!(
        (
            training.data,
            training.accepted,
            training.rejected,
            training.skipped
        ),
        (7, 7, 0, 0)
    );
    // The unattributed file's record counts as rejected.
    let stray = rows("khong_ro.xlsx/Sheet1");
    assert_eq!((stray.data, stray.accepted, stray.rejected), (1, 0, 1));
    assert_rows_balance(&job);
}
