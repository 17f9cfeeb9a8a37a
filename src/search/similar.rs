//! More like this: the provisions closest to one provision, in other instruments and across
//! languages. The source's most distinctive words (frequent in it, rare in the index) are
//! translated like a search's words (glossary, cognates), its categories are added, and the
//! answer is diversified by instrument and language. It lives in the search layer, as tantivy
//! keeps its own more-like-this among its queries: it builds and evaluates a query tree.

use super::eval::{self, Node};
use super::Engine;
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, Language, ProvisionId};
use crate::error::{Error, Result};
use std::collections::HashMap;
use tantivy::{DocAddress, Term};

/// Candidates ranked before diversifying.
const MAX_CANDIDATES: usize = 400;
/// Distinctive words of the source used as the query.
const MAX_WORDS: usize = 12;
/// Results from one instrument at most.
const PER_INSTRUMENT: usize = 3;

/// The source's distinctive words and the provisions found with them, best first.
#[derive(Debug, Clone)]
pub struct MoreLikeThis {
    pub terms: Vec<String>,
    pub hits: Vec<SimilarHit>,
}

/// A provision like the source, and why.
#[derive(Debug, Clone)]
pub struct SimilarHit {
    pub addr: DocAddress,
    pub country: CountryCode,
    pub score: f32,
    pub shared_categories: Vec<CategoryId>,
    pub reason: String,
}

impl Engine {
    /// The closest provisions in other instruments (optionally of some countries and
    /// languages): shared categories plus a query over the source's distinctive words.
    pub fn more_like_this(
        &self,
        id: &ProvisionId,
        countries: &[CountryCode],
        langs: &[Language],
        limit: usize,
    ) -> Result<MoreLikeThis> {
        let (addr, src) = self
            .dims_of(id)
            .ok_or_else(|| Error::NotFound(format!("provision {id}")))?;
        let rec = self.record(addr)?;
        let lang = rec.provision.language;
        let words = self.distinctive_words(&rec.provision.text, lang);
        let f = &self.fields;
        let mut parts: Vec<Node> = self.with_query_builder(|cx, tr| {
            words
                .iter()
                .map(|w| super::tquery::translated_word(cx, w, tr))
                .collect()
        });
        for (c, _) in &src.tags {
            parts.push(Node::Const(
                Term::from_field_text(f.category, c.as_str()),
                2.0,
            ));
        }
        if parts.is_empty() {
            return Ok(MoreLikeThis {
                terms: words,
                hits: vec![],
            });
        }
        let mut ranked = self.evaluate(&Node::any(parts))?;
        let reach = eval::rank_top(&mut ranked, MAX_CANDIDATES);
        ranked.truncate(reach);
        let shared = |d: &super::Dims| -> Vec<CategoryId> {
            d.tags
                .iter()
                .map(|(c, _)| c.clone())
                .filter(|c| src.tags.iter().any(|(s, _)| s == c))
                .collect()
        };
        // Diversified: at most 3 per instrument, and the source's own language may fill at most
        // 60% of the list while other languages remain, so the answer crosses languages and
        // countries.
        let same_lang_cap = (limit * 3).div_ceil(5);
        let mut per_instrument: HashMap<String, usize> = HashMap::new();
        let mut same_lang = 0;
        let mut out = Vec::new();
        let mut deferred = Vec::new();
        for (score, a) in ranked {
            let Some(d) = self.dims_at(a) else { continue };
            let n = per_instrument.entry(d.instrument.clone()).or_insert(0);
            if *n >= PER_INSTRUMENT {
                continue;
            }
            if d.language == lang && same_lang >= same_lang_cap {
                deferred.push((score, a));
                continue;
            }
            // the source is found first; other copies of the same instrument add nothing
            if d.instrument == src.instrument
                || (!countries.is_empty() && !countries.contains(&d.country))
                || (!langs.is_empty() && !langs.contains(&d.language))
            {
                continue;
            }
            *n += 1;
            if d.language == lang {
                same_lang += 1;
            }
            let shared = shared(d);
            out.push(SimilarHit {
                addr: a,
                country: d.country.clone(),
                score,
                reason: reason(&shared, lang, d.language),
                shared_categories: shared,
            });
            if out.len() >= limit {
                break;
            }
        }
        // not enough in other languages: fill up with the source language's next best
        for (score, a) in deferred {
            if out.len() >= limit {
                break;
            }
            let Some(d) = self.dims_at(a) else { continue };
            let shared = shared(d);
            out.push(SimilarHit {
                addr: a,
                country: d.country.clone(),
                score,
                reason: reason(&shared, lang, d.language),
                shared_categories: shared,
            });
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        Ok(MoreLikeThis {
            terms: words,
            hits: out,
        })
    }

    /// Words frequent in the text and rare in the index, as printed (lower case), best first.
    fn distinctive_words(&self, text: &str, lang: Language) -> Vec<String> {
        let mut tf: HashMap<String, (String, usize)> = HashMap::new();
        for t in crate::text::analyse(text, lang) {
            let surface = &text[t.start..t.end];
            if surface.chars().count() < 5
                || crate::corpus::lang::is_stopword(surface)
                || surface.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            tf.entry(t.term.to_string())
                .or_insert_with(|| (surface.to_lowercase(), 0))
                .1 += 1;
        }
        let n = self.num_docs().max(1) as f32;
        let body = self.fields.body(lang);
        let mut scored: Vec<(f32, String)> = tf
            .into_iter()
            .map(|(stem, (surface, count))| {
                let df = self.doc_freq(&Term::from_field_text(body, &stem)) as f32;
                // a word found nowhere else cannot connect the provision to anything
                let idf = if df < 2.0 { 0.0 } else { (n / (1.0 + df)).ln() };
                ((1.0 + count as f32).ln() * idf, surface)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(MAX_WORDS).map(|(_, w)| w).collect()
    }
}

/// Why a provision is like the source: the categories they share, and whether the source's
/// words matched in its own language or across languages.
fn reason(shared: &[CategoryId], from: Language, to: Language) -> String {
    let words = if from == to {
        "the source's distinctive words".to_string()
    } else {
        format!("distinctive words matched across languages ({from} -> {to})")
    };
    match (shared.is_empty(), from == to) {
        (true, true) => format!("shares {words}"),
        (true, false) => words,
        (false, same) => {
            let cats = shared
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            if same {
                format!("shares {cats} and {words}")
            } else {
                format!("shares {cats}; {words}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_names_shared_categories_and_the_languages_crossed() {
        let cats: Vec<CategoryId> = vec!["protection/detention".parse().expect("id")];
        let (es, en) = (Language::Es, Language::En);
        assert_eq!(
            reason(&cats, es, es),
            "shares protection/detention and the source's distinctive words"
        );
        assert_eq!(
            reason(&cats, es, en),
            "shares protection/detention; distinctive words matched across languages (es -> en)"
        );
        assert_eq!(reason(&[], es, es), "shares the source's distinctive words");
        assert_eq!(
            reason(&[], es, en),
            "distinctive words matched across languages (es -> en)"
        );
    }
}
