//! BM25 statistics of a generation, cached. A generation never changes, so a term is looked
//! up once: its document frequency, its BM25 weight and where its postings start in each
//! segment. Expanded queries ask for the same few hundred terms again and again, many of
//! which no document has (a Portuguese word looked up in the English fields); the query
//! builder leaves those out (see `tquery::Ctx`), and the evaluator (`eval`) reads postings
//! straight from the cached term infos instead of walking the term dictionary each time.

use rustc_hash::FxHashMap;
use std::sync::{Arc, RwLock};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::TermInfo;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::Field;
use tantivy::{InvertedIndexReader, Searcher, Term};

/// Past this many terms the cache starts over (a generation's queries use far fewer).
const MAX_TERMS: usize = 200_000;

/// What the evaluator needs to know of a term.
pub struct TermStat {
    /// Documents holding the term, over all segments.
    pub doc_freq: u64,
    /// Where its postings are, per segment (`None`: not in that segment).
    pub infos: Box<[Option<TermInfo>]>,
    bm25: Option<Bm25Weight>,
}

impl TermStat {
    /// The term's BM25 weight (without boost); `None` if no document has it.
    pub fn bm25(&self) -> Option<&Bm25Weight> {
        self.bm25.as_ref()
    }
}

/// The readers of one segment that scoring needs, opened once per generation.
pub struct SegmentReaders {
    pub inverted: FxHashMap<Field, Arc<InvertedIndexReader>>,
    pub norms: FxHashMap<Field, FieldNormReader>,
}

pub struct Stats {
    searcher: Searcher,
    docs: u64,
    tokens: FxHashMap<Field, u64>,
    /// Per field, a BM25 weight and its idf: a term's weight is this one scaled by the ratio
    /// of idfs, sharing its table of length factors (1 KB, which each term would otherwise
    /// build and keep).
    templates: FxHashMap<Field, (Bm25Weight, f32)>,
    segments: Vec<SegmentReaders>,
    terms: RwLock<FxHashMap<Term, Arc<TermStat>>>,
}

impl Stats {
    /// Reads the token totals of every indexed field once, and opens each segment's
    /// inverted index and field norms.
    pub fn new(searcher: Searcher) -> tantivy::Result<Stats> {
        let mut tokens = FxHashMap::default();
        let mut segments: Vec<SegmentReaders> = searcher
            .segment_readers()
            .iter()
            .map(|_| SegmentReaders {
                inverted: FxHashMap::default(),
                norms: FxHashMap::default(),
            })
            .collect();
        for (field, entry) in searcher.schema().fields() {
            if !entry.is_indexed() {
                continue;
            }
            tokens.insert(field, searcher.total_num_tokens(field)?);
            for (seg, reader) in segments.iter_mut().zip(searcher.segment_readers()) {
                seg.inverted.insert(field, reader.inverted_index(field)?);
                // as tantivy's term scorer: a field without norms counts every document as one
                // token long
                let norms = if entry.has_fieldnorms() {
                    reader.get_fieldnorms_reader(field)?
                } else {
                    FieldNormReader::constant(reader.max_doc(), 1)
                };
                seg.norms.insert(field, norms);
            }
        }
        let docs = searcher.num_docs();
        let templates = tokens
            .iter()
            .map(|(field, n)| {
                let avg = *n as f32 / docs.max(1) as f32;
                let w = Bm25Weight::for_one_term_without_explain(1, docs, avg);
                (*field, (w, idf(1, docs)))
            })
            .collect();
        Ok(Stats {
            docs,
            searcher,
            tokens,
            templates,
            segments,
            terms: RwLock::new(FxHashMap::default()),
        })
    }

    /// The searcher these statistics describe.
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The readers of segment `ord`.
    pub fn segment(&self, ord: usize) -> Option<&SegmentReaders> {
        self.segments.get(ord)
    }

    /// Everything known of a term (a read error counts as "not there": the term then adds
    /// nothing to a query).
    pub fn term(&self, t: &Term) -> Arc<TermStat> {
        if let Some(s) = self.terms.read().ok().and_then(|m| m.get(t).cloned()) {
            return s;
        }
        let infos: Box<[Option<TermInfo>]> = self
            .segments
            .iter()
            .map(|seg| {
                seg.inverted
                    .get(&t.field())
                    .and_then(|inv| inv.get_term_info(t).ok().flatten())
            })
            .collect();
        let doc_freq: u64 = infos.iter().flatten().map(|i| u64::from(i.doc_freq)).sum();
        let bm25 = self
            .templates
            .get(&t.field())
            .filter(|_| doc_freq > 0)
            .map(|(w, base)| w.boost_by(idf(doc_freq, self.docs) / base));
        let s = Arc::new(TermStat {
            doc_freq,
            infos,
            bm25,
        });
        if let Ok(mut m) = self.terms.write() {
            if m.len() >= MAX_TERMS {
                m.clear();
            }
            m.insert(t.clone(), s.clone());
        }
        s
    }

    /// How many documents hold the term.
    pub fn doc_freq(&self, t: &Term) -> u64 {
        self.term(t).doc_freq
    }
}

/// BM25's inverse document frequency, as tantivy computes it.
fn idf(doc_freq: u64, docs: u64) -> f32 {
    let x = ((docs - doc_freq.min(docs)) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

impl Bm25StatisticsProvider for Stats {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.tokens.get(&field) {
            Some(n) => Ok(*n),
            None => self.searcher.total_num_tokens(field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(Stats::doc_freq(self, term))
    }
}
