//! Domain knowledge loaded from `schemas/*.toml`: sheet kinds and header aliases, value
//! vocabularies, rules and Vietnamese wording. The files are embedded as defaults; a folder
//! given with `--schemas` overrides any of them file by file, except the wording
//! (`messages.toml`, `report.toml`), which it overrides key by key: an office rewording one
//! label cannot leave another out, and a key the defaults do not have is refused as a typo.

use crate::domain::text::{fold, lower};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

const DEFAULTS: [(&str, &str); 4] = [
    ("sheets.toml", include_str!("../../schemas/sheets.toml")),
    (
        "vocabularies.toml",
        include_str!("../../schemas/vocabularies.toml"),
    ),
    ("rules.toml", include_str!("../../schemas/rules.toml")),
    ("messages.toml", include_str!("../../schemas/messages.toml")),
];
const REPORT: (&str, &str) = ("report.toml", include_str!("../../schemas/report.toml"));

/// Lays the keys of an override over the defaults, table by table; a key the defaults lack
/// is a typo, refused with its name.
fn overlay(defaults: &mut toml::Table, changes: toml::Table, file: &str) -> Result<()> {
    for (key, value) in changes {
        match (defaults.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(changes)) => {
                overlay(inner, changes, file)?
            }
            (Some(slot), value) => *slot = value,
            (None, _) => anyhow::bail!(
                "schemas/{file}: khóa \"{key}\" không có trong bản mặc định (viết sai tên?)"
            ),
        }
    }
    Ok(())
}

/// A `--schemas` folder must be there and hold at least one file it may override; the
/// message names the TOML files it does hold, so a misspelt name ("rule.toml") shows.
fn check_folder(dir: &Path) -> Result<()> {
    anyhow::ensure!(
        dir.is_dir(),
        "Không tìm thấy thư mục schemas {}",
        dir.display()
    );
    let known = SchemaFiles::NAMES.iter().any(|n| dir.join(n).is_file());
    if known {
        return Ok(());
    }
    let mut others: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("không đọc được thư mục schemas {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_lowercase().ends_with(".toml"))
        .collect();
    others.sort();
    let held = match others.is_empty() {
        true => "không có tệp .toml nào".to_string(),
        false => format!("chỉ có {}", others.join(", ")),
    };
    anyhow::bail!(
        "Thư mục schemas {} {held}: bdtx chỉ đọc các tệp {}. Đề nghị kiểm tra lại tên tệp \
         hoặc đường dẫn.",
        dir.display(),
        SchemaFiles::NAMES.join(", ")
    )
}

/// Everything bdtx knows about the domain, ready for matching.
#[derive(Debug, Clone)]
pub struct Schemas {
    pub registry: SheetKind,
    /// The registry's optional "Thông tin đơn vị" sheet.
    pub issuer: crate::domain::issuer::IssuerSheet,
    pub staff: SheetKind,
    pub training: SheetKind,
    /// Looked up by name for nearly every cell: a hash map, not a tree.
    pub vocab: rustc_hash::FxHashMap<String, Vocabulary>,
    pub majority_ethnicities: Vec<String>,
    pub rules: Rules,
    pub messages: Messages,
    pub report: BTreeMap<String, String>,
    /// Accreditation rules and staffing norms (`targets.toml`, `norms.toml`).
    pub targets: crate::domain::criteria::Targets,
}

/// One column of a sheet kind.
#[derive(Debug, Clone, Deserialize)]
pub struct ColumnSpec {
    pub key: String,
    pub label: String,
    pub aliases: Vec<String>,
    /// The vocabulary its values come from (template dropdowns).
    #[serde(default)]
    pub vocab: Option<String>,
    /// "date" or "score" (template validation).
    #[serde(default)]
    pub value: Option<String>,
    /// What the column means, shown on the template's header and guide.
    #[serde(default)]
    pub help: Option<String>,
}

/// A parent header over several columns, each with its short child header.
#[derive(Debug, Clone, Deserialize)]
pub struct ColumnGroup {
    pub label: String,
    /// (column key, child header).
    pub columns: Vec<(String, String)>,
}

/// A kind of sheet (registry, staff list, BDTX results) and how to recognise its header.
#[derive(Debug, Clone, Deserialize)]
pub struct SheetKind {
    pub label: String,
    pub required: Vec<String>,
    #[serde(default)]
    pub any_of: Vec<String>,
    pub min_columns: usize,
    /// Columns that together make `name` when a sheet splits it ("Họ đệm" | "Tên").
    #[serde(default)]
    pub name_parts: Vec<String>,
    /// Parent headers merged over child headers, for files bdtx writes.
    #[serde(default)]
    pub groups: Vec<ColumnGroup>,
    /// Columns of the school template, in order.
    #[serde(default)]
    pub template: Vec<String>,
    pub columns: Vec<ColumnSpec>,
    #[serde(skip)]
    aliases: AliasIndex,
}

impl SheetKind {
    fn prepare(mut self) -> Self {
        self.aliases = AliasIndex::new(
            self.columns
                .iter()
                .enumerate()
                .flat_map(|(i, c)| c.aliases.iter().map(move |a| (a.as_str(), i))),
        );
        self
    }

    /// The column a header cell names: exact alias first, else the longest alias the header
    /// starts with.
    ///
    /// ```
    /// let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    /// assert_eq!(s.staff.match_header("TRÌNH ĐỘ\nCHÍNH TRỊ").map(|c| c.key.as_str()), Some("political_theory"));
    /// assert_eq!(s.staff.match_header("TRÌNH ĐỘ").map(|c| c.key.as_str()), Some("qualification"));
    /// ```
    pub fn match_header(&self, header: &str) -> Option<&ColumnSpec> {
        self.match_header_len(header).map(|(c, _)| c)
    }

    /// Like `match_header`, with the length of the folded alias that matched: a longer
    /// alias is a more specific reading.
    pub fn match_header_len(&self, header: &str) -> Option<(&ColumnSpec, usize)> {
        self.aliases
            .find_len(header)
            .map(|(i, len)| (&self.columns[i], len))
    }

    /// `match_folded`, and whether some alias starts with `folded` and goes on: the text may
    /// be a parent header that names a column together with the one below it.
    pub fn probe_folded(&self, folded: &str) -> (Option<(&ColumnSpec, usize)>, bool) {
        let (found, extends) = self.aliases.probe(folded);
        (found.map(|(i, len)| (&self.columns[i], len)), extends)
    }

    /// `match_header_len` on a header already folded.
    pub fn match_folded(&self, folded: &str) -> Option<(&ColumnSpec, usize)> {
        self.aliases
            .find_folded(folded)
            .map(|(i, len)| (&self.columns[i], len))
    }

    pub fn column(&self, key: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.key == key)
    }

    pub fn label_of(&self, key: &str) -> String {
        self.column(key)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| key.to_string())
    }
}

/// A vocabulary entry: canonical code, report label and variants.
#[derive(Debug, Clone, Deserialize)]
pub struct VocabEntry {
    pub code: String,
    pub label: String,
    #[serde(default)]
    pub category: Option<crate::domain::model::Category>,
    pub aliases: Vec<String>,
}

/// A value vocabulary (roles, qualifications, ratings …).
#[derive(Debug, Clone, Deserialize)]
pub struct Vocabulary {
    pub entries: Vec<VocabEntry>,
    #[serde(default)]
    pub fallback: Option<String>,
    #[serde(skip)]
    aliases: AliasIndex,
    /// Aliases made of symbols only ("✓", "-"), which fold to nothing: by their trimmed text.
    #[serde(skip)]
    symbols: rustc_hash::FxHashMap<String, usize>,
}

impl Vocabulary {
    fn prepare(mut self) -> Self {
        let variants = self.entries.iter().enumerate().flat_map(|(i, e)| {
            e.aliases
                .iter()
                .chain(std::iter::once(&e.label))
                .map(move |a| (a.as_str(), i))
        });
        self.aliases = AliasIndex::new(variants.clone());
        self.symbols = variants
            .filter(|(a, _)| fold(a).is_empty() && !a.trim().is_empty())
            .map(|(a, i)| (a.trim().to_string(), i))
            .collect();
        self
    }

    /// The entry a value names (longest alias the folded value starts with).
    ///
    /// ```
    /// let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    /// let q = &s.vocab["qualification"];
    /// assert_eq!(q.lookup("ĐHSP Tiểu học").unwrap().code, "bachelor");
    /// assert_eq!(q.lookup("Th.S").unwrap().code, "master");
    /// assert!(q.lookup("Bằng lái xe").is_none());
    /// ```
    pub fn lookup(&self, value: &str) -> Option<&VocabEntry> {
        let folded = fold(value);
        if folded.is_empty() {
            return self.lookup_symbol(value);
        }
        self.lookup_folded(&folded)
    }

    /// The entry a value made of symbols only names ("✓" → yes).
    fn lookup_symbol(&self, value: &str) -> Option<&VocabEntry> {
        let value = crate::domain::text::clean(value);
        self.symbols.get(value.as_str()).map(|&i| &self.entries[i])
    }

    /// `lookup` on a value already folded (`text::fold`).
    pub fn lookup_folded(&self, folded: &str) -> Option<&VocabEntry> {
        self.aliases
            .find_folded(folded)
            .map(|(i, _)| &self.entries[i])
    }

    pub fn entry(&self, code: &str) -> Option<&VocabEntry> {
        self.entries.iter().find(|e| e.code == code)
    }

    pub fn label(&self, code: &str) -> String {
        self.entry(code)
            .map(|e| e.label.clone())
            .unwrap_or_else(|| code.to_string())
    }
}

/// Folded aliases → the index of what they name. `find` returns the longest alias the folded
/// text equals or starts with at a word boundary ("ĐHSP Toán" → "dhsp"), in one hash lookup
/// per word instead of a scan over every alias.
#[derive(Debug, Clone, Default)]
pub struct AliasIndex {
    map: rustc_hash::FxHashMap<String, usize>,
    /// Every shorter run of whole words an alias starts with ("trinh do" of "trinh do chinh tri").
    prefixes: rustc_hash::FxHashSet<String>,
    /// The first word of every alias: text whose first word is not here names nothing, which
    /// settles most cells (names, dates, codes) in one lookup.
    first_words: rustc_hash::FxHashSet<String>,
}

impl AliasIndex {
    /// The first alias given wins when two entries share one.
    pub fn new<'a>(aliases: impl Iterator<Item = (&'a str, usize)>) -> AliasIndex {
        let mut map = rustc_hash::FxHashMap::default();
        let mut prefixes = rustc_hash::FxHashSet::default();
        let mut first_words = rustc_hash::FxHashSet::default();
        for (alias, i) in aliases {
            let folded = fold(alias);
            first_words.insert(first_word(&folded).to_string());
            for (at, _) in folded.match_indices(' ') {
                prefixes.insert(folded[..at].to_string());
            }
            if !folded.is_empty() {
                map.entry(folded).or_insert(i);
            }
        }
        AliasIndex {
            map,
            prefixes,
            first_words,
        }
    }

    pub fn find(&self, text: &str) -> Option<usize> {
        self.find_len(text).map(|(i, _)| i)
    }

    /// The match and the length of the folded alias that matched.
    pub fn find_len(&self, text: &str) -> Option<(usize, usize)> {
        self.find_folded(&fold(text))
    }

    /// `find_len` on text already folded.
    pub fn find_folded(&self, folded: &str) -> Option<(usize, usize)> {
        if !self.first_words.contains(first_word(folded)) {
            return None;
        }
        self.find_known_first_word(folded)
    }

    /// `find_folded`, and whether some alias is `folded` followed by more words.
    pub fn probe(&self, folded: &str) -> (Option<(usize, usize)>, bool) {
        if !self.first_words.contains(first_word(folded)) {
            return (None, false);
        }
        (
            self.find_known_first_word(folded),
            self.prefixes.contains(folded),
        )
    }

    fn find_known_first_word(&self, folded: &str) -> Option<(usize, usize)> {
        let mut end = folded.len();
        loop {
            if let Some(&i) = self.map.get(&folded[..end]) {
                return Some((i, end));
            }
            end = folded[..end].rfind(' ')?;
        }
    }
}

/// The text before the first space of a folded text.
fn first_word(folded: &str) -> &str {
    // A byte loop: words are short, and a space is one byte in UTF-8.
    match folded.bytes().position(|b| b == b' ') {
        Some(at) => &folded[..at],
        None => folded,
    }
}

/// Standards and thresholds from `rules.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    pub qualification_standard: QualificationStandard,
    pub training: TrainingRules,
    pub rows: RowMarkers,
    pub school_match: SchoolMatch,
    pub concurrent: ConcurrentPosts,
    /// Figures the office counts in each staff group besides the built-in ones
    /// (`[[figures]]`).
    #[serde(default)]
    pub figures: Vec<FigureSpec>,
}

/// A figure the office declares: how many people of a staff group have a value in a column
/// of the people table (du_lieu/doi_ngu.csv), one of `is` or, without `is`, yes (a yes/no
/// column) or any (a text column). Printed after the built-in figures in summary.json's
/// groups, du_lieu/nhom.csv and the groups sheet of the annex.
///
/// ```
/// let mut s = bdtx::domain::schema::Schemas::load(None).unwrap();
/// assert!(s.rules.figures.is_empty());
/// let spec: bdtx::domain::schema::FigureSpec = toml::from_str(
///     "key = \"master_or_higher\"\nlabel = \"Thạc sĩ trở lên\"\n\
///      column = \"qualification\"\nis = [\"master\", \"doctorate\"]",
/// )
/// .unwrap();
/// assert_eq!(spec.is, ["master", "doctorate"]);
/// ```
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct FigureSpec {
    /// Its name in summary.json and nhom.csv.
    pub key: String,
    /// Its column header on the groups sheet.
    pub label: String,
    pub column: String,
    #[serde(default)]
    pub is: Vec<String>,
}

/// How a staff list writes posts held concurrently: the word before them in a role cell
/// ("GV - kiêm TPT Đội") and what separates several in a "Kiêm nhiệm" cell.
#[derive(Debug, Clone, Deserialize)]
pub struct ConcurrentPosts {
    pub word: String,
    pub separators: Vec<String>,
}

impl ConcurrentPosts {
    /// `text` (folded) cut at every separator; a word separator ("và") only between words.
    ///
    /// ```
    /// let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    /// assert_eq!(s.rules.concurrent.split("thu vien va tpt doi, van thu"), ["thu vien", "tpt doi", "van thu"]);
    /// ```
    pub fn split(&self, text: &str) -> Vec<String> {
        let mut parts = vec![text.to_string()];
        for sep in &self.separators {
            let sep = match sep.chars().any(char::is_alphabetic) {
                true => format!(" {} ", crate::domain::text::fold(sep)),
                false => sep.clone(),
            };
            parts = parts
                .iter()
                .flat_map(|p| p.split(sep.as_str()).map(|x| x.trim().to_string()))
                .collect();
        }
        parts.retain(|p| !p.is_empty());
        parts
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct QualificationStandard {
    pub source: String,
    /// Subjects whose teachers meet the standard with a lower degree, from a school year on.
    #[serde(default)]
    pub exceptions: Vec<QualificationException>,
    #[serde(flatten)]
    pub levels: BTreeMap<String, toml::Value>,
}

/// From `from_school_year` on, teachers of `subjects` at schools of `levels` meet the
/// standard with a qualification of `meets` too (Luật Nhà giáo 2025 Điều 28.2).
#[derive(Debug, Clone, Deserialize)]
pub struct QualificationException {
    pub from_school_year: String,
    pub levels: Vec<String>,
    pub subjects: Vec<String>,
    pub meets: Vec<String>,
    pub source: String,
    pub verified: bool,
}

/// The first calendar year of a school year ("2025-2026" → 2025).
fn first_year(school_year: &str) -> Option<i32> {
    school_year.split('-').next()?.trim().parse().ok()
}

impl QualificationStandard {
    /// Whether `qualification` is in the `which` list ("meets" or "above") for `level`.
    pub fn is(&self, level: &str, which: &str, qualification: &str) -> bool {
        self.levels
            .get(level)
            .and_then(|l| l.get(which))
            .and_then(|v| v.as_array())
            .is_some_and(|codes| codes.iter().any(|c| c.as_str() == Some(qualification)))
    }

    /// `is`, for a teacher of `subject` (a subject code) in `school_year`: an exception in
    /// force that year lets the subject's teachers meet the standard with a lower degree.
    ///
    /// ```
    /// let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    /// let q = &s.rules.qualification_standard;
    /// let music = Some("music");
    /// assert!(!q.is_for("tieu_hoc", "meets", "college", music, "2024-2025"));
    /// assert!(q.is_for("tieu_hoc", "meets", "college", music, "2025-2026"));
    /// assert!(!q.is_for("tieu_hoc", "meets", "college", Some("math"), "2025-2026"));
    /// assert!(!q.is_for("thcs", "meets", "college", music, "2025-2026"));
    /// ```
    pub fn is_for(
        &self,
        level: &str,
        which: &str,
        qualification: &str,
        subject: Option<&str>,
        school_year: &str,
    ) -> bool {
        if self.is(level, which, qualification) {
            return true;
        }
        let (Some(subject), Some(year)) = (subject, first_year(school_year)) else {
            return false;
        };
        which == "meets"
            && self.exceptions.iter().any(|e| {
                first_year(&e.from_school_year).is_some_and(|from| year >= from)
                    && e.levels.iter().any(|l| l == level)
                    && e.subjects.iter().any(|s| s == subject)
                    && e.meets.iter().any(|q| q == qualification)
            })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct TrainingRules {
    pub source: String,
    pub contents: Vec<String>,
    pub pass_score: f64,
    pub min_score: f64,
    pub max_score: f64,
    pub assessed_categories: Vec<crate::domain::model::Category>,
    pub module_separators: String,
    pub tt26: Tt26,
}

/// TT 26/2012 grading: the first grade whose minimum average and minimum content are met.
#[derive(Debug, Clone, Deserialize)]
pub struct Tt26 {
    pub source: String,
    pub grades: Vec<Grade>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Grade {
    pub code: String,
    pub label: String,
    pub min_average: f64,
    pub min_content: f64,
}

/// Which BDTX rules a run applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BdtxRules {
    /// Thông tư 19/2019: completed or not completed.
    #[default]
    Tt19,
    /// Thông tư 26/2012: Giỏi / Khá / Trung bình / Không hoàn thành.
    Tt26,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RowMarkers {
    pub total: Vec<String>,
    pub footer_contains: Vec<String>,
    pub footer_exact: Vec<String>,
    pub date_line_words: Vec<String>,
    pub group_words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SchoolMatch {
    pub stop_words: Vec<String>,
    pub ignore_lines_starting: Vec<String>,
    pub level_words: BTreeMap<String, Vec<String>>,
    pub info_sheet_names: Vec<String>,
    /// Labels that make any sheet no data kind recognises an information sheet, whatever
    /// its tab name ("Mã trường", "Tên trường").
    #[serde(default)]
    pub info_labels: Vec<String>,
}

/// Vietnamese wording of issues, severities and skip reasons.
#[derive(Debug, Clone, Deserialize)]
pub struct Messages {
    pub issues: BTreeMap<String, String>,
    pub severity: BTreeMap<String, String>,
    pub skip_reasons: BTreeMap<String, String>,
    /// What a school does about an issue whose message does not say ("Đề nghị nhà trường …"),
    /// by issue code; `default` for the others.
    #[serde(default)]
    pub fixes: BTreeMap<String, String>,
}

impl Messages {
    pub fn issue<'a>(&'a self, code: &'a str) -> &'a str {
        self.issues.get(code).map(String::as_str).unwrap_or(code)
    }

    /// What a school does about an issue of `code`.
    pub fn fix(&self, code: &str) -> &str {
        self.fixes
            .get(code)
            .or_else(|| self.fixes.get("default"))
            .map(String::as_str)
            .unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct SheetsFile {
    registry: SheetKind,
    staff: SheetKind,
    training: SheetKind,
    #[serde(default)]
    issuer: crate::domain::issuer::IssuerSheet,
}

#[derive(Deserialize)]
struct EthnicityFile {
    majority: Vec<String>,
}

/// Where the office's own schema files come from, each replacing the embedded default of its
/// name: a folder (`--schemas`), or, in the self-check page, the texts that folder held when
/// the office wrote the page.
pub enum SchemaFiles<'a> {
    Folder(Option<&'a Path>),
    Texts(&'a BTreeMap<String, String>),
}

impl SchemaFiles<'_> {
    /// Every file a folder may override.
    pub const NAMES: [&'static str; 7] = [
        "sheets.toml",
        "vocabularies.toml",
        "rules.toml",
        "messages.toml",
        "report.toml",
        "targets.toml",
        "norms.toml",
    ];

    /// The office's text of `name` ("rules.toml"), if it has one.
    pub fn read(&self, name: &str) -> Result<Option<String>> {
        match self {
            SchemaFiles::Folder(dir) => match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(p) => std::fs::read_to_string(&p)
                    .map(Some)
                    .with_context(|| format!("không đọc được {}", p.display())),
                None => Ok(None),
            },
            SchemaFiles::Texts(texts) => Ok(texts.get(name).cloned()),
        }
    }

    /// Every text the office has, by file name (what the self-check page carries).
    pub fn texts(&self) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        for name in Self::NAMES {
            if let Some(text) = self.read(name)? {
                out.insert(name.to_string(), text);
            }
        }
        Ok(out)
    }
}

impl Schemas {
    /// Loads the embedded defaults, each replaced by the file of the same name in `dir` if present.
    ///
    /// A folder that is not there, or holds none of the files it may override, stops the
    /// run: the office's edits would otherwise be left out without a word.
    pub fn load(dir: Option<&Path>) -> Result<Schemas> {
        Schemas::load_from(&SchemaFiles::Folder(dir))
    }

    /// Loads the embedded defaults, each replaced by the office's text of it in `files`.
    pub fn load_from(files: &SchemaFiles) -> Result<Schemas> {
        if let SchemaFiles::Folder(Some(dir)) = files {
            check_folder(dir)?;
        }
        let text = |name: &str, default: &str| -> Result<String> {
            Ok(files.read(name)?.unwrap_or_else(|| default.to_string()))
        };
        let parse = |name: &str, default: &str| -> Result<toml::Table> {
            toml::from_str(&text(name, default)?)
                .with_context(|| format!("lỗi cú pháp trong schemas/{name}"))
        };
        let sheets: SheetsFile = parse(DEFAULTS[0].0, DEFAULTS[0].1)?.try_into()?;
        let mut vocab_table = parse(DEFAULTS[1].0, DEFAULTS[1].1)?;
        let ethnicity: EthnicityFile = vocab_table
            .remove("ethnicity")
            .context("schemas/vocabularies.toml thiếu mục [ethnicity]")?
            .try_into()?;
        let mut vocab = rustc_hash::FxHashMap::default();
        for (name, value) in vocab_table {
            let v: Vocabulary = value
                .try_into()
                .with_context(|| format!("vocabularies.toml [{name}]"))?;
            vocab.insert(name, v.prepare());
        }
        let rules: Rules = parse(DEFAULTS[2].0, DEFAULTS[2].1)?
            .try_into()
            .context("schemas/rules.toml")?;
        let wording = |name: &str, default: &str| -> Result<toml::Table> {
            let mut table: toml::Table = toml::from_str(default)?;
            if files.read(name)?.is_some() {
                overlay(&mut table, parse(name, default)?, name)?;
            }
            Ok(table)
        };
        let messages: Messages = wording(DEFAULTS[3].0, DEFAULTS[3].1)?
            .try_into()
            .context("schemas/messages.toml")?;
        let report = wording(REPORT.0, REPORT.1)?
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect();
        let schemas = Schemas {
            registry: sheets.registry.prepare(),
            issuer: sheets.issuer,
            staff: sheets.staff.prepare(),
            training: sheets.training.prepare(),
            vocab,
            majority_ethnicities: ethnicity.majority.iter().map(|e| fold(e)).collect(),
            rules,
            messages,
            report,
            targets: crate::domain::criteria::Targets::load(files)?,
        };
        schemas.check()?;
        Ok(schemas)
    }

    /// Fails early when a file lacks something the code relies on.
    fn check(&self) -> Result<()> {
        for name in [
            "role",
            "qualification",
            "political_theory",
            "it_level",
            "language_level",
            "standard_rating",
            "civil_servant_rating",
            "gender",
            "yes_mark",
            "training_result",
            "school_level",
            "group_role",
            "subject",
            "ethnic_group",
            "employment",
            "other_school_level",
        ] {
            anyhow::ensure!(
                self.vocab.contains_key(name),
                "schemas/vocabularies.toml thiếu mục [{name}]"
            );
        }
        for kind in [&self.registry, &self.staff, &self.training] {
            for column in &kind.columns {
                if let Some(name) = &column.vocab {
                    anyhow::ensure!(
                        self.vocab.contains_key(name),
                        "schemas/sheets.toml: cột \"{}\" dùng danh mục [{name}] mà \
                         schemas/vocabularies.toml không có",
                        column.key
                    );
                }
            }
        }
        let mut keys = std::collections::BTreeSet::new();
        for f in &self.rules.figures {
            let fine = !f.key.is_empty()
                && f.key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !f.label.trim().is_empty();
            anyhow::ensure!(
                fine && keys.insert(f.key.as_str()),
                "schemas/rules.toml: [[figures]] \"{}\" cần một tên (key) riêng, chỉ gồm chữ \
                 không dấu, chữ số và dấu gạch dưới, và một nhãn (label)",
                f.key
            );
        }
        for code in self.messages.fixes.keys() {
            anyhow::ensure!(
                code == "default" || self.messages.issues.contains_key(code),
                "schemas/messages.toml: [fixes] {code} không phải mã lỗi nào trong [issues]"
            );
        }
        Ok(())
    }

    /// A report label by key (from `report.toml`); the key itself when missing.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.report.get(key).map(String::as_str).unwrap_or(key)
    }

    /// Row markers in lower case with diacritics, ready for comparison.
    pub fn lower_list(list: &[String]) -> Vec<String> {
        list.iter().map(|s| lower(s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_match() {
        let s = Schemas::load(None).unwrap();
        let role = &s.vocab["role"];
        assert_eq!(role.lookup("GV Toán").unwrap().code, "teacher");
        assert_eq!(role.lookup("P.HT").unwrap().code, "vice_principal");
        assert_eq!(
            role.lookup("Phó hiệu trưởng").unwrap().code,
            "vice_principal"
        );
        assert_eq!(role.lookup("HIỆU TRƯỞNG").unwrap().code, "principal");
        assert_eq!(role.lookup("Nhân viên kế toán").unwrap().code, "accountant");
        assert_eq!(
            s.vocab["qualification"].lookup("CĐSP Toán").unwrap().code,
            "college"
        );
        assert_eq!(
            s.vocab["qualification"].lookup("Thạc sỹ").unwrap().code,
            "master"
        );
        assert_eq!(
            s.vocab["standard_rating"].lookup("Chưa đạt").unwrap().code,
            "fail"
        );
        assert_eq!(
            s.training.match_header("Nội dung 2").unwrap().key,
            "score_2"
        );
        assert!(s
            .rules
            .qualification_standard
            .is("thcs", "meets", "bachelor"));
        assert!(!s
            .rules
            .qualification_standard
            .is("thcs", "above", "bachelor"));
    }

    #[test]
    fn override_folder_replaces_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let rules = DEFAULTS[2]
            .1
            .replace("pass_score = 5.0", "pass_score = 6.5");
        std::fs::write(dir.path().join("rules.toml"), rules).unwrap();
        let s = Schemas::load(Some(dir.path())).unwrap();
        assert_eq!(s.rules.training.pass_score, 6.5);
        assert_eq!(s.vocab["role"].lookup("GV").unwrap().code, "teacher");
    }
}
