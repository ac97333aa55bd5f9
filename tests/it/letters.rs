//! The letter to each school (`loi/<mã trường>.xlsx`): the office's letterhead, the school's
//! name and year, the deadline, the counts, and each problem with its cell, what is wrong and
//! what to do in Vietnamese; the machine code in a hidden last column.

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use std::io::Read;

#[test]
fn a_school_letter_names_the_school_year_deadline_and_each_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = repo_path("input");
    let mut args = run_args(&input, &out).to_vec();
    args.extend(["--han-sua", "15/4/2025"]);
    bdtx(&args);
    let letter = out.join("2024-2025/loi").join("TH001.xlsx");
    let mut wb = open_workbook_auto(&letter).unwrap();
    let sheet = wb.worksheet_range("Lỗi dữ liệu").unwrap();
    let text = |r: usize, c: usize| match sheet.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(x)) => x.to_string(),
        _ => String::new(),
    };
    // The heading from the registry's "Thông tin đơn vị" sheet, then the letter's lines.
    assert_eq!(
        (text(0, 0), text(1, 0), text(0, 3)),
        (
            "UBND HUYỆN YÊN HÒA".to_string(),
            "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO".to_string(),
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".to_string()
        )
    );
    // A công văn: number with the office's abbreviation, the subject under it.
    assert_eq!(text(3, 0), "Số: ......../PGDĐT");
    assert_eq!(
        text(4, 0),
        "V/v đề nghị rà soát, sửa dữ liệu đội ngũ và kết quả bồi dưỡng thường xuyên năm học 2024-2025"
    );
    assert_eq!(text(6, 0), "Kính gửi: Hiệu trưởng Trường Tiểu học Kim Đồng");
    assert!(
        text(7, 0).contains("Phòng giáo dục và đào tạo thấy có các lỗi dữ liệu"),
        "{}",
        text(7, 0)
    );
    assert_eq!(text(8, 0), "Hạn gửi lại tệp đã sửa: 15/4/2025.");
    assert_eq!(text(9, 0), "Tổng số: 1 lỗi, 2 cảnh báo.");
    assert!(text(10, 0).contains("mở trang kiểm tra \"kiem_tra_truoc_khi_gui.html\""));
    // The table: a line naming the file, then its problems by row.
    let rows: Vec<Vec<String>> = (13..17)
        .map(|r| (0..6).map(|c| text(r, c)).collect())
        .collect();
    assert_eq!(rows[0][0], "Tệp: TH001_kim_dong.xlsx");
    assert_eq!(
        rows[3],
        [
            "3",
            "Đội ngũ!B28",
            "Lỗi",
            "Dòng có dữ liệu nhưng không có họ tên; dòng này chưa được tính.",
            "Đề nghị nhà trường ghi họ và tên, hoặc xóa dòng nếu là dòng thừa.",
            "missing_name"
        ]
    );
    assert_eq!(rows[1][1], "Đội ngũ!B21");
    assert_eq!(
        rows[1][4],
        "Đề nghị nhà trường kiểm tra: nếu đã nghỉ hưu thì bỏ khỏi danh sách."
    );
    // The machine code's column F is hidden: no printed cell holds a code.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&letter).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let column_f = xml
        .split("<col ")
        .find(|c| c.starts_with(r#"min="6" max="6""#))
        .expect("column F has its own width");
    assert!(column_f.contains(r#"hidden="1""#), "{column_f}");
    let codes: Vec<String> = bdtx::domain::schema::Schemas::load(None)
        .unwrap()
        .messages
        .issues
        .keys()
        .cloned()
        .collect();
    for r in 0..sheet.height() {
        for c in 0..5 {
            assert!(
                !codes.contains(&text(r, c)),
                "code shown in row {r}: {}",
                text(r, c)
            );
        }
    }
    // A school with no problem gets no letter.
    assert!(!out.join("2024-2025/loi").join("TH010.xlsx").exists());
    assert!(out.join("2024-2025/loi").join("TH011.xlsx").exists());
    // A school that sent nothing is asked to send, not to fix cells.
    let mut wb = open_workbook_auto(out.join("2024-2025/loi").join("THCS012.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Lỗi dữ liệu").unwrap();
    let text = |r: usize, c: usize| match sheet.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    assert_eq!(
        text(4, 0),
        "V/v đề nghị gửi dữ liệu đội ngũ và kết quả bồi dưỡng thường xuyên năm học 2024-2025"
    );
    assert_eq!(text(6, 0), "Kính gửi: Hiệu trưởng Trường THCS Lê Quý Đôn");
    assert!(text(7, 0).starts_with("Đến nay, Phòng giáo dục và đào tạo chưa nhận được"));
    assert!(
        text(7, 0).contains("trước ngày 15/4/2025"),
        "{}",
        text(7, 0)
    );
    assert!(!(0..sheet.height()).any(|r| text(r, 1) == "Vị trí (trang tính!ô)"));
}
