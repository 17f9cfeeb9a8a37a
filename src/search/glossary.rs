//! The glossary (`corpus/glossary.toml`): equivalent legal terms in es/en/fr/pt, analysed like
//! the texts, used to translate query words so that a query in one language finds provisions
//! written in the others.

use crate::corpus::model::Language;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Deserialize)]
struct RawGlossary {
    entry: Vec<BTreeMap<String, Vec<String>>>,
}

/// One term of an entry, analysed in its language.
#[derive(Debug, Clone, PartialEq)]
pub struct GlossTerm {
    pub language: Language,
    pub text: String,
    pub stems: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    entries: Vec<Vec<GlossTerm>>,
    /// (language, single stem) -> entries holding that one-word term
    lookup: HashMap<(Language, String), Vec<usize>>,
}

impl Glossary {
    pub fn load(path: &Path) -> Result<Glossary> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
    }

    pub fn parse(text: &str) -> std::result::Result<Glossary, String> {
        let raw: RawGlossary = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut g = Glossary::default();
        for (i, e) in raw.entry.into_iter().enumerate() {
            let mut terms = Vec::new();
            for (lang, words) in e {
                let l: Language = lang.parse().map_err(|m| format!("entry {}: {m}", i + 1))?;
                for w in words {
                    let stems: Vec<String> = crate::text::analyse(&w, l)
                        .into_iter()
                        .map(|t| t.term.to_string())
                        .collect();
                    if stems.is_empty() {
                        continue;
                    }
                    if stems.len() == 1 {
                        g.lookup.entry((l, stems[0].clone())).or_default().push(i);
                    }
                    terms.push(GlossTerm {
                        language: l,
                        text: w,
                        stems,
                    });
                }
            }
            g.entries.push(terms);
        }
        Ok(g)
    }

    /// Every term equivalent to a query word, in all languages (the word is tried as a word of
    /// each language, since the query's language is not known).
    pub fn translations(&self, word: &str) -> Vec<&GlossTerm> {
        let mut ids: Vec<usize> = Vec::new();
        for l in Language::ALL {
            let stem = crate::text::analyse_one(word, l).to_string();
            if let Some(v) = self.lookup.get(&(l, stem)) {
                ids.extend(v);
            }
        }
        ids.sort();
        ids.dedup();
        let mut out: Vec<&GlossTerm> = ids.iter().flat_map(|i| self.entries[*i].iter()).collect();
        out.dedup_by(|a, b| a.language == b.language && a.stems == b.stems);
        out
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_across_languages() {
        let g = Glossary::parse("[[entry]]\nen = [\"exemption\"]\nes = [\"exención\"]\nfr = [\"exonération\"]\npt = [\"isenção\"]\n").unwrap();
        let t: Vec<&str> = g
            .translations("Exemptions")
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert!(
            t.contains(&"exención") && t.contains(&"exonération"),
            "{t:?}"
        );
        let t: Vec<&str> = g
            .translations("exenciones")
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert!(t.contains(&"exemption"), "{t:?}");
        assert!(g.translations("unrelated").is_empty());
    }

    #[test]
    fn project_glossary_loads() {
        let g = Glossary::load(
            &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/glossary.toml"),
        )
        .unwrap();
        assert!(g.len() > 100);
    }
}
