//! BM25 statistics of a generation, cached. A generation never changes, so a term's document
//! frequency is looked up once: expanded queries ask for the same few hundred terms again
//! and again, many of which no document has (a Portuguese word looked up in the English
//! fields); the query builder leaves those out (see `tquery::Ctx`).

use rustc_hash::FxHashMap;
use std::sync::RwLock;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Past this many terms the cache starts over (a generation's queries use far fewer).
const MAX_TERMS: usize = 200_000;

pub struct Stats {
    searcher: Searcher,
    docs: u64,
    tokens: FxHashMap<Field, u64>,
    df: RwLock<FxHashMap<Term, u64>>,
}

impl Stats {
    /// Reads the token totals of every indexed field once.
    pub fn new(searcher: Searcher) -> tantivy::Result<Stats> {
        let mut tokens = FxHashMap::default();
        for (field, entry) in searcher.schema().fields() {
            if entry.is_indexed() {
                tokens.insert(field, searcher.total_num_tokens(field)?);
            }
        }
        Ok(Stats {
            docs: searcher.num_docs(),
            searcher,
            tokens,
            df: RwLock::new(FxHashMap::default()),
        })
    }

    /// How many documents hold the term (0 on a read error: the term then adds nothing).
    pub fn doc_freq(&self, t: &Term) -> u64 {
        if let Some(n) = self.df.read().ok().and_then(|m| m.get(t).copied()) {
            return n;
        }
        let n = self.searcher.doc_freq(t).unwrap_or(0);
        if let Ok(mut m) = self.df.write() {
            if m.len() >= MAX_TERMS {
                m.clear();
            }
            m.insert(t.clone(), n);
        }
        n
    }
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
