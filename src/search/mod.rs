//! The search engine: one entry point per question (`Engine::search`, `matching_ids`,
//! `provision`, `instruments`, `more_like_this`, ...), typed requests in, typed results out.
//! It opens the live generation with a manual reload policy and keeps, per document, the values
//! of every filter dimension in memory (`dims`, read once when the generation is opened), so
//! filters and disjunctive facet counts (`facets`) are computed in one pass over the matches.
//!
//! Not for: HTTP (see `api`), terminal output (see `cli`).

mod cache;
pub mod dims;
mod eval;
pub mod facets;
pub mod glossary;
mod group;
pub mod known_item;
mod opening;
mod practices;
pub mod query;
pub mod relevance;
mod render;
pub mod request;
pub mod response;
pub mod similar;
pub mod snippet;
mod stats;
mod tquery;

use crate::annotate::taxonomy::Taxonomy;
use crate::annotate::{Annotator, QueryMatch};
use crate::corpus::countries::Registry;
use crate::corpus::model::{CountryCode, Language, ProvisionId};
use crate::error::{Error, Result};
use crate::index::build::InstrumentEntry;
use crate::index::generation::{self, GenerationMeta};
use crate::index::schema::Fields;
use crate::index::Record;
use cache::Bounded;
pub use dims::Dims;
pub use known_item::{KnownItemReport, VCCR_COPIES, VCCR_SOURCE};
pub use query::{ParsedQuery, Query};
pub use relevance::SearchEvalReport;
pub use request::SearchRequest;
pub use response::*;
pub use similar::{MoreLikeThis, SimilarHit};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, TantivyDocument};

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

/// Default number of search responses an engine keeps (`serve --result-cache`).
pub const RESULT_CACHE_DEFAULT: usize = 1024;
/// Folded prefixes whose cognates an engine keeps.
const COGNATE_CACHE: usize = 20_000;

/// How many postings one search may read, per indexed provision. Evaluation reads every
/// posting of every term (facets count all matches), so this bounds a request's cost by what
/// it asks rather than by how many common words it strings together: an analyst's sentence
/// reads one to five per provision, 64 of the commonest words of four languages about 26.
pub const POSTINGS_PER_DOC: u64 = 6;
/// Cognates looked up per prefix at most.
const MAX_COGNATES: usize = 32;

/// Matching documents with their scores.
type Scored = Vec<(f32, DocAddress)>;

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
    dims: dims::DimTable,
    stats: stats::Stats,
    facets: facets::FacetIndex,
    /// The shared practices served with this generation.
    practices: practices::PracticeSet,
    /// Cognates by folded prefix, looked up in the term dictionary once per prefix.
    cognates: Bounded<String, Arc<[String]>>,
    /// Responses of recent searches, keyed by the normalised request.
    results: Bounded<String, Arc<SearchResponse>>,
    /// Recently shown provisions, parsed and analysed (see `render`).
    shown: Bounded<DocAddress, Arc<render::Shown>>,
}

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

    /// Opens one generation by name (the live one or any other kept).
    pub fn open_generation(index_root: &Path, name: &str, res: Resources) -> Result<Engine> {
        let Resources {
            annotator,
            registry,
            glossary,
        } = res;
        let dir = generation::dir(index_root, name);
        let meta = generation::read_meta(index_root, name)?;
        let (fields, reader) = generation::open_reader(&dir)?;
        let p = dir.join("instruments.json");
        let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
        let instruments: Vec<InstrumentEntry> = serde_json::from_str(&text)
            .map_err(|e| Error::Data(format!("{}: {e}", p.display())))?;
        let searcher = reader.searcher();
        let dims = dims::DimTable::load(
            searcher.segment_readers().iter().map(|s| s.max_doc()),
            &registry,
            |addr| read_record(&searcher, &fields, addr),
        )?;
        let facets = facets::FacetIndex::new(dims.segments());
        let mut practices = practices::PracticeSet::open(&dir)?;
        practices.resolve_articles(|instrument| {
            dims.of_instrument(instrument)
                .iter()
                .filter_map(|a| read_record(&searcher, &fields, *a).ok())
                .map(|r| (r.provision.id, r.provision.number))
                .collect()
        });
        Ok(Engine {
            practices,
            stats: stats::Stats::new(searcher)?,
            meta,
            reader,
            fields,
            annotator,
            registry,
            glossary,
            instruments,
            dims,
            facets,
            cognates: Bounded::new(COGNATE_CACHE),
            results: Bounded::new(RESULT_CACHE_DEFAULT),
            shown: Bounded::new(render::SHOWN_CACHE),
        })
    }

    /// Every document's dimensions, with its address (for comparisons over the whole index).
    pub fn docs(&self) -> impl Iterator<Item = (DocAddress, &Dims)> {
        self.dims.iter()
    }

    /// The dimensions of the document at an address.
    pub fn dims_at(&self, a: DocAddress) -> Option<&Dims> {
        self.dims.at(a)
    }

    /// The dimensions of a provision by id.
    pub fn dims_of(&self, id: &ProvisionId) -> Option<(DocAddress, &Dims)> {
        let a = self.dims.address(id.as_str())?;
        Some((a, self.dims.at(a)?))
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
        read_record(&self.reader.searcher(), &self.fields, addr)
    }

    /// Words of the neutral field that start with `prefix` (at most `MAX_COGNATES`), cached.
    fn cognates(&self, prefix: &str) -> Arc<[String]> {
        self.cognates.get_or_insert_with(prefix, || {
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
            out.into_iter().collect()
        })
    }

    /// The glossary of equivalent terms (the brief's translation hints).
    pub(crate) fn glossary(&self) -> &glossary::Glossary {
        &self.glossary
    }

    /// Runs `f` with what query trees are built from: the schema's fields, the generation's
    /// term statistics, and the translator (glossary and cognates).
    fn with_query_builder<R>(&self, f: impl FnOnce(&tquery::Ctx, &tquery::Translator) -> R) -> R {
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
        f(&cx, &translator)
    }

    /// How many documents hold the term (cached per generation).
    fn doc_freq(&self, t: &tantivy::Term) -> u64 {
        self.stats.doc_freq(t)
    }

    /// Every document the query tree matches, with its score, unsorted (see `eval`).
    fn evaluate(&self, q: &eval::Node) -> Result<Vec<(f32, DocAddress)>> {
        Ok(eval::matches(q, &self.stats)?)
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        self.annotator.taxonomy()
    }
    pub fn registry(&self) -> &Registry {
        &self.registry
    }
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The categories a query would be expanded to.
    pub fn expansions(&self, q: &ParsedQuery) -> Vec<QueryMatch> {
        // quoted phrases are matched as typed, never expanded
        let words = q.unquoted_words().join(" ");
        if words.trim().is_empty() {
            return Vec::new();
        }
        self.annotator.query_categories(&words)
    }

    /// Sets how many search responses this engine keeps; 0 turns the cache off.
    pub fn set_result_cache(&mut self, capacity: usize) {
        self.results.set_capacity(capacity);
    }

    /// Runs a search, or answers it from the result cache.
    pub fn search(&self, r: &SearchRequest) -> Result<SearchResponse> {
        let t0 = Instant::now();
        r.validate()?;
        if self.results.capacity() == 0 {
            return self.run_search(r);
        }
        let key = serde_json::to_string(r).map_err(|e| Error::Data(e.to_string()))?;
        if let Some(hit) = self.results.get(&key) {
            let mut out = (*hit).clone();
            out.cached = true;
            out.took_ms = Timings {
                total: t0.elapsed().as_secs_f64() * 1000.0,
                ..Timings::default()
            };
            return Ok(out);
        }
        let out = self.run_search(r)?;
        self.results.insert(key, Arc::new(out.clone()));
        Ok(out)
    }

    /// The ids of every provision the request matches, best first, without facets, snippets
    /// or stored records (for callers that only need to know which provisions match).
    pub fn matching_ids(&self, r: &SearchRequest) -> Result<Vec<ProvisionId>> {
        r.validate()?;
        let (parsed, _) = self.budgeted(r.q.parsed(), r.expand)?;
        let (matches, _) = self.expanded_matches(r, &parsed)?;
        let filter = self.facets.filter(r);
        let mut hits: Vec<(f32, DocAddress)> = matches
            .into_iter()
            .filter(|(_, a)| {
                self.dims_at(*a).is_some_and(|d| d.in_years(r.from, r.to))
                    && self.facets.passes_all(&filter, *a)
            })
            .collect();
        let all = hits.len();
        let reach = eval::rank_top(&mut hits, all);
        Ok(hits[..reach]
            .iter()
            .filter_map(|(_, a)| self.dims_at(*a).map(|d| d.id.clone()))
            .collect())
    }

    /// The query within the postings budget (`POSTINGS_PER_DOC`): as parsed when it fits
    /// (nearly always); otherwise without its costliest unquoted words, which are returned as
    /// typed. The cheapest word is always kept. Quoted phrases and excluded words are what the
    /// user was most deliberate about (a phrase dropped would loosen the search, an exclusion
    /// dropped would let back what was kept away): they are never left out, and beyond the
    /// budget on their own they are a 400. Category expansions are not counted (at most a few
    /// categories, each bounded by its descriptors).
    fn budgeted<'q>(
        &self,
        q: &'q ParsedQuery,
        expand: bool,
    ) -> Result<(std::borrow::Cow<'q, ParsedQuery>, Vec<String>)> {
        use std::borrow::Cow;
        // a floor, so that a small index (a test, a sample corpus) does not prune ordinary
        // queries of its few documents
        let budget = POSTINGS_PER_DOC * self.num_docs().max(4096);
        self.with_query_builder(|cx, tr| {
            let tr = expand.then_some(tr);
            let excluded: u64 = q
                .excluded
                .iter()
                .map(|c| tquery::clause_postings(cx, c, None))
                .sum();
            // a phrase is read in its group and, when expanding, again as a requirement
            let phrases: u64 = q
                .groups
                .iter()
                .flatten()
                .filter(|c| matches!(c, query::Clause::Phrase(_)))
                .map(|c| tquery::clause_postings(cx, c, tr) * if tr.is_some() { 2 } else { 1 })
                .sum();
            if excluded + phrases > budget {
                return Err(Error::Invalid {
                    param: "q".into(),
                    message: format!(
                        "the quoted phrases and excluded words occur {} times in the index, more than one search may read ({budget}); quote or exclude fewer or rarer words",
                        excluded + phrases
                    ),
                });
            }
            let excluded = excluded + phrases;
            // a group of stopwords beside content words is not searched (`tquery::build`):
            // it costs nothing and is never named as left out
            let stop = query::Clause::is_stopword;
            let content = q.groups.iter().any(|g| !g.iter().all(stop));
            let mut costs: Vec<(u64, usize, usize)> = Vec::new();
            for (g, cs) in q.groups.iter().enumerate() {
                if content && cs.iter().all(stop) {
                    continue;
                }
                for (c, clause) in cs.iter().enumerate() {
                    if matches!(clause, query::Clause::Word(_)) {
                        costs.push((tquery::clause_postings(cx, clause, tr), g, c));
                    }
                }
            }
            if excluded + costs.iter().map(|c| c.0).sum::<u64>() <= budget {
                return Ok((Cow::Borrowed(q), Vec::new()));
            }
            costs.sort();
            let mut spent = excluded;
            let mut drop = Vec::new();
            for (i, (cost, g, c)) in costs.into_iter().enumerate() {
                if (i == 0 && phrases == 0) || spent + cost <= budget {
                    spent += cost;
                } else {
                    drop.push((g, c));
                }
            }
            drop.sort();
            // only words are in `costs`, so only words are left out
            let left_out = drop
                .iter()
                .filter_map(|(g, c)| match &q.groups[*g][*c] {
                    query::Clause::Word(w) => Some(w.clone()),
                    query::Clause::Phrase(_) => None,
                })
                .collect();
            Ok((Cow::Owned(q.without(&drop)), left_out))
        })
    }

    /// Every document the (budgeted) query matches, unsorted, and the categories it was
    /// expanded to.
    fn expanded_matches(
        &self,
        r: &SearchRequest,
        parsed: &ParsedQuery,
    ) -> Result<(Scored, Vec<QueryMatch>)> {
        let matches = if r.expand {
            self.expansions(parsed)
        } else {
            Vec::new()
        };
        let tax = self.taxonomy();
        let tq = self.with_query_builder(|cx, tr| {
            tquery::build(cx, parsed, &matches, tax, r.expand.then_some(tr))
        });
        let mut scored = self.evaluate(&tq)?;
        let gl = r.expand.then_some(&self.glossary);
        let df = |t: &tantivy::Term| self.doc_freq(t);
        let words = opening::word_terms(&self.fields, parsed, gl, &df, self.num_docs());
        opening::rerank(&self.stats, &words, &mut scored);
        Ok((scored, matches))
    }

    /// The practices a request finds, best first (all of them, filtered).
    fn practice_matches(
        &self,
        r: &SearchRequest,
        parsed: &ParsedQuery,
        matches: &[QueryMatch],
    ) -> Result<Vec<(f32, &crate::index::practices::PracticeEntry)>> {
        let Some((fields, stats)) = self.practices.index() else {
            return Ok(Vec::new());
        };
        let cognates = |prefix: &str| self.cognates(prefix);
        let translator = tquery::Translator {
            glossary: &self.glossary,
            cognates: &cognates,
        };
        let doc_freq = |t: &tantivy::Term| stats.doc_freq(t);
        let cx = tquery::Ctx {
            fields,
            doc_freq: &doc_freq,
        };
        let tq = tquery::build(
            &cx,
            parsed,
            matches,
            self.taxonomy(),
            r.expand.then_some(&translator),
        );
        Ok(self
            .practices
            .matches(&tq)?
            .into_iter()
            .filter(|(_, e)| practices::passes(e, r, &self.registry))
            .collect())
    }

    /// The served practices, in id order: those a state runs or takes part in (`country`),
    /// in a category or under it (`category`), or all.
    pub fn practices(
        &self,
        country: Option<&CountryCode>,
        category: Option<&crate::annotate::taxonomy::CategoryId>,
    ) -> Vec<PracticeHit> {
        let mut v: Vec<_> = self
            .practices
            .entries()
            .iter()
            .filter(|e| {
                country.is_none_or(|c| e.practice.involves(c))
                    && category.is_none_or(|c| e.practice.in_category(c))
            })
            .map(|e| PracticeHit::of(e, None))
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// One practice with its record, sources and links to the law.
    pub fn practice(&self, id: &str) -> Result<crate::index::practices::PracticeEntry> {
        self.practices
            .get(id)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("practice '{id}'")))
    }

    /// The practices of a state (run by it, or a mechanism it takes part in) in a category.
    pub fn practices_of(
        &self,
        country: &CountryCode,
        category: &crate::annotate::taxonomy::CategoryId,
    ) -> Vec<PracticeHit> {
        self.practices
            .of(country, category)
            .into_iter()
            .map(|e| PracticeHit::of(e, None))
            .collect()
    }

    /// The practices a provision's page lists: those whose legal basis names it (its
    /// instrument, with no article or with its number) first, then those of its country in
    /// one of its categories.
    pub fn practices_for_provision(&self, d: &Dims, number: &str) -> Vec<PracticeHit> {
        let mut out: Vec<PracticeHit> = self
            .practices
            .naming(&d.instrument)
            .into_iter()
            .filter(|e| {
                e.legal_links.iter().any(|l| {
                    l.instrument == d.instrument && l.article.as_deref().is_none_or(|a| a == number)
                })
            })
            .map(|e| PracticeHit::of(e, None))
            .collect();
        for (c, _) in &d.tags {
            for e in self.practices.of(&d.country, c) {
                if !out.iter().any(|h| h.id == e.practice.id) {
                    out.push(PracticeHit::of(e, None));
                }
            }
        }
        out
    }

    fn run_search(&self, r: &SearchRequest) -> Result<SearchResponse> {
        let t0 = Instant::now();
        // Every match, unsorted: facets and the total need them all, but only the page
        // needs ranking (sorting thousands of matches was a tenth of a search).
        let (parsed, left_out) = self.budgeted(r.q.parsed(), r.expand)?;
        let parsed = parsed.as_ref();
        let (all, matches) = self.expanded_matches(r, parsed)?;
        // Both kinds are counted whatever `type` asks for (the `type` facet is disjunctive,
        // like the others); only the ones asked for are listed.
        let mut found_practices = self.practice_matches(r, parsed, &matches)?;
        let t1 = Instant::now();

        let filter = self.facets.filter(r);
        let in_years = all
            .into_iter()
            .filter(|(_, a)| self.dims_at(*a).is_some_and(|d| d.in_years(r.from, r.to)));
        let (mut hits_all, mut facets) = self.facets.tally(&filter, in_years);
        let provision_count = hits_all.len();
        let practice_count = found_practices.len();
        if !r.wants(request::DocType::Provision) {
            // the other facets count what is listed
            (hits_all, facets) = self.facets.tally(&filter, std::iter::empty());
        }
        if !r.wants(request::DocType::Practice) {
            found_practices.clear();
        }
        facets.insert(
            "type".to_string(),
            [
                ("provision".to_string(), provision_count),
                ("practice".to_string(), practice_count),
            ]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect(),
        );
        let t2 = Instant::now();

        // Rank only as far as the page reaches (with grouping, as far as its groups reach).
        let tax = self.taxonomy();
        let expansions = render::expansions(&matches, tax);
        let (entries, grouped) = if r.group {
            let prefer = self.preferred_languages(r, &expansions);
            let grouped = group::folded(&hits_all, &self.dims);
            let entries = group::page(&mut hits_all, r.offset, r.limit, &prefer, &self.dims);
            (entries, grouped)
        } else {
            let reach = eval::rank_top(&mut hits_all, r.offset + r.limit);
            let entries = hits_all[..reach]
                .iter()
                .skip(r.offset)
                .map(|h| group::Entry {
                    hit: *h,
                    also: Vec::new(),
                })
                .collect();
            (entries, 0)
        };
        let page = entries
            .iter()
            .map(|e| Ok((e.hit.0, self.shown(e.hit.1)?)))
            .collect::<Result<Vec<_>>>()?;
        let t3 = Instant::now();

        let gl = r.expand.then_some(&self.glossary);
        let terms = tquery::highlight_terms(parsed, &matches, tax, gl);
        let mut hits = render::hits(page, terms);
        for (h, e) in hits.iter_mut().zip(&entries) {
            h.also_in = e
                .also
                .iter()
                .filter_map(|a| self.dims_at(*a))
                .map(|d| CopyRef {
                    id: d.id.clone(),
                    country: d.country.clone(),
                    language: d.language,
                })
                .collect();
        }
        let t4 = Instant::now();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
        Ok(SearchResponse {
            query: r.q.as_str().to_string(),
            total: hits_all.len(),
            offset: r.offset,
            limit: r.limit,
            hits,
            grouped,
            facet_unit: "provisions",
            facets,
            expansions,
            expanded_words: if r.expand {
                parsed
                    .unquoted_words()
                    .into_iter()
                    .filter(|w| !crate::corpus::lang::is_stopword(w))
                    .map(str::to_string)
                    .collect()
            } else {
                Vec::new()
            },
            literal_phrases: parsed
                .groups
                .iter()
                .flatten()
                .filter_map(|c| match c {
                    query::Clause::Phrase(ws) => Some(ws.join(" ")),
                    query::Clause::Word(_) => None,
                })
                .collect(),
            left_out,
            generation: self.meta.generation.clone(),
            took_ms: Timings {
                query: ms(t0, t1),
                facets: ms(t1, t2),
                stored: ms(t2, t3),
                snippets: ms(t3, t4),
                total: ms(t0, t4),
            },
            cached: false,
            practice_total: found_practices.len(),
            practices: found_practices
                .iter()
                .skip(if r.wants(request::DocType::Provision) {
                    0
                } else {
                    r.offset
                })
                .take(r.limit)
                .map(|(s, e)| PracticeHit::of(e, Some(*s)))
                .collect(),
        })
    }

    /// The languages a group of copies is shown in, first choice first: the `lang` filter's,
    /// else the query's (told by its function words, else by the language of the category
    /// descriptors it matched); empty when nothing tells, and the best-ranked copy is shown.
    fn preferred_languages(&self, r: &SearchRequest, expansions: &[Expansion]) -> Vec<Language> {
        if !r.languages.is_empty() {
            return r.languages.clone();
        }
        crate::corpus::lang::detect(r.q.as_str())
            .or_else(|| expansions.first().map(|e| e.matched_language))
            .into_iter()
            .collect()
    }

    /// One provision with its full text, annotation, twins and provenance.
    pub fn provision(&self, id: &ProvisionId) -> Result<ProvisionDetail> {
        let addr = self
            .dims
            .address(id.as_str())
            .ok_or_else(|| Error::NotFound(format!("provision {id}")))?;
        let record = self.record(addr)?;
        let twins = match &record.provision.twin {
            Some(t) => match self.dims.address(t.as_str()) {
                Some(a) => {
                    let tr = self.record(a)?;
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
        let practices = match self.dims.at(addr) {
            Some(d) => self.practices_for_provision(d, &record.provision.number),
            None => Vec::new(),
        };
        Ok(ProvisionDetail {
            record,
            twins,
            practices,
        })
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
        for a in self.dims.of_instrument(id) {
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

/// The stored record of a document, read through a searcher.
fn read_record(searcher: &tantivy::Searcher, fields: &Fields, addr: DocAddress) -> Result<Record> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let json = doc
        .get_first(fields.record)
        .and_then(|v| v.as_str())
        .ok_or_else(|| Error::Data("document without record".into()))?;
    Ok(serde_json::from_str(json)?)
}
