//! Finds the workbooks under the input folder, in a stable order.

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Extensions calamine reads.
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// What lies under the input folder.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Spreadsheets to read: (absolute path, path relative to the input folder).
    pub workbooks: Vec<(PathBuf, String)>,
    /// Files that are not spreadsheets, Excel lock files (`~$…`), hidden files, and links that
    /// loop, are broken or lead outside the input folder: relative paths.
    pub ignored: Vec<String>,
    /// Of those, folders and files that could not be read at all (a path too long, a folder
    /// nested too deep, no permission): what is inside is not read, and the office is told.
    pub unreadable: Vec<String>,
}

/// Walks `input` (any depth) and sorts what it finds. `skip` names files to leave out
/// (the registry), relative to `input`.
pub fn discover(input: &Path, skip: &[String]) -> std::io::Result<Discovery> {
    let mut found = Discovery::default();
    // (is a link, canonical path) of each workbook found.
    let mut linked: Vec<(bool, Option<PathBuf>)> = Vec::new();
    let root = input.canonicalize()?;
    // Links are followed (a school's workbook linked into the folder is read); a link that
    // loops, is broken or leads outside the input folder is listed as ignored.
    let mut walk = WalkDir::new(input)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.depth() == 0 => return Err(std::io::Error::other(e)),
            Err(e) => {
                if let Some(path) = e.path() {
                    found.ignored.push(relative(input, path));
                    // A link that loops or is broken is only listed; anything else that
                    // cannot be read hides files.
                    if e.loop_ancestor().is_none() && !path.is_symlink() {
                        found.unreadable.push(relative(input, path));
                    }
                }
                continue;
            }
        };
        let outside = entry.path_is_symlink()
            && !entry
                .path()
                .canonicalize()
                .is_ok_and(|p| p.starts_with(&root));
        if outside {
            found.ignored.push(relative(input, entry.path()));
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        // A pipe, a socket, a device: listed, never opened (reading a pipe would wait).
        if !entry.file_type().is_file() {
            found.ignored.push(relative(input, entry.path()));
            continue;
        }
        let rel = relative(input, entry.path());
        if skip.contains(&rel) {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        // Hidden files (".DS_Store"), lock files and other formats are listed, not read.
        if name.starts_with('.') || name.starts_with("~$") || !is_spreadsheet(entry.path()) {
            found.ignored.push(rel);
        } else {
            let canonical = entry.path().canonicalize().ok();
            linked.push((entry.path_is_symlink(), canonical));
            found.workbooks.push((entry.path().to_path_buf(), rel));
        }
    }
    read_each_file_once(&mut found, &linked);
    Ok(found)
}

/// A workbook reached twice (a link inside the input to a file also inside it) is read once,
/// under the path met first in the walk's order (a link's name may be what tells the school);
/// the other path is listed as ignored.
fn read_each_file_once(found: &mut Discovery, linked: &[(bool, Option<PathBuf>)]) {
    let mut seen = std::collections::HashSet::new();
    let keep: Vec<bool> = linked
        .iter()
        .map(|(_, canonical)| canonical.as_ref().is_none_or(|c| seen.insert(c.clone())))
        .collect();
    let mut i = 0;
    found.workbooks.retain(|(_, rel)| {
        let kept = keep[i];
        i += 1;
        if !kept {
            found.ignored.push(rel.clone());
        }
        kept
    });
}

pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SPREADSHEET_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// `path` relative to `base`, with forward slashes, as reports show it.
pub fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
