//! Writes the sources of the committed .xls/.ods fixtures (see tests/fixtures/README.md).
//! Ignored in normal runs: `bash tests/fixtures/make.sh` runs it and converts the files.

mod common;
use common::*;
use std::path::PathBuf;

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

#[test]
#[ignore]
fn write_fixture_sources() {
    let dir = PathBuf::from(std::env::var("BDTX_FIXTURE_DIR").expect("set BDTX_FIXTURE_DIR"));
    write_xlsx(&dir.join("thcs_le_loi.xlsx"), &thcs_le_loi());
    write_xlsx(&dir.join("th_nguyen_trai.xlsx"), &th_nguyen_trai());
}
