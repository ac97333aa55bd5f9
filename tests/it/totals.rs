//! Every printed total equals the sum of what it totals, on generated districts: read back
//! from the written reports, sheet by sheet, as an officer adding up a column would.
//!
//! In a per-school table (a header row starting "STT"): "Toàn đơn vị" totals every school
//! row; a "Cộng X" line totals the school rows whose Cấp học is X (the staffing report's
//! "Cộng Tiểu học"), else the school rows since the line naming its group. In "Đội ngũ theo nhóm" each school's (and the office's) "all staff" line
//! totals its three groups, and each office line totals the schools' lines of its group.
//! Shares, averages and ratios are not sums and are left out (headers with "tỷ lệ", "TB",
//! "/", "%").

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// Whether a column of this header holds figures that add up. The processing counts of
/// "Tổng hợp" (errors, files, rows read) also count what no school was found for: their
/// office line is the office's, not a sum of schools.
fn additive(header: &str) -> bool {
    let h = header.to_lowercase();
    let not_sums = [
        "tỷ lệ",
        "tb",
        "/",
        "%",
        "stt",
        "mã",
        "số lớp",
        "số buổi",
        "học sinh",
    ];
    let processing = [
        "số lỗi",
        "số cảnh báo",
        "số tệp",
        "trong danh sách",
        "bị loại",
        "không khớp",
    ];
    !not_sums.iter().chain(&processing).any(|w| h.contains(w))
}

/// A sum of rows, checked against the total row `at`, column by column.
fn check(
    rows: &[Vec<Data>],
    headers: &[String],
    at: usize,
    parts: &[usize],
    what: &str,
) -> Vec<String> {
    let mut errors = Vec::new();
    for (c, h) in headers.iter().enumerate() {
        if !additive(h) {
            continue;
        }
        let Some(total) = rows[at].get(c).and_then(number) else {
            continue;
        };
        let sum: f64 = parts
            .iter()
            .filter_map(|&p| rows[p].get(c).and_then(number))
            .sum();
        if (sum - total).abs() > 1e-9 {
            errors.push(format!(
                "{what}, row {}: column \"{h}\" prints {total}, its rows add up to {sum}",
                at + 1
            ));
        }
    }
    errors
}

/// The problems of one sheet; empty when every total adds up.
fn sheet_errors(name: &str, rows: &[Vec<Data>]) -> Vec<String> {
    let Some(header_at) = rows
        .iter()
        .position(|r| matches!(r.first().map(text).as_deref(), Some("STT" | "Tên trường")))
    else {
        return Vec::new();
    };
    let headers: Vec<String> = rows[header_at].iter().map(text).collect();
    let body: Vec<usize> = (header_at + 1..rows.len())
        .take_while(|&r| rows[r].iter().any(|d| !text(d).is_empty()))
        .collect();
    if headers.iter().any(|h| h == "Nhóm") {
        return group_sheet_errors(name, rows, &headers, &body);
    }
    let label = |r: usize| rows[r].get(2).map(text).unwrap_or_default();
    let is_school = |r: usize| rows[r].first().and_then(number).is_some();
    let level_col = headers.iter().position(|h| h == "Cấp học");
    let schools: Vec<usize> = body.iter().copied().filter(|&r| is_school(r)).collect();
    let mut errors = row_total_errors(name, rows, &headers, &body);
    let mut since_heading: Vec<usize> = Vec::new();
    for &r in &body {
        let l = label(r);
        if is_school(r) {
            since_heading.push(r);
        } else if l == "Toàn đơn vị" {
            errors.extend(check(rows, &headers, r, &schools, name));
            // The office's breakdown under it ("– Giáo viên - Nữ") adds up to it too.
            let parts: Vec<usize> = body
                .iter()
                .copied()
                .filter(|&p| p > r && label(p).starts_with("– "))
                .collect();
            if !parts.is_empty() {
                errors.extend(check(rows, &headers, r, &parts, name));
            }
        } else if let Some(group) = l.strip_prefix("Cộng ") {
            let of_level: Vec<usize> = level_col
                .map(|c| {
                    schools
                        .iter()
                        .copied()
                        .filter(|&s| rows[s].get(c).map(text).as_deref() == Some(group))
                        .collect()
                })
                .unwrap_or_default();
            let parts = match (of_level.is_empty(), since_heading.is_empty()) {
                (false, _) => of_level,
                (true, false) => since_heading.clone(),
                (true, true) => {
                    errors.push(format!("{name}: \"{l}\" (row {}) totals no rows", r + 1));
                    continue;
                }
            };
            errors.extend(check(rows, &headers, r, &parts, name));
            since_heading.clear();
        } else {
            // A line naming a group: the schools under it start here.
            since_heading.clear();
        }
    }
    errors
}

/// Totals across a row: "Tổng" after the age bands, "Tổng số CB, GV, NV" of its groups.
fn row_total_errors(
    name: &str,
    rows: &[Vec<Data>],
    headers: &[String],
    body: &[usize],
) -> Vec<String> {
    let at = |h: &str| headers.iter().position(|x| x == h);
    let identities: Vec<(usize, Vec<usize>)> = match (at("Tổng"), at("Dưới 30")) {
        (Some(total), Some(first)) => vec![(total, (first..total).collect())],
        _ => ["Tổng số CB, GV, NV"]
            .iter()
            .filter_map(|h| {
                let parts = ["CBQL", "Giáo viên", "Nhân viên"].map(at);
                Some((at(h)?, parts.into_iter().collect::<Option<Vec<_>>>()?))
            })
            .collect(),
    };
    let mut errors = Vec::new();
    for (total, parts) in identities {
        for &r in body {
            let Some(t) = rows[r].get(total).and_then(number) else {
                continue;
            };
            let sum: f64 = parts
                .iter()
                .filter_map(|&c| rows[r].get(c).and_then(number))
                .sum();
            if (sum - t).abs() > 1e-9 {
                errors.push(format!(
                    "{name}, row {}: \"{}\" prints {t}, its columns add up to {sum}",
                    r + 1,
                    headers[total]
                ));
            }
        }
    }
    errors
}

fn group_sheet_errors(
    name: &str,
    rows: &[Vec<Data>],
    headers: &[String],
    body: &[usize],
) -> Vec<String> {
    let office = |r: usize| rows[r].first().map(text).as_deref() == Some("Toàn đơn vị");
    let group = |r: usize| rows[r].get(1).map(text).unwrap_or_default();
    let all_label = body.iter().map(|&r| group(r)).nth(3).unwrap_or_default();
    let mut errors = Vec::new();
    // Blocks of four lines (three groups, then all staff): the office first, then schools.
    for block in body.chunks(4) {
        errors.extend(check(rows, headers, block[3], &block[..3], name));
    }
    let lines: Vec<usize> = body.iter().copied().filter(|&r| office(r)).collect();
    for &o in &lines {
        let parts: Vec<usize> = body
            .iter()
            .copied()
            .filter(|&r| !office(r) && group(r) == group(o))
            .collect();
        errors.extend(check(
            rows,
            headers,
            o,
            &parts,
            &format!("{name} ({})", group(o)),
        ));
    }
    assert!(!all_label.is_empty(), "{name}: no group lines");
    errors
}

/// Every problem of every sheet of the workbook at `path`, and the sheets with a table
/// of totals.
fn workbook_errors(path: &Path) -> (Vec<String>, Vec<String>) {
    let mut book = open_workbook_auto(path).unwrap();
    let (mut errors, mut checked) = (Vec::new(), Vec::new());
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let total = |r: &Vec<Data>| {
            r.iter()
                .take(3)
                .map(text)
                .any(|l| l == "Toàn đơn vị" || l.starts_with("Cộng "))
        };
        if rows.iter().any(total) {
            checked.push(name.clone());
        }
        errors.extend(sheet_errors(&name, &rows));
    }
    (errors, checked)
}

#[test]
fn every_printed_total_is_the_sum_of_what_it_totals() {
    for seed in [7, 2026] {
        let dir = tempfile::tempdir().unwrap();
        let (input, out) = (dir.path().join("input"), dir.path().join("output"));
        sample(&input, 40, Some(seed));
        bdtx(&run_args(&input, &out));
        let mut checked = Vec::new();
        for report in [
            "bao_cao_tong_hop_2024-2025.xlsx",
            "bao_cao_doi_ngu_2024-2025.xlsx",
            "phu_luc_2024-2025.xlsx",
        ] {
            let (errors, sheets) = workbook_errors(&out.join("2024-2025").join(report));
            assert!(
                errors.is_empty(),
                "seed {seed}, {report}:\n{}",
                errors.join("\n")
            );
            checked.extend(sheets);
        }
        // Every sheet with a total line was checked.
        assert_eq!(
            checked,
            [
                "Báo cáo",
                "Đội ngũ",
                "Trình độ",
                "BDTX",
                "BDTX theo nội dung",
                "Định mức",
                "Độ tuổi",
                "PL4 Đội ngũ theo nhóm"
            ],
            "seed {seed}"
        );
    }
}

#[test]
fn the_check_finds_a_wrong_total() {
    // A subtotal one short, and a "Cộng" line under the wrong schools: both are found.
    let s = |t: &str| Data::String(t.into());
    let n = |x: f64| Data::Float(x);
    let rows = vec![
        vec![s("STT"), s("Mã trường"), s("Tên trường"), s("Tổng số")],
        vec![s(""), s(""), s("Toàn đơn vị"), n(10.0)],
        vec![s(""), s(""), s("Xã A")],
        vec![n(1.0), s("A1"), s("Trường A1"), n(4.0)],
        vec![n(2.0), s("A2"), s("Trường A2"), n(3.0)],
        vec![s(""), s(""), s("Cộng Xã A"), n(6.0)],
        vec![s(""), s(""), s("Xã B")],
        vec![n(3.0), s("B1"), s("Trường B1"), n(3.0)],
    ];
    let errors = sheet_errors("Đội ngũ", &rows);
    assert_eq!(
        errors,
        ["Đội ngũ, row 6: column \"Tổng số\" prints 6, its rows add up to 7"]
    );
}
