//! The office that issues the reports: from the registry's "Thông tin đơn vị" sheet and the
//! CLI (which wins), with presets for each level (tỉnh → Sở Giáo dục và Đào tạo, xã → Phòng
//! Văn hóa - Xã hội, huyện → Phòng Giáo dục và Đào tạo, before 7/2025). What nobody gave is
//! left as dotted blanks to fill in by hand: a made-up body is never printed.

use crate::domain::text::fold;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The level of the issuing office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Tỉnh / thành phố trực thuộc trung ương: Sở Giáo dục và Đào tạo.
    Tinh,
    /// Xã / phường / đặc khu: Phòng Văn hóa - Xã hội.
    Xa,
    /// Huyện / quận / thị xã (before 1 July 2025): Phòng Giáo dục và Đào tạo.
    Huyen,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Level::Tinh => "tinh",
            Level::Xa => "xa",
            Level::Huyen => "huyen",
        }
    }

    /// From what an officer writes ("Tỉnh", "cấp xã", "Phường", "Huyện" …).
    pub fn parse(text: &str) -> Option<Level> {
        let f = fold(text);
        let f = f.strip_prefix("cap ").unwrap_or(&f);
        let starts = |words: &[&str]| words.iter().any(|w| f.starts_with(w));
        if starts(&["tinh", "thanh pho truc thuoc", "so "]) {
            Some(Level::Tinh)
        } else if starts(&["xa", "phuong", "dac khu"]) {
            Some(Level::Xa)
        } else if starts(&["huyen", "quan", "thi xa", "thanh pho"]) {
            Some(Level::Huyen)
        } else {
            None
        }
    }

    /// The level and the bare name of a unit written with its kind ("Huyện Yên Hòa").
    pub fn split_unit(unit: &str) -> (Option<Level>, String) {
        let unit = unit.trim();
        for prefix in [
            "Thành phố",
            "Thị xã",
            "Đặc khu",
            "Huyện",
            "Quận",
            "Tỉnh",
            "Xã",
            "Phường",
        ] {
            if let Some(rest) = unit.strip_prefix(prefix) {
                return (Level::parse(prefix), rest.trim().to_string());
            }
        }
        (None, unit.to_string())
    }
}

/// Where the fields of the "Thông tin đơn vị" sheet are found (`[issuer]` in sheets.toml).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IssuerSheet {
    pub sheet_names: Vec<String>,
    /// Field key → the labels an office writes for it.
    pub fields: BTreeMap<String, Vec<String>>,
}

impl IssuerSheet {
    /// The field a label names, if any.
    pub fn field_of(&self, label: &str) -> Option<&str> {
        let label = fold(label);
        let label = label.trim_end_matches(':').trim();
        self.fields
            .iter()
            .find(|(_, labels)| labels.iter().any(|l| fold(l) == label))
            .map(|(k, _)| k.as_str())
    }
}

/// The issuer's fields as given (sheet, then CLI over it): level, area, parent, name, place,
/// reference, signer, signer_title, recipients.
pub type IssuerFields = BTreeMap<String, String>;
