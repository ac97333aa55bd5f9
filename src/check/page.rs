//! `kiem_tra_truoc_khi_gui.html`: the self-check page the office sends schools. One file with
//! everything inlined (page.html, the bindings' script, the WebAssembly built by build.rs from
//! this crate, the office's registry), so that it opens from disk with no network; its
//! Content-Security-Policy forbids fetching any address.

use crate::domain::schema::{BdtxRules, Schemas};
use crate::domain::text::fill;
use crate::output::official::Letterhead;
use crate::output::school_errors::office_name;
use anyhow::{bail, Result};

/// The page's name in the folder it is written to.
pub const FILE_NAME: &str = "kiem_tra_truoc_khi_gui.html";

/// What the page is made for: the office, its registry and its run's settings.
pub struct PageSettings<'a> {
    pub letterhead: &'a Letterhead,
    /// The registry's file name and bytes (the page finds each file's school in it).
    pub registry: (&'a str, &'a [u8]),
    /// `--year`, if given; else the page takes the registry's, as the run does.
    pub school_year: Option<&'a str>,
    /// The year shown and used when nothing names one: the one in progress.
    pub fallback_year: &'a str,
    pub bdtx_rules: BdtxRules,
    /// The office's own schema files (`--schemas`), by name: the page reads as its run does.
    pub schemas: &'a std::collections::BTreeMap<String, String>,
}

#[cfg(bdtx_page)]
const MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/page/bdtx_bg.wasm"));
#[cfg(bdtx_page)]
const BINDINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/page/bdtx.js"));
#[cfg(not(bdtx_page))]
const MODULE: &[u8] = &[];
#[cfg(not(bdtx_page))]
const BINDINGS: &str = "";

/// Whether this build carries the page (build.rs could build its WebAssembly).
pub fn available() -> bool {
    !MODULE.is_empty()
}

/// The page's HTML.
pub fn page(p: &PageSettings, s: &Schemas) -> Result<String> {
    if !available() {
        bail!("{}", s.label("console_page_missing"));
    }
    let office = office_name(p.letterhead);
    let year = p.school_year.unwrap_or(p.fallback_year);
    let deadline = p
        .letterhead
        .deadline
        .clone()
        .unwrap_or_else(|| s.label("blank").to_string());
    let values = [
        ("office", office.as_str()),
        ("year", year),
        ("deadline", &deadline),
    ];
    let with = |key: &str| fill(s.label(key), &values);
    let words: serde_json::Map<String, serde_json::Value> = [
        ("checking", "page_checking"),
        ("broken", "page_broken"),
        ("ready", "page_ready"),
        ("passed", "page_passed"),
        ("counts", "page_counts"),
        ("file_matched", "page_file_matched"),
        ("file_unmatched", "page_file_unmatched"),
        ("school_read", "page_school_read"),
        ("file_label", "letter_file"),
        ("no_file", "letter_no_file"),
    ]
    .into_iter()
    .map(|(k, label)| (k.to_string(), with(label).into()))
    .collect();
    let settings = serde_json::json!({
        "registry_name": p.registry.0,
        "school_year": p.school_year,
        "fallback_year": p.fallback_year,
        "bdtx_rules": p.bdtx_rules,
        "schemas": p.schemas,
        "words": words,
    });
    let issuer = p
        .letterhead
        .issuer
        .iter()
        .map(|l| format!("<b>{}</b>", escape(l)))
        .collect::<Vec<_>>()
        .join("<br>");
    let text = |key: &str| escape(&with(key));
    let fields: [(&str, String); 18] = [
        ("title", text("page_title")),
        ("issuer", issuer),
        ("heading", text("page_heading")),
        ("subheading", text("page_subheading")),
        ("deadline", text("page_deadline")),
        ("intro", text("page_intro")),
        ("pick", text("page_pick")),
        ("loading", text("page_loading")),
        ("col_no", text("col_no")),
        ("col_location", text("col_location")),
        ("col_severity", text("col_severity")),
        ("col_problem", text("col_problem")),
        ("col_fix", text("col_fix")),
        ("scope", text("page_scope")),
        ("wasm_base64", base64(MODULE)),
        ("registry_base64", base64(p.registry.1)),
        // Inside <script>: "</" would end it.
        ("settings_json", settings.to_string().replace("</", "<\\/")),
        ("bindings_js", BINDINGS.replace("</", "<\\/")),
    ];
    let mut html = include_str!("page.html").to_string();
    for (key, value) in fields {
        html = html.replace(&format!("{{{{{key}}}}}"), &value);
    }
    Ok(html)
}

/// Text as HTML shows it.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Standard base64 (RFC 4648), which the page's `atob` reads.
///
/// ```
/// assert_eq!(bdtx::check::page::base64(b"Ma"), "TWE=");
/// ```
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
