//! A file no school is found for lists the registry schools whose names are closest (issue
//! 21), without being given to any of them. ("TH Kim Dongg - doi ngu.xlsx" itself is
//! attributed to Kim Đồng by its name; a misspelt "Dongg" is not.)

use crate::common::*;

#[test]
fn an_unmatched_file_names_the_closest_schools() {
    let dir = tempfile::tempdir().unwrap();
    write_registry(
        dir.path(),
        &[
            ("TH01", "Trường Tiểu học Lê Lợi", "Tiểu học"),
            ("TH02", "Trường Tiểu học Kim Đồng", "Tiểu học"),
            ("CS01", "Trường THCS Kim Liên", "THCS"),
        ],
    );
    let staff = vec![
        vec![S("Họ và tên"), S("Chức vụ")],
        vec![S("Lê An"), S("Giáo viên")],
    ];
    write_xlsx(
        &dir.path().join("TH Kim Dongg - doi ngu.xlsx"),
        &[("DS", staff)],
    );
    let job = run(dir.path());
    let unmatched = &job.received.unmatched_files;
    assert_eq!(unmatched.len(), 1);
    let names: Vec<(&str, f64)> = unmatched[0]
        .candidates
        .iter()
        .map(|c| (c.name.as_str(), c.score))
        .collect();
    assert_eq!(
        names,
        [
            ("Trường Tiểu học Kim Đồng", 93.0),
            ("Trường THCS Kim Liên", 50.0)
        ]
    );
    // Never attributed: nobody is counted for TH02.
    assert_eq!(job.school("TH02").unwrap().measures.stats.staff.total, 0);
    let issue = job
        .issues
        .iter()
        .find(|i| i.code == "school_unmatched")
        .unwrap();
    assert!(
        message(issue).contains(
            "Các trường có tên gần nhất trong danh mục: Trường Tiểu học Kim Đồng (TH02, 93%); Trường THCS Kim Liên (CS01, 50%)."
        ),
        "{}",
        message(issue)
    );
}
