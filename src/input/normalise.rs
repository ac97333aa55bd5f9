//! Turns raw rows into normalised records: NFC text, title-cased names, vocabulary codes,
//! dates from Excel serials or text, numbers with comma or dot decimals. Every value it
//! cannot read becomes an issue that names the cell.

use crate::domain::issue::{Issue, Severity};
use crate::domain::model::{Category, Gender, Loc, Outcome, Person, Precision, Text, TrainingRow};
use crate::domain::schema::{BdtxRules, Schemas, SheetKind, VocabEntry, Vocabulary};
use crate::domain::text::{fold, title_case_name};
use crate::input::rows::{FilledCell, RawRow};
use calamine::Data;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

/// Longest name taken as a person's without a warning (Vietnamese names run to ~40).
pub const MAX_NAME_CHARS: usize = 255;

/// A parsed value or the reason it could not be read.
pub enum Parsed<T> {
    Blank,
    Value(T),
    Invalid(String),
}

/// Reads a date: an Excel date or serial, "15/06/1985", "15-6-85", "15.06.1985",
/// "1985-06-15" or a bare year (taken as 1 January).
///
/// ```
/// use bdtx::input::normalise::{parse_date, Parsed};
/// use calamine::Data;
/// let d = |s: &str| match parse_date(&Data::String(s.into())) { Parsed::Value(d) => Some(d), _ => None };
/// let want = chrono::NaiveDate::from_ymd_opt(1985, 6, 15);
/// assert_eq!(d("15/06/1985"), want);
/// assert_eq!(d("15-6-85"), want);
/// assert_eq!(d("15.06.1985"), want);
/// assert_eq!(d("1985"), chrono::NaiveDate::from_ymd_opt(1985, 1, 1));
/// ```
pub fn parse_date(d: &Data) -> Parsed<NaiveDate> {
    match parse_partial_date(d) {
        Parsed::Value((date, _)) => Parsed::Value(date),
        Parsed::Blank => Parsed::Blank,
        Parsed::Invalid(v) => Parsed::Invalid(v),
    }
}

/// Excel's last serial date, 31/12/9999.
const EXCEL_LAST_DAY: f64 = 2_958_465.0;

/// `parse_date`, with how much of the date was written.
///
/// ```
/// use bdtx::domain::model::Precision;
/// use bdtx::input::normalise::{parse_partial_date, Parsed};
/// use calamine::Data;
/// let p = |d: Data| match parse_partial_date(&d) { Parsed::Value((_, p)) => Some(p), _ => None };
/// assert_eq!(p(Data::String("14/10/1997".into())), Some(Precision::Day));
/// assert_eq!(p(Data::String("10/1997".into())), Some(Precision::Month));
/// assert_eq!(p(Data::String("1997".into())), Some(Precision::Year));
/// assert_eq!(p(Data::Float(1997.0)), Some(Precision::Year));
/// // A date-formatted cell holding -1e15 is no date, and no panic.
/// let far = calamine::ExcelDateTime::new(-1e15, calamine::ExcelDateTimeType::DateTime, false);
/// assert!(matches!(parse_partial_date(&Data::DateTime(far)), Parsed::Invalid(_)));
/// ```
pub fn parse_partial_date(d: &Data) -> Parsed<(NaiveDate, Precision)> {
    let day = |date: NaiveDate| Parsed::Value((date, Precision::Day));
    match d {
        Data::Empty => Parsed::Blank,
        // Any number can sit in a date-formatted cell: outside Excel's dates (years 1900 to
        // 9999) it is no date, and chrono is never asked to convert it (it panics past ±2^63 ms).
        Data::DateTime(x) if !(0.0..=EXCEL_LAST_DAY).contains(&x.as_f64()) => {
            Parsed::Invalid(x.to_string())
        }
        Data::DateTime(x) => x
            .as_datetime()
            .map(|t| day(t.date()))
            .unwrap_or(Parsed::Invalid(x.to_string())),
        Data::DateTimeIso(s) => date_from_text(s)
            .map(Parsed::Value)
            .unwrap_or(Parsed::Invalid(s.clone())),
        Data::Int(i) => from_number(*i as f64),
        Data::Float(f) => from_number(*f),
        Data::String(s) if crate::domain::text::is_blank(s) => Parsed::Blank,
        Data::String(s) => date_from_text(s)
            .map(Parsed::Value)
            .unwrap_or(Parsed::Invalid(s.trim().to_string())),
        other => Parsed::Invalid(other.to_string()),
    }
}

fn from_number(n: f64) -> Parsed<(NaiveDate, Precision)> {
    if n.fract() == 0.0 && (1900.0..=2100.0).contains(&n) {
        return NaiveDate::from_ymd_opt(n as i32, 1, 1)
            .map(|d| Parsed::Value((d, Precision::Year)))
            .unwrap_or(Parsed::Invalid(n.to_string()));
    }
    // Excel serial (1900 system): day 1 is 1900-01-01, with Excel's phantom 29 Feb 1900.
    if (3_000.0..=80_000.0).contains(&n) {
        let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid base date");
        return Parsed::Value((
            base + chrono::Duration::days(n.trunc() as i64),
            Precision::Day,
        ));
    }
    Parsed::Invalid(n.to_string())
}

fn date_from_text(s: &str) -> Option<(NaiveDate, Precision)> {
    let t = s.trim();
    let parts: Vec<&str> = t
        .split(['/', '-', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let nums: Vec<i32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<Vec<i32>>>()?;
    let ymd = |y: i32, m: i32, d: i32| {
        NaiveDate::from_ymd_opt(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?)
    };
    match nums.as_slice() {
        [y] if (1900..=2100).contains(y) => Some((ymd(*y, 1, 1)?, Precision::Year)),
        [y, m, d] if *y > 31 => Some((ymd(*y, *m, *d)?, Precision::Day)),
        [d, m, y] => Some((ymd(full_year(*y), *m, *d)?, Precision::Day)),
        [m, y] if *y > 31 => Some((ymd(full_year(*y), *m, 1)?, Precision::Month)),
        _ => None,
    }
}

/// Two-digit years are birth years: 30–99 → 19xx, 00–29 → 20xx.
fn full_year(y: i32) -> i32 {
    match y {
        0..=29 => 2000 + y,
        30..=99 => 1900 + y,
        _ => y,
    }
}

/// Reads a number written as a number, "8.5" or "8,5".
///
/// ```
/// use bdtx::input::normalise::{parse_number, Parsed};
/// use calamine::Data;
/// assert!(matches!(parse_number(&Data::String("8,5".into())), Parsed::Value(x) if x == 8.5));
/// assert!(matches!(parse_number(&Data::String("tám".into())), Parsed::Invalid(_)));
/// ```
pub fn parse_number(d: &Data) -> Parsed<f64> {
    match d {
        Data::Empty => Parsed::Blank,
        Data::Int(i) => Parsed::Value(*i as f64),
        Data::Float(f) => Parsed::Value(*f),
        Data::String(s) if crate::domain::text::is_blank(s) => Parsed::Blank,
        Data::String(s) => {
            let t = s.trim().replace(',', ".");
            t.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Parsed::Value)
                .unwrap_or(Parsed::Invalid(s.trim().to_string()))
        }
        other => Parsed::Invalid(other.to_string()),
    }
}

/// Text of any cell as the school wrote it (numbers without a trailing ".0").
pub fn display(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::String(s) => crate::domain::text::clean(s),
        other => other.to_string(),
    }
}

/// Context for normalising one sheet's rows.
pub struct Normaliser<'a> {
    pub schemas: &'a Schemas,
    /// Shared by every record and issue of the sheet.
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub issues: Vec<Issue>,
    /// The BDTX rules results are read under (TT 19/2019 unless the run says otherwise).
    pub bdtx_rules: BdtxRules,
}

impl<'a> Normaliser<'a> {
    pub fn new(schemas: &'a Schemas, file: &str, sheet: &str, bdtx_rules: BdtxRules) -> Self {
        Normaliser {
            schemas,
            file: file.into(),
            sheet: sheet.into(),
            issues: Vec::new(),
            bdtx_rules,
        }
    }

    fn loc(&self, raw: &RawRow, key: &str) -> Loc {
        Loc {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: Some(raw.row),
            col: raw.col(key),
        }
    }

    /// The entry of `vocab_name` that column `key`'s cell names.
    fn find(&self, raw: &RawRow, key: &str, vocab_name: &str) -> Option<&'a VocabEntry> {
        self.find_in(raw.cell(key)?, vocab_name)
    }

    /// The entry of `vocab_name` that `cell` names.
    fn find_in(&self, cell: &FilledCell, vocab_name: &str) -> Option<&'a VocabEntry> {
        let vocab: &'a Vocabulary = &self.schemas.vocab[vocab_name];
        match cell.folded {
            // A cell of symbols only ("✓") folds to nothing: `lookup` takes it as written.
            Some(folded) if !folded.is_empty() => vocab.lookup_folded(folded),
            _ => vocab.lookup(&display(cell.data)),
        }
    }

    fn report(
        &mut self,
        severity: Severity,
        code: &str,
        loc: Loc,
        values: &[(&'static str, &str)],
    ) {
        let issue = Issue::new(severity, code, &loc, values);
        self.issues.push(issue);
    }

    /// A vocabulary code for `key`; unknown values are reported and dropped (or mapped to the
    /// vocabulary's fallback).
    fn vocab(
        &mut self,
        raw: &RawRow,
        key: &str,
        vocab_name: &str,
        kind: &SheetKind,
    ) -> Option<Text> {
        let cell = raw.cell(key)?;
        if let Some(e) = self.find_in(cell, vocab_name) {
            return Some(e.code.as_str().into());
        }
        let value = display(cell.data);
        if value.is_empty() {
            return None;
        }
        let fallback = self.schemas.vocab[vocab_name]
            .fallback
            .as_deref()
            .map(Text::from);
        // A vocabulary may have its own wording ("unknown_qualification"), else the generic one.
        let own = format!("unknown_{vocab_name}");
        let code = if self.schemas.messages.issues.contains_key(&own) {
            own
        } else {
            "unknown_value".to_string()
        };
        let label = kind.label_of(key);
        self.report(
            Severity::Warning,
            &code,
            self.loc(raw, key),
            &[("value", &value), ("column", &label)],
        );
        fallback
    }

    fn date(&mut self, raw: &RawRow, key: &str) -> Option<(NaiveDate, Precision)> {
        match parse_partial_date(raw.get(key)?) {
            Parsed::Value((d, p)) if d.year() >= 1900 => Some((d, p)),
            Parsed::Blank => None,
            Parsed::Value((d, _)) => {
                self.report(
                    Severity::Warning,
                    "invalid_date",
                    self.loc(raw, key),
                    &[("value", &d.to_string())],
                );
                None
            }
            Parsed::Invalid(v) => {
                self.report(
                    Severity::Warning,
                    "invalid_date",
                    self.loc(raw, key),
                    &[("value", &v)],
                );
                None
            }
        }
    }

    fn text(&self, raw: &RawRow, key: &str) -> Option<Text> {
        let text = match raw.get(key)? {
            // Most text cells are clean already: no copy on the way to a `Text`.
            Data::String(s) => Text::from(crate::domain::text::clean_cow(s).as_ref()),
            other => Text::from(display(other)),
        };
        (!text.is_empty()).then_some(text)
    }

    /// A staff row, or None (with an error issue) when its role is missing or unknown.
    pub fn person(&mut self, raw: &RawRow) -> Option<Person> {
        let kind = &self.schemas.staff;
        let name = self.name(raw);
        let role_text = self.text(raw, "role");
        let by_cell = self.find(raw, "role", "role");
        let by_group = || {
            let group = self.schemas.vocab["group_role"].lookup(raw.group.as_deref()?)?;
            self.schemas.vocab["role"].entry(&group.code)
        };
        // A blank role cell, or one that only names a subject ("Toán"), takes the role of
        // its group label ("II. GIÁO VIÊN").
        let subject_in_role = role_text
            .clone()
            .filter(|_| by_cell.is_none() && self.find(raw, "role", "subject").is_some());
        let may_use_group = role_text.is_none() || subject_in_role.is_some();
        let Some(role) = by_cell.or_else(|| by_group().filter(|_| may_use_group)) else {
            match role_text {
                Some(t) => self.report(
                    Severity::Error,
                    "unknown_role",
                    self.loc(raw, "role"),
                    &[("value", &t)],
                ),
                None => self.report(
                    Severity::Error,
                    "missing_role",
                    self.loc(raw, "role"),
                    &[("value", &name)],
                ),
            }
            return None;
        };
        let gender = self.gender(raw);
        let ethnicity = self.text(raw, "ethnicity").map(|e| {
            match self.find(raw, "ethnicity", "ethnic_group") {
                Some(group) => Text::from(group.label.as_str()),
                None => Text::from(title_case_name(&e)),
            }
        });
        let minority = ethnicity
            .as_ref()
            .is_some_and(|e| !self.schemas.majority_ethnicities.contains(&fold(e)));
        let party_member = self.party(raw);
        let birth = self.birth_date(raw);
        let subject = self.text(raw, "subject").or(subject_in_role);
        let category = role.category.unwrap_or_default();
        let subject_code = match category {
            Category::Teacher => self.subject_code(subject.as_deref(), role_text.as_deref()),
            _ => None,
        };
        let person = Person {
            loc: self.loc(raw, "name"),
            school: Text::default(),
            name_key: fold(&name).into(),
            name,
            birth_date: birth.map(|b| b.0),
            birth_precision: birth.map(|b| b.1).unwrap_or_default(),
            gender,
            ethnicity,
            minority,
            party_member,
            role: role.code.as_str().into(),
            category,
            concurrent: self.concurrent(raw, role_text.as_deref(), &role.code),
            subject,
            subject_code,
            qualification: self.vocab(raw, "qualification", "qualification", kind),
            political_theory: self.vocab(raw, "political_theory", "political_theory", kind),
            it_level: self.vocab(raw, "it_level", "it_level", kind),
            language_level: self.vocab(raw, "language_level", "language_level", kind),
            standard_rating: self.vocab(raw, "standard_rating", "standard_rating", kind),
            civil_servant_rating: self.vocab(
                raw,
                "civil_servant_rating",
                "civil_servant_rating",
                kind,
            ),
            upgrading: self.marked(raw, "upgrading"),
            employment: self.vocab(raw, "employment", "employment", kind),
            management_training: self.answered(raw, "management_training"),
            state_management: self.marked(raw, "state_management"),
        };
        Some(person)
    }

    /// The row's name, title-cased; a name longer than any person's is warned of (the
    /// reports cut text at Excel's limit of 32,767 characters).
    fn name(&mut self, raw: &RawRow) -> Text {
        let formula = raw.name.trim_start().starts_with(['=', '+', '-', '@']);
        // What looks like a formula is kept as written (and warned of below), not title-cased.
        let name = match formula {
            true => Text::from(crate::domain::text::clean(&raw.name)),
            false => Text::from(title_case_name(&raw.name)),
        };
        let length = name.chars().count();
        if length > MAX_NAME_CHARS {
            let detail = length.to_string();
            self.report(
                Severity::Warning,
                "name_too_long",
                self.loc(raw, "name"),
                &[("detail", &detail)],
            );
        }
        // "=HYPERLINK(…)" is no name: a spreadsheet would run it as a formula.
        if let Some(first) = raw.name.trim_start().chars().next().filter(|_| formula) {
            let value = raw.name.chars().take(60).collect::<String>();
            self.report(
                Severity::Warning,
                "name_formula",
                self.loc(raw, "name"),
                &[("value", &value), ("detail", &first.to_string())],
            );
        }
        name
    }

    /// The birth date, from "Ngày sinh" or from the "Nam" / "Nữ" column it is written under.
    fn birth_date(&mut self, raw: &RawRow) -> Option<(NaiveDate, Precision)> {
        ["birth_date", "birth_date_male", "birth_date_female"]
            .iter()
            .find_map(|k| self.date(raw, k))
    }

    /// Gender from a "Giới tính" column, else from the birth-date column it is written under,
    /// else from a mark in a "Nữ" column.
    fn gender(&mut self, raw: &RawRow) -> Option<Gender> {
        let kind = &self.schemas.staff;
        if raw.get("gender").is_some() {
            return Gender::from_code(&self.vocab(raw, "gender", "gender", kind)?);
        }
        if raw.get("birth_date_female").is_some() {
            return Some(Gender::Female);
        }
        if raw.get("birth_date_male").is_some() {
            return Some(Gender::Male);
        }
        let (female_column, male_column) =
            (raw.has_column("female_mark"), raw.has_column("male_mark"));
        if female_column || male_column {
            let female = female_column
                && self.vocab(raw, "female_mark", "yes_mark", kind).as_deref() == Some("yes");
            let male = male_column
                && self.vocab(raw, "male_mark", "yes_mark", kind).as_deref() == Some("yes");
            return match (female, male, male_column) {
                (true, false, _) => Some(Gender::Female),
                (false, true, _) => Some(Gender::Male),
                // Only a "Nữ" column: no mark there is a man.
                (false, false, false) => Some(Gender::Male),
                // Marks under both, or under neither of "Nam | Nữ": not known.
                _ => None,
            };
        }
        None
    }

    /// Posts held concurrently: what follows "kiêm" in the role cell ("GV - kiêm TPT Đội"),
    /// and the roles of a "Kiêm nhiệm" column, as role codes other than `role`.
    fn concurrent(&self, raw: &RawRow, role_text: Option<&str>, role: &str) -> Option<Text> {
        let roles = &self.schemas.vocab["role"];
        let posts = &self.schemas.rules.concurrent;
        let word = fold(&posts.word);
        let mut codes: Vec<&str> = Vec::new();
        let in_role = role_text.map(fold).unwrap_or_default();
        let after_word = in_role
            .split(&format!(" {word} "))
            .skip(1)
            .map(str::to_string)
            .collect::<Vec<_>>();
        let column = self.text(raw, "concurrent").map(|t| fold(&t));
        let listed = column.iter().flat_map(|c| posts.split(c));
        for part in after_word.into_iter().chain(listed) {
            let part = part
                .strip_prefix(&format!("{word} "))
                .unwrap_or(&part)
                .trim();
            if let Some(e) = roles.lookup_folded(part) {
                if e.code != role && !codes.contains(&e.code.as_str()) {
                    codes.push(&e.code);
                }
            }
        }
        (!codes.is_empty()).then(|| Text::from(codes.join(",")))
    }

    /// The subject code a teacher's Môn dạy names, else the one the rest of the role cell
    /// names ("Giáo viên Tiếng Anh"; not what follows "kiêm").
    fn subject_code(&self, subject: Option<&str>, role_text: Option<&str>) -> Option<Text> {
        let vocab = &self.schemas.vocab["subject"];
        if let Some(e) = subject.and_then(|t| vocab.lookup(t)) {
            return Some(e.code.as_str().into());
        }
        let role = fold(role_text?);
        let word = fold(&self.schemas.rules.concurrent.word);
        let role = role.split(&format!(" {word} ")).next().unwrap_or_default();
        let words: Vec<&str> = role.split(' ').collect();
        (1..words.len())
            .find_map(|i| vocab.lookup_folded(&words[i..].join(" ")))
            .map(|e| e.code.as_str().into())
    }

    /// A yes/no column: Some(true) for a yes-mark, Some(false) for a no ("Không", "0"), None
    /// when blank or when the sheet has no such column (not known, never "no").
    fn answered(&mut self, raw: &RawRow, key: &str) -> Option<bool> {
        let kind = &self.schemas.staff;
        self.vocab(raw, key, "yes_mark", kind)
            .map(|code| code == "yes")
    }

    /// Whether column `key` holds a yes-mark ("x", "Có" …).
    fn marked(&mut self, raw: &RawRow, key: &str) -> bool {
        let kind = &self.schemas.staff;
        self.vocab(raw, key, "yes_mark", kind).as_deref() == Some("yes")
    }

    /// Party membership: a yes-mark, or any date in a "Ngày vào Đảng" column.
    fn party(&mut self, raw: &RawRow) -> bool {
        let Some(d) = raw.get("party_member") else {
            return false;
        };
        if let Parsed::Value(_) = parse_date(d) {
            return true;
        }
        self.vocab(raw, "party_member", "yes_mark", &self.schemas.staff)
            .as_deref()
            == Some("yes")
    }

    /// A BDTX row; the outcome follows TT 19/2019 from the scores when they are present.
    pub fn training(&mut self, raw: &RawRow) -> TrainingRow {
        let rules = &self.schemas.rules.training;
        let kind = &self.schemas.training;
        let name = self.name(raw);
        let mut scores = Vec::with_capacity(rules.contents.len());
        for key in &rules.contents {
            scores.push(self.score(raw, key));
        }
        let declared = self.vocab(raw, "result", "training_result", kind);
        let role = self
            .find(raw, "role", "role")
            .map(|e| Text::from(e.code.as_str()));
        let outcome = self.outcome(raw, &name, &scores, declared.as_deref());
        let grade = grade(self.schemas, self.bdtx_rules, &scores);
        // Under TT 26/2012 complete scores without a grade mean not completed.
        let outcome = match (self.bdtx_rules, &grade, scores.iter().all(Option::is_some)) {
            (BdtxRules::Tt26, None, true) => Some(Outcome::NotCompleted),
            (BdtxRules::Tt26, Some(_), true) => Some(Outcome::Completed),
            _ => outcome,
        };
        let birth = self.date(raw, "birth_date");
        TrainingRow {
            loc: self.loc(raw, "name"),
            school: Text::default(),
            name_key: fold(&name).into(),
            name,
            birth_date: birth.map(|b| b.0),
            birth_precision: birth.map(|b| b.1).unwrap_or_default(),
            role,
            scores,
            modules: self.text(raw, "modules"),
            declared,
            outcome,
            grade,
        }
    }

    fn score(&mut self, raw: &RawRow, key: &str) -> Option<f64> {
        let rules = &self.schemas.rules.training;
        let label = || self.schemas.training.label_of(key);
        match parse_number(raw.get(key)?) {
            Parsed::Blank => None,
            Parsed::Value(x) if x >= rules.min_score && x <= rules.max_score => Some(x),
            Parsed::Value(x) => {
                let (v, label) = (format!("{x}"), label());
                self.report(
                    Severity::Error,
                    "score_out_of_range",
                    self.loc(raw, key),
                    &[("value", &v), ("column", &label)],
                );
                None
            }
            Parsed::Invalid(v) => {
                let label = label();
                self.report(
                    Severity::Error,
                    "invalid_score",
                    self.loc(raw, key),
                    &[("value", &v), ("column", &label)],
                );
                None
            }
        }
    }

    /// Completed when every content is scored at or above the pass mark (TT 19/2019: every
    /// content must be completed). Some contents scored and others blank is an error on the
    /// row: not completed if a given score fails, else no result, whatever the written
    /// result says. With no score at all, the written result.
    fn outcome(
        &mut self,
        raw: &RawRow,
        name: &str,
        scores: &[Option<f64>],
        declared: Option<&str>,
    ) -> Option<Outcome> {
        let rules = &self.schemas.rules.training;
        let any_failed = scores.iter().flatten().any(|s| *s < rules.pass_score);
        let all_scored = scores.iter().all(Option::is_some);
        let partly_scored = !all_scored && scores.iter().any(Option::is_some);
        if partly_scored {
            for (key, s) in rules.contents.iter().zip(scores) {
                if s.is_none() && raw.get(key).is_none() {
                    let label = self.schemas.training.label_of(key);
                    self.report(
                        Severity::Error,
                        "missing_score",
                        self.loc(raw, key),
                        &[("value", name), ("column", &label)],
                    );
                }
            }
        }
        let computed = if any_failed {
            Some(Outcome::NotCompleted)
        } else if all_scored && !scores.is_empty() {
            Some(Outcome::Completed)
        } else if partly_scored {
            // Not completed until every content is: no result, whatever is written.
            return None;
        } else {
            None
        };
        match (computed, declared) {
            (Some(c), Some(d)) if c.code() != d => {
                let vocab = &self.schemas.vocab["training_result"];
                let written = raw.get("result").map(display).unwrap_or_default();
                let by_scores = vocab.label(c.code());
                self.report(
                    Severity::Warning,
                    "result_contradicts_scores",
                    self.loc(raw, "result"),
                    &[("value", &written), ("detail", &by_scores)],
                );
                Some(c)
            }
            (Some(c), _) => Some(c),
            (None, d) => d.and_then(Outcome::from_code),
        }
    }
}

/// The TT 26/2012 grade of complete scores (None under TT 19/2019 or with a score missing).
fn grade(schemas: &Schemas, rules: BdtxRules, scores: &[Option<f64>]) -> Option<Text> {
    if rules != BdtxRules::Tt26 || scores.is_empty() {
        return None;
    }
    let scores: Vec<f64> = scores.iter().copied().collect::<Option<Vec<f64>>>()?;
    let average = scores.iter().sum::<f64>() / scores.len() as f64;
    let lowest = scores.iter().copied().fold(f64::INFINITY, f64::min);
    schemas
        .rules
        .training
        .tt26
        .grades
        .iter()
        .find(|g| average >= g.min_average - 1e-9 && lowest >= g.min_content - 1e-9)
        .map(|g| g.code.as_str().into())
}
