//! Evaluating a query tree term at a time. A search needs every matching document (facet
//! counts and the total count them all), so nothing is gained from tantivy's document-at-a-time
//! scorers, which skip ahead for top-k: an expanded query is a hundred terms in nested unions,
//! and merging those unions cost more than reading the postings. Here each clause's postings
//! are read straight through and added into per-document accumulators; scores are BM25 as
//! tantivy's term queries compute them (same statistics, same weights), so rankings do not
//! change.

use super::stats::Stats;
use std::cell::RefCell;
use tantivy::query::{EnableScoring, PhraseQuery, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Term, TERMINATED};

/// A query as the engine evaluates it: terms scored with BM25, phrases scored by tantivy,
/// constant-score terms, and sums of clauses.
#[derive(Debug, Clone)]
pub enum Node {
    /// A term, BM25-scored, times a boost.
    Term(Term, Score),
    /// A phrase (terms of one field), scored by tantivy's phrase query, times a boost.
    Phrase(Vec<Term>, Score),
    /// Documents holding the term, each scored the constant.
    Const(Term, Score),
    /// Documents matching at least `min` clauses (at least one), scored the sum of the
    /// clauses they match: `min` 1 is OR, `min` = number of clauses is AND.
    Sum { clauses: Vec<Node>, min: usize },
    /// Documents of the first node that match none of the others.
    Minus(Box<Node>, Vec<Node>),
    /// Every document, scored 1.
    All,
    /// No document.
    Nothing,
}

impl Node {
    /// OR of the clauses: nothing if there are none, the clause itself if there is one.
    pub fn any(clauses: Vec<Node>) -> Node {
        // An OR of ORs is one OR, and a term met twice in an OR scores the sum of its two
        // boosts: merging them gives the same scores and reads each posting list once (a
        // word and its glossary translation often analyse to the same term).
        let mut flat: Vec<Node> = Vec::with_capacity(clauses.len());
        for c in clauses {
            match c {
                Node::Sum { clauses, min: 1 } => flat.extend(clauses),
                Node::Nothing => {}
                other => flat.push(other),
            }
        }
        let mut clauses: Vec<Node> = Vec::with_capacity(flat.len());
        for c in flat {
            let same = clauses.iter_mut().find_map(|k| match (k, &c) {
                (Node::Term(a, x), Node::Term(b, y)) | (Node::Const(a, x), Node::Const(b, y))
                    if a == b =>
                {
                    Some((x, *y))
                }
                (Node::Phrase(a, x), Node::Phrase(b, y)) if a == b => Some((x, *y)),
                _ => None,
            });
            match same {
                Some((x, y)) => *x += y,
                None => clauses.push(c),
            }
        }
        match clauses.len() {
            0 => Node::Nothing,
            1 => clauses.pop().unwrap_or(Node::Nothing),
            _ => Node::Sum { clauses, min: 1 },
        }
    }

    /// AND of the clauses.
    pub fn every(clauses: Vec<Node>) -> Node {
        if clauses.is_empty() || clauses.iter().any(|c| matches!(c, Node::Nothing)) {
            return Node::Nothing;
        }
        let min = clauses.len();
        Node::Sum { clauses, min }
    }

    /// The node with every score multiplied by `b` (a boost distributes over sums).
    pub fn boosted(self, b: Score) -> Node {
        match self {
            Node::Term(t, s) => Node::Term(t, s * b),
            Node::Phrase(t, s) => Node::Phrase(t, s * b),
            Node::Const(t, s) => Node::Const(t, s * b),
            Node::Sum { clauses, min } => Node::Sum {
                clauses: clauses.into_iter().map(|c| c.boosted(b)).collect(),
                min,
            },
            Node::Minus(p, n) => Node::Minus(Box::new(p.boosted(b)), n),
            other => other,
        }
    }

    /// How many postings evaluating the node reads: its terms' document frequencies summed
    /// (a term is read straight through); a phrase, which tantivy evaluates as an
    /// intersection that skips along its rarest term, costs that term's frequency once per
    /// word; `All` reads no posting list.
    pub fn postings(&self, doc_freq: &dyn Fn(&Term) -> u64) -> u64 {
        match self {
            Node::Term(t, _) | Node::Const(t, _) => doc_freq(t),
            Node::Phrase(ts, _) => ts.iter().map(doc_freq).min().unwrap_or(0) * ts.len() as u64,
            Node::Sum { clauses, .. } => clauses.iter().map(|c| c.postings(doc_freq)).sum(),
            Node::Minus(p, n) => {
                p.postings(doc_freq) + n.iter().map(|c| c.postings(doc_freq)).sum::<u64>()
            }
            Node::All | Node::Nothing => 0,
        }
    }

    /// Every term the node looks up (for tests).
    #[cfg(test)]
    pub fn terms(&self, out: &mut Vec<Term>) {
        match self {
            Node::Term(t, _) | Node::Const(t, _) => out.push(t.clone()),
            Node::Phrase(ts, _) => out.extend(ts.iter().cloned()),
            Node::Sum { clauses, .. } => clauses.iter().for_each(|c| c.terms(out)),
            Node::Minus(p, n) => {
                p.terms(out);
                n.iter().for_each(|c| c.terms(out));
            }
            Node::All | Node::Nothing => {}
        }
    }
}

/// Every live document matching the node, with its score, in document order per segment.
pub fn matches(node: &Node, stats: &Stats) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let searcher = stats.searcher();
    let mut out = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let seg = Segment {
            ord,
            reader,
            stats,
            searcher,
        };
        let docs = seg.eval(node)?;
        let alive = reader.alive_bitset();
        out.extend(
            docs.into_iter()
                .filter(|(d, _)| alive.is_none_or(|a| a.is_alive(*d)))
                .map(|(d, s)| (s, DocAddress::new(ord as u32, d))),
        );
    }
    Ok(out)
}

/// Puts the `k` best matches first, best first, ties in document order, and returns how many
/// that is: only as far as a page (or a candidate list) reaches is sorted.
pub fn rank_top(hits: &mut [(Score, DocAddress)], k: usize) -> usize {
    let rank =
        |a: &(Score, DocAddress), b: &(Score, DocAddress)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let reach = k.min(hits.len());
    if reach > 0 && reach < hits.len() {
        hits.select_nth_unstable_by(reach - 1, rank);
    }
    hits[..reach].sort_unstable_by(rank);
    reach
}

struct Segment<'a> {
    ord: usize,
    reader: &'a tantivy::SegmentReader,
    stats: &'a Stats,
    searcher: &'a tantivy::Searcher,
}

impl Segment<'_> {
    /// The node's matches in this segment, in document order.
    fn eval(&self, node: &Node) -> tantivy::Result<Vec<(DocId, Score)>> {
        match node {
            Node::Sum { clauses, min } => self.sum(clauses, *min),
            Node::Minus(pos, neg) => {
                let docs = self.eval(pos)?;
                if docs.is_empty() || neg.is_empty() {
                    return Ok(docs);
                }
                let mut scratch = Scratch::take(self.reader.max_doc());
                for n in neg {
                    self.stream(n, &mut |d, _| scratch.mark(d))?;
                }
                let kept = docs
                    .into_iter()
                    .filter(|(d, _)| !scratch.is_marked(*d))
                    .collect();
                Ok(kept)
            }
            Node::All => Ok((0..self.reader.max_doc()).map(|d| (d, 1.0)).collect()),
            Node::Nothing => Ok(Vec::new()),
            leaf => {
                let mut out = Vec::new();
                self.stream(leaf, &mut |d, s| out.push((d, s)))?;
                Ok(out)
            }
        }
    }

    /// Documents matching at least `min` of the clauses, in document order.
    fn sum(&self, clauses: &[Node], min: usize) -> tantivy::Result<Vec<(DocId, Score)>> {
        let mut scratch = Scratch::take(self.reader.max_doc());
        for (i, c) in clauses.iter().enumerate() {
            let tag = i as u32 + 1;
            self.stream(c, &mut |d, s| scratch.add(d, s, tag))?;
        }
        Ok(scratch.drain(min.max(1) as u32))
    }

    /// Calls `f` for each (document, score) the node matches. An OR is streamed through, its
    /// clauses one after the other, so a document may come more than once: the caller adds
    /// the scores up and counts the document once for the clause.
    fn stream(&self, node: &Node, f: &mut dyn FnMut(DocId, Score)) -> tantivy::Result<()> {
        match node {
            Node::Term(t, boost) => self.postings(t, true, &mut |d, s| f(d, s * boost)),
            Node::Const(t, score) => self.postings(t, false, &mut |d, _| f(d, *score)),
            Node::Phrase(terms, boost) => {
                let q = PhraseQuery::new(terms.clone());
                let scoring =
                    EnableScoring::enabled_from_statistics_provider(self.stats, self.searcher);
                let mut scorer = q.weight(scoring)?.scorer(self.reader, *boost)?;
                let mut d = scorer.doc();
                while d != TERMINATED {
                    f(d, scorer.score());
                    d = scorer.advance();
                }
                Ok(())
            }
            Node::Sum { clauses, min: 1 } => {
                for c in clauses {
                    self.stream(c, f)?;
                }
                Ok(())
            }
            Node::Nothing => Ok(()),
            other => {
                for (d, s) in self.eval(other)? {
                    f(d, s);
                }
                Ok(())
            }
        }
    }

    /// Reads a term's postings in this segment: each document with the term's BM25 score
    /// there (unboosted) when `scored`, 0 otherwise.
    fn postings(
        &self,
        t: &Term,
        scored: bool,
        f: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let stat = self.stats.term(t);
        let (Some(Some(info)), Some(seg)) =
            (stat.infos.get(self.ord), self.stats.segment(self.ord))
        else {
            return Ok(());
        };
        let Some(inv) = seg.inverted.get(&t.field()) else {
            return Ok(());
        };
        // Whole blocks at a time: the posting lists are read to the end anyway.
        match (scored, stat.bm25()) {
            (true, Some(bm25)) => {
                let mut p =
                    inv.read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                let norms = seg.norms.get(&t.field());
                loop {
                    let docs = p.docs();
                    if docs.is_empty() {
                        break;
                    }
                    for (&d, &tf) in docs.iter().zip(p.freqs()) {
                        let norm = norms.map_or(1, |n| n.fieldnorm_id(d));
                        f(d, bm25.score(norm, tf));
                    }
                    p.advance();
                }
            }
            _ => {
                let mut p =
                    inv.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                loop {
                    let docs = p.docs();
                    if docs.is_empty() {
                        break;
                    }
                    docs.iter().for_each(|&d| f(d, 0.0));
                    p.advance();
                }
            }
        }
        Ok(())
    }
}

/// Per-document accumulators for one sum, kept per thread and reused: a sum touches a few
/// thousand documents of a segment, and zeroing arrays the size of the segment for each of a
/// query's sums would cost more than the sums.
#[derive(Default)]
struct Scratch {
    score: Vec<Score>,
    /// Clauses matched, and the last clause that added to the document.
    count: Vec<(u32, u32)>,
    /// Which documents were touched, to read them back in order and reset only them.
    touched: Vec<u64>,
}

thread_local! {
    static POOL: RefCell<Vec<Scratch>> = const { RefCell::new(Vec::new()) };
}

impl Scratch {
    fn take(max_doc: DocId) -> Guard {
        let n = max_doc as usize;
        let mut s = POOL.with(|p| p.borrow_mut().pop()).unwrap_or_default();
        if s.score.len() < n {
            s.score.resize(n, 0.0);
            s.count.resize(n, (0, 0));
            s.touched.resize(n.div_ceil(64), 0);
        }
        Guard(s)
    }
}

/// A scratch taken from the pool, given back (clean) when dropped.
struct Guard(Scratch);

impl Drop for Guard {
    fn drop(&mut self) {
        let mut s = std::mem::take(&mut self.0);
        s.drain_with(|_, _, _| {});
        POOL.with(|p| p.borrow_mut().push(s));
    }
}

impl std::ops::Deref for Guard {
    type Target = Scratch;
    fn deref(&self) -> &Scratch {
        &self.0
    }
}

impl std::ops::DerefMut for Guard {
    fn deref_mut(&mut self) -> &mut Scratch {
        &mut self.0
    }
}

impl Scratch {
    #[inline]
    fn add(&mut self, d: DocId, s: Score, tag: u32) {
        let i = d as usize;
        self.touched[i >> 6] |= 1 << (i & 63);
        self.score[i] += s;
        let c = &mut self.count[i];
        if c.1 != tag {
            *c = (c.0 + 1, tag);
        }
    }

    fn mark(&mut self, d: DocId) {
        let i = d as usize;
        self.touched[i >> 6] |= 1 << (i & 63);
    }

    fn is_marked(&self, d: DocId) -> bool {
        let i = d as usize;
        self.touched[i >> 6] & (1 << (i & 63)) != 0
    }

    /// The documents matched by at least `min` clauses, in order; resets what it reads.
    fn drain(&mut self, min: u32) -> Vec<(DocId, Score)> {
        let mut out = Vec::new();
        self.drain_with(|d, score, count| {
            if count >= min {
                out.push((d, score));
            }
        });
        out
    }

    /// Calls `f` with each touched document (in order), its score and its clause count, and
    /// zeroes it: only what a sum touched is reset, not the whole segment.
    fn drain_with(&mut self, mut f: impl FnMut(DocId, Score, u32)) {
        for w in 0..self.touched.len() {
            let mut bits = std::mem::take(&mut self.touched[w]);
            while bits != 0 {
                let i = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                f(i as DocId, self.score[i], self.count[i].0);
                self.score[i] = 0.0;
                self.count[i] = (0, 0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The evaluator against tantivy's own queries, which it replaces: same documents, same
    //! scores.
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{
        AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, TermQuery,
    };
    use tantivy::schema::{Schema, STRING, TEXT};
    use tantivy::{doc, Index};

    const DOCS: &[(&str, &str)] = &[
        ("consular assistance to detained nationals", "a"),
        ("the consular post shall inform the detained national", "b"),
        ("passports are issued by the consular post", "a"),
        ("notification of arrest without delay", "c"),
        ("detained detained detained persons in custody", "b"),
        ("civil registry of births abroad", "a"),
        ("the post and the consular archives", "c"),
    ];

    fn index() -> (Index, tantivy::schema::Field, tantivy::schema::Field) {
        let mut sb = Schema::builder();
        let body = sb.add_text_field("body", TEXT);
        let tag = sb.add_text_field("tag", STRING);
        let index = Index::create_in_ram(sb.build());
        let mut w = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for (text, t) in DOCS {
            w.add_document(doc!(body => *text, tag => *t)).expect("add");
        }
        // posting lists longer than one block of 128 documents, of varied lengths and counts
        for i in 0..400 {
            let mut text = String::from("consular");
            for (k, word) in [
                (2, "detained"),
                (3, "post"),
                (5, "passports"),
                (7, "custody"),
            ] {
                if i % k == 0 {
                    text.push(' ');
                    text.push_str(&word.repeat(1 + i % 3).replace("d", "d "));
                }
            }
            let t = ["a", "b", "c"][i % 3];
            w.add_document(doc!(body => text, tag => t)).expect("add");
        }
        w.commit().expect("commit");
        (index, body, tag)
    }

    /// Both sides as (document, score) in document order.
    fn compare(node: &Node, query: &dyn Query) {
        let (index, _, _) = index();
        let searcher = index.reader().expect("reader").searcher();
        let stats = Stats::new(searcher.clone()).expect("stats");
        let mut ours: Vec<(DocAddress, f32)> = matches(node, &stats)
            .expect("evaluates")
            .into_iter()
            .map(|(s, a)| (a, s))
            .collect();
        ours.sort_by_key(|x| x.0);
        let mut theirs: Vec<(DocAddress, f32)> = searcher
            .search(query, &TopDocs::with_limit(10_000).order_by_score())
            .expect("searches")
            .into_iter()
            .map(|(s, a)| (a, s))
            .collect();
        theirs.sort_by_key(|x| x.0);
        let docs = |v: &[(DocAddress, f32)]| v.iter().map(|x| x.0.doc_id).collect::<Vec<_>>();
        assert!(
            docs(&ours) == docs(&theirs),
            "{node:?}: {} vs {} documents",
            ours.len(),
            theirs.len()
        );
        for (a, b) in ours.iter().zip(&theirs) {
            assert!((a.1 - b.1).abs() < 1e-4, "{node:?}: {} vs {}", a.1, b.1);
        }
    }

    #[test]
    fn matches_and_scores_as_tantivy_does() {
        let (_, body, tag) = index();
        let t = |w: &str| Term::from_field_text(body, w);
        let tq = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(t(w), IndexRecordOption::WithFreqs))
        };
        let should = |ws: &[&str]| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                ws.iter().map(|w| (Occur::Should, tq(w))).collect(),
            ))
        };
        let or = |ws: &[&str]| Node::any(ws.iter().map(|w| Node::Term(t(w), 1.0)).collect());
        // one term, with repeated occurrences and different lengths
        compare(&Node::Term(t("detained"), 1.0), &*tq("detained"));
        // OR, AND, boosts
        compare(
            &or(&["consular", "detained"]),
            &*should(&["consular", "detained"]),
        );
        compare(
            &Node::every(vec![
                Node::Term(t("consular"), 1.0),
                Node::Term(t("post"), 1.0),
            ]),
            &BooleanQuery::new(vec![
                (Occur::Must, tq("consular")),
                (Occur::Must, tq("post")),
            ]),
        );
        compare(
            &or(&["consular", "arrest"]).boosted(0.3),
            &BoostQuery::new(should(&["consular", "arrest"]), 0.3),
        );
        // at least two of three clauses, each itself an OR
        compare(
            &Node::Sum {
                clauses: vec![
                    or(&["consular", "passports"]),
                    or(&["post"]),
                    or(&["detained", "custody"]),
                ],
                min: 2,
            },
            &BooleanQuery::union_with_minimum_required_clauses(
                vec![
                    should(&["consular", "passports"]),
                    tq("post"),
                    should(&["detained", "custody"]),
                ],
                2,
            ),
        );
        // a phrase, a constant score, exclusion
        compare(
            &Node::Phrase(vec![t("consular"), t("post")], 2.0),
            &BoostQuery::new(
                Box::new(tantivy::query::PhraseQuery::new(vec![
                    t("consular"),
                    t("post"),
                ])),
                2.0,
            ),
        );
        let tag_a = Term::from_field_text(tag, "a");
        compare(
            &Node::any(vec![
                Node::Const(tag_a.clone(), 0.5),
                Node::Term(t("arrest"), 1.0),
            ]),
            &BooleanQuery::new(vec![
                (
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(tag_a, IndexRecordOption::Basic)),
                        0.5,
                    )),
                ),
                (Occur::Should, tq("arrest")),
            ]),
        );
        compare(
            &Node::Minus(
                Box::new(or(&["consular"])),
                vec![or(&["archives", "passports"])],
            ),
            &BooleanQuery::new(vec![
                (Occur::Must, tq("consular")),
                (Occur::MustNot, should(&["archives", "passports"])),
            ]),
        );
        // everything, nothing, an AND with a clause that matches nothing
        compare(&Node::All, &AllQuery);
        compare(&Node::Nothing, &EmptyQuery);
        compare(
            &Node::every(vec![
                Node::Term(t("consular"), 1.0),
                Node::Term(t("zzz"), 1.0),
            ]),
            &EmptyQuery,
        );
    }
}
