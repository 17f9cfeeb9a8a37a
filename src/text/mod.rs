//! Text analysis shared by the annotator, the index and the query builder, so that a word is
//! analysed identically wherever it is met: unicode word segmentation, lowercasing, Snowball
//! stemming (rust-stemmers) for es/en/fr/pt, then accent folding, in that order (stemming after
//! folding would break the Spanish and French stemmers, which key on accented suffixes).
//!
//! Not for: tokenising query syntax (quotes, `-term`, OR); that lives in `search::query`.

mod language;

pub use language::Language;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::{Arc, OnceLock};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// One analysed word with its byte span in the original text (for evidence and highlighting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lowercased, stemmed, accent-folded form: what is indexed and compared. Shared with the
    /// per-thread memo, so a repeated word costs no allocation.
    pub term: Arc<str>,
    pub start: usize,
    pub end: usize,
}

fn stemmer(lang: Language) -> &'static Stemmer {
    static STEMMERS: OnceLock<[Stemmer; 4]> = OnceLock::new();
    let all = STEMMERS.get_or_init(|| {
        [
            Stemmer::create(Algorithm::Spanish),
            Stemmer::create(Algorithm::English),
            Stemmer::create(Algorithm::French),
            Stemmer::create(Algorithm::Portuguese),
        ]
    });
    &all[lang.index()]
}

/// Removes diacritics and folds ligatures: `detención` -> `detencion`, `œuvre` -> `oeuvre`.
pub fn fold(s: &str) -> String {
    // Most words are ASCII: nothing to fold.
    if s.is_ascii() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        fold_char(ch, &mut out);
    }
    out
}

/// Appends the folded form of one character (nothing for a combining mark, two letters for a
/// ligature).
pub fn fold_char(ch: char, out: &mut String) {
    // The accented letters of es/fr/pt, folded directly; anything else by decomposition.
    let direct = match ch {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => Some('a'),
        'é' | 'è' | 'ê' | 'ë' => Some('e'),
        'í' | 'ì' | 'î' | 'ï' => Some('i'),
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => Some('o'),
        'ú' | 'ù' | 'û' | 'ü' => Some('u'),
        'ñ' => Some('n'),
        'ç' => Some('c'),
        'ý' | 'ÿ' => Some('y'),
        'Á' | 'À' | 'Â' | 'Ã' | 'Ä' | 'Å' => Some('A'),
        'É' | 'È' | 'Ê' | 'Ë' => Some('E'),
        'Í' | 'Ì' | 'Î' | 'Ï' => Some('I'),
        'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => Some('O'),
        'Ú' | 'Ù' | 'Û' | 'Ü' => Some('U'),
        'Ñ' => Some('N'),
        'Ç' => Some('C'),
        c if c.is_ascii() => Some(c),
        _ => None,
    };
    if let Some(c) = direct {
        out.push(c);
        return;
    }
    for c in std::iter::once(ch).nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '’' | 'ʼ' => out.push('\''),
            _ => out.push(c),
        }
    }
}

/// Lowercased, folded words of a text, each between single spaces (`" los consules deberan "`),
/// in one pass: the form cue phrases are matched against. Apostrophes and hyphens stay in words.
pub fn folded_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut buf = String::new();
    let mut in_word = false;
    let mut push = |f: char, out: &mut String| {
        if f.is_alphanumeric() || f == '\'' || f == '-' {
            if !in_word {
                out.push(' ');
            }
            out.push(f);
            in_word = true;
        } else {
            in_word = false;
        }
    };
    for ch in text.chars() {
        // ASCII, most of every text, needs neither lowercase tables nor folding
        if ch.is_ascii() {
            push(ch.to_ascii_lowercase(), &mut out);
            continue;
        }
        buf.clear();
        for l in ch.to_lowercase() {
            fold_char(l, &mut buf);
        }
        for f in buf.chars() {
            push(f, &mut out);
        }
    }
    out.push(' ');
    out
}

/// Lowercase then fold: the comparison form of labels, keys and metadata.
pub fn fold_lower(s: &str) -> String {
    fold(&s.to_lowercase())
}

/// Analyses one already-lowercased word: stem, then fold.
pub fn analyse_word(word_lower: &str, lang: Language) -> String {
    if word_lower.chars().any(|c| c.is_ascii_digit()) {
        return fold(word_lower);
    }
    if let Some(prep) = contraction(word_lower, lang) {
        return prep.to_string();
    }
    // French elisions (l'adhésion, d'un) are split so the noun stems as itself.
    let w = match word_lower.find(['\'', '’']) {
        Some(i) if i <= 2 && lang == Language::Fr => {
            &word_lower[i + word_lower[i..].chars().next().map_or(1, |c| c.len_utf8())..]
        }
        _ => word_lower,
    };
    fold(&stemmer(lang).stem(w))
}

/// A preposition contracted with an article ("do" = de + o, "nas" = em + as, "del" = de + el)
/// is read as the preposition alone, so that a descriptor written "registro de nascimento"
/// meets "registro do nascimento" and "assistência a brasileiros" meets "aos brasileiros".
fn contraction(word_lower: &str, lang: Language) -> Option<&'static str> {
    match lang {
        Language::Pt => match word_lower {
            "do" | "da" | "dos" | "das" | "dum" | "duma" => Some("de"),
            "no" | "na" | "nos" | "nas" | "num" | "numa" => Some("em"),
            "ao" | "aos" | "à" | "às" => Some("a"),
            "pelo" | "pela" | "pelos" | "pelas" => Some("por"),
            _ => None,
        },
        Language::Es => match word_lower {
            "del" => Some("de"),
            "al" => Some("a"),
            _ => None,
        },
        _ => None,
    }
}

/// One language's stem memo of one thread: `analyse_word` remembered, since legal texts
/// repeat a small vocabulary and stemming is the costliest step of analysis. Bounded: cleared
/// when it grows past `MEMO_MAX` words.
struct Memo(rustc_hash::FxHashMap<String, Arc<str>>);

impl Memo {
    fn get(&mut self, word_lower: &str, lang: Language) -> Arc<str> {
        const MEMO_MAX: usize = 200_000;
        if let Some(t) = self.0.get(word_lower) {
            return t.clone();
        }
        let t: Arc<str> = analyse_word(word_lower, lang).into();
        if self.0.len() >= MEMO_MAX {
            self.0.clear();
        }
        self.0.insert(word_lower.to_string(), t.clone());
        t
    }
}

/// Runs `f` with this thread's memo for `lang` (borrowed once for a whole text, not per word).
fn with_memo<R>(lang: Language, f: impl FnOnce(&mut Memo) -> R) -> R {
    use std::cell::RefCell;
    thread_local! {
        static MEMO: RefCell<[Memo; 4]> = RefCell::new(std::array::from_fn(|_| Memo(Default::default())));
    }
    MEMO.with(|m| f(&mut m.borrow_mut()[lang.index()]))
}

/// The words of a text with their byte offsets: exactly `unicode_word_indices` (UAX #29),
/// computed directly for runs of ASCII, which are most of every text and where the rules
/// reduce to a few cases, and by unicode-segmentation for everything else. Word boundaries
/// always fall at white space, so the text is cut there first.
pub fn word_indices(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let b = text.as_bytes();
    let mut out: Vec<(usize, &str)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut ascii = true;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            ascii &= b[i] < 0x80;
            i += 1;
        }
        let chunk = &text[start..i];
        if ascii {
            ascii_words(chunk, start, &mut out);
        } else {
            out.extend(chunk.unicode_word_indices().map(|(o, w)| (start + o, w)));
        }
    }
    out.into_iter()
}

/// UAX #29 words of an ASCII chunk without white space: letters and digits run together
/// (WB9, WB10), "_" joins (WB13a/b), a letter-"."/"'"/":"-letter (WB6, WB7) and a
/// digit-"."/"'"/","/";"-digit (WB11, WB12) stay one word.
fn ascii_words<'a>(chunk: &'a str, offset: usize, out: &mut Vec<(usize, &'a str)>) {
    let b = chunk.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        if !word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < b.len() && word(b[i]) {
                i += 1;
            }
            // a middle character joins when the same kind of character is on both sides
            if i + 1 < b.len() {
                let (prev, mid, next) = (b[i - 1], b[i], b[i + 1]);
                let letters = prev.is_ascii_alphabetic()
                    && next.is_ascii_alphabetic()
                    && matches!(mid, b'.' | b'\'' | b':');
                let digits = prev.is_ascii_digit()
                    && next.is_ascii_digit()
                    && matches!(mid, b'.' | b'\'' | b',' | b';');
                if letters || digits {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        // unicode_word_indices keeps only segments with a letter or digit ("_" alone is not)
        if b[start..i].iter().any(|c| c.is_ascii_alphanumeric()) {
            out.push((offset + start, &chunk[start..i]));
        }
    }
}

/// The byte offset of the `n`th character of a text (its length when it is shorter): where to
/// cut it after `n` characters.
pub fn char_offset(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

/// The analysed term of one word as segmented by `word_indices` (empty when it has none).
pub fn analyse_one(word: &str, lang: Language) -> Arc<str> {
    with_memo(lang, |memo| analyse_in(memo, word, lang))
}

/// `analyse_one` with the memo already borrowed.
fn analyse_in(memo: &mut Memo, word: &str, lang: Language) -> Arc<str> {
    if word.is_ascii() {
        let mut lower = [0u8; 64];
        if word.len() <= lower.len() {
            let l = &mut lower[..word.len()];
            l.copy_from_slice(word.as_bytes());
            l.make_ascii_lowercase();
            // ASCII in, ASCII out
            if let Ok(s) = std::str::from_utf8(l) {
                return memo.get(s, lang);
            }
        }
    }
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    memo.get(&lower, lang)
}

/// Splits text into analysed tokens.
pub fn analyse(text: &str, lang: Language) -> Vec<Token> {
    with_memo(lang, |memo| analyse_with(memo, text, lang))
}

fn analyse_with(memo: &mut Memo, text: &str, lang: Language) -> Vec<Token> {
    // about one word per seven bytes of legal text: most texts never reallocate
    let mut out = Vec::with_capacity(text.len() / 7 + 1);
    for (start, word) in word_indices(text) {
        let term = analyse_in(memo, word, lang);
        if term.is_empty() {
            continue;
        }
        out.push(Token {
            term,
            start,
            end: start + word.len(),
        });
    }
    out
}

/// Splits text into lowercased, folded tokens without stemming (the language-neutral field).
pub fn analyse_neutral(text: &str) -> Vec<Token> {
    word_indices(text)
        .map(|(start, word)| Token {
            term: fold_lower(word).into(),
            start,
            end: start + word.len(),
        })
        .collect()
}

/// The evaluation sets' normal form: lowercase, every run of non letters/digits one space.
pub fn normalise_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(|c| c.to_lowercase()) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// Words of a text without stemming (lowercased): used by the language detector.
pub fn words_lower(text: &str) -> impl Iterator<Item = String> + '_ {
    text.unicode_words().map(|w| w.to_lowercase())
}

/// Appends `s` escaped for HTML element content and attribute values (`&`, `<`, `>`, both
/// quotes): the one escape of the fragments built outside a template (web highlights, the
/// brief).
pub fn escape_html_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// `s` escaped for HTML (see `escape_html_into`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_html_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_content_and_attribute_values() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_html("sin cambios: é"), "sin cambios: é");
    }

    #[test]
    fn word_indices_are_exactly_uax29() {
        let samples = [
            "The fee is $10.50, payable (a) now; 3,000 or 1;2 e.g. U.S.A. can't l'adhésion",
            "a.1 1.a a..b 1..2 _x_ x_1 a:b 1:2 a' 'a 1' end. -5 x-y (b) [c] \"q\" 5(1)(c)",
            "Artículo 5º.- Los cónsules expedirán pasaportes; ver art. 36 bis.",
            "‘quoted’ text—with dashes…and NBSP\u{a0}here 2.1 U$S 1.000,00 l’État",
            "  leading and trailing  \t\n",
            "",
        ];
        for s in samples {
            let want: Vec<(usize, &str)> = s.unicode_word_indices().collect();
            let got: Vec<(usize, &str)> = word_indices(s).collect();
            assert_eq!(got, want, "{s:?}");
        }
        // every ASCII punctuation mark between every pair of letter/digit kinds
        let kinds = ["a", "Z", "7", "_"];
        for p in (0x21u8..0x7f).filter(|c| !c.is_ascii_alphanumeric()) {
            for l in kinds {
                for r in kinds {
                    for s in [
                        format!("{l}{}{r}", p as char),
                        format!("{l}{l}{}{r}{r}{}{l}", p as char, p as char),
                    ] {
                        let want: Vec<(usize, &str)> = s.unicode_word_indices().collect();
                        let got: Vec<(usize, &str)> = word_indices(&s).collect();
                        assert_eq!(got, want, "{s:?}");
                    }
                }
            }
        }
    }

    fn terms(s: &str, l: Language) -> Vec<String> {
        analyse(s, l)
            .into_iter()
            .map(|t| t.term.to_string())
            .collect()
    }

    #[test]
    fn spanish_forms_of_detention_meet() {
        let t = terms("detenidos detenida detenido", Language::Es);
        assert!(t.iter().all(|x| x == &t[0]), "{t:?}");
        // an unaccented query word stems like the accented text word
        assert_eq!(
            terms("detencion", Language::Es),
            terms("detención", Language::Es)
        );
        assert_eq!(
            terms("nacionalidad", Language::Es),
            terms("Nacionalidad", Language::Es)
        );
    }

    #[test]
    fn english_stemming() {
        assert_eq!(
            terms("passports", Language::En),
            terms("passport", Language::En)
        );
        assert_eq!(
            terms("detained", Language::En),
            terms("detaining", Language::En)
        );
    }

    #[test]
    fn french_stemming_and_elision() {
        assert_eq!(
            terms("détention", Language::Fr),
            terms("detention", Language::Fr)
        );
        assert_eq!(
            terms("l'adhésion", Language::Fr),
            terms("adhésion", Language::Fr)
        );
        assert_eq!(
            terms("consulaires", Language::Fr),
            terms("consulaire", Language::Fr)
        );
    }

    #[test]
    fn portuguese_stemming() {
        assert_eq!(terms("presos", Language::Pt), terms("preso", Language::Pt));
        // contractions read as their preposition
        assert_eq!(
            terms("registro do nascimento", Language::Pt),
            terms("registro de nascimento", Language::Pt)
        );
        assert_eq!(
            terms("assistência aos presos nas embaixadas", Language::Pt),
            terms("assistência a presos em embaixadas", Language::Pt)
        );
        assert_eq!(
            terms("registro del estado civil", Language::Es),
            terms("registro de estado civil", Language::Es)
        );
        assert_eq!(
            terms("assistência", Language::Pt),
            terms("assistências", Language::Pt)
        );
        assert_eq!(
            terms("consulares", Language::Pt),
            terms("consular", Language::Pt)
        );
    }

    #[test]
    fn spans_point_at_original_words() {
        let text = "Los detenidos, señor";
        let toks = analyse(text, Language::Es);
        assert_eq!(&text[toks[1].start..toks[1].end], "detenidos");
    }

    #[test]
    fn folded_words_matches_fold_then_split() {
        let t = "Los Cónsules—deberán  l’État; œuvre (art. 5º)";
        let folded = fold_lower(t);
        let want = format!(
            " {} ",
            folded
                .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_eq!(folded_words(t), want);
    }

    #[test]
    fn plain_normalisation_matches_eval_format() {
        assert_eq!(
            normalise_plain("ARTÍCULO 4.- Los  cónsules"),
            "artículo 4 los cónsules"
        );
        assert_eq!(fold_lower("Détention"), "detention");
    }
}
