//! Text helpers shared by every stage: Unicode cleaning, the folded form used for
//! matching, Vietnamese name casing and Excel column letters.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFC, with runs of whitespace (including line breaks and non-breaking spaces)
/// collapsed to one space and the ends trimmed.
///
/// ```
/// assert_eq!(bdtx::domain::text::clean("  Nguyễn\u{a0}\n Văn   An "), "Nguyễn Văn An");
/// assert_eq!(bdtx::domain::text::clean("Nguyễn Văn An"), "Nguyễn Văn An");
/// assert_eq!(bdtx::domain::text::clean("Nguyễn  Văn"), "Nguyễn Văn");
/// assert_eq!(bdtx::domain::text::clean(" "), "");
/// ```
pub fn clean(s: &str) -> String {
    clean_cow(s).into_owned()
}

/// `clean`, borrowing `s` when it is clean already (most cells are).
///
/// ```
/// use std::borrow::Cow;
/// assert!(matches!(bdtx::domain::text::clean_cow("Lê Thị Ánh"), Cow::Borrowed("Lê Thị Ánh")));
/// assert_eq!(bdtx::domain::text::clean_cow(" Lê  Thị "), "Lê Thị");
/// assert_eq!(bdtx::domain::text::clean_cow("Lê\u{0}Thị"), "Lê Thị");
/// ```
pub fn clean_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // Most cells: one pass over the text, nothing to change.
    if is_clean_latin(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    // Most cells are already NFC: composing them again is the slow part.
    // Precomposed Latin letters with no combining mark are NFC already: skip the tables.
    let composed: std::borrow::Cow<str> =
        if is_precomposed_latin(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
            std::borrow::Cow::Borrowed(s)
        } else {
            std::borrow::Cow::Owned(s.nfc().collect())
        };
    // Most cells are spaced cleanly already: no splitting.
    if is_single_spaced(&composed) && !composed.chars().any(char::is_control) {
        return composed;
    }
    let mut out = String::with_capacity(s.len());
    // Control characters ("_x0000_" escapes) are no text a person sees: dropped.
    for word in composed.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}

/// Precomposed Latin in words separated by single plain spaces, with no whitespace at
/// either end: `clean` would return it as it is.
fn is_clean_latin(s: &str) -> bool {
    is_single_spaced_with(s, |c| is_precomposed_latin_char(c) && !c.is_control())
}

/// Words separated by single plain spaces, with no whitespace at either end.
fn is_single_spaced(s: &str) -> bool {
    is_single_spaced_with(s, |_| true)
}

/// `is_single_spaced`, with every other character passing `letter`; one pass over `s`.
fn is_single_spaced_with(s: &str, letter: impl Fn(char) -> bool) -> bool {
    let mut after_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if c != ' ' || after_space {
                return false;
            }
            after_space = true;
        } else if letter(c) {
            after_space = false;
        } else {
            return false;
        }
    }
    !after_space
}

/// Latin text with no combining mark (every character below U+0300 or a precomposed
/// Vietnamese letter): NFC already, with no table lookups.
fn is_precomposed_latin(s: &str) -> bool {
    s.chars().all(is_precomposed_latin_char)
}

fn is_precomposed_latin_char(c: char) -> bool {
    c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// True when `s` is empty or only whitespace: `s.trim().is_empty()`, stopping at the first
/// visible character instead of trimming both ends.
///
/// ```
/// assert!(bdtx::domain::text::is_blank(" \u{a0}\n") && !bdtx::domain::text::is_blank(" Lê "));
/// ```
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Lower case with diacritics kept, cleaned: the form row markers are compared in.
pub fn lower(s: &str) -> String {
    clean(s).to_lowercase()
}

/// The matching key: lower case, no diacritics, "đ" as "d", dots removed ("Th.S" = "ThS"),
/// every other non-alphanumeric character a word break, words joined by one space.
///
/// ```
/// assert_eq!(bdtx::domain::text::fold("ĐHSP  Toán-Tin"), "dhsp toan tin");
/// assert_eq!(bdtx::domain::text::fold("Th.S"), "ths");
/// assert_eq!(bdtx::domain::text::fold("Số buổi/ngày"), "so buoi ngay");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = Folded {
        text: String::with_capacity(s.len()),
        pending_space: false,
    };
    let latin = latin_bases();
    for c in s.chars() {
        // Most text is ASCII: no case mapping tables, no decomposition.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.letter(c.to_ascii_lowercase());
            } else {
                out.other(c);
            }
            continue;
        }
        // Vietnamese letters: one table lookup instead of case and decomposition tables.
        if let Some(&base) = (c as usize)
            .checked_sub(LATIN_FIRST)
            .and_then(|i| latin.get(i))
        {
            if base != '\0' {
                out.letter(base);
                continue;
            }
        }
        // Lower-case first: some capitals lower-case to a letter plus a combining mark ("İ").
        for l in c.to_lowercase() {
            // NFD text (files saved on macOS) carries its diacritics as separate marks.
            if is_mark(l) {
                continue;
            }
            let base = match base_letter(l) {
                'đ' | 'Đ' => 'd',
                other => other,
            };
            for b in base.to_lowercase().filter(|b| !is_mark(*b)) {
                if b.is_alphanumeric() {
                    out.letter(b);
                } else {
                    out.other(b);
                }
            }
        }
    }
    out.text
}

/// The school year a line names ("NĂM HỌC 2024 - 2025", "Năm học: 2024-2025"), as
/// "2024-2025"; None when it names none or two years that do not follow each other.
///
/// ```
/// use bdtx::domain::text::school_year_in;
/// assert_eq!(school_year_in("DANH SÁCH CB, GV, NV NĂM HỌC 2024 - 2025"), Some("2024-2025".into()));
/// assert_eq!(school_year_in("Năm học: 2023–2024"), Some("2023-2024".into()));
/// assert_eq!(school_year_in("Năm 2024-2026"), None);
/// ```
pub fn school_year_in(line: &str) -> Option<String> {
    let folded = fold(line);
    let at = folded.find("nam hoc")?;
    let digits: Vec<i32> = folded[at..]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse().ok())
        .take(2)
        .collect();
    match digits[..] {
        [a, b] if b == a + 1 => Some(format!("{a}-{b}")),
        _ => None,
    }
}

/// The text `fold` builds: words of letters and digits, one space between them.
struct Folded {
    text: String,
    /// A word break was seen since the last letter.
    pending_space: bool,
}

impl Folded {
    /// Appends a letter or digit, after a space if a word break came before it.
    #[inline]
    fn letter(&mut self, c: char) {
        if self.pending_space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.text.push(c);
    }

    /// Any other character breaks the word, except the dots and apostrophes of
    /// abbreviations ("Th.S").
    #[inline]
    fn other(&mut self, c: char) {
        if !matches!(c, '.' | '\'' | '’') {
            self.pending_space = true;
        }
    }
}

const LATIN_FIRST: usize = 0xC0;
const LATIN_LAST: usize = 0x1EFF;

/// For each character of U+00C0–U+1EFF, the folded letter it stands for ("Ệ" → 'e'), or '\0'
/// where the slow path must decide (several letters, marks, non-letters). Built once.
fn latin_bases() -> &'static [char] {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (LATIN_FIRST..=LATIN_LAST)
            .map(|u| {
                let Some(c) = char::from_u32(u as u32) else {
                    return '\0';
                };
                let mut lower = c.to_lowercase();
                let (Some(l), None) = (lower.next(), lower.next()) else {
                    return '\0';
                };
                if is_mark(l) || !l.is_alphanumeric() {
                    return '\0';
                }
                let base = match base_letter(l) {
                    'đ' | 'Đ' => 'd',
                    other => other,
                };
                let mut b = base.to_lowercase();
                match (b.next(), b.next()) {
                    (Some(x), None) if x.is_alphanumeric() && !is_mark(x) => x,
                    _ => '\0',
                }
            })
            .collect()
    })
}

/// A combining mark, answered without a table lookup for the Latin and Vietnamese blocks.
fn is_mark(c: char) -> bool {
    match c {
        '\u{0}'..='\u{2FF}' | '\u{1E00}'..='\u{1EFF}' => false,
        '\u{300}'..='\u{36F}' => true,
        _ => is_combining_mark(c),
    }
}

/// The letter under a character's diacritics: "ệ" → "e".
fn base_letter(c: char) -> char {
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() {
            base = Some(d);
        }
    });
    base.unwrap_or(c)
}

/// True when the words of `needle` appear as whole consecutive words in `hay` (both folded).
pub fn contains_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let padded = format!(" {hay} ");
    padded.contains(&format!(" {needle} "))
}

/// A person's name as the report shows it: cleaned, each word capitalised, the rest lower case.
///
/// ```
/// assert_eq!(bdtx::domain::text::title_case_name("NGUYỄN thị  ánh"), "Nguyễn Thị Ánh");
/// ```
pub fn title_case_name(s: &str) -> String {
    let cleaned = clean_cow(s);
    let mut titled = String::with_capacity(cleaned.len());
    for (i, w) in cleaned.split(' ').enumerate() {
        if i > 0 {
            titled.push(' ');
        }
        let mut chars = w.chars();
        let Some(first) = chars.next() else {
            continue;
        };
        // Keep letters whose capital is several letters ("ß" → "SS") as they are.
        let mut upper = first.to_uppercase();
        match (upper.next(), upper.next()) {
            (Some(u), None) => titled.push(u),
            _ => titled.push(first),
        }
        for c in chars {
            // Most letters of a name are ASCII: no case table for them.
            if c.is_ascii() {
                titled.push(c.to_ascii_lowercase());
            } else {
                titled.extend(c.to_lowercase());
            }
        }
    }
    // Changing case can make a letter and a following mark composable ("I" + U+0307).
    if is_precomposed_latin(&titled) {
        titled
    } else {
        titled.nfc().collect()
    }
}

/// Excel column letters for a 0-based column index: 0 → "A", 27 → "AB".
///
/// ```
/// assert_eq!(bdtx::domain::text::column_letter(0), "A");
/// assert_eq!(bdtx::domain::text::column_letter(27), "AB");
/// ```
pub fn column_letter(index: u32) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Fills `{name}` placeholders in a message template.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_handles_nfd_and_case() {
        let nfd: String = "Trường Tiểu học".nfd().collect();
        assert_eq!(fold(&nfd), "truong tieu hoc");
        assert_eq!(fold("TRƯỜNG TIỂU HỌC"), "truong tieu hoc");
        assert_eq!(fold("P.HT"), "pht");
    }

    #[test]
    fn word_matching_respects_boundaries() {
        assert!(contains_words("truong th kim dong", "kim dong"));
        assert!(!contains_words("truong th kim dongg", "kim dong"));
    }

    #[test]
    fn clean_keeps_only_single_inner_spaces() {
        let cases = [
            ("Lê Thị Ánh", "Lê Thị Ánh"),
            ("Lê  Thị", "Lê Thị"),
            (" Lê", "Lê"),
            ("Lê ", "Lê"),
            ("Lê\tThị", "Lê Thị"),
            ("Lê\u{a0}Thị", "Lê Thị"),
            ("Lê\u{3000}Thị", "Lê Thị"),
            ("", ""),
            ("\n", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(clean(raw), want, "{raw:?}");
        }
        assert!(is_blank(" \u{a0}\t") && !is_blank(" x "));
    }

    #[test]
    fn clean_makes_nfc() {
        let nfd: String = "Lê Thị Ánh".nfd().collect();
        assert_eq!(clean(&nfd), "Lê Thị Ánh");
    }
}
