//! The self-check page's way into `check`: one function, `check_request`, taking one buffer
//! and giving back JSON. A request is a little-endian u32 length, a JSON `Request`, then the
//! bytes of the registry and of each file, in order. The reply is `{"report": CheckReport}`
//! or `{"error": "…"}` (in Vietnamese).

use super::{check, CheckInput};
use crate::domain::schema::{BdtxRules, SchemaFiles, Schemas};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use wasm_bindgen::prelude::*;

#[derive(Deserialize)]
struct Request {
    registry: Part,
    files: Vec<Part>,
    school_year: Option<String>,
    fallback_year: String,
    #[serde(default)]
    bdtx_rules: BdtxRules,
    /// The office's own schema files (`--schemas`), by name.
    #[serde(default)]
    schemas: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Part {
    name: String,
    len: usize,
}

/// Loaded once: a page carries one office's schemas.
fn schemas(texts: &BTreeMap<String, String>) -> Result<&'static Schemas, String> {
    static SCHEMAS: OnceLock<Result<Schemas, String>> = OnceLock::new();
    SCHEMAS
        .get_or_init(|| {
            Schemas::load_from(&SchemaFiles::Texts(texts)).map_err(|e| format!("{e:#}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Checks a request (see the module's text); returns the reply as JSON.
#[wasm_bindgen]
pub fn check_request(request: &[u8]) -> String {
    match answer(request) {
        Ok(json) => json,
        Err(e) => serde_json::json!({ "error": e }).to_string(),
    }
}

fn answer(request: &[u8]) -> Result<String, String> {
    let bad = || "yêu cầu kiểm tra không hợp lệ".to_string();
    let head_len = request.get(..4).ok_or_else(bad)?;
    let head_len = u32::from_le_bytes(head_len.try_into().map_err(|_| bad())?) as usize;
    let head = request.get(4..4 + head_len).ok_or_else(bad)?;
    let req: Request = serde_json::from_slice(head).map_err(|_| bad())?;
    let mut rest = &request[4 + head_len..];
    let mut take = |n: usize| -> Result<&[u8], String> {
        if n > rest.len() {
            return Err(bad());
        }
        let (part, tail) = rest.split_at(n);
        rest = tail;
        Ok(part)
    };
    let registry = take(req.registry.len)?;
    let mut files = Vec::with_capacity(req.files.len().min(64));
    for f in &req.files {
        files.push((f.name.as_str(), take(f.len)?));
    }
    let input = CheckInput {
        registry: (&req.registry.name, registry),
        files,
        school_year: req.school_year.as_deref(),
        fallback_year: req.fallback_year.clone(),
        bdtx_rules: req.bdtx_rules,
    };
    let report = check(&input, schemas(&req.schemas)?)?;
    serde_json::to_string(&serde_json::json!({ "report": report })).map_err(|e| e.to_string())
}
