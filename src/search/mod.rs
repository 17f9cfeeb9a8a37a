//! The search engine: one entry point per question (`Engine::search`, `provision`,
//! `instruments`, ...), typed requests in, typed results out. It opens the live generation
//! with a manual reload policy and keeps, per document, the values of every filter dimension in
//! memory (read once when the generation is opened), so filters and disjunctive facet counts
//! are computed in one pass over the matches.
//!
//! Not for: HTTP (see `api`), terminal output (see `cli`).

pub mod eval;
pub mod facets;
pub mod glossary;
pub mod query;
pub mod request;
pub mod snippet;
pub mod stats;
pub mod tquery;

use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::{CategoryId, Taxonomy};
use crate::annotate::{Annotator, QueryMatch, Tag};
use crate::corpus::countries::{Country, Registry};
use crate::corpus::model::{CountryCode, InstrumentKind, Language, ProvisionId};
use crate::error::{Error, Result};
use crate::index::build::InstrumentEntry;
use crate::index::generation::{self, GenerationMeta};
use crate::index::schema::Fields;
use crate::index::{analyzer, Record};
pub use request::SearchRequest;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, TantivyDocument};

/// The filter dimensions of one document, and what comparisons rank by.
#[derive(Debug, Clone)]
pub struct Dims {
    pub id: ProvisionId,
    pub instrument: String,
    pub country: CountryCode,
    pub subsystems: Vec<String>,
    pub kind: InstrumentKind,
    /// Leaf categories and their ancestors.
    pub categories: Vec<CategoryId>,
    /// Leaf tags with their confidence.
    pub tags: Vec<(CategoryId, f32)>,
    pub language: Language,
    pub modality: Modality,
    pub in_force: bool,
    pub year: Option<i64>,
    /// A treaty, or a treaty reproduced inside a national law or schedule.
    pub treaty_copy: bool,
    /// What the provision does (`annotate::role`), for the model-provision ranking.
    pub role: crate::annotate::role::ProvisionRole,
    pub text_quality: f32,
    /// The leaf categories it holds in its own words as a primary subject, and how firmly
    /// (`annotate::role::own_words`).
    pub own: Vec<(CategoryId, crate::annotate::role::Holding)>,
    /// Categories with evidence below the tagging threshold (not among its tags).
    pub near: Vec<crate::annotate::Near>,
    /// The same provision in the other official language.
    pub twin: Option<ProvisionId>,
}

/// Characters of a provision searched first for a snippet.
const SNIPPET_WINDOW: usize = 1500;
/// Characters of a snippet.
const SNIPPET_CHARS: usize = 240;

/// The facet dimensions, in response order.
pub const DIMENSIONS: [&str; 7] = [
    "country",
    "subsystem",
    "kind",
    "category",
    "lang",
    "modality",
    "in_force",
];

pub use snippet::Snippet;

#[derive(Debug, Clone, Serialize)]
pub struct InstrumentRef {
    pub id: String,
    pub title: String,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: ProvisionId,
    pub instrument: InstrumentRef,
    pub country: CountryCode,
    pub kind: InstrumentKind,
    pub language: Language,
    pub number: String,
    pub heading: Option<String>,
    pub part: Option<String>,
    pub categories: Vec<Tag>,
    pub modality: Modality,
    pub in_force: bool,
    pub score: f32,
    pub snippet: Snippet,
}

/// A category the query was expanded to, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Expansion {
    pub category: CategoryId,
    /// The query words that matched the category's descriptors, and in which language.
    pub matched: Vec<String>,
    pub matched_language: Language,
    /// Descriptors added, per language.
    pub added: BTreeMap<Language, Vec<String>>,
}

/// Milliseconds spent in each stage of a search.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub query: f64,
    pub facets: f64,
    pub stored: f64,
    pub snippets: f64,
    pub total: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<Hit>,
    /// Disjunctive counts: a dimension's counts ignore that dimension's own filter.
    pub facets: BTreeMap<String, BTreeMap<String, usize>>,
    pub expansions: Vec<Expansion>,
    pub generation: String,
    pub took_ms: Timings,
    /// True when the response came from the generation's result cache (`took_ms` then
    /// times the lookup; the stage times are zero).
    pub cached: bool,
}

/// A provision with everything the API shows about it.
#[derive(Debug, Clone, Serialize)]
pub struct ProvisionDetail {
    #[serde(flatten)]
    pub record: Record,
    /// The same provision in other languages (Canadian EN/FR pairs).
    pub twins: Vec<TwinRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TwinRef {
    pub id: ProvisionId,
    pub language: Language,
    pub heading: Option<String>,
}

/// An instrument and its provisions (ids, numbers and headings).
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentDetail {
    #[serde(flatten)]
    pub entry: InstrumentEntry,
    pub provision_list: Vec<ProvisionRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProvisionRef {
    pub id: ProvisionId,
    pub number: String,
    pub heading: Option<String>,
    pub categories: Vec<CategoryId>,
}

/// An instrument whose source lacks articles.
#[derive(Debug, Clone, Serialize)]
pub struct PartialSource {
    pub instrument: String,
    pub title: String,
    pub missing_articles: usize,
    /// The audit in one line (`partial: missing 1-4, 7 (5 articles)`).
    pub summary: String,
}

/// A country with what the index holds of it.
#[derive(Debug, Clone, Serialize)]
pub struct CountryEntry {
    #[serde(flatten)]
    pub country: Country,
    pub instruments: usize,
    pub provisions: usize,
}

/// The project data an engine needs beside the index.
pub struct Resources {
    pub annotator: Annotator,
    pub registry: Registry,
    pub glossary: glossary::Glossary,
}

impl Resources {
    /// Loads taxonomy, country registry and glossary from their files.
    pub fn load(taxonomy: &Path, countries: &Path, glossary: &Path) -> Result<Resources> {
        Ok(Resources {
            annotator: Annotator::new(Taxonomy::load(taxonomy)?),
            registry: Registry::load(countries)?,
            glossary: glossary::Glossary::load(glossary)?,
        })
    }
}

/// An open generation and everything needed to answer questions about it.
pub struct Engine {
    pub meta: GenerationMeta,
    reader: IndexReader,
    fields: Fields,
    annotator: Annotator,
    registry: Registry,
    glossary: glossary::Glossary,
    instruments: Vec<InstrumentEntry>,
    dims: Vec<Vec<Dims>>,
    by_id: HashMap<String, DocAddress>,
    /// Cognates by folded prefix, looked up in the term dictionary once per prefix.
    cognate_cache: std::sync::Mutex<HashMap<String, Arc<[String]>>>,
    /// Provision ids of each instrument, in document order.
    by_instrument: HashMap<String, Vec<DocAddress>>,
    /// Responses of recent searches, keyed by the normalised request. A generation never
    /// changes, so entries never go stale; a new generation opens a new engine and cache.
    results: std::sync::Mutex<HashMap<String, Arc<SearchResponse>>>,
    result_capacity: usize,
    stats: stats::Stats,
    facets: facets::FacetIndex,
    /// Recently shown provisions, parsed and analysed: parsing a stored record and
    /// analysing its opening for a snippet are most of the cost of showing a hit, and the
    /// same provisions come back across searches.
    shown: std::sync::Mutex<rustc_hash::FxHashMap<DocAddress, Arc<Shown>>>,
}

/// Provisions an engine keeps parsed (about 8 kB each).
const SHOWN_CACHE: usize = 2048;

/// A provision as a hit shows it: its record, and the analysed words of its opening (the
/// first `SNIPPET_WINDOW` characters), where its snippet is looked for first.
pub(crate) struct Shown {
    record: Record,
    opening_end: usize,
    opening: Vec<crate::text::Token>,
}

/// Default number of search responses an engine keeps (`serve --result-cache`).
pub const RESULT_CACHE_DEFAULT: usize = 1024;

impl Engine {
    /// Opens the live generation under `index_root`.
    pub fn open(index_root: &Path, res: Resources) -> Result<Engine> {
        let name = generation::current(index_root)?.ok_or_else(|| {
            Error::NoIndex(format!(
                "no generation under {}; run `consulex index`",
                index_root.display()
            ))
        })?;
        Self::open_generation(index_root, &name, res)
    }

    pub fn open_generation(index_root: &Path, name: &str, res: Resources) -> Result<Engine> {
        let Resources {
            annotator,
            registry,
            glossary,
        } = res;
        let dir = generation::dir(index_root, name);
        let meta = generation::read_meta(index_root, name)?;
        let index = Index::open_in_dir(&dir)?;
        analyzer::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let p = dir.join("instruments.json");
        let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
        let instruments: Vec<InstrumentEntry> = serde_json::from_str(&text)
            .map_err(|e| Error::Data(format!("{}: {e}", p.display())))?;
        let stats = stats::Stats::new(reader.searcher())?;
        let mut engine = Engine {
            stats,
            meta,
            reader,
            fields,
            annotator,
            registry,
            glossary,
            instruments,
            dims: Vec::new(),
            by_id: HashMap::new(),
            by_instrument: HashMap::new(),
            cognate_cache: std::sync::Mutex::new(HashMap::new()),
            results: std::sync::Mutex::new(HashMap::new()),
            result_capacity: RESULT_CACHE_DEFAULT,
            shown: Default::default(),
            facets: Default::default(),
        };
        engine.load_dims()?;
        engine.facets = facets::FacetIndex::new(&engine.dims);
        Ok(engine)
    }

    fn load_dims(&mut self) -> Result<()> {
        let searcher = self.reader.searcher();
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            let mut v = Vec::with_capacity(seg.max_doc() as usize);
            for doc_id in 0..seg.max_doc() {
                let addr = DocAddress::new(seg_ord as u32, doc_id);
                let r = self.record(addr)?;
                self.by_id.insert(r.provision.id.to_string(), addr);
                self.by_instrument
                    .entry(r.provision.instrument.clone())
                    .or_default()
                    .push(addr);
                let subsystems = self
                    .registry
                    .get(&r.instrument.country)
                    .map(|c| c.subsystems.iter().chain(&c.associate).cloned().collect())
                    .unwrap_or_default();
                let mut categories: Vec<CategoryId> = r
                    .annotation
                    .categories()
                    .flat_map(|c| c.with_ancestors())
                    .collect();
                categories.sort();
                categories.dedup();
                let own = crate::annotate::role::own_words(&r.annotation.tags);
                v.push(Dims {
                    own: r
                        .annotation
                        .tags
                        .iter()
                        .zip(own)
                        .filter(|(_, h)| *h != crate::annotate::role::Holding::Passing)
                        .map(|(t, h)| (t.category.clone(), h))
                        .collect(),
                    near: r
                        .annotation
                        .near
                        .iter()
                        .filter(|n| !r.annotation.tags.iter().any(|t| t.category == n.category))
                        .cloned()
                        .collect(),
                    role: r.annotation.role.clone(),
                    text_quality: r.annotation.text_quality,
                    twin: r.provision.twin.clone(),
                    id: r.provision.id.clone(),
                    instrument: r.provision.instrument.clone(),
                    tags: r
                        .annotation
                        .tags
                        .iter()
                        .map(|t| (t.category.clone(), t.confidence))
                        .collect(),
                    treaty_copy: r.instrument.kind == InstrumentKind::Treaty
                        || r.provision.part.is_some(),
                    country: r.instrument.country.clone(),
                    subsystems,
                    kind: r.instrument.kind,
                    categories,
                    language: r.provision.language,
                    modality: r.annotation.modality,
                    in_force: r.instrument.in_force && r.provision.is_operative(),
                    year: r.instrument.year,
                });
            }
            self.dims.push(v);
        }
        Ok(())
    }

    /// Every document's dimensions, with its address (for comparisons over the whole index).
    pub fn docs(&self) -> impl Iterator<Item = (DocAddress, &Dims)> {
        self.dims.iter().enumerate().flat_map(|(s, v)| {
            v.iter()
                .enumerate()
                .map(move |(d, x)| (DocAddress::new(s as u32, d as u32), x))
        })
    }

    /// The dimensions of the document at an address.
    pub fn dims_at(&self, a: DocAddress) -> Option<&Dims> {
        self.dims
            .get(a.segment_ord as usize)
            .and_then(|s| s.get(a.doc_id as usize))
    }

    /// The dimensions of a provision by id.
    pub fn dims_of(&self, id: &ProvisionId) -> Option<(DocAddress, &Dims)> {
        let a = *self.by_id.get(id.as_str())?;
        Some((a, &self.dims[a.segment_ord as usize][a.doc_id as usize]))
    }

    /// The instruments' countries (which countries have sources).
    pub fn countries_with_sources(&self) -> std::collections::BTreeSet<CountryCode> {
        self.instruments
            .iter()
            .map(|i| i.summary.country.clone())
            .collect()
    }

    /// The stored record of a document.
    pub fn record(&self, addr: DocAddress) -> Result<Record> {
        let doc: TantivyDocument = self.reader.searcher().doc(addr)?;
        let json = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_str())
            .ok_or_else(|| Error::Data("document without record".into()))?;
        Ok(serde_json::from_str(json)?)
    }

    /// A provision as a hit shows it, from the cache when it is there.
    fn shown(&self, addr: DocAddress) -> Result<Arc<Shown>> {
        if let Some(r) = self.shown.lock().ok().and_then(|c| c.get(&addr).cloned()) {
            return Ok(r);
        }
        let record = self.record(addr)?;
        let text = record.provision.text.as_str();
        let opening_end = crate::text::char_offset(text, SNIPPET_WINDOW);
        let opening = crate::text::analyse(&text[..opening_end], record.provision.language);
        let r = Arc::new(Shown {
            record,
            opening_end,
            opening,
        });
        if let Ok(mut c) = self.shown.lock() {
            // Bounded: when full, start over (the provisions shown now come back at once).
            if c.len() >= SHOWN_CACHE {
                c.clear();
            }
            c.insert(addr, r.clone());
        }
        Ok(r)
    }

    /// Words of the neutral field that start with `prefix` (at most `MAX_COGNATES`), cached.
    pub(crate) fn cognates(&self, prefix: &str) -> Arc<[String]> {
        const MAX_COGNATES: usize = 32;
        const MAX_CACHE: usize = 20_000;
        if let Some(v) = self
            .cognate_cache
            .lock()
            .ok()
            .and_then(|c| c.get(prefix).cloned())
        {
            return v;
        }
        let mut out = std::collections::BTreeSet::new();
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xFF);
        for seg in self.reader.searcher().segment_readers() {
            let Ok(inv) = seg.inverted_index(self.fields.neutral) else {
                continue;
            };
            let Ok(mut stream) = inv
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .lt(&upper)
                .into_stream()
            else {
                continue;
            };
            while out.len() < MAX_COGNATES && stream.advance() {
                out.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        let v: Arc<[String]> = out.into_iter().collect();
        if let Ok(mut c) = self.cognate_cache.lock() {
            if c.len() >= MAX_CACHE {
                c.clear();
            }
            c.insert(prefix.to_string(), v.clone());
        }
        v
    }

    pub(crate) fn glossary(&self) -> &glossary::Glossary {
        &self.glossary
    }
    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }
    /// How many documents hold the term (cached per generation).
    pub(crate) fn doc_freq(&self, t: &tantivy::Term) -> u64 {
        self.stats.doc_freq(t)
    }
    /// Every document the query tree matches, with its score, unsorted (see `eval`).
    pub(crate) fn evaluate(&self, q: &eval::Node) -> Result<Vec<(f32, DocAddress)>> {
        Ok(eval::matches(q, &self.stats)?)
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        self.annotator.taxonomy()
    }
    pub fn annotator(&self) -> &Annotator {
        &self.annotator
    }
    pub fn registry(&self) -> &Registry {
        &self.registry
    }
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether a document is inside the request's year range (not a facet: always applied).
    fn in_years(d: &Dims, r: &SearchRequest) -> bool {
        (r.from.is_none() && r.to.is_none())
            || d.year
                .is_some_and(|y| r.from.is_none_or(|f| y >= f) && r.to.is_none_or(|t| y <= t))
    }

    /// The categories a query would be expanded to (empty when `expand` is off).
    pub fn expansions(&self, q: &query::ParsedQuery) -> Vec<QueryMatch> {
        let words = q.positive_words().join(" ");
        if words.trim().is_empty() {
            return Vec::new();
        }
        self.annotator.query_categories(&words)
    }

    /// Sets how many search responses this engine keeps; 0 turns the cache off.
    pub fn set_result_cache(&mut self, capacity: usize) {
        self.result_capacity = capacity;
        if let Ok(mut c) = self.results.lock() {
            c.clear();
        }
    }

    /// Runs a search, or answers it from the result cache.
    pub fn search(&self, r: &SearchRequest) -> Result<SearchResponse> {
        let t0 = Instant::now();
        r.validate()?;
        if self.result_capacity == 0 {
            return self.run_search(r);
        }
        let key = serde_json::to_string(r).map_err(|e| Error::Data(e.to_string()))?;
        let hit = self.results.lock().ok().and_then(|c| c.get(&key).cloned());
        if let Some(hit) = hit {
            let mut out = (*hit).clone();
            out.cached = true;
            out.took_ms = Timings {
                total: t0.elapsed().as_secs_f64() * 1000.0,
                ..Timings::default()
            };
            return Ok(out);
        }
        let out = self.run_search(r)?;
        if let Ok(mut c) = self.results.lock() {
            // Bounded: when full, start over (popular queries come back at once).
            if c.len() >= self.result_capacity {
                c.clear();
            }
            c.insert(key, Arc::new(out.clone()));
        }
        Ok(out)
    }

    fn run_search(&self, r: &SearchRequest) -> Result<SearchResponse> {
        let t0 = Instant::now();
        let parsed = query::parse(&r.q)?;
        let matches = if r.expand {
            self.expansions(&parsed)
        } else {
            Vec::new()
        };
        let tax = self.taxonomy();
        let gl = r.expand.then_some(&self.glossary);
        let cognates = |prefix: &str| self.cognates(prefix);
        let translator = tquery::Translator {
            glossary: &self.glossary,
            cognates: &cognates,
        };
        let doc_freq = |t: &tantivy::Term| self.stats.doc_freq(t);
        let cx = tquery::Ctx {
            fields: &self.fields,
            doc_freq: &doc_freq,
        };
        let tq = tquery::build(&cx, &parsed, &matches, tax, r.expand.then_some(&translator));
        // Every match, unsorted: facets and the total need them all, but only the page
        // needs ranking (sorting thousands of matches was a tenth of a search).
        let all = self.evaluate(&tq)?;
        let t1 = Instant::now();

        let filter = self.facets.filter(r);
        let mut counts = self.facets.counts();
        let mut hits_all: Vec<(f32, DocAddress)> = Vec::new();
        for (score, addr) in &all {
            let Some(d) = self.dims_at(*addr) else {
                continue;
            };
            if !Self::in_years(d, r) {
                continue;
            }
            let (seg, doc) = (addr.segment_ord, addr.doc_id);
            let p = self.facets.passes(&filter, seg, doc);
            let failed = p.iter().filter(|ok| !**ok).count();
            if failed == 0 {
                hits_all.push((*score, *addr));
            }
            if failed > 1 {
                continue;
            }
            // disjunctive: a dimension's counts apply the other dimensions' filters, not its
            // own; a document failing one filter counts only in that filter's dimension
            let count = std::array::from_fn(|k| failed == 0 || !p[k]);
            self.facets.count(&mut counts, seg, doc, count);
        }
        let facets = self.facets.render(counts);
        let t2 = Instant::now();

        // Rank only as far as the page reaches.
        let reach = eval::rank_top(&mut hits_all, r.offset + r.limit);
        let page: Vec<(f32, DocAddress)> =
            hits_all[..reach].iter().skip(r.offset).copied().collect();
        let records: Vec<(f32, Arc<Shown>)> = page
            .iter()
            .map(|(s, a)| Ok((*s, self.shown(*a)?)))
            .collect::<Result<_>>()?;
        let t3 = Instant::now();

        let mut terms = tquery::highlight_terms(&parsed, &matches, tax, gl);
        let mut highlighters: HashMap<Language, snippet::Highlighter> = HashMap::new();
        let mut hits = Vec::with_capacity(records.len());
        for (score, shown) in records {
            let rec = &shown.record;
            let lang = rec.provision.language;
            let h = highlighters.entry(lang).or_insert_with(|| {
                snippet::Highlighter::new(lang, terms.remove(&lang).unwrap_or_default())
            });
            // Look in the opening first, and in the rest only when the opening has no match:
            // a long provision is seldom read past its opening.
            let full = rec.provision.text.as_str();
            let window_end = shown.opening_end;
            let found = if h.is_empty() {
                None
            } else {
                h.snippet_analysed(&full[..window_end], &shown.opening, SNIPPET_CHARS)
                    .or_else(|| {
                        (window_end < full.len())
                            .then(|| h.snippet(full, SNIPPET_CHARS))
                            .flatten()
                    })
            };
            // no highlighted word (or a filter-only search): the opening of the provision
            let snippet = found.unwrap_or_else(|| {
                let end = crate::text::char_offset(full, SNIPPET_CHARS);
                Snippet {
                    text: full[..end].to_string(),
                    highlights: Vec::new(),
                    html: snippet::escape(&full[..end]),
                }
            });
            hits.push(Hit {
                id: rec.provision.id.clone(),
                instrument: InstrumentRef {
                    id: rec.instrument.id.clone(),
                    title: rec.instrument.title.clone(),
                },
                country: rec.instrument.country.clone(),
                kind: rec.instrument.kind,
                language: lang,
                number: rec.provision.number.clone(),
                heading: rec.provision.heading.clone(),
                part: rec.provision.part.clone(),
                categories: rec.annotation.tags.clone(),
                modality: rec.annotation.modality,
                in_force: rec.instrument.in_force && rec.provision.is_operative(),
                score,
                snippet,
            });
        }
        let t4 = Instant::now();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
        let expansions = matches
            .iter()
            .filter_map(|m| {
                let c = tax.get(&m.category)?;
                let mut added: BTreeMap<Language, Vec<String>> = BTreeMap::new();
                for (l, text, _) in tquery::expansion_terms(c) {
                    added.entry(l).or_default().push(text);
                }
                Some(Expansion {
                    category: m.category.clone(),
                    matched: m.matched.clone(),
                    matched_language: m.language,
                    added,
                })
            })
            .collect();
        Ok(SearchResponse {
            query: r.q.clone(),
            total: hits_all.len(),
            offset: r.offset,
            limit: r.limit,
            hits,
            facets,
            expansions,
            generation: self.meta.generation.clone(),
            took_ms: Timings {
                query: ms(t0, t1),
                facets: ms(t1, t2),
                stored: ms(t2, t3),
                snippets: ms(t3, t4),
                total: ms(t0, t4),
            },
            cached: false,
        })
    }

    /// One provision with its full text, annotation, twins and provenance.
    pub fn provision(&self, id: &ProvisionId) -> Result<ProvisionDetail> {
        let addr = self
            .by_id
            .get(id.as_str())
            .ok_or_else(|| Error::NotFound(format!("provision {id}")))?;
        let record = self.record(*addr)?;
        let twins = match &record.provision.twin {
            Some(t) => match self.by_id.get(t.as_str()) {
                Some(a) => {
                    let tr = self.record(*a)?;
                    vec![TwinRef {
                        id: t.clone(),
                        language: tr.provision.language,
                        heading: tr.provision.heading,
                    }]
                }
                None => vec![],
            },
            None => vec![],
        };
        Ok(ProvisionDetail { record, twins })
    }

    /// The country's instruments whose sources lack articles (`corpus::audit`), so that an
    /// absence found in them can be said to prove nothing.
    pub fn partial_sources(&self, country: &CountryCode) -> Vec<PartialSource> {
        self.instruments
            .iter()
            .filter(|i| &i.summary.country == country && i.completeness.is_partial())
            .map(|i| PartialSource {
                instrument: i.summary.id.clone(),
                title: i.summary.title.clone(),
                missing_articles: i.completeness.missing_count,
                summary: i.completeness.summary(),
            })
            .collect()
    }

    /// All instruments, optionally of one country.
    pub fn instruments(&self, country: Option<&CountryCode>) -> Vec<InstrumentEntry> {
        self.instruments
            .iter()
            .filter(|i| country.is_none_or(|c| &i.summary.country == c))
            .cloned()
            .collect()
    }

    /// One instrument with its provisions.
    pub fn instrument(&self, id: &str) -> Result<InstrumentDetail> {
        let entry = self
            .instruments
            .iter()
            .find(|i| i.summary.id == id)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("instrument {id}")))?;
        let mut provision_list = Vec::new();
        for a in self
            .by_instrument
            .get(id)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
        {
            let r = self.record(*a)?;
            provision_list.push(ProvisionRef {
                id: r.provision.id,
                number: r.provision.number,
                heading: r.provision.heading,
                categories: r.annotation.tags.into_iter().map(|t| t.category).collect(),
            });
        }
        Ok(InstrumentDetail {
            entry,
            provision_list,
        })
    }

    /// Every OAS member state (and INTL), with what the index holds of each.
    pub fn countries(&self) -> Vec<CountryEntry> {
        self.registry
            .countries
            .iter()
            .map(|c| {
                let insts: Vec<&InstrumentEntry> = self
                    .instruments
                    .iter()
                    .filter(|i| i.summary.country == c.code)
                    .collect();
                CountryEntry {
                    country: c.clone(),
                    instruments: insts.len(),
                    provisions: insts.iter().map(|i| i.provisions).sum(),
                }
            })
            .collect()
    }
}

/// Known-item search across languages: for each titled article of the English Vienna
/// Convention, its title as the query, restricted to one language; is a copy of the same
/// article in that language among the top 10?
#[derive(Debug, Clone, Serialize)]
pub struct KnownItemReport {
    pub language: Language,
    pub articles: usize,
    pub found_in_top10: usize,
    pub share: f64,
    pub missed: Vec<String>,
}

/// The English source copy and, per language, the copies that count as the same article.
pub const VCCR_SOURCE: &str = "intl-bwbv0004334-vienna-convention-on-consular-relations";
pub const VCCR_COPIES: &[(&str, &str)] = &[
    ("ar-ley-17081", "annex_1__art_"),
    ("co-ley-17-1971", "annex_1__art_"),
    ("ca-fra-f-29.4", "sched_2__art_"),
    ("ca-eng-f-29.4", "sched_2__art_"),
];

impl Engine {
    pub fn known_item(&self, lang: Language) -> Result<KnownItemReport> {
        let source = self.instrument(VCCR_SOURCE)?;
        let (mut articles, mut found, mut missed) = (0, 0, Vec::new());
        for p in source
            .provision_list
            .iter()
            .filter(|p| p.id.as_str().contains(":art_"))
        {
            let Some(title) = p.heading.as_deref().filter(|h| !h.trim().is_empty()) else {
                continue;
            };
            articles += 1;
            let q: String = title
                .chars()
                .filter(|c| !matches!(c, '"' | '(' | ')' | '-'))
                .collect();
            let req = SearchRequest {
                q,
                languages: vec![lang],
                limit: 10,
                ..Default::default()
            };
            let r = self.search(&req)?;
            let wanted: Vec<String> = VCCR_COPIES
                .iter()
                .map(|(inst, prefix)| format!("{inst}:{prefix}{}", p.number))
                .collect();
            if r.hits
                .iter()
                .any(|h| wanted.iter().any(|w| w == h.id.as_str()))
            {
                found += 1;
            } else {
                missed.push(format!("{} {title}", p.number));
            }
        }
        let share = if articles == 0 {
            0.0
        } else {
            (found as f64 / articles as f64 * 1000.0).round() / 1000.0
        };
        Ok(KnownItemReport {
            language: lang,
            articles,
            found_in_top10: found,
            share,
            missed,
        })
    }
}
