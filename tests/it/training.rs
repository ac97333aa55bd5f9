//! BDTX detail: TT 19/2019 vs TT 26/2012 grades at their boundaries, per-content pass rates
//! and averages, and module frequency.

use crate::common::*;
use bdtx::domain::schema::{BdtxRules, Schemas};
use bdtx::pipeline::{run_job, JobConfig, JobResult};
use std::path::Path;

fn district(dir: &Path) {
    write_registry(dir, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    let people = ["Lê An", "Lê Bình", "Lê Cúc", "Lê Dung", "Lê Em", "Lê Phúc"];
    let mut staff = vec![vec![S("Họ và tên"), S("Chức vụ")]];
    staff.extend(people.iter().map(|p| vec![S(p), S("GV")]));
    let training = vec![
        vec![
            S("Họ và tên"),
            S("Nội dung 1"),
            S("Nội dung 2"),
            S("Nội dung 3"),
            S("Mô đun"),
        ],
        // average 9, lowest 9: Giỏi
        vec![S("Lê An"), N(9.), N(9.), N(9.), S("GVTH01, GVTH02")],
        // average 8.5, lowest 6.5: Khá
        vec![S("Lê Bình"), N(9.5), N(9.5), N(6.5), S("gvth01; GVTH03")],
        // average 8.97 (just under 9): Khá
        vec![S("Lê Cúc"), N(10.), N(10.), N(6.9), S("GVTH03")],
        // average 9, lowest exactly 7: Giỏi
        vec![S("Lê Dung"), N(10.), N(10.), N(7.)],
        // 5, 5, 5: Trung bình
        vec![S("Lê Em"), N(5.), N(5.), N(5.)],
        // a content under 5: not completed either way
        vec![S("Lê Phúc"), N(8.), N(8.), N(4.5)],
    ];
    write_xlsx(
        &dir.join("kim_dong.xlsx"),
        &[("DS", staff), ("BDTX", training)],
    );
}

fn run_rules(dir: &Path, rules: BdtxRules) -> JobResult {
    let schemas = Schemas::load(None).unwrap();
    let config = JobConfig {
        input: dir.into(),
        registry: "danh_muc_truong.xlsx".into(),
        school_year: Some("2024-2025".into()),
        bdtx_rules: rules,
        commune: None,
    };
    run_job(&config, &schemas).unwrap()
}

#[test]
fn tt26_grades_at_their_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run_rules(dir.path(), BdtxRules::Tt26);
    let d = &job.figures.schools[0].training_detail;
    let grades: Vec<(&str, u32)> = d.grades.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(grades, [("average", 1), ("excellent", 2), ("good", 2)]);
    let t = &job.figures.schools[0].measures.stats.training;
    assert_eq!((t.completed, t.not_completed, t.no_result), (5, 1, 0));
    assert_eq!(job.bdtx_rules, "tt26");
}

#[test]
fn tt19_has_no_grades_and_the_same_completion() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run_rules(dir.path(), BdtxRules::Tt19);
    assert!(job.figures.schools[0].training_detail.grades.is_empty());
    let t = &job.figures.schools[0].measures.stats.training;
    assert_eq!((t.completed, t.not_completed, t.no_result), (5, 1, 0));
}

#[test]
fn contents_and_modules() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let job = run_rules(dir.path(), BdtxRules::Tt19);
    let d = &job.figures.schools[0].training_detail;
    let contents: Vec<(&str, u32, u32, Option<f64>)> = d
        .contents
        .iter()
        .map(|c| (c.content.as_str(), c.scored, c.passed, c.average))
        .collect();
    // Content 3: 9 + 6.5 + 6.9 + 7 + 5 + 4.5 = 38.9 over 6 = 6.48; one score under 5.
    assert_eq!(
        contents,
        [
            ("score_1", 6, 6, Some(8.58)),
            ("score_2", 6, 6, Some(8.58)),
            ("score_3", 6, 5, Some(6.48))
        ]
    );
    let modules: Vec<(&str, u32)> = d.modules.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(modules, [("GVTH01", 2), ("GVTH02", 1), ("GVTH03", 2)]);
    assert_eq!(job.figures.district_training_detail.modules, d.modules);
}

/// TT 19/2019: every content must be completed. 8 | blank | 7 written "Hoàn thành" is no
/// result and an error on the row; 8 | blank | 3 is not completed (and the same error); a row
/// with no score at all keeps its written result.
#[test]
fn some_contents_scored_and_others_blank() {
    let dir = tempfile::tempdir().unwrap();
    write_registry(
        dir.path(),
        &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")],
    );
    let mut staff = vec![vec![S("Họ và tên"), S("Chức vụ")]];
    staff.extend(["Lê An", "Lê Bình", "Lê Cúc"].map(|p| vec![S(p), S("GV")]));
    let training = vec![
        vec![
            S("Họ và tên"),
            S("Nội dung 1"),
            S("Nội dung 2"),
            S("Nội dung 3"),
            S("Kết quả"),
        ],
        vec![S("Lê An"), N(8.), E, N(7.), S("Hoàn thành")],
        vec![S("Lê Bình"), N(8.), E, N(3.), S("Hoàn thành")],
        vec![S("Lê Cúc"), E, E, E, S("Hoàn thành")],
    ];
    write_xlsx(
        &dir.path().join("kim_dong.xlsx"),
        &[("DS", staff), ("BDTX", training)],
    );
    let job = run_rules(dir.path(), BdtxRules::Tt19);
    let t = &job.figures.schools[0].measures.stats.training;
    assert_eq!((t.completed, t.not_completed, t.no_result), (1, 1, 1));
    let missing: Vec<(Option<u32>, Option<&str>, bdtx::domain::issue::Severity)> = job
        .issues
        .iter()
        .filter(|i| i.code == "missing_score")
        .map(|i| (i.row, i.column.as_deref(), i.severity))
        .collect();
    let error = bdtx::domain::issue::Severity::Error;
    assert_eq!(
        missing,
        [(Some(2), Some("C"), error), (Some(3), Some("C"), error)]
    );
    assert!(message(
        job.issues
            .iter()
            .find(|i| i.code == "missing_score")
            .unwrap()
    )
    .starts_with("Thiếu điểm Nội dung 2 của Lê An"));
}
