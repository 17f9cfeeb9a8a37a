//! Text shape: word counts, enumerations ("a) … b) … c) …", "1. … 2. … 3. …") and the
//! text-quality estimate, read in one pass each over a provision's text. Scoring uses them to
//! damp long provisions, to let lists carry more tags, and to rank noisy texts lower.

/// A provision with at least this many lettered or numbered items is an enumeration (and may
/// carry up to `rules::MAX_TAGS_ENUMERATION` categories, one per kind of item).
const ENUMERATION_ITEMS: usize = 3;

/// The length a provision's scores are damped by, and whether it is an enumeration ("a) ...
/// b) ... c) ...", the functions of a consul): a list of short provisions, whose length is
/// its word count over the square root of its items, and which may carry more categories.
pub(super) fn scoring_length(word_count: usize, items: usize) -> (usize, bool) {
    if items >= ENUMERATION_ITEMS {
        ((word_count as f32 / (items as f32).sqrt()) as usize, true)
    } else {
        (word_count, false)
    }
}

/// List items of a text: lettered ("a)", "(b)") or numbered ("1.", "2)") at a word start, the
/// larger count of distinct markers of either kind, so that a repeated "(a)" in cross-references
/// does not make an enumeration.
#[cfg(test)]
pub(super) fn list_items(text: &str) -> usize {
    shape(text).1
}

/// Distinct list markers seen so far (see `list_items`).
#[derive(Default)]
struct Markers {
    letters: [bool; 26],
    numbers: [bool; 21],
    /// bullets ("•", "-", "–") after a word that ends a sentence or a lead-in
    bullets: usize,
    /// the previous word ended with ':', ';' or '.' (or there was none)
    after_stop: bool,
}

impl Markers {
    fn see(&mut self, word: &[u8]) {
        let stop = self.after_stop;
        self.after_stop = matches!(word.last(), Some(b':' | b';' | b'.'));
        if stop && matches!(word, b"-" | [0xe2, 0x80, 0xa2] | [0xe2, 0x80, 0x93]) {
            self.bullets += 1;
            return;
        }
        match word {
            [l, b')'] | [b'(', l, b')'] if l.is_ascii_lowercase() => {
                self.letters[(l - b'a') as usize] = true;
            }
            _ => {
                let digits = word.iter().take_while(|c| c.is_ascii_digit()).count();
                if (1..=2).contains(&digits) && matches!(&word[digits..], b"." | b")" | b".-") {
                    let n = word[..digits]
                        .iter()
                        .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'));
                    if let Some(slot) = self.numbers.get_mut(n).filter(|_| n > 0) {
                        *slot = true;
                    }
                }
            }
        }
    }

    fn count(&self) -> usize {
        let count = |v: &[bool]| v.iter().filter(|s| **s).count();
        count(&self.letters)
            .max(count(&self.numbers))
            .max(self.bullets)
    }
}

/// Whitespace-separated words, as `split_whitespace().count()` without building the slices,
/// and the list items among them (see `list_items`): one pass over the text.
pub(super) fn shape(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let mut n = 0;
    let mut markers = Markers {
        after_stop: true,
        ..Markers::default()
    };
    let mut start = None;
    let mut i = 0;
    while i < b.len() {
        // ASCII bytes directly; a multi-byte character is decoded (NBSP is white space)
        let (space, width) = if b[i] < 0x80 {
            (b[i].is_ascii_whitespace() || b[i] == 0x0b, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('x');
            (c.is_whitespace(), c.len_utf8())
        };
        match (space, start) {
            (false, None) => {
                n += 1;
                start = Some(i);
            }
            (true, Some(s)) => {
                markers.see(&b[s..i]);
                start = None;
            }
            _ => {}
        }
        i += width;
    }
    if let Some(s) = start {
        markers.see(&b[s..]);
    }
    (n, markers.count())
}

#[cfg(test)]
pub(super) fn count_words(text: &str) -> usize {
    shape(text).0
}

/// Share of tokens that look like words: OCR debris ("qualiEcations", "$;?&.", "cm -1")
/// and runs of dots lower it.
pub fn text_quality(text: &str) -> f32 {
    let mut words = 0usize;
    let mut bad = 0usize;
    // the first 400 words are a large enough sample of a text's noise
    for w in text.split_whitespace().take(400) {
        words += 1;
        // one pass over the word's characters (this runs on every provision)
        let (mut letters, mut digits, mut symbols, mut inner_caps, mut dots, mut max_dots) =
            (0usize, false, 0usize, 0usize, 0usize, 0usize);
        for (i, c) in w.chars().enumerate() {
            if c == '.' {
                dots += 1;
                max_dots = max_dots.max(dots);
            } else {
                dots = 0;
            }
            if c.is_alphabetic() {
                letters += 1;
                if i > 0 && c.is_uppercase() {
                    inner_caps += 1;
                }
            } else if c.is_ascii_digit() {
                digits = true;
            } else if !c.is_alphanumeric() && !",.;:()\"'“”’-–—".contains(c) {
                symbols += 1;
            }
        }
        let starts_lower = w.chars().next().is_some_and(|c| c.is_lowercase());
        if (letters == 0 && !digits)
            || symbols >= 2
            || (inner_caps >= 1 && starts_lower)
            || max_dots >= 4
        {
            bad += 1;
        }
    }
    if words == 0 {
        return 0.0;
    }
    let share = bad as f32 / words as f32;
    (1.0 - 2.0 * share).clamp(0.3, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerations_are_recognised_by_their_lettered_items() {
        assert_eq!(
            list_items(
                "Las funciones consisten en: a) proteger; b) fomentar; c) informar; d) expedir"
            ),
            4
        );
        assert_eq!(list_items("(a) protecting; (b) furthering; (c) issuing"), 3);
        assert_eq!(list_items("see paragraph (a) and (a) again"), 1);
        assert_eq!(list_items("no list here at all"), 0);
        assert_eq!(
            list_items("Son objetivos: 1. acompañar; 2. promover; 3. proteger"),
            3
        );
        assert_eq!(list_items("Ley 25.871, artículo 5.- y 12.000 personas"), 1);
    }

    #[test]
    fn count_words_is_split_whitespace() {
        for t in ["", "  a  b\tc\n", "detención\u{a0}de  nacionales", "x"] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }
}
