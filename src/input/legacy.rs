//! Legacy Vietnamese font encodings still common in schools' files: TCVN3/ABC (.VnTime) and
//! VNI-Windows (VNI-Times). Excel shows such text as Latin-1 look-alikes ("Tr­êng TiÓu häc",
//! "Tröôøng Tieåu hoïc"); this module detects it per sheet and converts it to Unicode NFC.
//!
//! Detection scores each candidate decoding: characters that are not Vietnamese letters, and
//! syllables carrying more than one tone, count against it. A sheet is converted only when a
//! legacy decoding clearly beats the text as it is, so genuine Unicode ("Lê Thị Ánh") and
//! English are left alone.

use unicode_normalization::UnicodeNormalization;

/// A legacy encoding bdtx converts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Tcvn3,
    Vni,
}

impl Legacy {
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3 (.VnTime)",
            Legacy::Vni => "VNI-Windows (VNI-Times)",
        }
    }

    pub fn decode(self, s: &str) -> String {
        match self {
            Legacy::Tcvn3 => decode_tcvn3(s),
            Legacy::Vni => decode_vni(s),
        }
    }
}

// Combining marks: tones and the two hats.
const GRAVE: char = '\u{300}'; // huyền
const ACUTE: char = '\u{301}'; // sắc
const TILDE: char = '\u{303}'; // ngã
const HOOK: char = '\u{309}'; // hỏi
const DOT: char = '\u{323}'; // nặng
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31B}';
const TONES: [char; 5] = [GRAVE, HOOK, TILDE, ACUTE, DOT];

/// TCVN3 codes (as the Latin-1 characters Excel shows) of the lower-case letters, in the
/// standard's order: for each vowel its five tones huyền, hỏi, ngã, sắc, nặng.
const TCVN3_TONED: [(char, [char; 5]); 12] = [
    ('a', ['µ', '¶', '·', '¸', '¹']),
    ('ă', ['»', '¼', '½', '¾', 'Æ']),
    ('â', ['Ç', 'È', 'É', 'Ê', 'Ë']),
    ('e', ['Ì', 'Î', 'Ï', 'Ð', 'Ñ']),
    ('ê', ['Ò', 'Ó', 'Ô', 'Õ', 'Ö']),
    ('i', ['×', 'Ø', 'Ü', 'Ý', 'Þ']),
    ('o', ['ß', 'á', 'â', 'ã', 'ä']),
    ('ô', ['å', 'æ', 'ç', 'è', 'é']),
    ('ơ', ['ê', 'ë', 'ì', 'í', 'î']),
    ('u', ['ï', 'ñ', 'ò', 'ó', 'ô']),
    ('ư', ['õ', 'ö', '÷', 'ø', 'ù']),
    ('y', ['ú', 'û', 'ü', 'ý', 'þ']),
];
/// TCVN3 codes of the letters with a hat or horn but no tone, and đ; upper case first.
const TCVN3_PLAIN: [(char, char); 14] = [
    ('Ă', '¡'),
    ('Â', '¢'),
    ('Ê', '£'),
    ('Ô', '¤'),
    ('Ơ', '¥'),
    ('Ư', '¦'),
    ('Đ', '§'),
    ('ă', '¨'),
    ('â', '©'),
    ('ê', 'ª'),
    ('ô', '«'),
    ('ơ', '¬'),
    ('ư', '\u{AD}'),
    ('đ', '®'),
];

fn with_marks(base: char, marks: &[char]) -> char {
    std::iter::once(base)
        .chain(marks.iter().copied())
        .nfc()
        .next()
        .unwrap_or(base)
}

fn tcvn3_char(c: char) -> Option<char> {
    if let Some((letter, _)) = TCVN3_PLAIN.iter().find(|(_, code)| *code == c) {
        return Some(*letter);
    }
    for (vowel, codes) in TCVN3_TONED {
        if let Some(t) = codes.iter().position(|code| *code == c) {
            return Some(with_marks(vowel, &[TONES[t]]));
        }
    }
    None
}

/// TCVN3 text to Unicode. The font has no upper-case toned letters (titles use the upper-case
/// font .VnTimeH with the lower-case codes), so a word whose Latin letters are all capitals,
/// or a cell written all in capitals, is upper-cased.
///
/// ```
/// assert_eq!(bdtx::input::legacy::decode_tcvn3("Tr\u{AD}êng TiÓu häc"), "Trường Tiểu học");
/// assert_eq!(bdtx::input::legacy::decode_tcvn3("TR¦êNG THCS"), "TRƯỜNG THCS");
/// ```
pub fn decode_tcvn3(s: &str) -> String {
    let all_caps = caps_only(s);
    s.split(' ')
        .map(|word| {
            let decoded: String = word.chars().map(|c| tcvn3_char(c).unwrap_or(c)).collect();
            if all_caps || caps_only(word) {
                decoded.to_uppercase()
            } else {
                decoded
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// At least two ASCII letters, all capitals.
fn caps_only(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(char::is_ascii_alphabetic).collect();
    letters.len() >= 2 && letters.iter().all(char::is_ascii_uppercase)
}

/// VNI letters written as one character (lower, upper).
const VNI_LETTERS: [(char, char, char); 8] = [
    ('ö', 'Ö', 'ư'),
    ('ô', 'Ô', 'ơ'),
    ('ñ', 'Ñ', 'đ'),
    ('î', 'Î', 'ỵ'),
    ('í', 'Í', 'í'),
    ('ì', 'Ì', 'ì'),
    ('æ', 'Æ', 'ỉ'),
    ('ó', 'Ó', 'ĩ'),
];
const VNI_I_DOT: (char, char, char) = ('ò', 'Ò', 'ị');

/// VNI modifiers that follow a vowel (lower, upper, marks they add).
const VNI_MODIFIERS: [(char, char, &[char]); 17] = [
    ('â', 'Â', &[CIRCUMFLEX]),
    ('ê', 'Ê', &[BREVE]),
    ('ø', 'Ø', &[GRAVE]),
    ('û', 'Û', &[HOOK]),
    ('õ', 'Õ', &[TILDE]),
    ('ù', 'Ù', &[ACUTE]),
    ('ï', 'Ï', &[DOT]),
    ('à', 'À', &[CIRCUMFLEX, GRAVE]),
    ('å', 'Å', &[CIRCUMFLEX, HOOK]),
    ('ã', 'Ã', &[CIRCUMFLEX, TILDE]),
    ('á', 'Á', &[CIRCUMFLEX, ACUTE]),
    ('ä', 'Ä', &[CIRCUMFLEX, DOT]),
    ('è', 'È', &[BREVE, GRAVE]),
    ('ú', 'Ú', &[BREVE, HOOK]),
    ('ü', 'Ü', &[BREVE, TILDE]),
    ('é', 'É', &[BREVE, ACUTE]),
    ('ë', 'Ë', &[BREVE, DOT]),
];

fn vni_letter(c: char) -> Option<char> {
    VNI_LETTERS
        .iter()
        .chain(std::iter::once(&VNI_I_DOT))
        .find_map(|(lo, up, letter)| {
            if c == *lo {
                Some(*letter)
            } else if c == *up {
                letter.to_uppercase().next()
            } else {
                None
            }
        })
}

fn vni_modifier(c: char) -> Option<&'static [char]> {
    VNI_MODIFIERS
        .iter()
        .find(|(lo, up, _)| c == *lo || c == *up)
        .map(|(_, _, marks)| *marks)
}

fn is_vowel(c: char) -> bool {
    let base = c.to_lowercase().nfd().next().unwrap_or(c);
    matches!(base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// VNI-Windows text to Unicode: a modifier after a vowel adds its hat and tone to it.
///
/// ```
/// assert_eq!(bdtx::input::legacy::decode_vni("Tröôøng Tieåu hoïc"), "Trường Tiểu học");
/// assert_eq!(bdtx::input::legacy::decode_vni("Ñaø Naüng"), "Đà Nẵng");
/// ```
pub fn decode_vni(s: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        if let (Some(marks), Some(last)) = (vni_modifier(c), out.last().copied()) {
            if is_vowel(last) {
                let mut all: Vec<char> = last.to_string().nfd().collect();
                let base = all.remove(0);
                all.extend_from_slice(marks);
                *out.last_mut().unwrap_or(&mut ' ') = with_marks(base, &ordered(&all));
                continue;
            }
        }
        out.push(vni_letter(c).unwrap_or(c));
    }
    out.into_iter().collect()
}

/// Hats and horn before tones, as NFC composition expects.
fn ordered(marks: &[char]) -> Vec<char> {
    let mut v: Vec<char> = marks
        .iter()
        .copied()
        .filter(|m| !TONES.contains(m))
        .collect();
    v.extend(marks.iter().copied().filter(|m| TONES.contains(m)));
    v
}

/// Vietnamese letters that live in the Latin-1 block: genuine Unicode text uses these.
/// The Latin-1 characters that are Vietnamese letters: àáâãèéêìíòóôõùúý and capitals.
fn is_viet_latin1(c: char) -> bool {
    matches!(c, 'à'..='ã' | 'è'..='ê' | 'ì'..='í' | 'ò'..='õ' | 'ù'..='ú' | 'ý')
        || matches!(c, 'À'..='Ã' | 'È'..='Ê' | 'Ì'..='Í' | 'Ò'..='Õ' | 'Ù'..='Ú' | 'Ý')
}

/// How un-Vietnamese a text looks: Latin-1 characters that are no Vietnamese letter, plus
/// syllables with more than one tone. Zero for clean Vietnamese, ASCII and English.
pub fn oddness(s: &str) -> usize {
    // Plain ASCII has neither odd characters nor stacked tone marks.
    if s.is_ascii() {
        return 0;
    }
    let odd_chars = s
        .chars()
        .filter(|c| ('\u{80}'..='\u{FF}').contains(c) && !is_viet_latin1(*c))
        .count();
    let odd_words = s
        .split_whitespace()
        .filter(|w| !w.is_ascii() && tones(w) > 1)
        .count();
    odd_chars + odd_words
}

/// Tone marks in the canonical decomposition of `word`: the count `word.nfd()` would give,
/// without building the decomposed text (ASCII letters carry none).
fn tones(word: &str) -> usize {
    let mut count = 0;
    for c in word.chars().filter(|c| !c.is_ascii()) {
        unicode_normalization::char::decompose_canonical(c, |m| {
            count += usize::from(TONES.contains(&m));
        });
    }
    count
}

/// True when the text has letters only Unicode Vietnamese has (ă, đ, ơ, ư, ạ … ỹ): such a
/// cell is never legacy-encoded.
pub fn is_unicode_vietnamese(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{102}'..='\u{103}' | '\u{110}'..='\u{111}' | '\u{128}'..='\u{129}' | '\u{168}'..='\u{169}' | '\u{1A0}'..='\u{1B0}' | '\u{1EA0}'..='\u{1EF9}'))
}

/// The legacy encoding the texts of one sheet are written in, if any: the decoding that
/// removes at least half of the oddness (and at least two odd characters).
pub fn detect<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> Option<Legacy> {
    let before = odd_before(texts.clone());
    if before < 2 {
        return None;
    }
    [Legacy::Tcvn3, Legacy::Vni]
        .into_iter()
        .map(|enc| (odd_after(enc, texts.clone()), enc))
        .filter(|(after, _)| after * 2 <= before)
        .min_by_key(|(after, enc)| (*after, *enc == Legacy::Vni))
        .map(|(_, enc)| enc)
}

/// The texts that could be legacy-encoded: plain ASCII decodes to itself and is never odd,
/// and Unicode Vietnamese is never legacy (skipped before the slower checks).
fn legacy_cells<'a>(texts: impl Iterator<Item = &'a str>) -> impl Iterator<Item = &'a str> {
    texts.filter(|t| !t.is_ascii() && !is_unicode_vietnamese(t))
}

/// Oddness of the texts as they are.
fn odd_before<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    legacy_cells(texts).map(oddness).sum()
}

/// Oddness of the texts decoded as `enc`.
fn odd_after<'a>(enc: Legacy, texts: impl Iterator<Item = &'a str>) -> usize {
    legacy_cells(texts).map(|t| oddness(&enc.decode(t))).sum()
}

/// Whether texts too few for `detect` to judge on their own (a two-line information sheet, a
/// tab name) read better in `enc`, the encoding found in the rest of their workbook: some
/// oddness, and decoding removes at least half of it.
pub fn fits<'a>(enc: Legacy, texts: impl Iterator<Item = &'a str> + Clone) -> bool {
    let before = odd_before(texts.clone());
    before > 0 && odd_after(enc, texts) * 2 <= before
}

/// Converts one cell of a sheet detected as `enc`; genuine Unicode cells stay as they are.
pub fn convert_cell(enc: Legacy, s: &str) -> String {
    if is_unicode_vietnamese(s) {
        s.to_string()
    } else {
        enc.decode(s).nfc().collect()
    }
}

/// Encoders for tests and fixtures: the inverse of the decoders above.
pub mod encode {
    use super::*;

    fn split(letter: char) -> (char, Vec<char>) {
        let mut d: Vec<char> = letter.to_string().nfd().collect();
        let base = d.remove(0);
        (base, d)
    }

    /// A Unicode Vietnamese letter in TCVN3 (upper-case toned letters use the lower-case codes).
    pub fn tcvn3(letter: char) -> char {
        if let Some((_, code)) = TCVN3_PLAIN.iter().find(|(l, _)| *l == letter) {
            return *code;
        }
        let lower = letter.to_lowercase().next().unwrap_or(letter);
        let (base, marks) = split(lower);
        let tone = marks
            .iter()
            .position(|m| TONES.contains(m))
            .map(|i| marks[i]);
        let hats: Vec<char> = marks
            .iter()
            .copied()
            .filter(|m| !TONES.contains(m))
            .collect();
        let vowel = with_marks(base, &hats);
        match (tone, TCVN3_TONED.iter().find(|(v, _)| *v == vowel)) {
            (Some(t), Some((_, codes))) => codes[TONES.iter().position(|x| *x == t).unwrap_or(0)],
            _ => letter,
        }
    }

    /// A Unicode Vietnamese letter in VNI: one or two characters.
    pub fn vni(letter: char) -> String {
        let upper = letter.is_uppercase();
        let pick = |lo: char, up: char| if upper { up } else { lo };
        let lower = letter.to_lowercase().next().unwrap_or(letter);
        if let Some((lo, up, _)) = VNI_LETTERS
            .iter()
            .chain(std::iter::once(&VNI_I_DOT))
            .find(|(_, _, l)| *l == lower)
        {
            return pick(*lo, *up).to_string();
        }
        let (base, marks) = split(lower);
        let (base, marks): (char, Vec<char>) = match (base, marks.first()) {
            ('u' | 'o', Some(&HORN)) => (if base == 'u' { 'ư' } else { 'ơ' }, marks[1..].to_vec()),
            _ => (base, marks),
        };
        let head = vni_letter_code(base, upper);
        if marks.is_empty() {
            return head;
        }
        let (lo, up, _) = VNI_MODIFIERS
            .iter()
            .find(|(_, _, m)| ordered(m) == ordered(&marks))
            .copied()
            .unwrap_or((' ', ' ', &[]));
        format!("{head}{}", pick(lo, up))
    }

    fn vni_letter_code(base: char, upper: bool) -> String {
        match base {
            'ư' => if upper { "Ö" } else { "ö" }.to_string(),
            'ơ' => if upper { "Ô" } else { "ô" }.to_string(),
            b if upper => b.to_uppercase().collect(),
            b => b.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every precomposed Vietnamese letter: 12 vowels with 5 tones, the 6 hatted/horned vowels
    /// without tone, both cases (132), plus đ and Đ.
    fn all_letters() -> Vec<char> {
        let mut v = Vec::new();
        for vowel in ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'] {
            for t in TONES {
                v.push(with_marks(vowel, &[t]));
            }
            if !vowel.is_ascii() {
                v.push(vowel);
            }
        }
        let upper: Vec<char> = v.iter().map(|c| c.to_uppercase().next().unwrap()).collect();
        v.extend(upper);
        v.extend(['đ', 'Đ']);
        v
    }

    #[test]
    fn there_are_134_letters() {
        let letters = all_letters();
        assert_eq!(letters.len(), 134);
        assert!(letters
            .iter()
            .all(|c| c.to_string().nfc().count() == 1 && !c.is_ascii()));
    }

    #[test]
    fn viet_latin1_letters() {
        let letters = "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ";
        for c in '\u{80}'..='\u{FF}' {
            assert_eq!(is_viet_latin1(c), letters.contains(c), "{c}");
        }
    }

    #[test]
    fn tone_count_is_that_of_the_decomposed_word() {
        let words = [
            "Tiểu",
            "hoïc",
            "Tröôøng",
            "ấ\u{301}",
            "u\u{303}\u{301}",
            "\u{1E4D}",
            "\u{1E79}x\u{1EA5}",
            "Gi¸o",
        ];
        let letters = all_letters()
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>();
        for word in words
            .iter()
            .copied()
            .chain(letters.iter().map(String::as_str))
        {
            let expected = word.nfd().filter(|m| TONES.contains(m)).count();
            assert_eq!(tones(word), expected, "{word:?}");
        }
        assert_eq!(tones("\u{1E4D}"), 2);
    }

    #[test]
    fn tcvn3_round_trips_every_letter() {
        for letter in all_letters() {
            // Upper-case toned letters share codes with lower case: the word's case decides.
            let (pre, post) = if letter.is_uppercase() {
                ("X", "Y")
            } else {
                ("x", "y")
            };
            let encoded = format!("{pre}{}{post}", encode::tcvn3(letter));
            assert_eq!(
                decode_tcvn3(&encoded),
                format!("{pre}{letter}{post}"),
                "letter {letter}"
            );
        }
    }

    #[test]
    fn vni_round_trips_every_letter() {
        for letter in all_letters() {
            let encoded = format!("x{}", encode::vni(letter));
            assert_eq!(
                decode_vni(&encoded),
                format!("x{letter}"),
                "letter {letter} as {encoded:?}"
            );
        }
    }

    #[test]
    fn detects_each_encoding_and_leaves_unicode_alone() {
        let tcvn3 = [
            "Tr\u{AD}êng TiÓu häc Kim §ång",
            "NguyÔn ThÞ Hoa",
            "Gi¸o viªn",
        ];
        assert_eq!(detect(tcvn3.iter().copied()), Some(Legacy::Tcvn3));
        let vni = [
            "Tröôøng Tieåu hoïc Kim Ñoàng",
            "Nguyeãn Thò Hoa",
            "Giaùo vieân",
        ];
        assert_eq!(detect(vni.iter().copied()), Some(Legacy::Vni));
        let unicode = [
            "Lê Thị Ánh",
            "Trường Tiểu học Kim Đồng",
            "Hoàng Văn Tú",
            "Phó hiệu trưởng",
        ];
        assert_eq!(detect(unicode.iter().copied()), None);
        let english = ["Teacher list", "Name", "Date of birth", "café"];
        assert_eq!(detect(english.iter().copied()), None);
        assert_eq!(convert_cell(Legacy::Tcvn3, "Lê Thị Ánh"), "Lê Thị Ánh");
        assert_eq!(
            convert_cell(Legacy::Vni, "Nguyeãn Thò Hoa"),
            "Nguyễn Thị Hoa"
        );
    }
}
