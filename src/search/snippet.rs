//! Snippets: the excerpt of a provision that best shows why it matched, with the matched
//! words highlighted as written. Words are analysed by `src/text` (the analysis the index
//! used), so a highlight is exactly a word whose indexed term the query asked for.
//!
//! Built here rather than with tantivy's `SnippetGenerator`: that one re-tokenises through
//! the tantivy analyzer (one `String` per word) and scores every fragment; this one looks
//! only at words that can match and slides one window over the matches.

use crate::corpus::model::Language;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::sync::Arc;

/// A highlighted excerpt of a provision, in its original words.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
    /// `text` with `<b>` around the highlights (HTML-escaped).
    pub html: String,
}

/// The terms to highlight in one language, and the three letters they can start with (a
/// word starting otherwise is not analysed at all: most words of a text are skipped so).
pub struct Highlighter {
    lang: Language,
    terms: FxHashSet<String>,
    initials: FxHashSet<[char; PREFIX]>,
}

/// Letters of a word compared before it is analysed.
const PREFIX: usize = 3;

/// The first letters of a word, lowercased and folded (`'\0'` for missing ones).
fn initials(word: &str) -> [char; PREFIX] {
    let mut out = ['\0'; PREFIX];
    let mut n = 0;
    let mut folded = String::new();
    for c in word.chars() {
        if c.is_ascii() {
            out[n] = c.to_ascii_lowercase();
            n += 1;
        } else {
            folded.clear();
            c.to_lowercase()
                .for_each(|l| crate::text::fold_char(l, &mut folded));
            for f in folded.chars() {
                if n < PREFIX {
                    out[n] = f;
                    n += 1;
                }
            }
        }
        if n == PREFIX {
            break;
        }
    }
    out
}

impl Highlighter {
    /// `terms` are analysed terms (stemmed, folded) of `lang`. Stems shorter than four letters
    /// match too many words to be worth showing and are dropped (numbers are kept).
    pub fn new(lang: Language, terms: impl IntoIterator<Item = String>) -> Highlighter {
        let terms: FxHashSet<String> = terms
            .into_iter()
            .filter(|t| t.chars().count() > PREFIX || t.chars().any(|c| c.is_ascii_digit()))
            .collect();
        let initials = terms.iter().map(|t| initials(t)).collect();
        Highlighter {
            lang,
            terms,
            initials,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Byte spans of the words of `text` whose analysed form is a highlight term.
    fn matches(&self, text: &str) -> Vec<(usize, usize, Arc<str>)> {
        let mut out = Vec::new();
        for (start, word) in crate::text::word_indices(text) {
            // Snowball stemmers only change a word past its first three letters, and folding
            // maps those to the term's (terms are at least four letters, or numbers, which
            // are not stemmed): a word whose first three letters start no term cannot match. (A French elision, "l'adhésion", stems as the noun: always
            // analysed.)
            let elided = word.contains(['\'', '’']);
            if !elided && !self.initials.contains(&initials(word)) {
                continue;
            }
            let term = crate::text::analyse_one(word, self.lang);
            if self.terms.contains(&*term) {
                out.push((start, start + word.len(), term));
            }
        }
        out
    }

    /// The excerpt of at most `max_chars` characters with the most distinct matched terms
    /// (then the most matches, then the earliest), or `None` when no word matches.
    pub fn snippet(&self, text: &str, max_chars: usize) -> Option<Snippet> {
        self.excerpt(text, self.matches(text), max_chars)
    }

    /// `snippet` for a text already analysed (`tokens` are `text::analyse(text, lang)`).
    pub fn snippet_analysed(
        &self,
        text: &str,
        tokens: &[crate::text::Token],
        max_chars: usize,
    ) -> Option<Snippet> {
        let m = tokens
            .iter()
            .filter(|t| self.terms.contains(&*t.term))
            .map(|t| (t.start, t.end, t.term.clone()))
            .collect();
        self.excerpt(text, m, max_chars)
    }

    fn excerpt(
        &self,
        text: &str,
        m: Vec<(usize, usize, Arc<str>)>,
        max_chars: usize,
    ) -> Option<Snippet> {
        if m.is_empty() {
            return None;
        }
        // Character offsets of the matches (counted in one pass), for a window measured in
        // characters.
        let char_at = |byte: usize| text[..byte].chars().count();
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(m.len());
        let (mut at_byte, mut at_char) = (0, 0);
        for (s, e, _) in &m {
            at_char += text[at_byte..*s].chars().count();
            let len = text[*s..*e].chars().count();
            spans.push((at_char, at_char + len));
            at_byte = *s;
        }
        // Each match's term as a small number, then one sliding window [i, j) over the
        // matches, counting each term's matches inside it.
        let mut distinct_terms: Vec<&str> = Vec::new();
        let ids: Vec<usize> = m
            .iter()
            .map(
                |(_, _, t)| match distinct_terms.iter().position(|d| *d == &**t) {
                    Some(k) => k,
                    None => {
                        distinct_terms.push(t);
                        distinct_terms.len() - 1
                    }
                },
            )
            .collect();
        let mut inside = vec![0usize; distinct_terms.len()];
        let mut distinct = 0;
        let mut best = (0usize, 0usize, 0usize, 0usize); // (distinct, count, first, last)
        let mut j = 0;
        for i in 0..m.len() {
            // the window always holds its first match, however long
            while j < m.len() && (j == i || spans[j].1 - spans[i].0 <= max_chars) {
                if inside[ids[j]] == 0 {
                    distinct += 1;
                }
                inside[ids[j]] += 1;
                j += 1;
            }
            if (distinct, j - i) > (best.0, best.1) {
                best = (distinct, j - i, i, j - 1);
            }
            inside[ids[i]] -= 1;
            if inside[ids[i]] == 0 {
                distinct -= 1;
            }
        }
        let (first, last) = (best.2, best.3);
        // Context on both sides: the slack is shared, half of it before the first match.
        let used = spans[last].1 - spans[first].0;
        let before = (max_chars.saturating_sub(used)) / 2;
        let start_char = spans[first].0.saturating_sub(before);
        let mut start = crate::text::char_offset(text, start_char);
        // begin at a word, not in the middle of one
        if start < m[first].0 {
            start = word_start_after(text, start, m[first].0);
        }
        let end_char = (char_at(start) + max_chars).max(spans[last].1);
        let mut end = crate::text::char_offset(text, end_char);
        if end < text.len() {
            end = word_end_before(text, end, m[last].1);
        }
        let fragment = &text[start..end];
        let highlights: Vec<(usize, usize)> = m
            .iter()
            .filter(|(s, e, _)| *s >= start && *e <= end)
            .map(|(s, e, _)| (s - start, e - start))
            .collect();
        let mut html = String::with_capacity(fragment.len() + highlights.len() * 7);
        let mut at = 0;
        for (s, e) in &highlights {
            escape_into(&mut html, &fragment[at..*s]);
            html.push_str("<b>");
            escape_into(&mut html, &fragment[*s..*e]);
            html.push_str("</b>");
            at = *e;
        }
        escape_into(&mut html, &fragment[at..]);
        Some(Snippet {
            text: fragment.to_string(),
            highlights,
            html,
        })
    }
}

/// The first word start at or after `from`, but not past `limit`.
fn word_start_after(text: &str, from: usize, limit: usize) -> usize {
    let prev_is_word = text[..from]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    if !prev_is_word {
        return from;
    }
    text[from..limit]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(limit, |(i, c)| from + i + c.len_utf8())
        .min(limit)
}

/// The last word end at or before `to`, but not before `floor`.
fn word_end_before(text: &str, to: usize, floor: usize) -> usize {
    let next_is_word = text[to..].chars().next().is_some_and(char::is_alphanumeric);
    if !next_is_word {
        return to;
    }
    text[floor..to]
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(floor, |(i, _)| floor + i)
        .max(floor)
}

/// HTML-escapes the three characters that matter in element content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` with `&`, `<` and `>` escaped, in one pass.
fn escape_into(out: &mut String, s: &str) {
    let mut at = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&s[at..i]);
        out.push_str(rep);
        at = i + 1;
    }
    out.push_str(&s[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(lang: Language, words: &[&str]) -> Highlighter {
        Highlighter::new(
            lang,
            words
                .iter()
                .flat_map(|w| crate::text::analyse(w, lang))
                .map(|t| t.term.to_string()),
        )
    }

    #[test]
    fn highlights_the_words_as_written() {
        let h = hl(Language::Es, &["detenidos"]);
        let text = "La persona detenida será informada de su DETENCION, como todo detenido.";
        let s = h.snippet(text, 240).expect("matches");
        assert_eq!(s.text, text);
        let words: Vec<&str> = s.highlights.iter().map(|(a, b)| &s.text[*a..*b]).collect();
        assert_eq!(words, ["detenida", "detenido"]);
        assert_eq!(
            s.html,
            "La persona <b>detenida</b> será informada de su DETENCION, como todo <b>detenido</b>."
        );
    }

    #[test]
    fn short_stems_are_not_highlighted_numbers_are() {
        let h = hl(Language::En, &["a", "the", "36"]);
        let s = h
            .snippet("Under article 36, a national is told.", 240)
            .expect("36 matches");
        let words: Vec<&str> = s.highlights.iter().map(|(a, b)| &s.text[*a..*b]).collect();
        assert_eq!(words, ["36"]);
    }

    #[test]
    fn analysed_and_raw_text_give_the_same_snippet() {
        let h = hl(Language::Fr, &["détention", "consulaire"]);
        let text = "En cas de détention, le poste consulaire est averti; l'adhésion des détenus.";
        let toks = crate::text::analyse(text, Language::Fr);
        assert_eq!(h.snippet(text, 240), h.snippet_analysed(text, &toks, 240));
        assert!(h.snippet(text, 240).is_some());
    }

    #[test]
    fn no_match_is_none() {
        let h = hl(Language::En, &["passport"]);
        assert!(h
            .snippet("The consul shall notify the authorities.", 240)
            .is_none());
    }

    #[test]
    fn window_prefers_more_distinct_terms_and_cuts_at_words() {
        let h = hl(Language::En, &["arrest", "consul"]);
        let filler = "word ".repeat(80);
        let text = format!(
            "An arrest is made. {filler}The consul is told of the arrest at once. {filler}"
        );
        let s = h.snippet(&text, 100).expect("matches");
        let words: Vec<&str> = s.highlights.iter().map(|(a, b)| &s.text[*a..*b]).collect();
        assert_eq!(words, ["consul", "arrest"]);
        assert!(s.text.chars().count() <= 100, "{}", s.text);
        // starts and ends at word boundaries
        assert!(
            s.text.starts_with("word ") || s.text.starts_with("The"),
            "{}",
            s.text
        );
        assert!(!s.text.ends_with("wor"), "{}", s.text);
    }

    #[test]
    fn escapes_html_outside_and_inside_highlights() {
        let h = hl(Language::En, &["passports"]);
        let s = h.snippet("Passport <under> A&B", 240).expect("matches");
        assert_eq!(s.html, "<b>Passport</b> &lt;under&gt; A&amp;B");
    }

    #[test]
    fn non_ascii_text_is_cut_on_characters() {
        let h = hl(Language::Fr, &["détenu"]);
        let text = format!(
            "{}le détenu est informé{}",
            "é".repeat(300),
            "à".repeat(300)
        );
        let s = h.snippet(&text, 50).expect("matches");
        assert!(s.text.chars().count() <= 50);
        assert!(s.html.contains("<b>détenu</b>"));
    }
}
