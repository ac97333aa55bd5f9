//! The schemas and the code agree: every label, issue code and vocabulary the code names is in
//! the embedded TOML, and a `--schemas` override changes wording key by key, refuses a key
//! the defaults lack and a vocabulary it does not define, all at load with a clear message.

use crate::common::*;
use bdtx::domain::schema::Schemas;
use std::collections::BTreeSet;

/// The string literals the source passes to `pattern` (e.g. `label(`), up to `end`.
fn literals_after(source: &str, pattern: &str, end: char) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in source.match_indices(pattern) {
        let rest = &source[at + pattern.len()..];
        let stop = rest.find(end).unwrap_or(rest.len());
        let mut parts = rest[..stop].split('"');
        parts.next();
        while let (Some(literal), Some(_)) = (parts.next(), parts.next()) {
            found.push(literal.to_string());
        }
    }
    found
}

fn sources() -> Vec<(String, String)> {
    walkdir::WalkDir::new(repo_path("src"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().display().to_string(), text)
        })
        .collect()
}

#[test]
fn every_key_the_code_names_is_in_the_schemas() {
    let s = Schemas::load(None).unwrap();
    let mut missing = BTreeSet::new();
    let mut checked = 0;
    for (file, text) in sources() {
        let mut labels = literals_after(&text, ".label(\"", ')');
        labels.extend(literals_after(&text, "titled(s, ", ','));
        labels.extend(literals_after(&text, "labels(s, &[", ']'));
        labels.extend(literals_after(&text, "labels(\n", ']'));
        // `.label(` of a vocabulary takes a code, not a report key: only report-style keys.
        for key in labels.iter().map(|l| l.trim_start_matches('"')) {
            let report_key = key.contains('_') || s.report.contains_key(key);
            if report_key && !key.contains('{') {
                checked += 1;
                if !s.report.contains_key(key) {
                    missing.insert(format!("{file}: nhãn {key}"));
                }
            }
        }
        for severity in ["Severity::Error,", "Severity::Warning,"] {
            for code in literals_after(&text, severity, ',') {
                checked += 1;
                if !s.messages.issues.contains_key(&code) {
                    missing.insert(format!("{file}: mã lỗi {code}"));
                }
            }
        }
        for name in literals_after(&text, "vocab[", ']') {
            checked += 1;
            if !s.vocab.contains_key(&name) {
                missing.insert(format!("{file}: danh mục {name}"));
            }
        }
    }
    assert!(checked > 150, "the scan found only {checked} keys");
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn an_override_rewords_key_by_key_and_refuses_what_the_defaults_lack() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        "col_total = \"Tổng số cán bộ, giáo viên, nhân viên\"\n",
    )
    .unwrap();
    let s = Schemas::load(Some(dir.path())).unwrap();
    assert_eq!(s.label("col_total"), "Tổng số cán bộ, giáo viên, nhân viên");
    assert_eq!(s.label("col_code"), "Mã trường");

    std::fs::write(dir.path().join("report.toml"), "col_totl = \"Tổng\"\n").unwrap();
    let error = format!("{:#}", Schemas::load(Some(dir.path())).err().unwrap());
    assert!(
        error.contains("schemas/report.toml: khóa \"col_totl\""),
        "{error}"
    );

    std::fs::remove_file(dir.path().join("report.toml")).unwrap();
    std::fs::write(
        dir.path().join("messages.toml"),
        "[issues]\nmissing_name = \"Dòng không có họ tên.\"\n",
    )
    .unwrap();
    let s = Schemas::load(Some(dir.path())).unwrap();
    assert_eq!(s.messages.issue("missing_name"), "Dòng không có họ tên.");
    assert_ne!(s.messages.issue("missing_role"), "missing_role");
}

#[test]
fn a_column_naming_an_undefined_vocabulary_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let sheets = std::fs::read_to_string(repo_path("schemas/sheets.toml"))
        .unwrap()
        .replace("vocab = \"gender\"", "vocab = \"gioi_tinh\"");
    std::fs::write(dir.path().join("sheets.toml"), sheets).unwrap();
    let error = format!("{:#}", Schemas::load(Some(dir.path())).err().unwrap());
    assert!(
        error.contains("cột \"gender\" dùng danh mục [gioi_tinh]"),
        "{error}"
    );
}
