//! The self-check (what the page runs) against the office's run: on every sample school's
//! files it must report exactly the problems the run reports for that school, bar those that
//! need the whole district.

use crate::common::{repo_path, run_reading_year};
use bdtx::check::{check, CheckInput, DISTRICT_CODES};
use bdtx::domain::schema::Schemas;

type Key = (String, String, Option<u32>, String, String);

#[test]
fn the_check_of_a_schools_files_finds_what_the_run_finds() {
    let input = repo_path("input");
    let job = run_reading_year(&input);
    let schemas = Schemas::load(None).unwrap();
    let registry = std::fs::read(input.join("danh_muc_truong.xlsx")).unwrap();
    let mut compared = 0;
    let mut problems = 0;
    for school in job.figures.schools.iter().filter(|s| !s.files.is_empty()) {
        let code = school.school.code.as_str();
        let bytes: Vec<(String, Vec<u8>)> = school
            .files
            .iter()
            .map(|f| (f.clone(), std::fs::read(input.join(f)).unwrap()))
            .collect();
        let request = CheckInput {
            registry: ("danh_muc_truong.xlsx", &registry),
            files: bytes
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect(),
            school_year: Some(&job.figures.school_year),
            fallback_year: job.figures.school_year.clone(),
            bdtx_rules: Default::default(),
        };
        let report = check(&request, &schemas).unwrap();
        let expected: Vec<Key> = job
            .issues
            .iter()
            .filter(|i| i.school.as_deref() == Some(code))
            .filter(|i| !DISTRICT_CODES.contains(&i.code.as_str()))
            .map(|i| {
                let location = i.location(&schemas);
                let message = i.message(&schemas.messages);
                (i.file.clone(), location, i.row, i.code.clone(), message)
            })
            .collect();
        let got: Vec<Key> = report
            .problems
            .iter()
            .map(|p| {
                let key = (p.file.clone(), p.location.clone(), p.row, p.code.clone());
                (key.0, key.1, key.2, key.3, p.message.clone())
            })
            .collect();
        assert_eq!(got, expected, "{code}");
        assert!(report
            .problems
            .iter()
            .all(|p| p.school.as_deref() == Some(code)));
        // What was read of the school, as its intake says.
        let read = &report.schools[0];
        assert_eq!(read.code, code);
        let people = read.managers + read.teachers + read.support + read.people_rejected;
        assert_eq!(people, school.intake.people_read, "{code}");
        assert_eq!(read.training_rows, school.intake.training_read, "{code}");
        compared += 1;
        problems += got.len();
    }
    // The sample's 11 schools that sent files, and every problem planted in them.
    assert_eq!((compared, problems), (11, 32));
}

#[test]
fn the_check_reads_with_the_offices_own_schemas() {
    use bdtx::domain::schema::SchemaFiles;
    let input = repo_path("input");
    let registry = std::fs::read(input.join("danh_muc_truong.xlsx")).unwrap();
    let file = std::fs::read(input.join("TH001_kim_dong/TH001_kim_dong.xlsx")).unwrap();
    let texts = std::collections::BTreeMap::from([(
        "messages.toml".to_string(),
        "[issues]\nmissing_name = \"Thiếu họ tên.\"\n".to_string(),
    )]);
    let schemas = Schemas::load_from(&SchemaFiles::Texts(&texts)).unwrap();
    let request = CheckInput {
        registry: ("danh_muc_truong.xlsx", &registry),
        files: vec![("TH001_kim_dong.xlsx", &file)],
        school_year: Some("2024-2025"),
        fallback_year: "2024-2025".to_string(),
        bdtx_rules: Default::default(),
    };
    let report = check(&request, &schemas).unwrap();
    let missing: Vec<(&str, &str)> = report
        .problems
        .iter()
        .filter(|p| p.code == "missing_name")
        .map(|p| (p.location.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(missing, [("Đội ngũ!B28", "Thiếu họ tên.")]);
    assert_eq!((report.errors, report.warnings), (1, 2));
}

/// The page as the office writes it: one file under 8 MB, headed by the office and the
/// deadline, carrying the module and the registry, forbidding any fetch; and the command's
/// check of files here, exit status 2 on errors.
#[test]
fn the_office_writes_the_page_and_checks_files_with_one_command() {
    use crate::common::bdtx;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let registry = repo_path("input/danh_muc_truong.xlsx");
    let registry = registry.to_str().unwrap();
    let args = [
        "self-check",
        "--registry",
        registry,
        "--out",
        out,
        "--han-sua",
        "15/4/2025",
        "--year",
        "2024-2025",
    ];
    bdtx(&args);
    let html = std::fs::read_to_string(dir.path().join("kiem_tra_truoc_khi_gui.html")).unwrap();
    assert!(html.len() < 8_000_000, "{}", html.len());
    for part in [
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';",
        "<b>UBND HUYỆN YÊN HÒA</b><br><b>PHÒNG GIÁO DỤC VÀ ĐÀO TẠO</b>",
        "<p class=\"sub\">Hạn gửi tệp: 15/4/2025</p>",
        "năm học 2024-2025</p>",
        "<table id=\"ket-qua\">",
        "\"data-code\": p.code",
        "wasm_bindgen.initSync",
    ] {
        assert!(html.contains(part), "{part}");
    }
    assert!(!html.contains("{{"), "a placeholder left unfilled");
    // The module, as the page decodes it: a WebAssembly binary.
    let module = html.split("<script id=\"bdtx-wasm\" type=\"application/octet-stream\">");
    assert!(
        module.last().unwrap().starts_with("AGFzbQ"),
        "\\0asm in base64"
    );

    let file = repo_path("input/TH001_kim_dong/TH001_kim_dong.xlsx");
    let checked = std::process::Command::new(env!("CARGO_BIN_EXE_bdtx"))
        .args(["self-check", "--registry", registry, "--year", "2024-2025"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(2));
    let text = String::from_utf8(checked.stdout).unwrap();
    assert!(text.starts_with(
        "TH001_kim_dong.xlsx: là tệp của Trường Tiểu học Kim Đồng (TH001).\n\nTệp: TH001_kim_dong.xlsx\n"
    ), "{text}");
    assert!(
        text.contains("   3. [Lỗi] Đội ngũ!B28 Dòng có dữ liệu nhưng không có họ tên"),
        "{text}"
    );
    assert!(text.ends_with("Có 1 lỗi, 2 cảnh báo (liệt kê dưới đây). Đề nghị nhà trường sửa lỗi, xem lại các cảnh báo, rồi kiểm tra lại trước khi gửi.\n"), "{text}");
}
