//! Judgments an assessor would accept (issue 26), each on a small hand-made district: the
//! TT 20/2023 norm is a maximum, a concurrent teacher fills a post, y tế is no required post,
//! people past the age leave the forecast, a birth year alone is 1 January, multi-level and
//! boarding schools are normed per level, nothing unmeasured is printed as 0.

use crate::common::*;
use bdtx::analyse::groups::figure;
use bdtx::analyse::targets::{Judgment, NotJudged};
use bdtx::domain::schema::Schemas;
use bdtx::pipeline::{run_job, JobConfig, JobResult};
use rust_xlsxwriter::{Format, Worksheet};
use std::path::Path;

const STAFF_HEADER: [&str; 10] = [
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Chức vụ",
    "Môn dạy",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Chứng chỉ CBQL",
    "Đánh giá chuẩn nghề nghiệp",
    "Kiêm nhiệm",
];

/// A staff row: name, birth, gender, role, subject, qualification, political theory,
/// management certificate, rating, concurrent post.
type Row = [&'static str; 10];

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn staff_file(dir: &Path, code: &str, rows: &[Row]) {
    let mut sheet = vec![
        vec![S("Mã trường:"), S(leak(code.to_string()))],
        STAFF_HEADER.iter().map(|h| S(h)).collect(),
    ];
    for r in rows {
        sheet.push(
            r.iter()
                .map(|c| if c.is_empty() { E } else { S(c) })
                .collect(),
        );
    }
    write_xlsx(&dir.join(format!("{code}.xlsx")), &[("Đội ngũ", sheet)]);
}

/// `n` teachers of `subject` rated `rating`, numbered from `first` for distinct names.
fn teachers(first: usize, n: usize, subject: &'static str, rating: &'static str) -> Vec<Row> {
    (first..first + n)
        .map(|i| {
            let name = leak(format!("Giáo Viên Số {i}"));
            [
                name,
                "01/05/1990",
                "Nữ",
                "Giáo viên",
                subject,
                "ĐHSP",
                "",
                "",
                rating,
                "",
            ]
        })
        .collect()
}

/// The registry of one school, Hòa Bình (HB), with 6 classes.
fn hoa_binh(dir: &Path) {
    registry(
        dir,
        &[],
        &[("HB", "Trường Tiểu học Hòa Bình", "Tiểu học", 6.0, vec![])],
    );
}

/// HB.xlsx: the school's code in row 1, a two-row header written by `header` (rows 2–3),
/// then `rows` (blank cells left unwritten).
fn two_row_list<const N: usize>(
    dir: &Path,
    header: impl FnOnce(&mut Worksheet, &Format),
    rows: &[[&str; N]],
) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Mã trường: HB").unwrap();
    header(ws, &Format::new());
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            ws.write_string(r as u32 + 3, c as u16, *text).unwrap();
        }
    }
    wb.save(dir.join("HB.xlsx")).unwrap();
}

/// Registry rows: code, name, Cấp học, Số lớp, Số buổi/ngày, then extra columns.
fn registry(
    dir: &Path,
    extra: &[&'static str],
    schools: &[(&'static str, &'static str, &'static str, f64, Vec<C>)],
) {
    let mut header = vec![
        S("Mã trường"),
        S("Tên trường"),
        S("Cấp học"),
        S("Số lớp"),
        S("Số buổi/ngày"),
    ];
    header.extend(extra.iter().map(|h| S(h)));
    let mut rows = vec![header];
    for (code, name, level, classes, more) in schools {
        let mut row = vec![S(code), S(name), S(level), N(*classes), N(2.0)];
        row.extend(more.iter().cloned());
        rows.push(row);
    }
    write_xlsx(&dir.join("danh_muc_truong.xlsx"), &[("DM", rows)]);
}

fn run_year(dir: &Path, year: &str) -> JobResult {
    let schemas = Schemas::load(None).unwrap();
    let config = JobConfig {
        input: dir.into(),
        registry: "danh_muc_truong.xlsx".into(),
        school_year: Some(year.into()),
        bdtx_rules: Default::default(),
        commune: None,
    };
    run_job(&config, &schemas).unwrap()
}

fn result<'j>(
    job: &'j JobResult,
    code: &str,
    rule: &str,
) -> &'j bdtx::analyse::targets::RuleResult {
    let school = job.school(code).unwrap();
    school
        .targets
        .targets
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("{code}: no rule {rule}"))
}

fn criteria(job: &JobResult, code: &str) -> Vec<Option<u8>> {
    job.school(code)
        .unwrap()
        .targets
        .criteria
        .values()
        .copied()
        .collect()
}

/// A primary school like seed 004 (Tiểu học Thăng Long: 20 classes, 2 managers, 30
/// teachers, 3 support staff), with the library kept by a teacher.
fn seed_004(dir: &Path, code: &str, support: &[Row]) {
    let mut rows: Vec<Row> = vec![
        [
            "Trần Văn Hùng",
            "12/03/1975",
            "Nam",
            "Hiệu trưởng",
            "",
            "Thạc sĩ",
            "Trung cấp",
            "x",
            "Tốt",
            "",
        ],
        [
            "Lê Thị Mai",
            "08/09/1980",
            "Nữ",
            "Phó hiệu trưởng",
            "",
            "Đại học",
            "Trung cấp",
            "x",
            "Khá",
            "",
        ],
    ];
    rows.extend(teachers(1, 12, "Tiểu học", "Tốt"));
    rows.extend(teachers(13, 11, "Tiểu học", "Khá"));
    rows.extend(teachers(24, 2, "Tiếng Anh", "Khá"));
    rows.extend(teachers(26, 1, "Tin học", "Khá"));
    rows.extend(teachers(27, 1, "Âm nhạc", "Đạt"));
    rows.extend(teachers(28, 1, "Mĩ thuật", "Đạt"));
    rows.extend(teachers(29, 1, "Thể dục", "Đạt"));
    // The thirtieth teacher keeps the library too.
    rows.push([
        "Phạm Thu Hà",
        "02/02/1988",
        "Nữ",
        "Giáo viên kiêm thư viện",
        "Thể dục",
        "ĐHSP",
        "",
        "",
        "Khá",
        "",
    ]);
    rows.extend_from_slice(support);
    staff_file(dir, code, &rows);
}

/// A principal with nothing but a qualification written.
const PRINCIPAL: Row = [
    "Trần Văn Hùng",
    "12/03/1975",
    "Nam",
    "HT",
    "",
    "Thạc sĩ",
    "",
    "",
    "",
    "",
];
const ACCOUNTANT: Row = [
    "Ngô Văn Tâm",
    "01/01/1985",
    "Nam",
    "Kế toán",
    "",
    "Đại học",
    "",
    "",
    "",
    "",
];
const CLERK: Row = [
    "Đỗ Thị Lan",
    "01/01/1986",
    "Nữ",
    "Văn thư",
    "",
    "Trung cấp",
    "",
    "",
    "",
    "",
];
const LIBRARIAN: Row = [
    "Mai Thị Thu",
    "01/01/1989",
    "Nữ",
    "Thư viện",
    "",
    "Trung cấp",
    "",
    "",
    "",
    "",
];
const NURSE: Row = [
    "Vũ Thị Hoa",
    "01/01/1987",
    "Nữ",
    "Y tế",
    "",
    "Trung cấp",
    "",
    "",
    "",
    "",
];

#[test]
fn a_school_like_seed_004_reaches_level_2_and_national_standard_1() {
    let dir = tempfile::tempdir().unwrap();
    registry(
        dir.path(),
        &[
            "Cấp độ kiểm định mục tiêu",
            "Mức độ chuẩn quốc gia mục tiêu",
        ],
        &[(
            "TL",
            "Trường Tiểu học Thăng Long",
            "Tiểu học",
            20.0,
            vec![N(2.0), N(1.0)],
        )],
    );
    seed_004(dir.path(), "TL", &[ACCOUNTANT, CLERK, NURSE]);
    let job = run_year(dir.path(), "2024-2025");
    // 30 teachers against the TT 20/2023 maximum of 20 × 1,5 + 1 = 31: information only.
    let max = result(&job, "TL", "2.2.1.teachers_against_max");
    assert!(max.informative);
    assert_eq!(
        (max.judgment, max.value, max.threshold),
        (Judgment::Met, 30.0, 31.0)
    );
    // Every subject of the primary programme has a teacher.
    let subjects = result(&job, "TL", "2.2.1.subjects.tieu_hoc");
    assert_eq!(
        (subjects.judgment, subjects.missing.len()),
        (Judgment::Met, 0)
    );
    // 2.1: both managers Đạt, certificates, political theory, Khá or better; one Tốt of two.
    // 2.2: 30/30 Đạt, 27/30 Khá or better (90%), 12/30 Tốt (40%). 2.3: the library held concurrently.
    assert_eq!(criteria(&job, "TL"), [Some(2), Some(3), Some(1)]);
    let t = &job.school("TL").unwrap().targets;
    assert_eq!(t.reachable.accreditation_level, Some(2));
    assert_eq!(t.reachable.national_standard_level, Some(1));
    assert_eq!(t.target_reachable, Some(true));
}

#[test]
fn a_concurrent_teacher_fills_a_post_and_nobody_needs_a_nurse() {
    let dir = tempfile::tempdir().unwrap();
    registry(
        dir.path(),
        &[],
        &[
            ("TL", "Trường Tiểu học Thăng Long", "Tiểu học", 20.0, vec![]),
            ("KN", "Trường Tiểu học Kim Ngân", "Tiểu học", 5.0, vec![]),
            ("VT", "Trường Tiểu học Vạn Thọ", "Tiểu học", 5.0, vec![]),
        ],
    );
    // No y tế at all: nothing fails for it.
    seed_004(dir.path(), "TL", &[ACCOUNTANT, CLERK]);
    // The library kept through a "Kiêm nhiệm" column, and the clerk's work by the accountant.
    let mut rows: Vec<Row> = vec![
        [
            "Trần Văn Hùng",
            "12/03/1975",
            "Nam",
            "HT",
            "",
            "Thạc sĩ",
            "Trung cấp",
            "x",
            "Tốt",
            "",
        ],
        [
            "Ngô Văn Tâm",
            "01/01/1985",
            "Nam",
            "Kế toán",
            "",
            "Đại học",
            "",
            "",
            "",
            "Văn thư, Thủ quỹ",
        ],
        [
            "Phạm Thu Hà",
            "02/02/1988",
            "Nữ",
            "GV - kiêm TPT Đội",
            "Tiểu học",
            "ĐHSP",
            "",
            "",
            "Khá",
            "Thư viện",
        ],
    ];
    rows.extend(teachers(1, 4, "Tiểu học", "Khá"));
    staff_file(dir.path(), "KN", &rows);
    // A school whose library has nobody, even concurrently.
    let mut rows: Vec<Row> = vec![
        [
            "Trần Văn Hùng",
            "12/03/1975",
            "Nam",
            "HT",
            "",
            "Thạc sĩ",
            "Trung cấp",
            "x",
            "Tốt",
            "",
        ],
        ACCOUNTANT,
        CLERK,
    ];
    rows.extend(teachers(1, 4, "Tiểu học", "Khá"));
    staff_file(dir.path(), "VT", &rows);
    let job = run_year(dir.path(), "2024-2025");
    let posts = |code| {
        let r = result(&job, code, "2.3.1.support_posts");
        (r.judgment, r.missing.clone())
    };
    assert_eq!(posts("TL"), (Judgment::Met, vec![]));
    assert_eq!(posts("KN"), (Judgment::Met, vec![]));
    assert_eq!(
        posts("VT"),
        (Judgment::NotMet, vec!["library|equipment".to_string()])
    );
    // The staffing report lists only what is really missing; y tế never.
    let missing = |code: &str| job.figures.staffing.schools[code].missing_posts.clone();
    assert!(missing("TL").is_empty());
    assert!(missing("KN").is_empty());
    assert_eq!(missing("VT"), ["Thư viện / Thiết bị"]);
}

#[test]
fn people_past_the_age_leave_in_the_first_forecast_year() {
    let dir = tempfile::tempdir().unwrap();
    // 6 classes × 1,5 + 1 = 10 teachers at most: the school has exactly 10.
    hoa_binh(dir.path());
    let mut rows: Vec<Row> = vec![
        PRINCIPAL,
        [
            "Lê Văn Cũ",
            "10/02/1960",
            "Nam",
            "Giáo viên",
            "Tiểu học",
            "ĐHSP",
            "",
            "",
            "",
            "",
        ],
        [
            "Lê Văn Xưa",
            "20/07/1962",
            "Nam",
            "Giáo viên",
            "Tiểu học",
            "ĐHSP",
            "",
            "",
            "",
            "",
        ],
    ];
    rows.extend(teachers(1, 8, "Tiểu học", "Khá"));
    staff_file(dir.path(), "HB", &rows);
    let job = run_year(dir.path(), "2024-2025");
    let st = &job.figures.staffing.schools["HB"];
    assert_eq!(
        (st.teachers, st.required_teachers, st.balance),
        (10, Some(10), Some(0))
    );
    assert_eq!((st.past_retirement, st.teachers_past_retirement), (2, 2));
    assert_eq!(st.forecast_balance, [Some(-2); 5]);
}

#[test]
fn a_birth_year_alone_is_the_first_of_january() {
    let dir = tempfile::tempdir().unwrap();
    hoa_binh(dir.path());
    let mut rows: Vec<Row> = vec![
        PRINCIPAL,
        // 01/01/1964 + 61 years 3 months (the age of 2025): end of 04/2025.
        [
            "Lê Văn Năm",
            "1964",
            "Nam",
            "Giáo viên",
            "Tiểu học",
            "ĐHSP",
            "",
            "",
            "",
            "",
        ],
        // 01/01/1965: 61 y 6 m in 2026 → end of 07/2026.
        [
            "Lê Văn Sáu",
            "1965",
            "Nam",
            "Giáo viên",
            "Tiểu học",
            "ĐHSP",
            "",
            "",
            "",
            "",
        ],
    ];
    rows.extend(teachers(1, 2, "Tiểu học", "Khá"));
    staff_file(dir.path(), "HB", &rows);
    let job = run_year(dir.path(), "2024-2025");
    let st = &job.figures.staffing;
    let reached: Vec<(&str, i32, u32)> = st
        .reached_retirement
        .iter()
        .map(|r| (r.name.as_str(), r.year, r.month))
        .collect();
    assert_eq!(reached, [("Lê Văn Năm", 2025, 4)]);
    let coming: Vec<(&str, i32, u32)> = st
        .retirees
        .iter()
        .map(|r| (r.name.as_str(), r.year, r.month))
        .collect();
    assert_eq!(coming, [("Lê Văn Sáu", 2026, 7)]);
    let warning = job
        .issues
        .iter()
        .find(|i| i.code == "reached_retirement")
        .unwrap();
    assert!(
        message(warning).contains("tháng 04/2025"),
        "{}",
        message(warning)
    );
}

#[test]
fn multi_level_and_boarding_schools_are_normed_per_level() {
    let dir = tempfile::tempdir().unwrap();
    registry(
        dir.path(),
        &["Số lớp tiểu học", "Số lớp THCS"],
        &[
            // 10 × 1,5 = 15 primary, 8 × 1,9 = 15,2 → 15 THCS, + 1 Tổng phụ trách = 31.
            (
                "LC",
                "Trường TH&THCS Liên Cấp",
                "TH&THCS",
                18.0,
                vec![N(10.0), N(8.0)],
            ),
            // Multi-level without its classes per level: no norm, and it says why.
            (
                "LK",
                "Trường TH và THCS Lê Khôi",
                "TH và THCS",
                18.0,
                vec![E, E],
            ),
            // PTDTBT THCS: 10 × 2,2 + 1 = 23.
            ("BT", "Trường PTDTBT THCS Bản Tà", "THCS", 10.0, vec![E, E]),
            // A plain THCS school of 10 classes: 10 × 1,9 + 1 = 20.
            ("TC", "Trường THCS Tân Châu", "THCS", 10.0, vec![E, E]),
            // "số 12" in a name is no multi-level code.
            ("S12", "Trường Tiểu học số 12", "Tiểu học", 10.0, vec![E, E]),
        ],
    );
    for code in ["LC", "LK", "BT", "TC", "S12"] {
        let mut rows: Vec<Row> = vec![PRINCIPAL];
        rows.extend(teachers(1, 3, "Toán", "Khá"));
        staff_file(dir.path(), code, &rows);
    }
    let job = run_year(dir.path(), "2024-2025");
    let required = |code: &str| job.figures.staffing.schools[code].required_teachers;
    assert_eq!(required("LC"), Some(31));
    assert_eq!(required("LK"), None);
    assert_eq!(required("BT"), Some(23));
    assert_eq!(required("TC"), Some(20));
    assert_eq!(required("S12"), Some(16));
    let lk = result(&job, "LK", "2.2.1.teachers_against_max");
    assert_eq!(lk.not_judged, Some(NotJudged::NoClassesPerLevel));
    assert_eq!(
        job.school("LC").unwrap().school.levels,
        ["tieu_hoc", "thcs"]
    );
    assert!(job.school("S12").unwrap().school.levels.is_empty());
    // Up to 3 vice-principals for a multi-level school of 40 classes or more, else 2.
    let schemas = Schemas::load(None).unwrap();
    let managers = &schemas.targets.norms.managers;
    let mut big = job.school("LC").unwrap().school.clone();
    assert_eq!(managers.max_vice_principals_of(&big), 2);
    big.classes = Some(40.0);
    assert_eq!(managers.max_vice_principals_of(&big), 3);
    let single = job.school("TC").unwrap().school.clone();
    assert_eq!(
        managers.max_vice_principals_of(&bdtx::domain::model::School {
            classes: Some(45.0),
            ..single
        }),
        2
    );
}

#[test]
fn nothing_unmeasured_is_printed_as_zero() {
    let dir = tempfile::tempdir().unwrap();
    registry(
        dir.path(),
        &[],
        &[
            ("HB", "Trường Tiểu học Hòa Bình", "Tiểu học", 6.0, vec![]),
            ("NS", "Trường Tiểu học Ngọc Sơn", "Tiểu học", 6.0, vec![]),
        ],
    );
    // HB: staff only, no BDTX sheet, no ratings, no certificates, no subjects written; its
    // support posts are filled, so nothing of Mức 1 is shown not met.
    let rows: Vec<Row> = vec![
        ACCOUNTANT,
        CLERK,
        LIBRARIAN,
        PRINCIPAL,
        [
            "Lê Thị An",
            "01/01/1990",
            "Nữ",
            "Giáo viên",
            "",
            "ĐHSP",
            "",
            "",
            "",
            "",
        ],
        [
            "Lê Thị Bình",
            "01/01/1991",
            "Nữ",
            "Giáo viên",
            "",
            "ĐHSP",
            "",
            "",
            "",
            "",
        ],
    ];
    staff_file(dir.path(), "HB", &rows);
    let job = run_year(dir.path(), "2024-2025");
    let hb = job.school("HB").unwrap();
    // No BDTX results: no completion rate, not 0%.
    assert_eq!(hb.measures.stats.completion_rate(), None);
    // Nothing of 2.1 or 2.2 could be judged: no level, no reachable level, no "Có".
    assert_eq!(criteria(&job, "HB"), [None, None, Some(1)]);
    assert_eq!(hb.targets.reachable.accreditation_level, None);
    assert_eq!(hb.targets.target_reachable, None);
    let subjects = result(&job, "HB", "2.2.1.subjects.tieu_hoc");
    assert_eq!(subjects.not_judged, Some(NotJudged::NoSubjects));
    // A blank certificate is unknown, not "no": the rule is not judged.
    let training = result(&job, "HB", "2.1.1.management_training.tieu_hoc");
    assert_eq!(
        (training.judgment, training.unknown),
        (Judgment::NotJudged, 1)
    );
    // The employment column was never collected: not "Hợp đồng 0".
    let all = &hb.measures.groups["all"];
    assert!(all.not_collected(figure("contract").unwrap()));
    assert!(all.not_collected(figure("management_training").unwrap()));
    // A school that sent nothing has no balance and no missing posts.
    let ns = &job.figures.staffing.schools["NS"];
    assert_eq!((ns.balance, ns.missing_posts.len()), (None, 0));
}

#[test]
fn a_blank_sessions_cell_gives_no_norm_in_either_report() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(
        &dir.path().join("danh_muc_truong.xlsx"),
        &[(
            "DM",
            vec![
                vec![
                    S("Mã trường"),
                    S("Tên trường"),
                    S("Cấp học"),
                    S("Số lớp"),
                    S("Số buổi/ngày"),
                ],
                vec![
                    S("HB"),
                    S("Trường Tiểu học Hòa Bình"),
                    S("Tiểu học"),
                    N(6.0),
                    E,
                ],
            ],
        )],
    );
    let rows: Vec<Row> = vec![
        PRINCIPAL,
        [
            "Lê Thị An",
            "01/01/1990",
            "Nữ",
            "Giáo viên",
            "Tiểu học",
            "ĐHSP",
            "",
            "",
            "",
            "",
        ],
    ];
    staff_file(dir.path(), "HB", &rows);
    let job = run_year(dir.path(), "2024-2025");
    assert_eq!(job.figures.staffing.schools["HB"].required_teachers, None);
    let max = result(&job, "HB", "2.2.1.teachers_against_max");
    assert_eq!(max.not_judged, Some(NotJudged::NoSessions));
}

#[test]
fn from_2025_2026_primary_music_teachers_meet_the_standard_with_cao_dang() {
    let dir = tempfile::tempdir().unwrap();
    hoa_binh(dir.path());
    let rows: Vec<Row> = vec![
        PRINCIPAL,
        [
            "Lê Thị An",
            "01/01/1990",
            "Nữ",
            "Giáo viên",
            "Âm nhạc",
            "Cao đẳng",
            "",
            "",
            "",
            "",
        ],
        [
            "Lê Thị Bình",
            "01/01/1991",
            "Nữ",
            "Giáo viên",
            "Toán",
            "Cao đẳng",
            "",
            "",
            "",
            "",
        ],
        [
            "Lê Thị Cúc",
            "01/01/1992",
            "Nữ",
            "Giáo viên",
            "Tiểu học",
            "Đại học",
            "",
            "",
            "",
            "",
        ],
    ];
    staff_file(dir.path(), "HB", &rows);
    let meeting = |year: &str| {
        let job = run_year(dir.path(), year);
        job.school("HB")
            .unwrap()
            .measures
            .stats
            .teachers_meeting_standard
    };
    assert_eq!(meeting("2024-2025"), 1);
    assert_eq!(meeting("2025-2026"), 2);
}

#[test]
fn a_level_1_clause_not_met_settles_the_level_even_with_others_unknown() {
    let dir = tempfile::tempdir().unwrap();
    hoa_binh(dir.path());
    // No accountant, clerk or library: 2.3 Mức 1 not met; 2.1 and 2.2 unknown.
    let rows: Vec<Row> = vec![
        PRINCIPAL,
        [
            "Lê Thị An",
            "01/01/1990",
            "Nữ",
            "Giáo viên",
            "",
            "ĐHSP",
            "",
            "",
            "",
            "",
        ],
    ];
    staff_file(dir.path(), "HB", &rows);
    let job = run_year(dir.path(), "2024-2025");
    let hb = job.school("HB").unwrap();
    assert_eq!(criteria(&job, "HB"), [None, None, Some(0)]);
    assert_eq!(hb.targets.reachable.accreditation_level, Some(0));
    assert_eq!(hb.targets.reachable.national_standard_level, Some(0));
}

/// Gender as marks (issue 29): "Giới tính" merged over "Nam | Nữ", an "x" under one of them.
/// Two women and one man; nobody read as the wrong sex, nobody lost.
#[test]
fn gender_marked_under_nam_and_nu() {
    let dir = tempfile::tempdir().unwrap();
    hoa_binh(dir.path());
    let header = |ws: &mut Worksheet, f: &Format| {
        ws.merge_range(1, 0, 2, 0, "Họ và tên", f).unwrap();
        ws.merge_range(1, 1, 1, 2, "Giới tính", f).unwrap();
        ws.write_string(2, 1, "Nam").unwrap();
        ws.write_string(2, 2, "Nữ").unwrap();
        ws.merge_range(1, 3, 2, 3, "Chức vụ", f).unwrap();
    };
    two_row_list(
        dir.path(),
        header,
        &[
            ["Lê Văn An", "x", "", "HT"],
            ["Lê Thị Bình", "", "x", "GV"],
            ["Lê Thị Cúc", "", "x", "GV"],
        ],
    );
    let job = run_year(dir.path(), "2024-2025");
    let staff = &job.school("HB").unwrap().measures.stats.staff;
    assert_eq!((staff.total, staff.female), (3, 2));
    let female = &job.school("HB").unwrap().measures.groups["all"];
    assert_eq!(female.female, 2);
    assert!(
        !job.issues.iter().any(|i| i.code.starts_with("unknown")),
        "{:?}",
        job.issues.iter().map(|i| &i.code).collect::<Vec<_>>()
    );
}

/// A lost field is visible (issue 29): a school whose "Giới tính" column holds values bdtx
/// cannot read ("1", "2") is warned, naming the field, and flagged for checking — its "0 nữ"
/// is not "no woman"; a school whose list simply has no party column is not.
#[test]
fn a_field_mostly_not_read_is_named_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    registry(
        dir.path(),
        &[],
        &[
            ("HB", "Trường Tiểu học Hòa Bình", "Tiểu học", 6.0, vec![]),
            ("NS", "Trường Tiểu học Ngọc Sơn", "Tiểu học", 6.0, vec![]),
        ],
    );
    // Nine teachers rated, the principal not: 9 of 10 ratings read, no warning for them.
    let mut coded: Vec<Row> = vec![PRINCIPAL];
    coded.extend(teachers(1, 9, "Tiểu học", "Khá"));
    for row in coded.iter_mut() {
        row[2] = if row[0].starts_with("Trần") {
            "1"
        } else {
            "2"
        };
    }
    staff_file(dir.path(), "HB", &coded);
    let mut plain: Vec<Row> = vec![PRINCIPAL];
    plain.extend(teachers(1, 9, "Tiểu học", "Khá"));
    staff_file(dir.path(), "NS", &plain);
    let job = run_year(dir.path(), "2024-2025");
    let hb = job.school("HB").unwrap();
    assert_eq!(hb.intake.unread_fields, ["gender"]);
    assert!(hb.intake.needs_check());
    let warning = job
        .issues
        .iter()
        .find(|i| i.code == "fields_not_read")
        .unwrap();
    assert_eq!(warning.school.as_deref(), Some("HB"));
    assert!(
        message(warning).contains("Giới tính 0/10"),
        "{}",
        message(warning)
    );
    let ns = job.school("NS").unwrap();
    assert!(ns.intake.unread_fields.is_empty());
    assert!(!ns.intake.needs_check());
    assert_eq!(
        job.issues
            .iter()
            .filter(|i| i.code == "fields_not_read")
            .count(),
        1
    );
}

/// Values that do not fit their column are counted per column (issue 29): six dates under
/// "Trình độ chuyên môn" name the column once, with the count and its rows; two misfits in
/// another school are only their own row problems.
#[test]
fn many_misfits_in_one_column_name_the_column() {
    let dir = tempfile::tempdir().unwrap();
    registry(
        dir.path(),
        &[],
        &[
            ("HB", "Trường Tiểu học Hòa Bình", "Tiểu học", 6.0, vec![]),
            ("NS", "Trường Tiểu học Ngọc Sơn", "Tiểu học", 6.0, vec![]),
        ],
    );
    let with_dates = |n: usize| {
        let mut rows: Vec<Row> = vec![PRINCIPAL];
        rows.extend(teachers(1, 9, "Tiểu học", "Khá"));
        for row in rows.iter_mut().skip(1).take(n) {
            row[5] = "01/09/2010";
        }
        rows
    };
    staff_file(dir.path(), "HB", &with_dates(6));
    staff_file(dir.path(), "NS", &with_dates(2));
    let job = run_year(dir.path(), "2024-2025");
    let count = |code: &str, school: &str| {
        job.issues
            .iter()
            .filter(|i| i.code == code && i.school.as_deref() == Some(school))
            .count()
    };
    assert_eq!(count("unknown_qualification", "HB"), 6);
    assert_eq!(count("unknown_qualification", "NS"), 2);
    assert_eq!(count("column_misfits", "HB"), 1);
    assert_eq!(count("column_misfits", "NS"), 0);
    let warning = job
        .issues
        .iter()
        .find(|i| i.code == "column_misfits")
        .unwrap();
    assert_eq!(
        (
            warning.sheet.as_str(),
            warning.column.as_deref(),
            warning.row
        ),
        ("Đội ngũ", Some("F"), None)
    );
    assert_eq!(
        message(warning),
        "Cột F (Trình độ chuyên môn) có 6 ô ghi giá trị không đúng với nội dung của cột (ví dụ \
         \"01/09/2010\"; các dòng 4, 5, 6, 7, 8 …). Nhiều ô sai trong cùng một cột thường do \
         cột bị chèn, xóa hoặc đổi chỗ so với dòng tiêu đề; số liệu tổng hợp từ cột này chưa đủ tin cậy. Đề nghị \
         nhà trường kiểm tra tiêu đề và thứ tự các cột của bảng rồi gửi lại."
    );
}

/// Marks under sub-headers are values (issue 29): "Đảng viên" merged over "Có | Không" with
/// an "x" under one of them; two members, one not, and nobody's mark is a misfit.
#[test]
fn party_marked_under_co_and_khong() {
    let dir = tempfile::tempdir().unwrap();
    hoa_binh(dir.path());
    let header = |ws: &mut Worksheet, f: &Format| {
        ws.merge_range(1, 0, 2, 0, "Họ và tên", f).unwrap();
        ws.merge_range(1, 1, 2, 1, "Giới tính", f).unwrap();
        ws.merge_range(1, 2, 1, 3, "Đảng viên", f).unwrap();
        ws.write_string(2, 2, "Có").unwrap();
        ws.write_string(2, 3, "Không").unwrap();
        ws.merge_range(1, 4, 2, 4, "Chức vụ", f).unwrap();
    };
    two_row_list(
        dir.path(),
        header,
        &[
            ["Lê Văn An", "Nam", "x", "", "HT"],
            ["Lê Thị Bình", "Nữ", "x", "", "GV"],
            ["Lê Thị Cúc", "Nữ", "", "x", "GV"],
        ],
    );
    let job = run_year(dir.path(), "2024-2025");
    let all = &job.school("HB").unwrap().measures.groups["all"];
    assert_eq!((all.total, all.female, all.party_members), (3, 2, 2));
    assert!(
        !job.issues.iter().any(|i| i.code.starts_with("unknown")),
        "{:?}",
        job.issues
            .iter()
            .map(|i| (&i.code, i.row, &i.column, &i.args))
            .collect::<Vec<_>>()
    );
}

/// A second table with its own header on the same sheet (issue 29): teachers and managers,
/// a blank row, a title, then the support staff under a header of the same columns in
/// another order. Each table is read with its own columns: no ethnicity read as a party
/// mark, no role read from the birth-date column.
#[test]
fn a_second_table_is_read_with_its_own_header() {
    let dir = tempfile::tempdir().unwrap();
    hoa_binh(dir.path());
    let first = [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Đảng viên",
        "Chức vụ",
    ];
    let second = [
        "Họ và tên",
        "Chức vụ",
        "Giới tính",
        "Ngày sinh",
        "Đảng viên",
        "Dân tộc",
    ];
    let row = |cells: &[&'static str]| -> Vec<C> {
        cells
            .iter()
            .map(|c| if c.is_empty() { E } else { S(c) })
            .collect()
    };
    let sheet = vec![
        vec![S("Mã trường: HB")],
        row(&first),
        row(&[
            "Trần Văn Hùng",
            "12/03/1975",
            "Nam",
            "Kinh",
            "x",
            "Hiệu trưởng",
        ]),
        row(&["Lê Thị Bình", "01/05/1990", "Nữ", "Tày", "x", "Giáo viên"]),
        row(&["Lê Thị Cúc", "01/05/1991", "Nữ", "Kinh", "", "Giáo viên"]),
        vec![],
        row(&["DANH SÁCH NHÂN VIÊN"]),
        row(&second),
        row(&["Ngô Văn Tâm", "Kế toán", "Nam", "01/01/1985", "x", "Kinh"]),
        row(&["Đỗ Thị Lan", "Văn thư", "Nữ", "01/01/1986", "", "Nùng"]),
    ];
    write_xlsx(&dir.path().join("HB.xlsx"), &[("Đội ngũ", sheet)]);
    let job = run_year(dir.path(), "2024-2025");
    let all = &job.school("HB").unwrap().measures.groups["all"];
    assert_eq!(
        (
            all.total,
            all.female,
            all.ethnic_minority,
            all.party_members
        ),
        (5, 3, 2, 3)
    );
    let support = &job.school("HB").unwrap().measures.groups["support"];
    assert_eq!((support.total, support.ethnic_minority), (2, 1));
    assert!(job.issues.is_empty(), "{:?}", job.issues);
    assert_rows_balance(&job);
}

/// One table holding staff and BDTX together (issue 29): the staff list carries Nội dung
/// 1–3 and "Kết quả BDTX" at its right and there is no BDTX sheet. Each row is read twice,
/// as a person and as their results; the accountant, with no results, is no BDTX row; the
/// civil-servant rating ("Xếp loại viên chức") is never taken for a BDTX result.
#[test]
fn staff_and_bdtx_in_one_table() {
    let dir = tempfile::tempdir().unwrap();
    hoa_binh(dir.path());
    let row = |cells: &[&'static str]| -> Vec<C> {
        cells
            .iter()
            .map(|c| if c.is_empty() { E } else { S(c) })
            .collect()
    };
    let sheet = vec![
        vec![S("Mã trường: HB")],
        row(&[
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Dân tộc",
            "Đảng viên",
            "Chức vụ",
            "Trình độ chuyên môn",
            "Xếp loại viên chức",
            "Nội dung 1",
            "Nội dung 2",
            "Nội dung 3",
            "Kết quả BDTX",
        ]),
        row(&[
            "Trần Văn Hùng",
            "12/03/1975",
            "Nam",
            "Kinh",
            "x",
            "Hiệu trưởng",
            "Đại học",
            "Hoàn thành tốt nhiệm vụ",
            "8",
            "8",
            "9",
            "Hoàn thành",
        ]),
        row(&[
            "Lê Thị Bình",
            "01/05/1990",
            "Nữ",
            "Kinh",
            "x",
            "Giáo viên",
            "Đại học",
            "Hoàn thành nhiệm vụ",
            "7",
            "8",
            "7,5",
            "Hoàn thành",
        ]),
        row(&[
            "Lê Thị Cúc",
            "01/05/1991",
            "Nữ",
            "Kinh",
            "x",
            "Giáo viên",
            "Đại học",
            "Hoàn thành xuất sắc nhiệm vụ",
            "4",
            "6",
            "6",
            "Không hoàn thành",
        ]),
        row(&[
            "Ngô Văn Tâm",
            "01/01/1985",
            "Nam",
            "Kinh",
            "x",
            "Kế toán",
            "Đại học",
            "Hoàn thành tốt nhiệm vụ",
            "",
            "",
            "",
            "",
        ]),
    ];
    write_xlsx(&dir.path().join("HB.xlsx"), &[("Đội ngũ", sheet)]);
    let job = run_year(dir.path(), "2024-2025");
    let hb = job.school("HB").unwrap();
    assert_eq!(hb.measures.stats.staff.total, 4);
    let t = &hb.measures.stats.training;
    assert_eq!((t.completed, t.not_completed, t.no_result), (2, 1, 0));
    assert_eq!(
        (hb.intake.training_read, hb.intake.training_unmatched),
        (3, 0)
    );
    assert!(job.issues.is_empty(), "{:?}", job.issues);
    assert_rows_balance(&job);
}

/// Marks and results are watched too (issue 29): a blank party cell means "not a member" and a
/// blank result "no result yet", so only marks written and not understood count as not read.
/// HB writes "Đ" under "Đảng viên" and "A" as its BDTX results: both fields are named; NS
/// leaves the marks of non-members blank and has no result for two teachers: nothing is said.
#[test]
fn party_marks_and_results_not_understood_are_named() {
    let dir = tempfile::tempdir().unwrap();
    registry(
        dir.path(),
        &[],
        &[
            ("HB", "Trường Tiểu học Hòa Bình", "Tiểu học", 6.0, vec![]),
            ("NS", "Trường Tiểu học Ngọc Sơn", "Tiểu học", 6.0, vec![]),
        ],
    );
    let write = |code: &str, party: &[&'static str], results: &[&'static str]| {
        let mut staff = vec![vec![
            S("Họ và tên"),
            S("Ngày sinh"),
            S("Giới tính"),
            S("Đảng viên"),
            S("Chức vụ"),
        ]];
        let mut training = vec![vec![S("Họ và tên"), S("Ngày sinh"), S("Kết quả BDTX")]];
        for (i, (mark, result)) in party.iter().zip(results).enumerate() {
            let name = S(leak(format!("Giáo Viên Số {i}")));
            let cell = |t: &'static str| if t.is_empty() { E } else { S(t) };
            staff.push(vec![
                name.clone(),
                S("01/05/1990"),
                S("Nữ"),
                cell(mark),
                S("Giáo viên"),
            ]);
            training.push(vec![name, S("01/05/1990"), cell(result)]);
        }
        write_xlsx(
            &dir.path().join(format!("{code}.xlsx")),
            &[("Đội ngũ", staff), ("BDTX", training)],
        );
    };
    write("HB", &["Đ"; 6], &["A", "A", "A", "A", "A", "Hoàn thành"]);
    write(
        "NS",
        &["x", "", "", "x", "", ""],
        &[
            "Hoàn thành",
            "",
            "",
            "Hoàn thành",
            "Hoàn thành",
            "Hoàn thành",
        ],
    );
    let job = run_year(dir.path(), "2024-2025");
    let hb = job.school("HB").unwrap();
    assert_eq!(hb.intake.unread_fields, ["party_member", "result"]);
    let warnings: Vec<String> = job
        .issues
        .iter()
        .filter(|i| i.code == "fields_not_read")
        .map(message)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("Đảng viên 0/6") && warnings[0].contains("1/6"),
        "{}",
        warnings[0]
    );
    let ns = job.school("NS").unwrap();
    assert!(ns.intake.unread_fields.is_empty());
    assert_eq!(ns.measures.stats.staff.party_members, 2);
}
