//! The staffing report's analysis: retirement months on boundary birth dates, teacher
//! shortages for one- and two-session primary schools and THCS, age bands, the forecast.

use crate::common::*;
use bdtx::analyse::staffing::{age_on, band};
use bdtx::domain::norms::retirement_month;
use chrono::NaiveDate;
use std::path::Path;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn retirement_on_boundary_birth_dates() {
    let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    let r = &s.targets.norms.retirement;
    // Men born 10/1964–06/1965 retire in 2026 at 61y6m; women born 05/1969–12/1969 at 57y.
    assert_eq!(retirement_month(date(1964, 10, 1), false, r), (2026, 4));
    assert_eq!(retirement_month(date(1964, 9, 30), false, r), (2025, 12));
    assert_eq!(retirement_month(date(1965, 1, 15), false, r), (2026, 7));
    assert_eq!(retirement_month(date(1969, 12, 31), true, r), (2026, 12));
    assert_eq!(retirement_month(date(1970, 1, 1), true, r), (2027, 5));
    // From 2028 men retire at 62, from 2035 women at 60.
    assert_eq!(retirement_month(date(1970, 6, 1), false, r), (2032, 6));
    assert_eq!(retirement_month(date(1980, 2, 1), true, r), (2040, 2));
}

#[test]
fn age_bands_on_their_boundaries() {
    let on = date(2025, 5, 31);
    let limits = [30, 40, 50, 55];
    let band_of = |y, m, d| band(age_on(date(y, m, d), on), &limits);
    assert_eq!(band_of(1995, 6, 1), 0); // 29
    assert_eq!(band_of(1995, 5, 31), 1); // 30 on the day
    assert_eq!(band_of(1975, 6, 1), 2); // 49
    assert_eq!(band_of(1975, 5, 31), 3); // 50
    assert_eq!(band_of(1970, 6, 1), 3); // 54
    assert_eq!(band_of(1970, 5, 31), 4); // 55
}

/// Three schools of 10 classes: primary with 1 and 2 sessions a day, and THCS.
fn district(dir: &Path) {
    let registry = vec![
        vec![
            S("Mã trường"),
            S("Tên trường"),
            S("Cấp học"),
            S("Số lớp"),
            S("Số buổi/ngày"),
        ],
        vec![
            S("TH1"),
            S("Trường Tiểu học Một Buổi"),
            S("Tiểu học"),
            N(10.),
            N(1.),
        ],
        vec![
            S("TH2"),
            S("Trường Tiểu học Hai Buổi"),
            S("Tiểu học"),
            N(10.),
            N(2.),
        ],
        vec![S("CS1"), S("Trường THCS Mười Lớp"), S("THCS"), N(10.), E],
    ];
    write_xlsx(&dir.join("danh_muc_truong.xlsx"), &[("DM", registry)]);
    let staff = |code: &'static str, teachers: usize, extra: Vec<Vec<C>>| {
        let mut rows = vec![
            vec![S("Mã trường"), S(code)],
            vec![
                S("Họ và tên"),
                S("Giới tính"),
                S("Ngày sinh"),
                S("Chức vụ"),
                S("Trình độ chuyên môn"),
                S("Đang học nâng chuẩn"),
            ],
            vec![
                S("Hiệu Trưởng"),
                S("Nam"),
                S("01/10/1964"),
                S("HT"),
                S("ĐH"),
            ],
        ];
        rows.extend(extra);
        for i in 0..teachers {
            let name: &'static str = Box::leak(format!("Giáo Viên {code} {i}").into_boxed_str());
            rows.push(vec![S(name), S("Nữ"), S("01/01/1990"), S("GV"), S("ĐHSP")]);
        }
        rows
    };
    let th1 = staff(
        "TH1",
        12,
        vec![
            vec![
                S("Ông Một"),
                S("Nam"),
                S("15/01/1965"),
                S("GV"),
                S("CĐSP"),
                S("x"),
            ],
            vec![S("Bà Hai"), S("Nữ"), S("31/12/1969"), S("GV"), S("TCSP")],
        ],
    );
    write_xlsx(&dir.join("th1.xlsx"), &[("DS", th1)]);
    write_xlsx(&dir.join("th2.xlsx"), &[("DS", staff("TH2", 16, vec![]))]);
    write_xlsx(&dir.join("cs1.xlsx"), &[("DS", staff("CS1", 22, vec![]))]);
}

#[test]
fn shortages_retirements_and_roadmap() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run(dir.path());
    let st = |c: &str| job.figures.staffing.schools[c].clone();
    // Norms: 10 × 1.2 + 1 = 13; 10 × 1.5 + 1 = 16; 10 × 1.9 + 1 = 20.
    let (a, b, c) = (st("TH1"), st("TH2"), st("CS1"));
    assert_eq!(
        (a.teachers, a.required_teachers, a.balance),
        (14, Some(13), Some(1))
    );
    assert_eq!(
        (b.teachers, b.required_teachers, b.balance),
        (16, Some(16), Some(0))
    );
    assert_eq!(
        (c.teachers, c.required_teachers, c.balance),
        (22, Some(20), Some(2))
    );
    assert_eq!(
        job.figures.staffing.years,
        vec![2025, 2026, 2027, 2028, 2029]
    );
    // TH1: the principal (04/2026), Ông Một (07/2026) and Bà Hai (12/2026) all go in 2026;
    // two of them are teachers, so the school drops from +1 to −1.
    assert_eq!(a.retiring, vec![0, 3, 0, 0, 0]);
    assert_eq!(a.teachers_retiring, vec![0, 2, 0, 0, 0]);
    assert_eq!(
        a.forecast_balance,
        vec![Some(1), Some(-1), Some(-1), Some(-1), Some(-1)]
    );
    let th1: Vec<(String, i32, u32)> = job
        .figures
        .staffing
        .retirees
        .iter()
        .filter(|r| r.school == "TH1")
        .map(|r| (r.name.to_string(), r.year, r.month))
        .collect();
    assert_eq!(
        th1,
        [
            ("Hiệu Trưởng".to_string(), 2026, 4),
            ("Ông Một".to_string(), 2026, 7),
            ("Bà Hai".to_string(), 2026, 12)
        ]
    );
    // Below the standard: Ông Một (college, studying) and Bà Hai (intermediate). Both retire
    // in 2026, less than 7 (college) and 8 (primary, trung cấp) years after 01/7/2020: NĐ
    // 71/2020 does not require them to upgrade, so neither counts as upgrading either.
    assert_eq!(
        (
            a.below_standard,
            a.must_upgrade,
            a.exempt_from_upgrading,
            a.upgrading
        ),
        (2, 0, 2, 0)
    );
    assert_eq!((a.principals, a.vice_principals), (1, 0));
    // Y tế is no TT 20/2023 post for primary schools: never listed as missing.
    assert_eq!(
        a.missing_posts,
        ["Kế toán", "Văn thư / Thủ quỹ", "Thư viện / Thiết bị"]
    );
    // Ages on 31/05/2025: 12 teachers born 1990 (35), Ông Một 60, Bà Hai 55, the principal 60.
    assert_eq!(a.age_bands, vec![0, 12, 0, 0, 3]);
}

/// School year 2024-2025, reference date 31/05/2025: a man reaching retirement age in April
/// 2025 is listed as already at retirement age (with a warning on his row), not in the
/// forecast. (No man reaches it in January to March 2025: the age rises 3 months each
/// January, so April is the first such month after December 2024.) NĐ 71/2020: a woman primary teacher with trung cấp born in 1966 has less than 8
/// years of service left on 01/7/2020 (exempt); one born in 1985 must upgrade.
#[test]
fn retirement_before_the_reference_date_and_the_upgrading_roadmap() {
    let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    let r = &s.targets.norms.retirement;
    assert_eq!(retirement_month(date(1964, 1, 15), false, r), (2025, 4));
    let dir = tempfile::tempdir().unwrap();
    write_registry(
        dir.path(),
        &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")],
    );
    let staff = vec![
        vec![
            S("Họ và tên"),
            S("Giới tính"),
            S("Ngày sinh"),
            S("Chức vụ"),
            S("Trình độ chuyên môn"),
        ],
        vec![
            S("Lê Văn An"),
            S("Nam"),
            S("15/01/1964"),
            S("GV"),
            S("ĐHSP"),
        ],
        vec![
            S("Lê Thị Bình"),
            S("Nữ"),
            S("01/06/1966"),
            S("GV"),
            S("Trung cấp"),
        ],
        vec![
            S("Lê Thị Cúc"),
            S("Nữ"),
            S("01/06/1985"),
            S("GV"),
            S("Trung cấp"),
        ],
        vec![
            S("Lê Văn Dũng"),
            S("Nam"),
            S("01/06/1975"),
            S("GV"),
            S("ĐHSP"),
        ],
    ];
    write_xlsx(&dir.path().join("kim_dong.xlsx"), &[("DS", staff)]);
    let job = run(dir.path());
    let names = |list: &[bdtx::analyse::staffing::Retiree]| {
        list.iter()
            .map(|r| (r.name.to_string(), r.year, r.month))
            .collect::<Vec<_>>()
    };
    assert_eq!(job.figures.staffing.as_of, date(2025, 5, 31));
    assert_eq!(
        names(&job.figures.staffing.reached_retirement),
        [
            ("Lê Thị Bình".to_string(), 2021, 10),
            ("Lê Văn An".to_string(), 2025, 4)
        ]
    );
    assert!(job
        .figures
        .staffing
        .retirees
        .iter()
        .all(|r| r.name != "Lê Văn An"));
    let warned: Vec<Option<u32>> = job
        .issues
        .iter()
        .filter(|i| i.code == "reached_retirement")
        .map(|i| i.row)
        .collect();
    assert_eq!(warned, [Some(2), Some(3)]);
    let sc = &job.figures.staffing.schools["TH01"];
    assert_eq!(sc.past_retirement, 2);
    assert_eq!(
        (sc.below_standard, sc.must_upgrade, sc.exempt_from_upgrading),
        (2, 1, 1)
    );
}
