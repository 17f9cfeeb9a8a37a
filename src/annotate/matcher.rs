//! The term matcher: every taxonomy term (descriptor, requirement, exclusion) indexed by its
//! first stem, per language, and the scan that meets them with a provision's analysed tokens.
//! It only finds; what the findings are worth is `rules`.

use super::taxonomy::{Taxonomy, Term};
use super::types::{Evidence, Field};
use crate::corpus::model::Language;
use std::collections::HashMap;

/// Per-provision maps keyed by our own small indexes: a fast hash.
pub(super) type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;
/// Category index -> term index -> its evidence.
pub(super) type Found = FxMap<usize, FxMap<usize, Evidence>>;

/// What `scan` finds in a provision, by category index.
pub(super) struct Scan {
    /// term index -> evidence, per category
    pub found: Found,
    /// (category, requirement group) whose required co-occurrence is met
    pub required: rustc_hash::FxHashSet<(usize, usize)>,
    /// categories an exclusion term rules out, with that term
    pub excluded: FxMap<usize, String>,
}

/// An exclusion term counts in the heading or in this many first words of the text: where a
/// provision states its subject ("Las empresas de transporte deberán...", "Penalties related
/// to removal"), not in a passing reference further on.
const EXCLUSION_OPENING: usize = 25;

/// What a taxonomy term does for its category (see `corpus/taxonomy.toml`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Descriptor,
    /// a term of this requirement group
    Requirement(usize),
    Exclusion,
}

pub(super) struct TermRef {
    category: usize,
    term: usize,
    role: Role,
}

/// A language's terms by their first stem. Looked up once per word of every provision: a fast
/// hash, since the keys are our own stems, not user input.
pub(super) type TermTable = rustc_hash::FxHashMap<String, Vec<TermRef>>;

/// The compiled lookup tables of a taxonomy.
pub(super) struct Matcher {
    lookup: HashMap<Language, TermTable>,
    /// Symbol terms (see `Term::literal`), per language: (category, term).
    literals: HashMap<Language, Vec<(usize, usize)>>,
    /// The most words of any descriptor (for the longest-reading check).
    longest_term: usize,
}

impl Matcher {
    pub(super) fn new(taxonomy: &Taxonomy) -> Matcher {
        let mut lookup: HashMap<Language, TermTable> = HashMap::new();
        let mut literals: HashMap<Language, Vec<(usize, usize)>> = HashMap::new();
        for (ci, c) in taxonomy.categories.iter().enumerate() {
            for (lang, terms) in &c.terms {
                for (ti, t) in terms.iter().enumerate() {
                    if t.literal {
                        literals.entry(*lang).or_default().push((ci, ti));
                    }
                }
            }
            let groups = c.requires.iter().enumerate();
            let roles = [(Role::Descriptor, &c.terms), (Role::Exclusion, &c.excludes)]
                .into_iter()
                .chain(groups.map(|(g, group)| (Role::Requirement(g), group)));
            for (role, table) in roles {
                for (lang, terms) in table {
                    for (ti, t) in terms.iter().enumerate() {
                        if let Some(first) = t.stems.first() {
                            lookup
                                .entry(*lang)
                                .or_default()
                                .entry(first.clone())
                                .or_default()
                                .push(TermRef {
                                    category: ci,
                                    term: ti,
                                    role,
                                });
                        }
                    }
                }
            }
        }
        let longest_term = taxonomy
            .categories
            .iter()
            .flat_map(|c| c.terms.values().flatten())
            .map(|t| t.stems.len())
            .max()
            .unwrap_or(1);
        Matcher {
            lookup,
            literals,
            longest_term,
        }
    }

    /// The terms of `lang`, if the taxonomy has any.
    pub(super) fn table(&self, lang: Language) -> Option<&TermTable> {
        self.lookup.get(&lang)
    }

    /// Finds every descriptor, requirement and exclusion term of `lang` in the fields.
    pub(super) fn scan(
        &self,
        taxonomy: &Taxonomy,
        table: &TermTable,
        fields: &[(Field, &str)],
        lang: Language,
    ) -> Scan {
        let mut found = Found::default();
        let mut required: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
        let mut excluded: FxMap<usize, String> = FxMap::default();
        for (field, source) in fields {
            if source.is_empty() {
                continue;
            }
            for &(ci, ti) in self.literals.get(&lang).into_iter().flatten() {
                let t = &taxonomy.categories[ci].terms[&lang][ti];
                let mut hits = source.match_indices(t.text.as_str());
                let Some((start, m)) = hits.next() else {
                    continue;
                };
                let end = start + m.len();
                let count = 1 + hits.count();
                record(&mut found, (ci, ti), t, *field, source, (start, end), count);
            }
            let toks = crate::text::analyse(source, lang);
            // (first token, token count, category, term) of every descriptor match
            let mut matches: Vec<(usize, usize, usize, usize)> = Vec::new();
            for i in 0..toks.len() {
                let Some(refs) = table.get(&*toks[i].term) else {
                    continue;
                };
                for r in refs {
                    let c = &taxonomy.categories[r.category];
                    let t = match r.role {
                        Role::Descriptor => &c.terms[&lang][r.term],
                        Role::Requirement(g) => &c.requires[g][&lang][r.term],
                        Role::Exclusion => &c.excludes[&lang][r.term],
                    };
                    let n = t.stems.len();
                    if i + n > toks.len()
                        || !t
                            .stems
                            .iter()
                            .zip(&toks[i..i + n])
                            .all(|(s, tok)| s.as_str() == &*tok.term)
                    {
                        continue;
                    }
                    // Short single words collide under stemming (French "visa" and "visé"):
                    // they must match the written word's beginning too.
                    if n == 1 && t.folded.chars().count() <= 5 {
                        let surface = crate::text::fold_lower(&source[toks[i].start..toks[i].end]);
                        let rest = surface.strip_prefix(t.folded.as_str());
                        if !matches!(rest, Some("" | "s" | "es" | "x")) {
                            continue;
                        }
                    }
                    match r.role {
                        Role::Descriptor => matches.push((i, n, r.category, r.term)),
                        Role::Requirement(g) => {
                            required.insert((r.category, g));
                        }
                        Role::Exclusion => {
                            if *field == Field::Heading
                                || (*field == Field::Text && i < EXCLUSION_OPENING)
                            {
                                excluded.entry(r.category).or_insert_with(|| t.text.clone());
                            }
                        }
                    }
                }
            }
            for &(i, n, ci, ti) in &matches {
                // The longest reading wins across categories: "oficina consular" inside
                // "miembros de la oficina consular" names staff, not the post. Matches are in
                // word order and no term is longer than `longest_term` words, so only those
                // starting that close before this one can contain it.
                let from = matches.partition_point(|&(j, ..)| j + self.longest_term < i);
                let inside_longer = matches[from..]
                    .iter()
                    .take_while(|&&(j, ..)| j <= i)
                    .any(|&(j, m, cj, _)| cj != ci && m > n && i + n <= j + m);
                if inside_longer {
                    continue;
                }
                let t = &taxonomy.categories[ci].terms[&lang][ti];
                let span = (toks[i].start, toks[i + n - 1].end);
                record(&mut found, (ci, ti), t, *field, source, span, 1);
            }
        }
        Scan {
            found,
            required,
            excluded,
        }
    }
}

/// Adds `count` matches of a term at `span` of a field to the evidence found; the strongest
/// field's first match is the one shown.
fn record(
    found: &mut Found,
    (ci, ti): (usize, usize),
    t: &Term,
    field: Field,
    source: &str,
    (start, end): (usize, usize),
    count: usize,
) {
    let e = found
        .entry(ci)
        .or_default()
        .entry(ti)
        .or_insert_with(|| Evidence {
            term: t.text.clone(),
            matched: source[start..end].to_string(),
            field,
            start,
            end,
            count: 0,
            weight: t.weight,
        });
    if field.factor() > e.field.factor() {
        e.field = field;
        e.matched = source[start..end].to_string();
        e.start = start;
        e.end = end;
    }
    e.count += count;
}
