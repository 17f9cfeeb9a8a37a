//! The term matcher: every taxonomy term (descriptor, requirement, exclusion) indexed by its
//! first stem, per language, and the scan that meets them with a provision's analysed tokens.
//! It only finds; what the findings are worth is `rules`. Three readings keep a word to its
//! sense: a word inside the name of an agency, an office or a law qualifies the name and says
//! nothing of the provision's subject (`name_qualifiers`); a descriptor inside one of its
//! category's `not_within` phrases, or without its sense condition, is another word; and a
//! single-word descriptor must continue past its stem the way the written word does
//! (`same_word`), so that "deportivo" is not "deportación".

use super::taxonomy::{Taxonomy, Term};
use super::types::{Evidence, Field};
use crate::corpus::model::Language;
use std::collections::{BTreeMap, HashMap};

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

/// Lowercase words that may join the words of a name ("Dirección General *de* Migraciones",
/// "Immigration *and* Naturalization Service").
fn name_connector(word: &str, lang: Language) -> bool {
    let list: &[&str] = match lang {
        Language::Es => &[
            "de", "del", "la", "las", "los", "el", "y", "e", "para", "en", "sobre",
        ],
        Language::En => &["of", "the", "and", "for", "on", "in"],
        Language::Fr => &[
            "de", "du", "des", "la", "le", "les", "et", "pour", "sur", "d", "l",
        ],
        Language::Pt => &["de", "do", "da", "dos", "das", "e", "para", "em", "sobre"],
    };
    list.contains(&word)
}

/// Per token of a text, whether it qualifies the name of an agency, an office or a law: the
/// words of a run of capitalised words (joined by connectors, not broken by punctuation) that
/// contains a head word (`heads`: "Dirección", "Ley", "Service", "Act"), other than the head
/// itself. "Inmigración" in "Dirección General de Asuntos Consulares y de Inmigración" says
/// who acts, not what the provision provides for. A text mostly in capitals has no names to
/// tell apart.
pub(super) fn name_qualifiers(
    source: &str,
    toks: &[crate::text::Token],
    heads: &std::collections::HashSet<String>,
    lang: Language,
) -> Vec<bool> {
    let mut out = vec![false; toks.len()];
    if heads.is_empty() || toks.is_empty() {
        return out;
    }
    let capital = |t: &crate::text::Token| {
        source[t.start..t.end]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    let caps = toks.iter().filter(|t| capital(t)).count();
    if caps * 2 > toks.len() {
        return out;
    }
    let surface = |t: &crate::text::Token| crate::text::fold_lower(&source[t.start..t.end]);
    let mut i = 0;
    while i < toks.len() {
        if !capital(&toks[i]) {
            i += 1;
            continue;
        }
        // the run from i: capitalised words and connectors, with only spaces between them
        let mut end = i + 1; // one past the last capitalised token
        let mut j = i + 1;
        while j < toks.len() {
            let gap = &source[toks[j - 1].end..toks[j].start];
            if !gap.chars().all(|c| c == ' ') {
                break;
            }
            if capital(&toks[j]) {
                end = j + 1;
            } else if !name_connector(&surface(&toks[j]), lang) {
                break;
            }
            j += 1;
        }
        let head: Vec<usize> = (i..end)
            .filter(|&k| capital(&toks[k]) && heads.contains(&surface(&toks[k])))
            .collect();
        if !head.is_empty() && end - i > 1 {
            for (k, q) in out.iter_mut().enumerate().take(end).skip(i) {
                *q = !head.contains(&k);
            }
        }
        i = end.max(i + 1);
    }
    if lang == Language::Fr {
        french_names(source, toks, &mut out);
    }
    out
}

/// French writes the words of a name in lowercase ("la Loi sur la citoyenneté", "le ministre
/// de la Citoyenneté et de l'Immigration"), so a run of capitals does not find it. A French
/// name is a capitalised head ("Loi", "Règlement", "Code") or a minister's title (in any
/// case), then a connector ("sur", "de", "relative"), then its words up to a punctuation mark,
/// a word that opens a clause ("qui", "est", "doit") or `FRENCH_NAME_WORDS` words.
fn french_names(source: &str, toks: &[crate::text::Token], out: &mut [bool]) {
    const FRENCH_NAME_WORDS: usize = 8;
    const HEADS: &[&str] = &["loi", "reglement", "code", "decret", "convention"];
    const MINISTERS: &[&str] = &["ministre", "ministere", "sous-ministre"];
    const OPENERS: &[&str] = &[
        "sur",
        "de",
        "du",
        "des",
        "d",
        "relative",
        "relatif",
        "concernant",
    ];
    const STOPS: &[&str] = &[
        "que", "qui", "dont", "ou", "a", "au", "aux", "en", "par", "pour", "dans", "avec", "sans",
        "ne", "n", "est", "sont", "ont", "doit", "doivent", "peut", "peuvent", "ce", "cette", "il",
        "elle", "se", "s", "si", "lorsque", "sauf",
    ];
    let word = |t: &crate::text::Token| crate::text::fold_lower(&source[t.start..t.end]);
    for k in 0..toks.len() {
        let w = word(&toks[k]);
        let capital = source[toks[k].start..toks[k].end]
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        let head = (capital && HEADS.contains(&w.as_str())) || MINISTERS.contains(&w.as_str());
        if !head
            || !toks
                .get(k + 1)
                .is_some_and(|n| OPENERS.contains(&word(n).as_str()))
        {
            continue;
        }
        for j in k + 1..toks.len().min(k + 1 + FRENCH_NAME_WORDS) {
            let gap = &source[toks[j - 1].end..toks[j].start];
            if !gap.chars().all(|c| c == ' ' || c == '\'' || c == '’')
                || STOPS.contains(&word(&toks[j]).as_str())
            {
                break;
            }
            out[j] = true;
        }
    }
}

/// Whether a single written word is the term's word and not another with the same stem: it
/// begins with the whole term, or goes on from the term's stem with the term's next letter
/// ("deportados" for "deportación", not "deportivo"; "residentes" is not "residencia").
pub(super) fn same_word(surface_folded: &str, term_folded: &str, stem: &str) -> bool {
    if surface_folded.starts_with(term_folded) {
        return true;
    }
    let common = surface_folded
        .chars()
        .zip(term_folded.chars())
        .take_while(|(a, b)| a == b)
        .count();
    common > stem.chars().count()
}

/// Spanish and Portuguese endings of a verb's finite forms and infinitive, as they continue
/// from the stem (folded): "destinarán" (they will allocate) and "asigna" (allocates) are verbs
/// beside the nouns "destinación" and "asignación"; "deportados", a participle, is the
/// deportees the noun speaks of.
const VERB_ENDINGS: &[&str] = &[
    "ar", "er", "ir", "arse", "erse", "irse", "a", "an", "am", "e", "en", "em", "ara", "aran",
    "arao", "era", "eran", "erao", "ira", "iran", "irao", "aron", "aram", "ieron", "eram", "ase",
    "asen", "ou", "iu", "aba", "aban", "ava", "avam", "are", "aren",
];

/// Whether a written word that continues a noun descriptor's stem (it does not begin with the
/// whole term) is a form of the verb, not the noun: "destinarán" is not "destinación",
/// "visitar" not "visitante". A descriptor that is itself a verb ("legalizar") takes its forms.
pub(super) fn verb_of_noun(
    surface_folded: &str,
    term_folded: &str,
    stem: &str,
    lang: Language,
) -> bool {
    if !matches!(lang, Language::Es | Language::Pt) || surface_folded.starts_with(term_folded) {
        return false;
    }
    if ["ar", "er", "ir"].iter().any(|e| term_folded.ends_with(e)) {
        return false;
    }
    surface_folded
        .strip_prefix(stem)
        .is_some_and(|rest| VERB_ENDINGS.contains(&rest))
}

/// Whether the written word stresses its stem where the term does not, or the other way round
/// ("auténtica", the adjective, beside "autenticar"; "práctica" beside "practicar"): in Spanish
/// and Portuguese a written accent on the shared letters tells another word.
pub(super) fn stress_differs(
    surface: &str,
    term: &str,
    surface_folded: &str,
    term_folded: &str,
    lang: Language,
) -> bool {
    if !matches!(lang, Language::Es | Language::Pt) || surface_folded.starts_with(term_folded) {
        return false;
    }
    let common = surface_folded
        .chars()
        .zip(term_folded.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let a: Vec<char> = surface.to_lowercase().chars().take(common).collect();
    let b: Vec<char> = term.to_lowercase().chars().take(common).collect();
    a.len() == common && b.len() == common && a != b
}

/// English and French inflect a word by a few endings (plural, feminine, the English verb's),
/// so a single-word descriptor there is the written word with one of them: "nationals" is not
/// "nationality", "natural" not "naturalization", "immigration" not "immigrant". Spanish and
/// Portuguese inflect by changing the ending ("deportados" for "deportación"), so `same_word`
/// alone decides for them.
pub(super) fn inflected(surface_folded: &str, term_folded: &str, lang: Language) -> bool {
    let endings: &[&str] = match lang {
        Language::En => &["", "s", "es", "'s", "d", "ed", "ing"],
        Language::Fr => &["", "s", "x", "e", "es"],
        Language::Es | Language::Pt => return true,
    };
    surface_folded
        .strip_prefix(term_folded)
        .is_some_and(|rest| endings.contains(&rest))
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
    /// a phrase inside which the category's descriptors are another word
    NotWithin,
    /// a term of the sense condition of this descriptor (index into `Category::senses`)
    Sense(usize),
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
            let senses: Vec<(Role, BTreeMap<Language, Vec<Term>>)> = c
                .senses
                .iter()
                .flat_map(|(lang, list)| {
                    list.iter().enumerate().map(|(k, (_, terms))| {
                        (Role::Sense(k), BTreeMap::from([(*lang, terms.clone())]))
                    })
                })
                .collect();
            let roles = [
                (Role::Descriptor, &c.terms),
                (Role::Exclusion, &c.excludes),
                (Role::NotWithin, &c.not_within),
            ]
            .into_iter()
            .chain(groups.map(|(g, group)| (Role::Requirement(g), group)))
            .chain(senses.iter().map(|(r, t)| (*r, t)));
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
        // (category, sense index) whose condition is met
        let mut sensed: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
        let no_heads = Default::default();
        let heads = taxonomy.name_heads.get(&lang).unwrap_or(&no_heads);
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
            let qualifiers = if *field == Field::Text {
                name_qualifiers(source, &toks, heads, lang)
            } else {
                vec![false; toks.len()]
            };
            let in_name = |i: usize, n: usize| qualifiers[i..i + n].iter().all(|q| *q);
            // (first token, token count, category, term) of every descriptor match
            let mut matches: Vec<(usize, usize, usize, usize)> = Vec::new();
            // (first token, token count, category) of every not-within phrase
            let mut blocks: Vec<(usize, usize, usize)> = Vec::new();
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
                        Role::NotWithin => &c.not_within[&lang][r.term],
                        Role::Sense(k) => &c.senses[&lang][k].1[r.term],
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
                    if n == 1 {
                        let surface = crate::text::fold_lower(&source[toks[i].start..toks[i].end]);
                        if t.folded.chars().count() <= 5 {
                            let rest = surface.strip_prefix(t.folded.as_str());
                            if !matches!(rest, Some("" | "s" | "es" | "x")) {
                                continue;
                            }
                        } else if !same_word(&surface, &t.folded, &t.stems[0])
                            || !inflected(&surface, &t.folded, lang)
                            || verb_of_noun(&surface, &t.folded, &t.stems[0], lang)
                            || stress_differs(
                                &source[toks[i].start..toks[i].end],
                                &t.text,
                                &surface,
                                &t.folded,
                                lang,
                            )
                        {
                            continue;
                        }
                    }
                    match r.role {
                        // a name's words say who acts or which law is cited: no evidence
                        Role::Descriptor if in_name(i, n) => {}
                        Role::Descriptor => matches.push((i, n, r.category, r.term)),
                        Role::Requirement(_) if in_name(i, n) => {}
                        Role::Requirement(g) => {
                            required.insert((r.category, g));
                        }
                        Role::NotWithin => blocks.push((i, n, r.category)),
                        Role::Sense(k) => {
                            sensed.insert((r.category, k));
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
                // another sense of the word: inside one of its category's not-within phrases
                if blocks
                    .iter()
                    .any(|&(j, m, cj)| cj == ci && j <= i && i + n <= j + m)
                {
                    continue;
                }
                let t = &taxonomy.categories[ci].terms[&lang][ti];
                let span = (toks[i].start, toks[i + n - 1].end);
                record(&mut found, (ci, ti), t, *field, source, span, 1);
            }
        }
        // descriptors whose sense condition is not met are another word
        for (ci, terms) in found.iter_mut() {
            let Some(conditions) = taxonomy.categories[*ci].senses.get(&lang) else {
                continue;
            };
            for (k, (ti, _)) in conditions.iter().enumerate() {
                if !sensed.contains(&(*ci, k)) {
                    terms.remove(ti);
                }
            }
        }
        found.retain(|_, terms| !terms.is_empty());
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
