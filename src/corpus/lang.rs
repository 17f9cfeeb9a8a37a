//! Stopword-based language detection (es/en/fr/pt) for instruments whose source does not say.
//! Counting the commonest function words of each language over the first few thousand words is
//! enough for legal texts, which are long and monolingual.

use crate::corpus::model::Language;

const ES: &[&str] = &[
    "el",
    "la",
    "los",
    "las",
    "del",
    "que",
    "por",
    "con",
    "una",
    "para",
    "se",
    "su",
    "al",
    "lo",
    "como",
    "sus",
    "este",
    "esta",
    "podrá",
    "será",
    "artículo",
];
const EN: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "for", "that", "by", "or", "be", "shall", "any", "which",
    "with", "as", "an", "this", "section", "may",
];
const FR: &[&str] = &[
    "le", "la", "les", "des", "du", "et", "est", "pour", "dans", "une", "au", "aux", "par", "sur",
    "qui", "ou", "ces", "doit", "être", "article",
];
const PT: &[&str] = &[
    "o", "os", "da", "do", "das", "dos", "em", "não", "uma", "para", "com", "ao", "pelo", "pela",
    "será", "são", "também", "artigo", "nacional", "às",
];

/// Whether a lowercased word is a function word in any of the four languages.
pub fn is_stopword(word: &str) -> bool {
    const EXTRA: &[&str] = &[
        "a", "an", "on", "at", "from", "into", "de", "en", "y", "e", "et", "of", "who", "are",
        "not", "his", "her", "its", "their", "which", "when", "where", "other", "all", "any",
    ];
    let w = word.to_lowercase();
    [ES, EN, FR, PT, EXTRA]
        .iter()
        .any(|l| l.contains(&w.as_str()))
}

/// Detects the language of a text; `None` when there are too few function words to tell.
pub fn detect(text: &str) -> Option<Language> {
    let mut counts = [0usize; 4];
    for w in crate::text::words_lower(text).take(5000) {
        let w = w.as_str();
        for (i, list) in [ES, EN, FR, PT].iter().enumerate() {
            if list.contains(&w) {
                counts[i] += 1;
            }
        }
    }
    let (best, n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    if *n < 3 {
        return None;
    }
    Some([Language::Es, Language::En, Language::Fr, Language::Pt][best])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_four_languages() {
        assert_eq!(detect("Los cónsules deberán prestar asistencia a los nacionales que se encuentren detenidos en el extranjero."), Some(Language::Es));
        assert_eq!(detect("The consular officer shall assist any national of the sending State who is detained."), Some(Language::En));
        assert_eq!(detect("Le fonctionnaire consulaire doit avoir la liberté de communiquer avec les ressortissants de l'État."), Some(Language::Fr));
        assert_eq!(detect("O cônsul prestará assistência aos nacionais presos e não poderá recusar o pedido da pessoa."), Some(Language::Pt));
        assert_eq!(detect("1 2 3"), None);
    }
}
