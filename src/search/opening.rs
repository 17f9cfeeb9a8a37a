//! Re-ranking the best matches by where the query's words stand in them: a provision whose
//! heading or opening states the query's subject outranks one that mentions it in passing, and
//! one that matched only through its category (tagged with the query's concept, about another
//! matter) gains nothing. BM25 cannot tell the two apart: a long provision that names the
//! subject once deep in its text can score as high as a short one about it.
//!
//! Only the best `DEPTH` matches are looked at (a page never reaches further down, and the
//! cost stays bounded however many documents match): for each query word, its terms (the word
//! analysed in each language, and its glossary translations) are looked up in each candidate's
//! positions, and a word counts as stated when it occurs among the first `OPENING_TOKENS`
//! words of the text or in the heading. A candidate's score is multiplied by
//! `1 + WEIGHT * (weight of the stated words / weight of all content words)`, a word weighing
//! its inverse document frequency.

use super::glossary::Glossary;
use super::query::{Clause, ParsedQuery};
use super::stats::Stats;
use crate::corpus::model::Language;
use crate::index::schema::Fields;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Score, Term};

/// How many of the best matches are re-ranked.
pub const DEPTH: usize = 100;
/// Words of a text that count as its opening.
pub const OPENING_TOKENS: u32 = 30;
/// Words of the head field (heading, then chapter titles) that count as the heading.
pub const HEADING_TOKENS: u32 = 16;
/// Score gain of a provision whose opening or heading states every content word.
pub const WEIGHT: Score = 1.0;

/// The terms of one query word: where it may stand in a text's body and in its heading, and
/// how much the word says (its rarest term's inverse document frequency: a query's subject is
/// in its rare words, "presos" more than "consular" or "exterior").
#[derive(Debug, Default)]
pub struct WordTerms {
    pub body: Vec<Term>,
    pub head: Vec<Term>,
    pub weight: Score,
}

/// The content words of a query (quoted or not, stopwords left out), each with its terms in
/// every language and, when expansion is on, its glossary translations'. Terms no document
/// holds are left out.
pub fn word_terms(
    fields: &Fields,
    q: &ParsedQuery,
    glossary: Option<&Glossary>,
    doc_freq: &dyn Fn(&Term) -> u64,
    docs: u64,
) -> Vec<WordTerms> {
    let known = |t: &Term| doc_freq(t) > 0;
    let mut out = Vec::new();
    let words = q.groups.iter().flatten().flat_map(|c| match c {
        Clause::Word(w) => vec![w.as_str()],
        Clause::Phrase(ws) => ws.iter().map(String::as_str).collect(),
    });
    for w in words.filter(|w| !crate::corpus::lang::is_stopword(w)) {
        let mut t = WordTerms::default();
        let mut add = |lang: Language, stem: &str| {
            let b = Term::from_field_text(fields.body(lang), stem);
            if known(&b) && !t.body.contains(&b) {
                t.body.push(b);
            }
            let h = Term::from_field_text(fields.head(lang), stem);
            if known(&h) && !t.head.contains(&h) {
                t.head.push(h);
            }
        };
        for lang in Language::ALL {
            for tok in crate::text::analyse(w, lang) {
                add(lang, &tok.term);
            }
        }
        if let Some(g) = glossary {
            for tr in g.translations(w).into_iter().filter(|t| t.stems.len() == 1) {
                add(tr.language, &tr.stems[0]);
            }
        }
        if let Some(df) = t.body.iter().chain(&t.head).map(doc_freq).min() {
            t.weight = ((docs as Score + 1.0) / (df as Score + 0.5)).ln().max(0.1);
            out.push(t);
        }
    }
    out
}

/// Multiplies the scores of the best `DEPTH` matches by how many of the query's words their
/// opening or heading states. `hits` is left unsorted beyond what the caller ranks next.
pub fn rerank(stats: &Stats, words: &[WordTerms], hits: &mut [(Score, DocAddress)]) {
    if words.is_empty() || hits.is_empty() {
        return;
    }
    let reach = super::eval::rank_top(hits, DEPTH);
    // candidates in index order, so each posting list is walked forward once
    let mut order: Vec<usize> = (0..reach).collect();
    order.sort_unstable_by_key(|i| hits[*i].1);
    let mut stated: Vec<Score> = vec![0.0; reach];
    let mut seen = vec![false; reach];
    let mut positions = Vec::new();
    for w in words {
        seen.iter_mut().for_each(|s| *s = false);
        let fields = w
            .body
            .iter()
            .map(|t| (t, OPENING_TOKENS))
            .chain(w.head.iter().map(|t| (t, HEADING_TOKENS)));
        for (term, limit) in fields {
            mark_early(stats, term, limit, hits, &order, &mut seen, &mut positions);
        }
        for (s, hit) in stated.iter_mut().zip(&seen) {
            if *hit {
                *s += w.weight;
            }
        }
    }
    let total: Score = words.iter().map(|w| w.weight).sum();
    for (h, s) in hits[..reach].iter_mut().zip(&stated) {
        h.0 *= 1.0 + WEIGHT * (*s / total);
    }
}

/// Marks the candidates (indices into `hits`, in index order) that hold `term` before position
/// `limit`.
fn mark_early(
    stats: &Stats,
    term: &Term,
    limit: u32,
    hits: &[(Score, DocAddress)],
    order: &[usize],
    seen: &mut [bool],
    positions: &mut Vec<u32>,
) {
    let stat = stats.term(term);
    if stat.doc_freq == 0 {
        return;
    }
    let mut current: Option<(u32, tantivy::postings::SegmentPostings)> = None;
    for &i in order {
        if seen[i] {
            continue;
        }
        let addr = hits[i].1;
        if current
            .as_ref()
            .is_none_or(|(ord, _)| *ord != addr.segment_ord)
        {
            current = None;
            let Some(Some(info)) = stat.infos.get(addr.segment_ord as usize) else {
                continue;
            };
            let Some(inv) = stats
                .segment(addr.segment_ord as usize)
                .and_then(|s| s.inverted.get(&term.field()))
            else {
                continue;
            };
            let Ok(p) =
                inv.read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
            else {
                continue;
            };
            current = Some((addr.segment_ord, p));
        }
        let Some((_, p)) = current.as_mut() else {
            continue;
        };
        if p.doc() < addr.doc_id && p.seek(addr.doc_id) != addr.doc_id {
            continue;
        }
        if p.doc() != addr.doc_id {
            continue;
        }
        positions.clear();
        p.positions(positions);
        if positions.first().is_some_and(|first| *first < limit) {
            seen[i] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::doc;

    /// An index of the real schema with two Spanish provisions: one whose opening states
    /// "pasaporte", one that mentions it after forty other words.
    fn two_docs() -> (tempfile::TempDir, Stats, Fields) {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = tantivy::Index::create_in_dir(dir.path(), Fields::schema()).expect("index");
        crate::index::analyzer::register(&index);
        let f = Fields::from_schema(&index.schema()).expect("fields");
        let mut w = index.writer(15_000_000).expect("writer");
        let filler =
            "el funcionario consular tramita los documentos de viaje del solicitante ".repeat(8);
        w.add_document(doc!(f.body(Language::Es) => "El pasaporte se expide en el consulado."))
            .expect("add");
        w.add_document(doc!(f.body(Language::Es) => format!("{filler} y también el pasaporte.")))
            .expect("add");
        w.commit().expect("commit");
        let reader = index.reader().expect("reader");
        let stats = Stats::new(reader.searcher()).expect("stats");
        (dir, stats, f)
    }

    #[test]
    fn a_word_in_the_opening_lifts_its_provision_above_a_passing_mention() {
        let (_dir, stats, f) = two_docs();
        let q = crate::search::query::parse("pasaportes").expect("parses");
        let df = |t: &Term| stats.doc_freq(t);
        let words = word_terms(&f, &q, None, &df, 2);
        assert_eq!(words.len(), 1);
        let early = DocAddress::new(0, 0);
        let late = DocAddress::new(0, 1);
        // the passing mention starts ahead
        let mut hits = vec![(1.0, early), (1.5, late)];
        rerank(&stats, &words, &mut hits);
        hits.sort_by(|a, b| b.0.total_cmp(&a.0));
        assert_eq!(hits[0], (2.0, early), "{hits:?}");
        assert_eq!(hits[1], (1.5, late), "{hits:?}");
    }

    #[test]
    fn a_query_without_content_words_changes_nothing() {
        let (_dir, stats, f) = two_docs();
        let q = crate::search::query::parse("de la").expect("parses");
        let df = |t: &Term| stats.doc_freq(t);
        let words = word_terms(&f, &q, None, &df, 2);
        assert!(words.is_empty());
        let mut hits = vec![(1.0, DocAddress::new(0, 0))];
        rerank(&stats, &words, &mut hits);
        assert_eq!(hits[0].0, 1.0);
    }
}
