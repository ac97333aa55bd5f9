//! A district of two communes: the per-school tables get a subtotal per commune, and
//! `--commune` reports one commune's schools with the same figures as the full run.

use crate::common::*;
use bdtx::domain::schema::Schemas;
use bdtx::pipeline::{run_job, JobConfig};
use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;

fn district(dir: &Path) {
    let mut rows = vec![vec![
        S("Mã trường"),
        S("Tên trường"),
        S("Cấp học"),
        S("Xã/Phường"),
        S("Số lớp"),
        S("Số buổi/ngày"),
    ]];
    let schools = [
        ("B2", "Trường Tiểu học Bình Hai", "Xã Bình"),
        ("A1", "Trường Tiểu học An Một", "Xã An"),
        ("B1", "Trường Tiểu học Bình Một", "Xã Bình"),
        ("A2", "Trường Tiểu học An Hai", "Xã An"),
    ];
    for (i, (code, name, commune)) in schools.iter().enumerate() {
        rows.push(vec![
            S(code),
            S(name),
            S("Tiểu học"),
            S(commune),
            N(5.),
            N(2.),
        ]);
        let mut staff = vec![
            vec![S("Mã trường:"), S(code)],
            vec![S("Họ và tên"), S("Chức vụ")],
        ];
        for n in 0..=i {
            let person: &'static str = Box::leak(format!("Người {code} {n}").into_boxed_str());
            staff.push(vec![S(person), S("Giáo viên")]);
        }
        write_xlsx(&dir.join(format!("{code}.xlsx")), &[("DS", staff)]);
    }
    write_xlsx(&dir.join("danh_muc_truong.xlsx"), &[("DM", rows)]);
}

#[test]
fn subtotals_per_commune_and_one_communes_report() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let out = tempfile::tempdir().unwrap();
    bdtx(&run_args(dir.path(), out.path()));
    let mut wb =
        open_workbook_auto(out.path().join("2024-2025/bao_cao_tong_hop_2024-2025.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Đội ngũ").unwrap();
    let lines: Vec<(String, f64)> = sheet
        .rows()
        .skip(3)
        .map(|r| {
            let name = r.get(2).map(|d| d.to_string()).unwrap_or_default();
            let total = match r.get(3) {
                Some(Data::Float(x)) => *x,
                _ => -1.0,
            };
            (name, total)
        })
        .collect();
    // Each commune's schools under its name (no figures), then its subtotal.
    let expected = [
        ("Toàn đơn vị", 10.0),
        ("Xã An", -1.0),
        ("Trường Tiểu học An Một", 2.0),
        ("Trường Tiểu học An Hai", 4.0),
        ("Cộng Xã An", 6.0),
        ("Xã Bình", -1.0),
        ("Trường Tiểu học Bình Một", 3.0),
        ("Trường Tiểu học Bình Hai", 1.0),
        ("Cộng Xã Bình", 4.0),
    ];
    let expected: Vec<(String, f64)> = expected.iter().map(|(n, t)| (n.to_string(), *t)).collect();
    assert_eq!(lines, expected);

    let schemas = Schemas::load(None).unwrap();
    let config = |commune: Option<&str>| JobConfig {
        input: dir.path().into(),
        registry: "danh_muc_truong.xlsx".into(),
        school_year: Some("2024-2025".into()),
        bdtx_rules: Default::default(),
        commune: commune.map(str::to_string),
    };
    let full = run_job(&config(None), &schemas).unwrap();
    let an = run_job(&config(Some("xã an")), &schemas).unwrap();
    let codes: Vec<&str> = an
        .figures
        .schools
        .iter()
        .map(|s| s.school.code.as_str())
        .collect();
    assert_eq!(codes, ["A1", "A2"]);
    for code in ["A1", "A2"] {
        assert_eq!(
            an.school(code).unwrap().measures,
            full.school(code).unwrap().measures
        );
    }
    assert_eq!(an.figures.district.stats.staff.total, 6);
    assert!(an.issues.iter().all(|i| i.school.as_deref() != Some("B1")));
    assert_eq!(an.received.files_read, ["A1.xlsx", "A2.xlsx"]);
}
