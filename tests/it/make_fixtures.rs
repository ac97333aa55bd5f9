//! Writes the committed fixtures in tests/fixtures (see README.md there). Ignored in normal
//! runs: `bash tests/fixtures/make.sh` runs it, then converts the sources that need another
//! program (LibreOffice for .xls/.ods, msoffcrypto-tool for a real password).

use crate::common::*;
use bdtx::input::legacy::encode;
use bdtx::output::xlsx::new_workbook;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// THCS Lê Lợi, one workbook: staff list and BDTX results. Saved as .xls.
pub fn thcs_le_loi() -> Vec<(&'static str, Vec<Vec<C>>)> {
    let staff = vec![
        vec![S("PHÒNG GD&ĐT HUYỆN YÊN HÒA")],
        vec![S("TRƯỜNG THCS LÊ LỢI")],
        vec![
            E,
            E,
            S("DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN NĂM HỌC 2024-2025"),
        ],
        vec![],
        vec![
            S("STT"),
            S("Họ và tên"),
            S("Ngày sinh"),
            S("Giới tính"),
            S("Chức vụ"),
            S("Môn dạy"),
            S("TĐCM"),
            S("Đánh giá chuẩn nghề nghiệp"),
        ],
        vec![
            N(1.),
            S("Trịnh Văn Phúc"),
            S("10/10/1972"),
            S("Nam"),
            S("Hiệu trưởng"),
            E,
            S("Thạc sĩ"),
            S("Tốt"),
        ],
        vec![
            N(2.),
            S("Phùng Thị Quyên"),
            S("05/05/1983"),
            S("Nữ"),
            S("Giáo viên"),
            S("Toán"),
            S("Đại học"),
            S("Khá"),
        ],
        vec![
            N(3.),
            S("Kiều Văn Sang"),
            S("07/07/1987"),
            S("Nam"),
            S("Giáo viên"),
            S("Ngữ văn"),
            S("Tiến sĩ"),
            S("Đạt"),
        ],
        vec![
            N(4.),
            S("Lò Thị Tâm"),
            S("08/08/1993"),
            S("Nữ"),
            S("Giáo viên"),
            S("Tiếng Anh"),
            S("Bằng lái xe"),
            S("Khá"),
        ],
        vec![
            N(5.),
            S("Mạc Văn Út"),
            S("09/09/1980"),
            S("Nam"),
            S("Văn thư"),
            E,
            S("Trung cấp"),
        ],
        vec![E, S("Tổng cộng"), N(5.)],
    ];
    let training = vec![
        vec![S("TRƯỜNG THCS LÊ LỢI")],
        vec![
            S("STT"),
            S("Họ và tên"),
            S("Nội dung 1"),
            S("Nội dung 2"),
            S("Nội dung 3"),
            S("Xếp loại"),
        ],
        vec![
            N(1.),
            S("Trịnh Văn Phúc"),
            N(9.),
            N(9.),
            N(9.),
            S("Hoàn thành"),
        ],
        vec![N(2.), S("Phùng Thị Quyên"), N(7.), N(7.), N(7.)],
        vec![
            N(3.),
            S("Kiều Văn Sang"),
            N(5.),
            N(4.),
            N(8.),
            S("Không hoàn thành"),
        ],
    ];
    vec![("Đội ngũ", staff), ("BDTX", training)]
}

/// TH Nguyễn Trãi, one workbook with a "Thông tin trường" sheet. Saved as .ods.
pub fn th_nguyen_trai() -> Vec<(&'static str, Vec<Vec<C>>)> {
    let info = vec![
        vec![S("Mã trường"), S("TH04")],
        vec![S("Tên trường"), S("Trường Tiểu học Nguyễn Trãi")],
    ];
    let staff = vec![
        vec![
            S("STT"),
            S("Họ và tên"),
            S("Giới tính"),
            S("Chức vụ"),
            S("Trình độ chuyên môn"),
        ],
        vec![N(1.), S("Hồ Văn Vinh"), S("Nam"), S("HT"), S("Đại học")],
        vec![
            N(2.),
            S("Dương Thị Xuân"),
            S("Nữ"),
            S("GV"),
            S("ĐHSP Tiểu học"),
        ],
    ];
    let training = vec![
        vec![S("STT"), S("Họ và tên"), S("ND1"), S("ND2"), S("ND3")],
        vec![N(1.), S("Hồ Văn Vinh"), N(8.), N(8.), N(8.)],
        vec![N(2.), S("Dương Thị Xuân"), S("6"), S("6"), S("4,5")],
    ];
    vec![
        ("Thông tin trường", info),
        ("Đội ngũ", staff),
        ("BDTX", training),
    ]
}

/// A cell for the richer fixtures: text (already encoded), number, or Excel date.
enum F {
    T(String),
    N(f64),
    D(u16, u8, u8),
    E,
}

fn t(s: &str) -> F {
    F::T(s.to_string())
}

fn write_rows(ws: &mut Worksheet, top: u32, rows: &[Vec<F>], enc: &dyn Fn(&str) -> String) {
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (top + r as u32, c as u16);
            match cell {
                F::T(s) => {
                    ws.write_string(r, c, enc(s)).unwrap();
                }
                F::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                F::D(y, m, d) => {
                    ws.write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                        &date,
                    )
                    .unwrap();
                }
                F::E => {}
            }
        }
    }
}

fn tcvn3(s: &str) -> String {
    s.chars().map(encode::tcvn3).collect()
}

fn vni(s: &str) -> String {
    s.chars().map(encode::vni).collect()
}

fn nfd(s: &str) -> String {
    s.nfd().collect()
}

fn save(wb: &mut Workbook, path: &Path) {
    std::fs::write(path, wb.save_to_buffer().unwrap()).unwrap();
}

/// TH Hòa Bình (TH10): everything typed in TCVN3 (.VnTime, titles in .VnTimeH); title block,
/// group labels giving the role to blank role cells, a subject-only role, total, footer.
fn tcvn3_hoa_binh(path: &Path) {
    let mut wb = new_workbook("2024-2025").unwrap();
    let ws = wb.add_worksheet().set_name("DS").unwrap();
    let staff = vec![
        vec![t("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")],
        vec![t("TRƯỜNG TIỂU HỌC HÒA BÌNH")],
        vec![F::E, F::E, t("DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN")],
        vec![],
        vec![
            t("STT"),
            t("Họ và tên"),
            t("Năm sinh"),
            t("Giới tính"),
            t("Chức vụ"),
            t("Trình độ CM"),
        ],
        vec![F::E, t("I. CÁN BỘ QUẢN LÝ")],
        vec![
            F::N(1.),
            t("Nguyễn Thị Hòa"),
            F::N(1975.),
            t("Nữ"),
            t("Hiệu trưởng"),
            t("Đại học"),
        ],
        vec![
            F::N(2.),
            t("Trần Văn Bình"),
            F::N(1980.),
            t("Nam"),
            t("Phó hiệu trưởng"),
            t("Thạc sĩ"),
        ],
        vec![F::E, t("II. GIÁO VIÊN")],
        vec![
            F::N(3.),
            t("Lê Thị Thủy"),
            F::N(1990.),
            t("Nữ"),
            F::E,
            t("Cao đẳng"),
        ],
        vec![
            F::N(4.),
            t("Phạm Đức Thắng"),
            F::N(1988.),
            t("Nam"),
            t("Tiếng Anh"),
            t("Đại học"),
        ],
        vec![
            F::N(5.),
            t("Đỗ Thị Hương"),
            F::N(1995.),
            t("Nữ"),
            F::E,
            t("ĐHSP"),
        ],
        vec![F::E, t("III. NHÂN VIÊN")],
        vec![
            F::N(6.),
            t("Vũ Văn Toàn"),
            F::N(1985.),
            t("Nam"),
            t("Kế toán"),
            t("Trung cấp"),
        ],
        vec![F::E, t("Tổng cộng"), F::N(6.)],
        vec![],
        vec![F::E, F::E, F::E, t("Hòa Bình, ngày 20 tháng 5 năm 2025")],
        vec![F::E, t("Người lập biểu"), F::E, F::E, t("HIỆU TRƯỞNG")],
    ];
    write_rows(ws, 0, &staff, &tcvn3);
    let ws = wb.add_worksheet().set_name("BDTX").unwrap();
    let training = vec![
        vec![t("TRƯỜNG TIỂU HỌC HÒA BÌNH")],
        vec![
            t("STT"),
            t("Họ và tên"),
            t("Điểm ND1"),
            t("Điểm ND2"),
            t("Điểm ND3"),
            t("Xếp loại"),
        ],
        vec![
            F::N(1.),
            t("Nguyễn Thị Hòa"),
            F::N(8.),
            F::N(8.),
            F::N(8.),
            t("Hoàn thành"),
        ],
        vec![
            F::N(2.),
            t("Trần Văn Bình"),
            F::N(9.),
            F::N(9.),
            F::N(9.),
            t("Hoàn thành"),
        ],
        vec![F::N(3.), t("Lê Thị Thủy"), F::N(7.), F::N(7.), F::N(7.)],
        vec![
            F::N(4.),
            t("Phạm Đức Thắng"),
            F::N(6.),
            F::N(4.),
            F::N(7.),
            t("Không hoàn thành"),
        ],
    ];
    write_rows(ws, 0, &training, &tcvn3);
    save(&mut wb, path);
}

/// TH Tân Lập (TH11): VNI-Windows text; "Ngày sinh" merged over "Nam | Nữ" (the column of
/// the birth date gives the gender) and "Trình độ" over four levels. Converted to .xls.
fn vni_tan_lap(path: &Path) {
    let mut wb = new_workbook("2024-2025").unwrap();
    let ws = wb.add_worksheet().set_name("Doi ngu").unwrap();
    let bold = Format::new().set_bold();
    write_rows(ws, 0, &[vec![t("TRƯỜNG TIỂU HỌC TÂN LẬP")]], &vni);
    ws.merge_range(2, 2, 2, 3, &vni("Ngày sinh"), &bold)
        .unwrap();
    ws.merge_range(2, 5, 2, 8, &vni("Trình độ"), &bold).unwrap();
    let header_top = vec![
        t("STT"),
        t("Họ và tên"),
        F::E,
        F::E,
        t("Chức vụ"),
        F::E,
        F::E,
        F::E,
        F::E,
        t("Đảng viên"),
    ];
    let header_bottom = vec![
        F::E,
        F::E,
        t("Nam"),
        t("Nữ"),
        F::E,
        t("Chuyên môn"),
        t("Chính trị"),
        t("Tin học"),
        t("Ngoại ngữ"),
    ];
    write_rows(ws, 2, &[header_top], &vni);
    write_rows(ws, 3, &[header_bottom], &vni);
    let rows = vec![
        vec![
            F::N(1.),
            t("Hoàng Văn Nam"),
            t("12/05/1970"),
            F::E,
            t("HT"),
            t("ĐH"),
            t("Trung cấp"),
            t("B"),
            t("B1"),
            t("x"),
        ],
        vec![
            F::N(2.),
            t("Lý Thị Hạnh"),
            F::E,
            t("03/08/1984"),
            t("PHT"),
            t("ThS"),
            t("Sơ cấp"),
            F::E,
            F::E,
            t("x"),
        ],
        vec![
            F::N(3.),
            t("Phan Thị Lan"),
            F::E,
            t("20/11/1992"),
            t("GV"),
            t("CĐSP"),
            F::E,
            t("A"),
            t("A2"),
        ],
        vec![
            F::N(4.),
            t("Bùi Văn Dũng"),
            t("01/01/1989"),
            F::E,
            t("GV"),
            t("ĐHSP"),
            F::E,
            F::E,
            F::E,
            t("x"),
        ],
        vec![
            F::N(5.),
            t("Đặng Thị Mai"),
            F::E,
            F::N(1998.),
            t("Văn thư"),
            t("TC"),
        ],
    ];
    write_rows(ws, 4, &rows, &vni);
    save(&mut wb, path);
}

/// THCS Đông Phong (CS10): Unicode in NFD (saved on macOS); upper-case headers with line
/// breaks; name split "Họ đệm" | "Tên"; extra columns; dates as Excel dates, "15-6-85",
/// "15.06.1985" and bare years; party membership as a date; group labels "Tổ …"; the BDTX
/// sheet has "Kết quả BDTX" merged over "Nội dung 1 | 2 | 3" and scores written "8,5".
fn nfd_dong_phong(path: &Path) {
    let mut wb = new_workbook("2024-2025").unwrap();
    let ws = wb.add_worksheet().set_name("CBGVNV").unwrap();
    let rows = vec![
        vec![t("TRƯỜNG THCS ĐÔNG PHONG")],
        vec![],
        vec![
            t("TT"),
            t("HỌ ĐỆM"),
            t("TÊN"),
            t("GIỚI\nTÍNH"),
            t("NGÀY\nSINH"),
            t("DÂN\nTỘC"),
            t("Số điện thoại"),
            t("NGÀY VÀO\nĐẢNG"),
            t("CHỨC VỤ"),
            t("MÔN\nDẠY"),
            t("TRÌNH ĐỘ\nĐÀO TẠO"),
            t("ĐÁNH GIÁ\nCHUẨN NGHỀ NGHIỆP"),
            t("Quê quán"),
            t("Ghi chú"),
        ],
        vec![F::E, t("I. BAN GIÁM HIỆU")],
        vec![
            F::N(1.),
            t("Trịnh Văn"),
            t("Hùng"),
            t("Nam"),
            F::N(1979.),
            t("Kinh"),
            t("0912 345 678"),
            t("03/02/2005"),
            t("Hiệu trưởng"),
            F::E,
            t("Thạc sĩ"),
            t("Tốt"),
            t("Hà Nam"),
        ],
        vec![
            F::N(2.),
            t("Ngô Thị"),
            t("Liên"),
            t("Nữ"),
            F::D(1982, 4, 10),
            t("Tày"),
            F::E,
            F::E,
            t("Phó hiệu trưởng"),
            F::E,
            t("Đại học"),
            t("Khá"),
        ],
        vec![F::E, t("II. TỔ KHOA HỌC TỰ NHIÊN")],
        vec![
            F::N(3.),
            t("Hà Văn"),
            t("Minh"),
            t("Nam"),
            t("15-6-85"),
            t("Kinh"),
            F::E,
            F::E,
            t("Toán"),
            F::E,
            t("ĐHSP Toán"),
            t("Khá"),
        ],
        vec![
            F::N(4.),
            t("Lương Thị"),
            t("Nga"),
            t("Nữ"),
            t("15.06.1985"),
            t("Mường"),
            F::E,
            F::N(2010.),
            F::E,
            t("Vật lí"),
            t("Cao đẳng"),
            t("Đạt"),
            F::E,
            t("nghỉ thai sản"),
        ],
        vec![
            F::N(5.),
            t("Chu Văn"),
            t("Phong"),
            t("Nam"),
            F::N(1990.),
            t("Kinh"),
            F::E,
            F::E,
            t("GV"),
            t("Tiếng Anh"),
            t("Tiến sĩ"),
            t("Tốt"),
        ],
        vec![F::E, t("III. TỔ VĂN PHÒNG")],
        vec![
            F::N(6.),
            t("Mạc Thị"),
            t("Quỳnh"),
            t("Nữ"),
            F::N(1993.),
            t("Kinh"),
            F::E,
            F::E,
            F::E,
            F::E,
            t("Trung cấp"),
        ],
        vec![F::E, t("Cộng"), F::E, F::E, F::N(6.)],
    ];
    write_rows(ws, 0, &rows, &nfd);
    let ws = wb.add_worksheet().set_name("KQ BDTX").unwrap();
    let bold = Format::new().set_bold();
    ws.merge_range(0, 2, 0, 4, &nfd("Kết quả BDTX"), &bold)
        .unwrap();
    write_rows(
        ws,
        0,
        &[vec![
            t("STT"),
            t("Họ và tên"),
            F::E,
            F::E,
            F::E,
            t("Xếp loại"),
        ]],
        &nfd,
    );
    let rows = vec![
        vec![
            F::E,
            F::E,
            t("Nội dung 1"),
            t("Nội dung 2"),
            t("Nội dung 3"),
        ],
        vec![
            F::N(1.),
            t("Trịnh Văn Hùng"),
            F::N(9.),
            F::N(9.),
            F::N(9.),
            t("Hoàn thành"),
        ],
        vec![
            F::N(2.),
            t("Ngô Thị Liên"),
            t("8,5"),
            t("8,5"),
            t("8,5"),
            t("Hoàn thành"),
        ],
        vec![
            F::N(3.),
            t("Hà Văn Minh"),
            F::N(5.),
            F::N(5.),
            F::N(5.),
            t("Hoàn thành"),
        ],
        vec![
            F::N(4.),
            t("Lương Thị Nga"),
            t("4,5"),
            F::N(8.),
            F::N(8.),
            t("Không hoàn thành"),
        ],
        vec![
            F::N(5.),
            t("Chu Văn Phong"),
            F::E,
            F::E,
            F::E,
            t("Hoàn thành"),
        ],
    ];
    write_rows(ws, 1, &rows, &nfd);
    save(&mut wb, path);
}

/// TH Yên Hòa (TH12): an instructions sheet, an empty "Sheet1", a hidden old copy of the
/// staff list, "Họ và tên" merged over two columns of data, blank and numbered-only rows,
/// a BDTX sheet with results but no scores.
fn yen_hoa_merged(path: &Path) {
    let mut wb = new_workbook("2024-2025").unwrap();
    let ws = wb.add_worksheet().set_name("Hướng dẫn").unwrap();
    ws.write_string(
        0,
        0,
        "Điền danh sách vào trang DS 2024-2025; không sửa dòng tiêu đề.",
    )
    .unwrap();
    wb.add_worksheet().set_name("Sheet1").unwrap();
    let bold = Format::new().set_bold();
    let header = |ws: &mut Worksheet, extra: &[&str]| {
        ws.write_string(0, 0, "TRƯỜNG TIỂU HỌC YÊN HÒA").unwrap();
        ws.write_string(2, 0, "STT").unwrap();
        ws.merge_range(2, 1, 2, 2, "Họ và tên", &bold).unwrap();
        for (i, h) in extra.iter().enumerate() {
            ws.write_string(2, 3 + i as u16, *h).unwrap();
        }
    };
    let old = wb.add_worksheet().set_name("DS cũ").unwrap();
    header(old, &["Chức vụ", "Trình độ chuyên môn"]);
    write_rows(
        old,
        3,
        &[
            vec![F::N(1.), t("Nguyễn Văn"), t("An"), t("HT"), t("Đại học")],
            vec![F::N(2.), t("Đinh Văn"), t("Cũ"), t("GV"), t("Cao đẳng")],
        ],
        &|s| s.to_string(),
    );
    old.set_hidden(true);
    let ws = wb.add_worksheet().set_name("DS 2024-2025").unwrap();
    header(ws, &["Chức vụ", "Trình độ chuyên môn"]);
    let rows = vec![
        vec![F::N(1.), t("Nguyễn Văn"), t("An"), t("HT"), t("Đại học")],
        vec![F::N(2.), t("Trần Thị"), t("Bích"), t("GV"), t("Cử nhân")],
        vec![],
        vec![F::N(3.), t("Lê Văn"), t("Cường"), t("GV"), t("Cao đẳng")],
        vec![F::N(4.), t("Phạm Thị"), t("Dung"), t("Bảo vệ")],
        vec![F::N(5.)],
    ];
    write_rows(ws, 3, &rows, &|s| s.to_string());
    let ws = wb.add_worksheet().set_name("BDTX").unwrap();
    header(ws, &["Kết quả"]);
    let rows = vec![
        vec![F::N(1.), t("Nguyễn Văn"), t("An"), t("Hoàn thành")],
        vec![F::N(2.), t("Trần Thị"), t("Bích"), t("Không hoàn thành")],
        vec![F::N(3.), t("Lê Văn"), t("Cường"), t("Hoàn thành")],
    ];
    write_rows(ws, 3, &rows, &|s| s.to_string());
    save(&mut wb, path);
}

/// TH Minh Đức (TH13): a plain workbook saved as .xlsm.
fn minh_duc_xlsm(path: &Path) {
    let mut wb = new_workbook("2024-2025").unwrap();
    let info = wb.add_worksheet().set_name("Thông tin trường").unwrap();
    write_rows(info, 0, &[vec![t("Mã trường"), t("TH13")]], &|s| {
        s.to_string()
    });
    let ws = wb.add_worksheet().set_name("Đội ngũ").unwrap();
    let rows = vec![
        vec![t("Họ và tên"), t("Chức vụ"), t("Trình độ chuyên môn")],
        vec![t("Tô Văn Hải"), t("HT"), t("Đại học")],
        vec![t("Kiều Thị Oanh"), t("GV"), t("Đại học")],
    ];
    write_rows(ws, 0, &rows, &|s| s.to_string());
    let ws = wb.add_worksheet().set_name("BDTX").unwrap();
    let rows = vec![
        vec![t("Họ và tên"), t("ND1"), t("ND2"), t("ND3")],
        vec![t("Tô Văn Hải"), F::N(7.), F::N(7.), F::N(7.)],
        vec![t("Kiều Thị Oanh"), F::N(8.), F::N(8.), F::N(8.)],
    ];
    write_rows(ws, 0, &rows, &|s| s.to_string());
    save(&mut wb, path);
}

/// Broken files, each with its own failure.
fn broken(dir: &Path) {
    let mut wb = new_workbook("2024-2025").unwrap();
    wb.add_worksheet();
    save(&mut wb, &dir.join("rong.xlsx"));
    let mut wb = new_workbook("2024-2025").unwrap();
    let ws = wb.add_worksheet().set_name("Danh sách").unwrap();
    write_rows(
        ws,
        0,
        &[
            vec![t("Họ và tên"), t("Ngày sinh")],
            vec![t("Lê Văn Tám"), t("01/01/1990")],
        ],
        &|s| s.to_string(),
    );
    save(&mut wb, &dir.join("khong_tieu_de.xlsx"));
    let full = std::fs::read(dir.join("khong_tieu_de.xlsx")).unwrap();
    std::fs::write(dir.join("hong_cat_ngang.xlsx"), &full[..full.len() / 2]).unwrap();
    std::fs::write(
        dir.join("bang_diem.xls"),
        "Đây là tệp văn bản, không phải bảng tính.\n",
    )
    .unwrap();
}

/// A staff list with an "x" in IV65536, the last cell of an .xls sheet (saved as .xls: a
/// sheet of 16.7 million cells to calamine).
fn stray_cell(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in [
        ["Họ và tên", "Chức vụ"],
        ["Lê An", "Hiệu trưởng"],
        ["Lê Bình", "Giáo viên"],
    ]
    .iter()
    .enumerate()
    {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *text).unwrap();
        }
    }
    ws.write_string(65_535, 255, "x").unwrap();
    save(&mut wb, path);
}

#[test]
#[ignore]
fn write_fixtures() {
    let fixtures = repo_path("tests/fixtures");
    let sources = PathBuf::from(std::env::var("BDTX_FIXTURE_DIR").expect("set BDTX_FIXTURE_DIR"));
    write_xlsx(&sources.join("thcs_le_loi.xlsx"), &thcs_le_loi());
    write_xlsx(&sources.join("th_nguyen_trai.xlsx"), &th_nguyen_trai());
    vni_tan_lap(&sources.join("vni_tan_lap.xlsx"));
    stray_cell(&sources.join("o_xa.xlsx"));
    minh_duc_xlsm(&sources.join("mat_khau.xlsx"));
    tcvn3_hoa_binh(&fixtures.join("tcvn3_hoa_binh.xlsx"));
    nfd_dong_phong(&fixtures.join("nfd_dong_phong.xlsx"));
    yen_hoa_merged(&fixtures.join("yen_hoa_merged.xlsx"));
    minh_duc_xlsm(&fixtures.join("minh_duc.xlsm"));
    broken(&fixtures);
}
