//! Drives the real `bdtx` binary, as an officer would.

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;

/// Asserts two file trees are byte-identical, naming the files that differ.
fn assert_same_tree(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: different files");
    let differ: Vec<&String> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, _)| &x.0)
        .collect();
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}

fn tree_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn sample_then_run_writes_every_output_deterministically() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out1, out2) = (
        tmp.path().join("in"),
        tmp.path().join("o1"),
        tmp.path().join("o2"),
    );
    sample(&input, 9, Some(7));
    let input_s = input.to_str().unwrap();
    let before = tree_bytes(&input);
    let run = bdtx(&[
        "run",
        "--input",
        input_s,
        "--output",
        out1.to_str().unwrap(),
        "--year",
        "2024-2025",
    ]);
    bdtx(&[
        "run",
        "--input",
        input_s,
        "--output",
        out2.to_str().unwrap(),
        "--year",
        "2024-2025",
    ]);
    assert_same_tree(&tree_bytes(&input), &before, "input/ must not change");
    assert_same_tree(
        &tree_bytes(&out1),
        &tree_bytes(&out2),
        "same input, same output",
    );

    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(
        stdout.contains("9 trường trong danh mục, 1 chưa nộp"),
        "{stdout}"
    );
    for f in [
        "summary.json",
        "bao_cao_tong_hop_2024-2025.xlsx",
        "du_lieu/doi_ngu.csv",
        "du_lieu/bdtx.csv",
    ] {
        assert!(out1.join("2024-2025").join(f).is_file(), "missing {f}");
    }
    assert!(out1
        .join("2024-2025/loi")
        .join("khong_xac_dinh_truong.xlsx")
        .is_file());

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out1.join("2024-2025/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["school_year"], "2024-2025");
    assert_eq!(summary["schools"].as_array().unwrap().len(), 9);
    assert_eq!(summary["missing_submissions"].as_array().unwrap().len(), 1);
    for key in ["targets", "reachable", "criteria"] {
        assert!(
            summary["schools"][0].get(key).is_some(),
            "school lacks {key}"
        );
    }
    let first_rule = &summary["schools"][0]["targets"][0];
    for key in [
        "rule",
        "criterion",
        "level",
        "met",
        "value",
        "threshold",
        "gap_people",
    ] {
        assert!(first_rule.get(key).is_some(), "target lacks {key}");
    }
    for key in [
        "staff",
        "teacher_qualification",
        "teachers_meeting_standard",
        "teachers_above_standard",
        "training",
    ] {
        assert!(
            summary["district"].get(key).is_some(),
            "district lacks {key}"
        );
        assert!(
            summary["schools"][0].get(key).is_some(),
            "school lacks {key}"
        );
    }
    let issue = &summary["issues"][1];
    for key in [
        "file", "sheet", "row", "column", "severity", "code", "message",
    ] {
        assert!(issue.get(key).is_some(), "issue lacks {key}");
    }
    // The sample is the same for the same seed.
    let again = tmp.path().join("in2");
    // A clock-stamped file would differ after this pause.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    sample(&again, 9, Some(7));
    assert_same_tree(&tree_bytes(&again), &before, "same seed, same sample");
}

#[test]
fn report_reads_back_with_the_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_registry(&input, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    write_xlsx(
        &input.join("kim_dong.xlsx"),
        &[(
            "DS",
            vec![
                vec![
                    S("Họ và tên"),
                    S("Chức vụ"),
                    S("Trình độ chuyên môn"),
                    S("Nội dung 1"),
                    S("Nội dung 2"),
                    S("Nội dung 3"),
                ],
                vec![S("Lê An"), S("HT"), S("ĐH"), N(9.), N(9.), N(9.)],
            ],
        )],
    );
    // Staff list in its own sheet; the BDTX sheet above doubles as one only if it wins on columns.
    write_xlsx(
        &input.join("kim_dong_ds.xlsx"),
        &[(
            "DS",
            vec![
                vec![S("TRƯỜNG TH KIM ĐỒNG")],
                vec![S("Họ và tên"), S("Chức vụ"), S("TĐCM")],
                vec![S("Lê An"), S("HT"), S("ĐH")],
                vec![S("Lê Bình"), S("GV"), S("ThS")],
            ],
        )],
    );
    let out = tmp.path().join("out");
    bdtx(&[
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--year",
        "2024-2025",
    ]);
    // Split by who reads them: the report the office signs, its annex of lists, the
    // office's working book.
    let sheets = |name: &str| {
        open_workbook_auto(out.join("2024-2025").join(name))
            .unwrap()
            .sheet_names()
    };
    assert_eq!(
        sheets("bao_cao_tong_hop_2024-2025.xlsx"),
        [
            "Báo cáo",
            "Đội ngũ",
            "Trình độ",
            "BDTX",
            "BDTX theo nội dung",
            "BDTX theo mô đun",
            "Kiểm định - Chuẩn QG"
        ]
    );
    assert_eq!(
        sheets("phu_luc_2024-2025.xlsx"),
        [
            "PL1 Hoàn thành BDTX",
            "PL2 Chưa hoàn thành BDTX",
            "PL3 Kiểm định - Chi tiết",
            "PL4 Đội ngũ theo nhóm"
        ]
    );
    assert_eq!(
        sheets("xu_ly_du_lieu_2024-2025.xlsx"),
        ["Tiếp nhận", "Lỗi dữ liệu", "Đối chiếu số dòng"]
    );
    let mut wb = open_workbook_auto(out.join("2024-2025/bao_cao_tong_hop_2024-2025.xlsx")).unwrap();
    let staff = wb.worksheet_range("Đội ngũ").unwrap();
    // The header is row 3 (index 2), the office's line row 4; under the commune's name
    // (row 5), TH01 is row 6. Column D is the total staff.
    assert_eq!(staff.get_value((5, 1)), Some(&Data::String("TH01".into())));
    assert_eq!(staff.get_value((5, 3)), Some(&Data::Float(2.0)));
    // Bình has no BDTX row: the list of people not completed names him as without result.
    let mut annex = open_workbook_auto(out.join("2024-2025/phu_luc_2024-2025.xlsx")).unwrap();
    let training = annex.worksheet_range("PL2 Chưa hoàn thành BDTX").unwrap();
    let listed: Vec<String> = training
        .rows()
        .filter_map(|r| r.get(3))
        .map(|d| d.to_string())
        .collect();
    assert!(listed.contains(&"Lê Bình".to_string()), "{listed:?}");
}

#[test]
fn schema_override_changes_the_outcome_without_code() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_registry(&input, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    write_xlsx(
        &input.join("kim_dong.xlsx"),
        &[
            (
                "DS",
                vec![
                    vec![S("Họ và tên"), S("Chức vụ")],
                    vec![S("Lê An"), S("GV")],
                ],
            ),
            (
                "KQ",
                vec![
                    vec![S("Họ và tên"), S("ND1"), S("ND2"), S("ND3")],
                    vec![S("Lê An"), N(5.5), N(5.5), N(5.5)],
                ],
            ),
        ],
    );
    let completed = |schemas: Option<&Path>| {
        let out = tmp.path().join("out");
        let mut args = vec![
            "run",
            "--input",
            input.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ];
        if let Some(s) = schemas {
            args.extend(["--schemas", s.to_str().unwrap()]);
        }
        bdtx(&args);
        let summary = run_dir(&out).join("summary.json");
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
        v["district"]["training"]["completed"].as_u64().unwrap()
    };
    assert_eq!(completed(None), 1);
    let schemas = tmp.path().join("schemas");
    std::fs::create_dir_all(&schemas).unwrap();
    let rules = std::fs::read_to_string(repo_path("schemas/rules.toml")).unwrap();
    std::fs::write(
        schemas.join("rules.toml"),
        rules.replace("pass_score = 5.0", "pass_score = 6.0"),
    )
    .unwrap();
    assert_eq!(completed(Some(&schemas)), 0);
}

/// A school that lost more than 10% of its rows is named on the console and flagged in the
/// Tổng hợp sheet, with the counts beside it.
#[test]
fn a_school_that_lost_rows_is_flagged_for_checking() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_registry(&input, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    write_xlsx(
        &input.join("TH01.xlsx"),
        &[(
            "DS",
            vec![
                vec![S("Họ và tên"), S("Chức vụ")],
                vec![S("Lê An"), S("HT")],
                vec![S("Lê Bình"), S("GV")],
                vec![S("Lê Cúc"), E],
            ],
        )],
    );
    let out = tmp.path().join("out");
    let run = bdtx(&run_args(&input, &out));
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(
        stdout.contains("Kiểm tra lại tệp của trường Trường Tiểu học Kim Đồng (TH01): 1/3 người bị loại, 0/0 dòng BDTX không khớp danh sách."),
        "{stdout}"
    );
    // The office's working book: the school's line (row 4, under the office's) says so.
    let mut wb = open_workbook_auto(out.join("2024-2025/xu_ly_du_lieu_2024-2025.xlsx")).unwrap();
    let intake = wb.worksheet_range("Tiếp nhận").unwrap();
    let row: Vec<String> = (6..12)
        .map(|c| {
            intake
                .get_value((4, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        row,
        vec!["3", "1", "0", "1", "0", "Kiểm tra lại tệp của trường"]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2024-2025/summary.json")).unwrap())
            .unwrap();
    assert_eq!(json["schools"][0]["intake"]["people_rejected"], 1);
    assert_eq!(json["schools"][0]["needs_check"], true);
}

fn bdtx_fails(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bdtx"))
        .args(args)
        .output()
        .unwrap();
    assert!(!out.status.success(), "bdtx {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The outputs never go into the input folder (nor the input into the outputs), and a
/// missing input folder is named as such; the input is left as it was.
#[test]
fn output_and_input_folders_are_kept_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_registry(&input, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    std::fs::create_dir_all(input.join("loi")).unwrap();
    std::fs::write(input.join("loi/ghi_chu.txt"), "của phòng").unwrap();
    let before = tree_bytes(&input);
    let i = input.to_str().unwrap();
    for output in [
        input.clone(),
        input.join("ket_qua"),
        tmp.path().to_path_buf(),
    ] {
        let err = bdtx_fails(&[
            "run",
            "--input",
            i,
            "--output",
            output.to_str().unwrap(),
            "--year",
            "2024-2025",
        ]);
        assert!(
            err.contains("không được trùng, nằm trong hay chứa thư mục dữ liệu vào"),
            "{err}"
        );
    }
    assert_same_tree(&before, &tree_bytes(&input), "input");
    let missing = tmp.path().join("khong_co");
    let err = bdtx_fails(&[
        "run",
        "--input",
        missing.to_str().unwrap(),
        "--output",
        tmp.path().join("out").to_str().unwrap(),
    ]);
    assert!(err.contains("Không tìm thấy thư mục dữ liệu vào"), "{err}");
}

/// loi/ keeps what the office put there; only the lists bdtx wrote last time are replaced,
/// and schools whose codes make the same file name each get their own file.
#[test]
fn error_lists_never_overwrite_each_other_or_the_office_files() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let long: &'static str = Box::leak("X".repeat(300).into_boxed_str());
    write_registry(
        &input,
        &[
            ("..", "Trường A", "Tiểu học"),
            ("...", "Trường B", "Tiểu học"),
            ("K/L", "Trường C", "Tiểu học"),
            ("K_L", "Trường D", "Tiểu học"),
            (long, "Trường E", "Tiểu học"),
        ],
    );
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("2024-2025/loi")).unwrap();
    std::fs::write(out.join("2024-2025/loi/ghi_chu.txt"), "của phòng").unwrap();
    // The office's own file, named as a school's list would be.
    std::fs::write(out.join("2024-2025/loi/K_L.xlsx"), "của phòng").unwrap();
    let args = run_args(&input, &out);
    bdtx(&args);
    let listed = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    };
    let long_name = format!("{}.xlsx", "X".repeat(100));
    let mut want = vec![
        ".bdtx_tep_da_ghi.txt",
        "K_L.xlsx",
        "K_L_2.xlsx",
        "K_L_3.xlsx",
        "_.xlsx",
        "__2.xlsx",
        "ghi_chu.txt",
        &long_name,
    ];
    want.sort();
    assert_eq!(listed(&out.join("2024-2025/loi")), want);
    // A file the last run wrote and this one does not is gone; the office's stay. (The run's
    // manifest says which are bdtx's; a path out of the folder in it touches nothing.)
    let manifest = out.join("2024-2025/.bdtx_ket_qua.txt");
    let listed_before = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        format!("{listed_before}\nloi/TH_cu.xlsx\n../in/danh_muc_truong.xlsx"),
    )
    .unwrap();
    std::fs::write(out.join("2024-2025/loi/TH_cu.xlsx"), "cũ").unwrap();
    bdtx(&args);
    assert_eq!(listed(&out.join("2024-2025/loi")), want);
    assert!(input.join("danh_muc_truong.xlsx").is_file());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2024-2025/summary.json")).unwrap())
            .unwrap();
    let files: Vec<&str> = json["schools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["error_file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files[..4],
        [
            "loi/_.xlsx",
            "loi/__2.xlsx",
            "loi/K_L_2.xlsx",
            "loi/K_L_3.xlsx"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("2024-2025/loi/K_L.xlsx")).unwrap(),
        "của phòng"
    );
}

/// Two runs started together on one output folder: the second waits for the first, both
/// finish, and the folder holds one run's complete outputs (no half-written loi/, no temp files).
#[test]
fn two_runs_at_once_take_turns() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    sample(&input, 12, Some(3));
    let args = run_args(&input, &out);
    // Five pairs: without the lock, a pair collided about one time in three.
    for _ in 0..5 {
        run_pair(&args, &out);
    }
}

fn run_pair(args: &[&str], out: &Path) {
    let children: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_bdtx"))
                .args(args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let done = child.wait_with_output().unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        let stdout = String::from_utf8_lossy(&done.stdout).to_string();
        let manifest =
            std::fs::read_to_string(out.join("2024-2025/loi/.bdtx_tep_da_ghi.txt")).unwrap();
        let said = format!("{} tệp trong thư mục loi/", manifest.lines().count());
        assert!(stdout.contains(&said), "{stdout}");
    }
    let manifest = std::fs::read_to_string(out.join("2024-2025/loi/.bdtx_tep_da_ghi.txt")).unwrap();
    let mut written: Vec<String> = std::fs::read_dir(out.join("2024-2025/loi"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    written.sort();
    let mut listed: Vec<String> = manifest.lines().map(str::to_string).collect();
    listed.sort();
    assert_eq!(written, listed);
    let prefix = out.to_string_lossy().to_string();
    let leftovers: Vec<_> = walk(out)
        .into_iter()
        .filter(|p| p[prefix.len()..].contains(".tmp") || p[prefix.len()..].contains("/.bdtx-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all.extend(walk(&p));
        } else {
            all.push(p.to_string_lossy().to_string());
        }
    }
    all
}

/// Outputs are created as the user's other files are: 0666 less the umask, not 0600.
#[cfg(unix)]
#[test]
fn outputs_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_registry(&input, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    write_xlsx(
        &input.join("TH01.xlsx"),
        &[(
            "DS",
            vec![
                vec![S("Họ và tên"), S("Chức vụ")],
                vec![S("Lê An"), S("HT")],
            ],
        )],
    );
    let out = tmp.path().join("out");
    // umask 022 in a shell, whatever the test runner's: files 0644.
    let script = format!(
        "umask 022 && exec '{}' run --input '{}' --output '{}' --year 2024-2025",
        env!("CARGO_BIN_EXE_bdtx"),
        input.display(),
        out.display()
    );
    let status = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for f in [
        "summary.json",
        "bao_cao_tong_hop_2024-2025.xlsx",
        "du_lieu/doi_ngu.csv",
    ] {
        let path = out.join("2024-2025").join(f);
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{f}");
    }
}

/// A run that fails after writing part of its outputs (here: last year's summary cannot be
/// read, after the tables are written) leaves the previous run's outputs as they were.
#[test]
fn a_failed_run_leaves_the_previous_outputs_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    sample(&input, 4, Some(5));
    let args = run_args(&input, &out);
    bdtx(&args);
    let before = tree_bytes(&out);
    // Other figures (a school's files gone), then a failure: nothing of them may land.
    let school = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    std::fs::remove_dir_all(school).unwrap();
    let mut failing: Vec<&str> = args.to_vec();
    let missing = tmp.path().join("khong_co.json");
    failing.extend(["--previous", missing.to_str().unwrap()]);
    bdtx_fails(&failing);
    assert_same_tree(&before, &tree_bytes(&out), "outputs after a failed run");
}

/// Options no report can be made with are refused at the start, in Vietnamese, before
/// anything is written: never a writer's error at the end (issue 28).
#[test]
fn options_are_checked_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_registry(&input, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    let out = tmp.path().join("out");
    let (i, o) = (input.to_str().unwrap(), out.to_str().unwrap());
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--input", i, "--output", o];
        args.extend(extra);
        bdtx_fails(&args)
    };
    let long_year = "2".repeat(300);
    let long_signer = "Lê ".repeat(14_000);
    // The office's schema folder, misspelt or holding a misspelt file: its edits would be
    // left out without a word.
    let schemas = tmp.path().join("schemas");
    std::fs::create_dir_all(&schemas).unwrap();
    std::fs::write(schemas.join("rule.toml"), "").unwrap();
    let missing = tmp.path().join("schema");
    let (sc, ms) = (schemas.to_str().unwrap(), missing.to_str().unwrap());
    let last_year = tmp.path().join("khong_co.json");
    let ly = last_year.to_str().unwrap();
    let registry = input.join("danh_muc_truong.xlsx");
    let reg = registry.to_str().unwrap();
    let no_folder = format!("Không tìm thấy thư mục schemas {ms}");
    let misspelt =
        format!("Thư mục schemas {sc} chỉ có rule.toml: bdtx chỉ đọc các tệp sheets.toml");
    // The operating system's words in Vietnamese.
    let no_file = format!("không đọc được {ly}: không có tệp hoặc thư mục này");
    for (extra, says) in [
        (vec!["--schemas", ms], no_folder.as_str()),
        (vec!["--schemas", sc], misspelt.as_str()),
        (vec!["--previous", ly], no_file.as_str()),
        // Not last year's summary.json: refused from its first bytes, before the run.
        (
            vec!["--previous", reg],
            "tệp không phải summary.json do bdtx ghi",
        ),
        (vec!["--year", "abc"], "Năm học \"abc\" không hợp lệ"),
        (
            vec!["--year", "2024-2026"],
            "Năm học \"2024-2026\" không hợp lệ",
        ),
        (
            vec!["--year", long_year.as_str()],
            "không hợp lệ: đề nghị ghi dạng 2024-2025",
        ),
        (
            vec!["--signer", long_signer.as_str()],
            "Giá trị của --signer dài quá 200 ký tự",
        ),
        (
            vec!["--commune", "Xã Không Có"],
            "Không có trường nào của xã/phường (cụm) \"Xã Không Có\"",
        ),
    ] {
        let stderr = run(&extra);
        assert!(stderr.contains(says), "{extra:?}: {stderr}");
        assert!(!stderr.contains("os error"), "{extra:?}: {stderr}");
    }
    assert!(!out.join("2024-2025/bao_cao_tong_hop_abc.xlsx").exists());
    // A registry with only its header: a clear refusal.
    write_xlsx(
        &input.join("danh_muc_truong.xlsx"),
        &[(
            "DM",
            vec![vec![S("Mã trường"), S("Tên trường"), S("Cấp học")]],
        )],
    );
    let stderr = run(&[]);
    assert!(
        stderr.contains("không có trường tiểu học, THCS nào"),
        "{stderr}"
    );
}

/// `bdtx sample`, `template` and `self-check` never write over or among the schools' files:
/// a sample into a folder holding files, templates or the check page into the registry's
/// folder (the next run reads every file there) are refused and the folder is left as it
/// was; their options are checked as the run's are, and a sample's size is bounded before
/// anything is made.
#[test]
fn sample_template_and_self_check_leave_the_schools_files_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    sample(&input, 3, Some(5));
    let before = tree_bytes(&input);
    let (i, registry) = (input.to_str().unwrap(), input.join("danh_muc_truong.xlsx"));
    let r = registry.to_str().unwrap();
    let inside = input.join("mau");
    let missing = tmp.path().join("khong_co.xlsx");
    let ms = missing.to_str().unwrap();
    let nowhere = tmp.path().join("moi").to_str().unwrap().to_string();
    for (args, says) in [
        (
            vec!["sample", "--out", i],
            format!("Thư mục {i} đã có tệp: bdtx sample chỉ ghi vào thư mục trống"),
        ),
        (
            vec![
                "template",
                "--out",
                inside.to_str().unwrap(),
                "--registry",
                r,
            ],
            "không được nằm trong thư mục của danh mục trường".to_string(),
        ),
        (
            vec!["template", "--out", i, "--registry", r],
            "không được nằm trong thư mục của danh mục trường".to_string(),
        ),
        (
            vec!["self-check", "--out", i, "--registry", r],
            "không được nằm trong thư mục của danh mục trường".to_string(),
        ),
        (
            vec![
                "self-check",
                "--out",
                &nowhere,
                "--registry",
                r,
                "--year",
                "2025",
            ],
            "Năm học \"2025\" không hợp lệ".to_string(),
        ),
        (
            vec!["template", "--out", &nowhere, "--registry", ms],
            format!("Không tìm thấy danh mục trường {ms}"),
        ),
        (
            vec!["template", "--out", &nowhere, "--year", "2024-2023"],
            "Năm học \"2024-2023\" không hợp lệ".to_string(),
        ),
        (
            vec!["sample", "--out", &nowhere, "--schools", "1000000000"],
            "Số trường (--schools) phải từ 1 đến 100.000".to_string(),
        ),
        (
            vec!["sample", "--out", &nowhere, "--schools", "0"],
            "Số trường (--schools) phải từ 1 đến 100.000".to_string(),
        ),
    ] {
        let stderr = bdtx_fails(&args);
        assert!(stderr.contains(&says), "{args:?}: {stderr}");
    }
    assert_same_tree(&before, &tree_bytes(&input), "the schools' folder");
    assert!(!Path::new(&nowhere).exists());
    // Beside the registry's folder, templates are written.
    bdtx(&["template", "--out", &nowhere, "--registry", r]);
    assert_eq!(std::fs::read_dir(&nowhere).unwrap().count(), 3);
    // A registry that is not a workbook: said for the office, without the schools' advice.
    let text = tmp.path().join("van_ban");
    std::fs::create_dir_all(&text).unwrap();
    std::fs::write(text.join("danh_muc_truong.xlsx"), "Mã trường;Tên trường\n").unwrap();
    let t = text.join("danh_muc_truong.xlsx");
    let out = tmp.path().join("kq");
    for args in [
        vec![
            "template",
            "--out",
            &nowhere,
            "--registry",
            t.to_str().unwrap(),
        ],
        vec![
            "run",
            "--input",
            text.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    ] {
        let stderr = bdtx_fails(&args);
        assert_eq!(
            stderr.trim(),
            "Lỗi: Không đọc được danh mục trường danh_muc_truong.xlsx: Không mở được tệp: tệp \
             là văn bản (CSV) được đặt tên .xlsx, không phải bảng tính Excel.",
            "{args:?}"
        );
    }
}

/// The folders a run writes into are never links: `output/loi` linked to the input folder
/// would have put the letters among the schools' files.
#[cfg(unix)]
#[test]
fn a_linked_output_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_registry(&input, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("2024-2025")).unwrap();
    let elsewhere = tmp.path().join("truong");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("2024-2025/loi")).unwrap();
    let stderr = bdtx_fails(&run_args(&input, &out));
    assert!(
        stderr.contains("là một liên kết (link) tới nơi khác"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

/// A province's reports are written row by row (low-memory mode, past 20,000 table rows):
/// every signed sheet still carries its signer. Forced here on the sample.
#[test]
fn reports_written_row_by_row_keep_their_signatures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = repo_path("input");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bdtx"))
        .args(run_args(&input, &out))
        .env("BDTX_WHOLE_SHEETS_UP_TO_ROWS", "0")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("Ignoring write"), "{stderr}");
    let mut wb = open_workbook_auto(out.join("2024-2025/bao_cao_doi_ngu_2024-2025.xlsx")).unwrap();
    for sheet in [
        "Định mức",
        "Độ tuổi",
        "Dự báo nghỉ hưu",
        "Trình độ - Xếp loại",
    ] {
        let range = wb.worksheet_range(sheet).unwrap();
        let signed = range
            .rows()
            .flatten()
            .any(|d| *d == Data::String("TRƯỞNG PHÒNG".into()));
        assert!(signed, "{sheet}");
    }
}

/// Killed at each step of its commit (after the stage is written, after its manifest, after
/// the office's files are carried into it, after the exchange, after the previous run is
/// removed), a run leaves the year's folder holding one whole run — the previous or the new,
/// never parts of both — and the office's own file in it; the next run removes what the
/// killed one left and the folder holds that run.
#[cfg(target_os = "linux")]
#[test]
fn a_run_killed_while_it_commits_leaves_one_whole_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_registry(&a, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    write_registry(
        &b,
        &[
            ("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học"),
            ("TH02", "Trường Tiểu học Lê Lợi", "Tiểu học"),
        ],
    );
    for (dir, code) in [(&a, "TH01"), (&b, "TH01"), (&b, "TH02")] {
        let rows = vec![
            vec![S("Họ và tên"), S("Chức vụ")],
            vec![S("Lê An"), S("HT")],
            vec![S(""), S("GV")],
        ];
        write_xlsx(&dir.join(format!("{code}.xlsx")), &[("DS", rows)]);
    }
    let (ref_a, ref_b) = (tmp.path().join("ref_a"), tmp.path().join("ref_b"));
    bdtx(&run_args(&a, &ref_a));
    bdtx(&run_args(&b, &ref_b));
    let note = "ghi_chu_cua_phong.txt";
    let run_of = |out: &Path| -> Vec<(String, Vec<u8>)> {
        tree_bytes(&out.join("2024-2025"))
            .into_iter()
            .filter(|(name, _)| name != note)
            .collect()
    };
    let (whole_a, whole_b) = (run_of(&ref_a), run_of(&ref_b));
    assert_ne!(whole_a, whole_b);
    for step in 1..=5 {
        let out = tmp.path().join(format!("out{step}"));
        bdtx(&run_args(&a, &out));
        std::fs::write(out.join("2024-2025").join(note), "của phòng").unwrap();
        let killed = std::process::Command::new(env!("CARGO_BIN_EXE_bdtx"))
            .args(run_args(&b, &out))
            .env("BDTX_STOP_AT_COMMIT_STEP", step.to_string())
            .output()
            .unwrap();
        assert!(!killed.status.success(), "step {step}");
        let now = run_of(&out);
        let which = if now == whole_a {
            "A"
        } else if now == whole_b {
            "B"
        } else {
            panic!("step {step}: the folder holds parts of two runs")
        };
        assert_eq!(which, if step <= 3 { "A" } else { "B" }, "step {step}");
        let kept = std::fs::read_to_string(out.join("2024-2025").join(note)).unwrap();
        assert_eq!(kept, "của phòng", "step {step}");
        // The next run cleans up after the killed one.
        bdtx(&run_args(&b, &out));
        assert!(run_of(&out) == whole_b, "step {step}");
        let left: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".bdtx-"))
            .collect();
        assert!(left.is_empty(), "step {step}: {left:?}");
        assert!(out.join("2024-2025").join(note).is_file());
    }
}
