//! Filters and disjunctive facet counts over the matches of a search, on small numbers: every
//! value of every dimension gets an id when a generation is opened, each document keeps the
//! ids of its values, and a request's filters become one table of allowed ids per dimension.
//! Counting is then array increments instead of string hashing, which matters for broad
//! searches (thousands of matches, seven dimensions, a dozen categories each).

use super::{Dims, SearchRequest, DIMENSIONS};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use tantivy::DocAddress;

/// Per dimension name, the values counted at least once and their counts.
pub type Facets = BTreeMap<String, BTreeMap<String, usize>>;

const DIMS: usize = DIMENSIONS.len();

/// The values of one document, as (dimension, value id) pairs in dimension order.
type DocIds = Vec<(u8, u32)>;

/// Value ids of every dimension, and every document's ids.
#[derive(Default)]
pub struct FacetIndex {
    values: [Vec<String>; DIMS],
    ids: [FxHashMap<String, u32>; DIMS],
    docs: Vec<Vec<DocIds>>,
}

/// The values of a document in each dimension (in `DIMENSIONS` order).
fn values(d: &Dims) -> [Vec<&str>; DIMS] {
    [
        vec![d.country.as_str()],
        d.subsystems.iter().map(String::as_str).collect(),
        vec![d.kind.as_str()],
        d.categories.iter().map(|c| c.as_str()).collect(),
        vec![d.language.code()],
        vec![d.modality.as_str()],
        vec![if d.in_force { "true" } else { "false" }],
    ]
}

/// What a request lets through: per dimension, the allowed value ids (`None`: no filter).
pub struct Filter {
    allowed: [Option<Vec<bool>>; DIMS],
}

impl FacetIndex {
    /// Numbers the values of every document, segment by segment.
    pub fn new(dims: &[Vec<Dims>]) -> FacetIndex {
        let mut f = FacetIndex::default();
        for seg in dims {
            let mut docs = Vec::with_capacity(seg.len());
            for d in seg {
                let mut ids: DocIds = Vec::new();
                for (k, vs) in values(d).into_iter().enumerate() {
                    for v in vs {
                        let next = f.values[k].len() as u32;
                        let id = *f.ids[k].entry(v.to_string()).or_insert(next);
                        if id == next {
                            f.values[k].push(v.to_string());
                        }
                        ids.push((k as u8, id));
                    }
                }
                docs.push(ids);
            }
            f.docs.push(docs);
        }
        f
    }

    /// The request's filters as allowed ids. A value no document has allows nothing.
    pub fn filter(&self, r: &SearchRequest) -> Filter {
        let table = |k: usize, wanted: Vec<String>| -> Option<Vec<bool>> {
            if wanted.is_empty() {
                return None;
            }
            let mut ok = vec![false; self.values[k].len()];
            for w in wanted {
                if let Some(id) = self.ids[k].get(&w) {
                    ok[*id as usize] = true;
                }
            }
            Some(ok)
        };
        let strings = |v: Vec<&str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
        Filter {
            allowed: [
                table(0, strings(r.countries.iter().map(|c| c.as_str()).collect())),
                table(1, r.subsystems.clone()),
                table(2, strings(r.kinds.iter().map(|k| k.as_str()).collect())),
                table(
                    3,
                    strings(r.categories.iter().map(|c| c.as_str()).collect()),
                ),
                table(4, strings(r.languages.iter().map(|l| l.code()).collect())),
                table(
                    5,
                    strings(r.modalities.iter().map(|m| m.as_str()).collect()),
                ),
                table(
                    6,
                    strings(
                        r.in_force
                            .iter()
                            .map(|b| if *b { "true" } else { "false" })
                            .collect(),
                    ),
                ),
            ],
        }
    }

    fn doc(&self, segment: u32, doc: u32) -> Option<&DocIds> {
        self.docs.get(segment as usize)?.get(doc as usize)
    }

    /// Keeps the matches that pass every filter, and counts the facets disjunctively: a
    /// dimension's counts apply the other dimensions' filters, not its own, so a document
    /// failing one filter counts only in that filter's dimension.
    pub fn tally(
        &self,
        filter: &Filter,
        matches: impl IntoIterator<Item = (f32, DocAddress)>,
    ) -> (Vec<(f32, DocAddress)>, Facets) {
        let mut counts = self.counts();
        let mut passing = Vec::new();
        for (score, addr) in matches {
            let (seg, doc) = (addr.segment_ord, addr.doc_id);
            let p = self.passes(filter, seg, doc);
            let failed = p.iter().filter(|ok| !**ok).count();
            if failed == 0 {
                passing.push((score, addr));
            }
            if failed > 1 {
                continue;
            }
            let count = std::array::from_fn(|k| failed == 0 || !p[k]);
            self.count(&mut counts, seg, doc, count);
        }
        (passing, self.render(counts))
    }

    /// Whether a document passes every filter.
    pub fn passes_all(&self, filter: &Filter, a: DocAddress) -> bool {
        self.passes(filter, a.segment_ord, a.doc_id)
            .iter()
            .all(|ok| *ok)
    }

    /// Which dimensions' filters a document passes.
    fn passes(&self, filter: &Filter, segment: u32, doc: u32) -> [bool; DIMS] {
        let mut pass = [true; DIMS];
        let Some(ids) = self.doc(segment, doc) else {
            return [false; DIMS];
        };
        for (k, allowed) in filter.allowed.iter().enumerate() {
            if let Some(ok) = allowed {
                pass[k] = ids
                    .iter()
                    .any(|(dim, id)| *dim as usize == k && ok[*id as usize]);
            }
        }
        pass
    }

    /// Adds a document to the counts of the dimensions marked in `count`.
    fn count(&self, counts: &mut Counts, segment: u32, doc: u32, count: [bool; DIMS]) {
        let Some(ids) = self.doc(segment, doc) else {
            return;
        };
        for (dim, id) in ids {
            if count[*dim as usize] {
                counts.0[*dim as usize][*id as usize] += 1;
            }
        }
    }

    /// Empty counts for every value.
    fn counts(&self) -> Counts {
        Counts(std::array::from_fn(|k| vec![0; self.values[k].len()]))
    }

    /// The counts as the response shows them: per dimension name, the values counted at
    /// least once.
    fn render(&self, counts: Counts) -> Facets {
        DIMENSIONS
            .iter()
            .zip(counts.0)
            .enumerate()
            .map(|(k, (name, c))| {
                let values = c
                    .into_iter()
                    .enumerate()
                    .filter(|(_, n)| *n > 0)
                    .map(|(id, n)| (self.values[k][id].clone(), n))
                    .collect();
                (name.to_string(), values)
            })
            .collect()
    }
}

/// Per dimension, a count per value id.
struct Counts([Vec<usize>; DIMS]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::modality::Modality;
    use crate::corpus::model::{InstrumentKind, Language, ProvisionId};

    fn doc(country: &str, cats: &[&str], lang: Language) -> Dims {
        Dims {
            id: ProvisionId::new("x", "art_1"),
            instrument: "x".into(),
            country: country.parse().expect("country"),
            subsystems: vec![],
            kind: InstrumentKind::Law,
            categories: cats.iter().map(|c| c.parse().expect("category")).collect(),
            tags: vec![],
            language: lang,
            modality: Modality::Obligation,
            in_force: true,
            year: None,
            treaty_copy: false,
            role: Default::default(),
            text_quality: 1.0,
            own: vec![],
            near: vec![],
            twin: None,
            group: None,
        }
    }

    /// Tallies every document of segment 0, returning how many pass and the facets.
    fn facets(f: &FacetIndex, r: &SearchRequest, n: u32) -> (usize, Facets) {
        let all = (0..n).map(|d| (0.0, DocAddress::new(0, d)));
        let (passing, facets) = f.tally(&f.filter(r), all);
        (passing.len(), facets)
    }

    #[test]
    fn a_dimension_ignores_its_own_filter_but_not_the_others() {
        let dims = vec![vec![
            doc("AR", &["protection", "protection/detention"], Language::Es),
            doc("CO", &["protection", "protection/detention"], Language::Es),
            doc("CO", &["documents", "documents/passports"], Language::Es),
            doc("CA", &["protection", "protection/detention"], Language::En),
        ]];
        let f = FacetIndex::new(&dims);
        let r = SearchRequest {
            countries: vec!["AR".parse().expect("AR")],
            categories: vec!["protection".parse().expect("category")],
            ..SearchRequest::default()
        };
        let (passing, out) = facets(&f, &r, 4);
        assert_eq!(passing, 1);
        // countries under the category filter only: AR, CO and CA each have a protection doc
        let countries: Vec<(&str, usize)> = out["country"]
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(countries, [("AR", 1), ("CA", 1), ("CO", 1)]);
        // categories under the country filter only: AR's one document
        assert_eq!(out["category"]["protection/detention"], 1);
        assert!(!out["category"].contains_key("documents"));
        // other dimensions apply both filters
        assert_eq!(out["lang"], BTreeMap::from([("es".to_string(), 1)]));
    }

    #[test]
    fn a_filter_value_no_document_has_lets_nothing_through() {
        let dims = vec![vec![doc("AR", &["protection"], Language::Es)]];
        let f = FacetIndex::new(&dims);
        let r = SearchRequest {
            countries: vec!["UY".parse().expect("UY")],
            ..SearchRequest::default()
        };
        let (passing, out) = facets(&f, &r, 1);
        assert_eq!(passing, 0);
        // the country dimension still shows what a country filter would find
        assert_eq!(out["country"]["AR"], 1);
    }
}
