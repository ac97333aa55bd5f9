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

    /// The registry schools whose names are closest to a file no school was found for: for
    /// each of a school's name words (stop words aside), how alike the closest word of the
    /// file's name and texts is (letter pairs in common, so "Dongg" is near "Đồng"), averaged;
    /// best first, at most `n`, only those with some likeness. For the officer to rename the
    /// file or add the code: never used to attribute it.
    pub fn closest(&self, identity: &[String], stem: &str, n: usize) -> Vec<(&'a School, f64)> {
        let words: std::collections::HashSet<String> = identity
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(stem))
            .flat_map(|t| {
                fold(t)
                    .split_whitespace()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut scored: Vec<(usize, f64)> = self
            .cores
            .iter()
            .enumerate()
            .filter(|(_, core)| !core.is_empty())
            .map(|(i, core)| {
                let alike = |w: &String| words.iter().map(|v| likeness(w, v)).fold(0.0, f64::max);
                (i, core.iter().map(alike).sum::<f64>() / core.len() as f64)
            })
            .filter(|&(_, score)| score > 0.3)
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
            .into_iter()
            .take(n)
            .map(|(i, score)| (&self.schools[i], score))
            .collect()
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

/// How alike two folded words are: 1 when equal, else the Dice coefficient of their letter
/// pairs ("dongg" and "dong": 0.86), 0 for words of one letter that differ.
fn likeness(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let pairs = |w: &str| -> Vec<(char, char)> {
        let c: Vec<char> = w.chars().collect();
        c.windows(2).map(|p| (p[0], p[1])).collect()
    };
    let (pa, mut pb) = (pairs(a), pairs(b));
    if pa.is_empty() || pb.is_empty() {
        return 0.0;
    }
    let total = pa.len() + pb.len();
    let mut common = 0;
    for p in &pa {
        if let Some(k) = pb.iter().position(|q| q == p) {
            pb.swap_remove(k);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
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
