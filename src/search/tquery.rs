//! Turning a parsed query into the query tree the engine evaluates (`eval::Node`), by hand (the
//! query parser never sees user input). A word matches in any language: it is analysed with each
//! language's analyzer and looked up in that language's body and heading fields, and in the
//! neutral field as written.
//! Cross-lingual expansion adds, for each category the query speaks of, the documents tagged
//! with it and that category's strongest descriptors in every language.

use super::eval::Node;
use super::glossary::Glossary;
use super::query::{Clause, ParsedQuery};
use crate::annotate::taxonomy::{Category, Taxonomy};
use crate::annotate::QueryMatch;
use crate::corpus::model::Language;
use crate::index::schema::Fields;
use std::collections::BTreeMap;
use tantivy::Term;

/// Weight of a match in headings, chapter titles and instrument titles relative to the body.
const HEAD_BOOST: f32 = 0.6;
/// Constant score of a document tagged with an expanded category.
const CATEGORY_SCORE: f32 = 0.5;
/// Weight of glossary translations and cognates relative to the word as typed.
const TRANSLATION_BOOST: f32 = 0.8;
const COGNATE_BOOST: f32 = 0.3;
/// Weight of expansion descriptors relative to the user's own words.
const EXPANSION_BOOST: f32 = 0.4;

/// What queries are built against: the schema's fields, and which terms the generation
/// holds. A word is looked up in nine fields and several languages, and most of those
/// lookups find nothing; a clause for a term no document has is left out rather than handed
/// to tantivy, which would open an empty scorer for it.
pub struct Ctx<'a> {
    pub fields: &'a Fields,
    /// How many documents hold a term.
    pub doc_freq: &'a dyn Fn(&Term) -> u64,
}

impl Ctx<'_> {
    fn known(&self, t: &Term) -> bool {
        (self.doc_freq)(t) > 0
    }
}

/// A term, or nothing when no document has it.
fn known_term(cx: &Ctx, t: Term) -> Option<Node> {
    cx.known(&t).then_some(Node::Term(t, 1.0))
}

fn phrase_or_term(cx: &Ctx, field: tantivy::schema::Field, terms: &[String]) -> Option<Node> {
    let mut terms: Vec<Term> = terms
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    // a phrase with a word no document has matches nothing
    if terms.is_empty() || !terms.iter().all(|t| cx.known(t)) {
        return None;
    }
    if terms.len() == 1 {
        return terms.pop().map(|t| Node::Term(t, 1.0));
    }
    Some(Node::Phrase(terms, 1.0))
}

fn stems(words: &[String], lang: Language) -> Vec<String> {
    words
        .iter()
        .flat_map(|w| crate::text::analyse(w, lang))
        .map(|t| t.term.to_string())
        .collect()
}

/// One clause in every language and in the neutral field.
fn clause_query(cx: &Ctx, c: &Clause) -> Node {
    let f = cx.fields;
    let words: Vec<String> = match c {
        Clause::Word(w) => vec![w.clone()],
        Clause::Phrase(ws) => ws.clone(),
    };
    let mut alts: Vec<Node> = Vec::new();
    for lang in Language::ALL {
        let s = stems(&words, lang);
        alts.extend(phrase_or_term(cx, f.body(lang), &s));
        alts.extend(phrase_or_term(cx, f.head(lang), &s).map(|q| q.boosted(HEAD_BOOST)));
    }
    let neutral: Vec<String> = words
        .iter()
        .flat_map(|w| crate::text::analyse_neutral(w))
        .map(|t| t.term.to_string())
        .collect();
    alts.extend(phrase_or_term(cx, f.neutral, &neutral));
    Node::any(alts)
}

/// How many postings a clause makes the query read: its own terms in every field, and for an
/// unquoted content word being expanded, its translations and cognates too.
pub(crate) fn clause_postings(cx: &Ctx, c: &Clause, tr: Option<&Translator>) -> u64 {
    let own = clause_query(cx, c).postings(cx.doc_freq);
    match (c, tr) {
        (Clause::Word(w), Some(tr)) if !crate::corpus::lang::is_stopword(w) => {
            own + translated_word(cx, w, tr).postings(cx.doc_freq)
        }
        _ => own,
    }
}

/// The descriptors of a category used for expansion, per language, analysed.
pub fn expansion_terms(c: &Category) -> Vec<(Language, String, Vec<String>)> {
    let mut out = Vec::new();
    for (lang, terms) in &c.terms {
        for t in terms
            .iter()
            .filter(|t| t.weight >= crate::annotate::taxonomy::STRONG_WEIGHT)
        {
            out.push((*lang, t.text.clone(), t.stems.clone()));
        }
    }
    out
}

/// What query words are translated with: the glossary, and a lookup of the index's words that
/// share a folded prefix (cognates: `inviolability` ~ `inviolabilidad`, `inviolabilité`).
pub struct Translator<'a> {
    pub glossary: &'a Glossary,
    pub cognates: &'a dyn Fn(&str) -> std::sync::Arc<[String]>,
}

/// Prefix used to find cognates of a word, for words long enough to have them.
pub fn cognate_prefix(word: &str) -> Option<String> {
    let folded = crate::text::fold_lower(word);
    let n = folded.chars().count();
    (n >= 7 && folded.chars().all(|c| c.is_alphanumeric()))
        .then(|| folded.chars().take((n - 3).max(6)).collect())
}

/// A word in every language it may translate to: the word itself, its glossary equivalents,
/// and its cognates in the neutral field.
pub(crate) fn translated_word(cx: &Ctx, word: &str, tr: &Translator) -> Node {
    let f = cx.fields;
    let mut alts = vec![clause_query(cx, &Clause::Word(word.to_string()))];
    for t in tr.glossary.translations(word) {
        alts.extend(
            phrase_or_term(cx, f.body(t.language), &t.stems).map(|q| q.boosted(TRANSLATION_BOOST)),
        );
        alts.extend(
            phrase_or_term(cx, f.head(t.language), &t.stems)
                .map(|q| q.boosted(TRANSLATION_BOOST * HEAD_BOOST)),
        );
    }
    if let Some(prefix) = cognate_prefix(word) {
        for c in (tr.cognates)(&prefix).iter() {
            alts.push(Node::Term(
                Term::from_field_text(f.neutral, c),
                COGNATE_BOOST,
            ));
        }
    }
    Node::any(alts)
}

/// Builds the whole query: (user words AND-ed, OR groups) OR (the content words translated,
/// at least half of them) OR (category expansions), minus exclusions.
pub fn build(
    cx: &Ctx,
    q: &ParsedQuery,
    expansions: &[QueryMatch],
    taxonomy: &Taxonomy,
    translator: Option<&Translator>,
) -> Node {
    let f = cx.fields;
    let mut positive: Vec<Node> = Vec::new();
    let stop = Clause::is_stopword;
    let content_groups = q.groups.iter().any(|g| !g.iter().all(stop));
    if !q.groups.is_empty() {
        let groups: Vec<Node> = q
            .groups
            .iter()
            .filter(|g| {
                // A stopword between content words ("assistência consular a presos") is in
                // nearly every document: requiring it costs the longest posting lists and
                // selects nothing. Phrases keep theirs; a query of stopwords keeps them all.
                !(content_groups && g.iter().all(stop))
            })
            .map(|g| Node::any(g.iter().map(|c| clause_query(cx, c)).collect()))
            .collect();
        positive.push(Node::every(groups));
    }
    // What is expanded (translations, cognates, categories) comes from the unquoted words
    // only, and is required to hold every quoted phrase too: `"consular assistance"` means
    // those words in that order, not any provision that says "consular".
    let mut loose: Vec<Node> = Vec::new();
    if let Some(tr) = translator {
        let content: Vec<&str> = q
            .unquoted_words()
            .into_iter()
            .filter(|w| !crate::corpus::lang::is_stopword(w))
            .collect();
        if !content.is_empty() {
            let clauses: Vec<Node> = content.iter().map(|w| translated_word(cx, w, tr)).collect();
            let min = content.len().div_ceil(2);
            loose.push(Node::Sum { clauses, min });
        }
    }
    for m in expansions {
        let Some(c) = taxonomy.get(&m.category) else {
            continue;
        };
        let mut parts = vec![Node::Const(
            Term::from_field_text(f.category, c.id.as_str()),
            CATEGORY_SCORE,
        )];
        // The strong descriptors in every language, counted at index time: one term.
        parts.extend(
            known_term(cx, Term::from_field_text(f.concept, c.id.as_str()))
                .map(|q| q.boosted(EXPANSION_BOOST)),
        );
        loose.push(Node::any(parts));
    }
    if !loose.is_empty() {
        let phrases: Vec<Node> = q
            .groups
            .iter()
            .filter(|g| ParsedQuery::has_phrase(g))
            .map(|g| Node::any(g.iter().map(|c| clause_query(cx, c)).collect()))
            .collect();
        let loose = Node::any(loose);
        if phrases.is_empty() {
            positive.push(loose);
        } else {
            let mut required = phrases;
            required.push(loose);
            positive.push(Node::every(required));
        }
    }
    let positive = if positive.is_empty() {
        Node::All
    } else {
        Node::any(positive)
    };
    if q.excluded.is_empty() {
        return positive;
    }
    let excluded = q.excluded.iter().map(|c| clause_query(cx, c)).collect();
    Node::Minus(Box::new(positive), excluded)
}

/// Terms to highlight in body text, per language: the user's words and the expansion
/// descriptors, analysed for that language.
pub fn highlight_terms(
    q: &ParsedQuery,
    expansions: &[QueryMatch],
    taxonomy: &Taxonomy,
    glossary: Option<&Glossary>,
) -> BTreeMap<Language, Vec<String>> {
    let words: Vec<String> = q.positive_words().iter().map(|w| w.to_string()).collect();
    let mut out: BTreeMap<Language, Vec<String>> = Language::ALL
        .into_iter()
        .map(|l| (l, stems(&words, l)))
        .collect();
    let mut add = |l: Language, stems: &[String]| {
        if let Some(v) = out.get_mut(&l) {
            v.extend(stems.iter().cloned());
        }
    };
    if let Some(g) = glossary {
        for w in q
            .unquoted_words()
            .into_iter()
            .filter(|w| !crate::corpus::lang::is_stopword(w))
        {
            for t in g.translations(w).into_iter().filter(|t| t.stems.len() == 1) {
                add(t.language, &t.stems);
            }
        }
    }
    for m in expansions {
        if let Some(c) = taxonomy.get(&m.category) {
            // single-word descriptors only: the words of a phrase ("sending", "state") are
            // too common to highlight alone
            for (l, _, s) in expansion_terms(c) {
                if s.len() == 1 {
                    add(l, &s);
                }
            }
        }
    }
    for v in out.values_mut() {
        v.sort();
        v.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terms of a built query, as (field name, text).
    fn terms_of(q: &Node) -> Vec<(String, String)> {
        let schema = Fields::schema();
        let mut terms = Vec::new();
        q.terms(&mut terms);
        terms
            .iter()
            .map(|t| {
                (
                    schema.get_field_name(t.field()).to_string(),
                    t.value().as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn clauses_for_terms_no_document_has_are_left_out() {
        let f = Fields::from_schema(&Fields::schema()).expect("fields");
        // a generation where only the Spanish body has "pasaport" and nothing has "zzq"
        let df = |t: &Term| {
            let spanish = t.field() == f.body(Language::Es);
            u64::from(spanish && t.value().as_str() == Some("pasaport"))
        };
        let cx = Ctx {
            fields: &f,
            doc_freq: &df,
        };
        let tax = Taxonomy::parse("version = \"1\"\ncategory = []\n").expect("empty taxonomy");
        let terms = |q: &str| {
            let parsed = super::super::query::parse(q).expect("parses");
            terms_of(&build(&cx, &parsed, &[], &tax, None))
        };
        assert_eq!(
            terms("pasaportes"),
            [("body_es".to_string(), "pasaport".to_string())]
        );
        // a phrase with one unknown word is left out whole
        assert!(terms("\"pasaportes zzq\"").is_empty());
    }
}
