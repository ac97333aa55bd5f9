//! Header recognition on small grids: title blocks, two-row headers, missing columns.

use bdtx::domain::schema::Schemas;
use bdtx::input::read::SheetGrid;
use bdtx::input::recognise::{find_header, missing_columns};
use calamine::Data;

fn grid(rows: &[&[&str]]) -> SheetGrid {
    let rows = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|s| {
                    if s.is_empty() {
                        Data::Empty
                    } else {
                        Data::String(s.to_string())
                    }
                })
                .collect()
        })
        .collect();
    SheetGrid::from_rows("S", rows)
}

#[test]
fn finds_header_below_title_block() {
    let s = Schemas::load(None).unwrap();
    let g = grid(&[
        &["PHÒNG GD&ĐT HUYỆN X", "", ""],
        &["DANH SÁCH CÁN BỘ", "", ""],
        &["STT", "Họ và tên", "Chức vụ"],
        &["1", "Lê An", "GV"],
    ]);
    let h = find_header(&g, &s.staff).unwrap();
    assert_eq!((h.first_row, h.last_row), (2, 2));
    assert_eq!(h.col("role"), Some(2));
}

#[test]
fn reads_two_row_header_with_merged_parent() {
    let s = Schemas::load(None).unwrap();
    let g = grid(&[
        &["TT", "Họ và tên", "Chức vụ", "Trình độ", "", ""],
        &["", "", "", "Chuyên môn", "Chính trị", "Tin học"],
        &["1", "Lê An", "GV", "ĐHSP", "", "B"],
    ]);
    let h = find_header(&g, &s.staff).unwrap();
    assert_eq!((h.first_row, h.last_row), (0, 1));
    assert_eq!(h.col("qualification"), Some(3));
    assert_eq!(h.col("political_theory"), Some(4));
    assert_eq!(h.col("it_level"), Some(5));
}

#[test]
fn reports_missing_required_columns() {
    let s = Schemas::load(None).unwrap();
    let g = grid(&[&["STT", "Họ và tên", "Ngày sinh"]]);
    assert!(find_header(&g, &s.staff).is_none());
    assert_eq!(
        missing_columns(&g, &s.staff),
        vec!["Chức vụ / Vị trí việc làm".to_string()]
    );
}
