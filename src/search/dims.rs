//! The filter dimensions of every document, read once when a generation is opened, and the
//! lookups by provision id and by instrument. Filters, facets and every comparison run over
//! these in memory instead of asking the index.

use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::countries::Registry;
use crate::corpus::model::{CountryCode, InstrumentKind, Language, ProvisionId};
use crate::error::Result;
use crate::index::Record;
use std::collections::HashMap;
use tantivy::DocAddress;

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
    /// The leaf categories it holds in its own words as a primary subject, how firmly, and
    /// whether a sentence naming it names a consular or foreign element
    /// (`annotate::role::held`).
    pub own: Vec<(CategoryId, crate::annotate::role::Holding, bool)>,
    /// Categories with evidence below the tagging threshold (not among its tags).
    pub near: Vec<crate::annotate::Near>,
    /// The same provision in the other official language.
    pub twin: Option<ProvisionId>,
    /// Copies of one provision share this number (`group`): a Vienna Convention article and
    /// its reproductions, a Canadian section and its twin. Set by `DimTable::load`.
    pub group: Option<u32>,
}

impl Dims {
    /// The dimensions of a stored record; subsystems come from the country registry.
    pub fn of_record(r: &Record, registry: &Registry) -> Dims {
        let subsystems = registry
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
        let holding = crate::annotate::role::held(
            &r.annotation.tags,
            &r.provision.text,
            r.provision.heading.as_deref().unwrap_or(""),
            r.provision.language,
        );
        Dims {
            own: r
                .annotation
                .tags
                .iter()
                .zip(holding)
                .filter(|(_, (h, _))| *h != crate::annotate::role::Holding::Passing)
                .map(|(t, (h, abroad))| (t.category.clone(), h, abroad))
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
            group: None,
            id: r.provision.id.clone(),
            instrument: r.provision.instrument.clone(),
            tags: r
                .annotation
                .tags
                .iter()
                .map(|t| (t.category.clone(), t.confidence))
                .collect(),
            treaty_copy: r.instrument.kind == InstrumentKind::Treaty || r.provision.part.is_some(),
            country: r.instrument.country.clone(),
            subsystems,
            kind: r.instrument.kind,
            categories,
            language: r.provision.language,
            modality: r.annotation.modality,
            in_force: r.instrument.in_force && r.provision.is_operative(),
            year: r.instrument.year,
        }
    }

    /// Whether the document is inside a year range (not a facet: always applied).
    pub fn in_years(&self, from: Option<i64>, to: Option<i64>) -> bool {
        (from.is_none() && to.is_none())
            || self
                .year
                .is_some_and(|y| from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t))
    }
}

/// Every document's dimensions by address, and the addresses by id and by instrument.
#[derive(Default)]
pub(crate) struct DimTable {
    /// Per segment, per document.
    dims: Vec<Vec<Dims>>,
    by_id: HashMap<String, DocAddress>,
    /// Provisions of each instrument, in document order.
    by_instrument: HashMap<String, Vec<DocAddress>>,
}

impl DimTable {
    /// Reads every document of every segment (`max_docs` per segment) through `record`.
    pub(crate) fn load(
        max_docs: impl Iterator<Item = u32>,
        registry: &Registry,
        record: impl Fn(DocAddress) -> Result<Record>,
    ) -> Result<DimTable> {
        let mut t = DimTable::default();
        let mut groups: HashMap<String, u32> = HashMap::new();
        for (seg_ord, max_doc) in max_docs.enumerate() {
            let mut v = Vec::with_capacity(max_doc as usize);
            for doc_id in 0..max_doc {
                let addr = DocAddress::new(seg_ord as u32, doc_id);
                let r = record(addr)?;
                t.by_id.insert(r.provision.id.to_string(), addr);
                t.by_instrument
                    .entry(r.provision.instrument.clone())
                    .or_default()
                    .push(addr);
                let mut d = Dims::of_record(&r, registry);
                d.group = super::group::key(&d.id, d.twin.as_ref()).map(|k| {
                    let next = groups.len() as u32;
                    *groups.entry(k).or_insert(next)
                });
                v.push(d);
            }
            t.dims.push(v);
        }
        Ok(t)
    }

    /// Per segment, per document (what the facet index numbers).
    pub(crate) fn segments(&self) -> &[Vec<Dims>] {
        &self.dims
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (DocAddress, &Dims)> {
        self.dims.iter().enumerate().flat_map(|(s, v)| {
            v.iter()
                .enumerate()
                .map(move |(d, x)| (DocAddress::new(s as u32, d as u32), x))
        })
    }

    pub(crate) fn at(&self, a: DocAddress) -> Option<&Dims> {
        self.dims
            .get(a.segment_ord as usize)
            .and_then(|s| s.get(a.doc_id as usize))
    }

    pub(crate) fn address(&self, id: &str) -> Option<DocAddress> {
        self.by_id.get(id).copied()
    }

    pub(crate) fn of_instrument(&self, id: &str) -> &[DocAddress] {
        self.by_instrument.get(id).map_or(&[], |v| v.as_slice())
    }
}
