//! Decides which registry school a workbook belongs to: a school code found in the workbook,
//! else a school name in its "Thông tin trường" sheet or title rows, else its file name.
//! Names are compared folded and without the words in `[school_match].stop_words`.
//! A file that matches no school, or several, is reported, never guessed.

use crate::domain::model::School;
use crate::domain::schema::Schemas;
use crate::domain::text::{contains_words, fold, lower};
use std::collections::{BTreeSet, HashMap};

/// The outcome of matching one workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribution {
    School(String),
    Unmatched,
    Ambiguous(Vec<String>),
}

/// Matches texts against the registry. Built once per run; each lookup costs a few hash
/// probes per word of text, whatever the size of the registry.
pub struct SchoolMatcher<'a> {
    schools: &'a [School],
    /// Folded school code → school.
    by_code: HashMap<String, usize>,
    /// Core name, words joined by one space → schools with that core name.
    by_core: HashMap<String, Vec<usize>>,
    /// The most words a core name has.
    longest_core: usize,
    /// Core name (folded, stop words removed) of each school, as words.
    cores: Vec<Vec<String>>,
    stop_words: Vec<String>,
    ignore_starts: Vec<String>,
    level_words: Vec<(String, Vec<String>)>,
}

impl<'a> SchoolMatcher<'a> {
    pub fn new(schools: &'a [School], schemas: &Schemas) -> Self {
        let m = &schemas.rules.school_match;
        let mut stop_words: Vec<String> = m.stop_words.iter().map(|w| fold(w)).collect();
        // Remove longer phrases first ("tieu hoc" before "th").
        stop_words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let mut matcher = SchoolMatcher {
            schools,
            by_code: schools
                .iter()
                .enumerate()
                .map(|(i, s)| (fold(&s.code), i))
                .collect(),
            by_core: HashMap::new(),
            longest_core: 0,
            cores: Vec::new(),
            stop_words,
            ignore_starts: Schemas::lower_list(&m.ignore_lines_starting),
            level_words: m
                .level_words
                .iter()
                .map(|(k, v)| (k.clone(), v.iter().map(|w| fold(w)).collect()))
                .collect(),
        };
        matcher.cores = schools.iter().map(|s| matcher.core(&s.name)).collect();
        for (i, core) in matcher.cores.iter().enumerate() {
            if !core.is_empty() {
                matcher.by_core.entry(core.join(" ")).or_default().push(i);
                matcher.longest_core = matcher.longest_core.max(core.len());
            }
        }
        matcher
    }

    /// The words of a folded name without stop words: "Trường TH Kim Đồng" → ["kim", "dong"].
    fn core(&self, text: &str) -> Vec<String> {
        let mut t = format!(" {} ", fold(text));
        for w in &self.stop_words {
            t = t.replace(&format!(" {w} "), " ");
        }
        t.split_whitespace().map(str::to_string).collect()
    }

    /// Attributes a workbook from its identity texts (info sheet and title rows), falling back
    /// to its file name (without extension).
    pub fn attribute(&self, texts: &[String], file_stem: &str) -> Attribution {
        let texts: Vec<&str> = texts
            .iter()
            .filter(|t| {
                let t = lower(t);
                !self.ignore_starts.iter().any(|p| t.starts_with(p.as_str()))
            })
            .map(String::as_str)
            .collect();
        for source in [texts, vec![file_stem]] {
            let codes: BTreeSet<usize> = source.iter().flat_map(|t| self.codes_in(t)).collect();
            if let Some(found) = self.decide(codes) {
                return found;
            }
            let names: BTreeSet<usize> = source.iter().flat_map(|t| self.names_in(t)).collect();
            if let Some(found) = self.decide(names) {
                return found;
            }
        }
        Attribution::Unmatched
    }

    fn decide(&self, found: BTreeSet<usize>) -> Option<Attribution> {
        match found.len() {
            0 => None,
            1 => found
                .first()
                .map(|&i| Attribution::School(self.schools[i].code.clone())),
            _ => Some(Attribution::Ambiguous(
                found
                    .iter()
                    .map(|&i| self.schools[i].code.clone())
                    .collect(),
            )),
        }
    }

    fn codes_in(&self, text: &str) -> Vec<usize> {
        fold(text)
            .split(' ')
            .filter_map(|w| self.by_code.get(w).copied())
            .collect()
    }

    /// Schools whose core name appears in `text` as whole words; when a longer name contains a
    /// shorter one the longer wins, and a level word in the text ("THCS") settles same-name schools.
    fn names_in(&self, text: &str) -> Vec<usize> {
        let words = self.core(text);
        let mut hits: Vec<usize> = Vec::new();
        // Every run of words is looked up whole: the cost does not grow with the registry,
        // even where thousands of schools share a first word.
        for start in 0..words.len() {
            let mut run = String::new();
            for word in words[start..].iter().take(self.longest_core) {
                if !run.is_empty() {
                    run.push(' ');
                }
                run.push_str(word);
                for &i in self.by_core.get(&run).into_iter().flatten() {
                    if !hits.contains(&i) {
                        hits.push(i);
                    }
                }
            }
        }
        let longest = hits.iter().map(|&i| self.cores[i].len()).max().unwrap_or(0);
        hits.retain(|&i| self.cores[i].len() == longest);
        if hits.len() > 1 {
            let folded = fold(text);
            let by_level: Vec<usize> = hits
                .iter()
                .copied()
                .filter(|&i| self.level_named(&folded, &self.schools[i].level))
                .collect();
            if !by_level.is_empty() {
                hits = by_level;
            }
        }
        hits
    }

    fn level_named(&self, folded: &str, level: &str) -> bool {
        self.level_words
            .iter()
            .filter(|(l, _)| l == level)
            .flat_map(|(_, ws)| ws)
            .any(|w| contains_words(folded, w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_by_code_name_and_level() {
        let s = Schemas::load(None).unwrap();
        let schools = vec![
            School::new("TH001", "Trường Tiểu học Kim Đồng", "tieu_hoc"),
            School::new("TH002", "Trường TH Lê Lợi", "tieu_hoc"),
            School::new("THCS01", "Trường THCS Lê Lợi", "thcs"),
        ];
        let m = SchoolMatcher::new(&schools, &s);
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            m.attribute(&t(&["TRƯỜNG TIỂU HỌC KIM ĐỒNG"]), "x.xlsx"),
            Attribution::School("TH001".into())
        );
        assert_eq!(
            m.attribute(&t(&["Mã trường: THCS01"]), "x.xlsx"),
            Attribution::School("THCS01".into())
        );
        assert_eq!(
            m.attribute(&t(&["TRƯỜNG THCS LÊ LỢI"]), "x.xlsx"),
            Attribution::School("THCS01".into())
        );
        assert_eq!(
            m.attribute(&t(&["Trường Tiểu học Lê Lợi"]), "x.xlsx"),
            Attribution::School("TH002".into())
        );
        assert_eq!(
            m.attribute(&t(&["Lê Lợi"]), "x.xlsx"),
            Attribution::Ambiguous(vec!["TH002".into(), "THCS01".into()])
        );
        assert_eq!(
            m.attribute(&[], "kim_dong_2025"),
            Attribution::School("TH001".into())
        );
        assert_eq!(
            m.attribute(&t(&["PHÒNG GD&ĐT HUYỆN KIM ĐỒNG"]), "bao_cao.xlsx"),
            Attribution::Unmatched
        );
    }
}
