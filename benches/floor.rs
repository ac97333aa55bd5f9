//! The floor bdtx is measured against: read every sheet of every workbook under a folder into
//! memory with calamine, in parallel like bdtx, and do nothing else.
//!
//! Usage: cargo bench --bench floor -- DIR   (benches/run.sh runs it)

use calamine::{open_workbook_auto, Reader};
use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("input"));
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            bdtx::input::discover::is_spreadsheet(p)
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
        })
        .collect();
    let cells: usize = files
        .par_iter()
        .map(|p| {
            let Ok(mut book) = open_workbook_auto(p) else {
                return 0;
            };
            let names = book.sheet_names().to_vec();
            names
                .iter()
                .filter_map(|n| book.worksheet_range(n).ok())
                .map(|r| r.used_cells().count())
                .sum::<usize>()
        })
        .sum();
    println!("{{\"files\": {}, \"cells\": {cells}}}", files.len());
}
