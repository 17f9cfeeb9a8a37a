//! Annotation: for each provision, its leaf categories (with confidence and the descriptor terms
//! that matched, and where) and its modality. Deterministic and explainable: every tag carries
//! its evidence. Descriptor matching runs on the shared analysis of `text`, so a category's terms
//! meet a provision's words however they are inflected or accented.
//!
//! Not for: deciding what is indexed or ranked; `index` and `search` consume these tags.

pub mod eval;
pub mod modality;
pub mod taxonomy;

use crate::corpus::model::{Language, Provision};
use modality::{classify, Modality, ModalityResult};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use taxonomy::{CategoryId, Taxonomy};

/// Where in the provision a descriptor term was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Text,
    Heading,
    Hierarchy,
}

impl Field {
    fn factor(self) -> f32 {
        match self {
            Field::Text => 1.0,
            Field::Heading => 0.6,
            Field::Hierarchy => 0.25,
        }
    }
}

/// One matched descriptor term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The descriptor as written in the taxonomy.
    pub term: String,
    /// The words of the provision that matched, as printed.
    pub matched: String,
    pub field: Field,
    /// Byte span of the first match in that field.
    pub start: usize,
    pub end: usize,
    pub count: usize,
    pub weight: f32,
}

/// A category assigned to a provision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub category: CategoryId,
    pub confidence: f32,
    pub score: f32,
    pub evidence: Vec<Evidence>,
}

/// The annotator's output for one provision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub tags: Vec<Tag>,
    pub modality: Modality,
    pub modality_evidence: Vec<String>,
    /// 0..1, lower for OCR noise or interleaved columns; scales every confidence.
    pub text_quality: f32,
}

impl Annotation {
    pub fn categories(&self) -> impl Iterator<Item = &CategoryId> {
        self.tags.iter().map(|t| &t.category)
    }
}

type Found = HashMap<usize, HashMap<usize, Evidence>>;

/// A category a query speaks of, and the query words that said so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryMatch {
    pub category: CategoryId,
    /// The language whose descriptors matched best.
    pub language: Language,
    pub score: f32,
    pub matched: Vec<String>,
}

/// Minimum descriptor weight a query needs to be expanded to a category.
const QUERY_MIN_SCORE: f32 = 1.0;

struct TermRef {
    category: usize,
    term: usize,
    requirement: bool,
}

/// The compiled annotator: taxonomy plus a first-stem lookup per language.
pub struct Annotator {
    taxonomy: Taxonomy,
    lookup: HashMap<Language, HashMap<String, Vec<TermRef>>>,
}

/// At most this many categories per provision: long noisy texts must not flood tags.
const MAX_TAGS: usize = 5;
/// A tag must score at least this share of the provision's best tag.
const RELATIVE_FLOOR: f32 = 0.5;
/// Provisions longer than this (in words) have their scores damped by sqrt(words / this).
const LENGTH_NORM: f32 = 120.0;

impl Annotator {
    pub fn new(taxonomy: Taxonomy) -> Annotator {
        let mut lookup: HashMap<Language, HashMap<String, Vec<TermRef>>> = HashMap::new();
        for (ci, c) in taxonomy.categories.iter().enumerate() {
            for (requirement, table) in [(false, &c.terms), (true, &c.requires)] {
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
                                    requirement,
                                });
                        }
                    }
                }
            }
        }
        Annotator { taxonomy, lookup }
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Finds every descriptor (and requirement) term of `lang` in the fields:
    /// category index -> term index -> evidence, and the categories whose requirement is met.
    fn scan(
        &self,
        table: &HashMap<String, Vec<TermRef>>,
        fields: &[(Field, &str)],
        lang: Language,
    ) -> (Found, HashSet<usize>) {
        let mut found: Found = HashMap::new();
        let mut required: HashSet<usize> = HashSet::new();
        for (field, source) in fields {
            if source.is_empty() {
                continue;
            }
            let toks = crate::text::analyse(source, lang);
            for i in 0..toks.len() {
                let Some(refs) = table.get(&toks[i].term) else {
                    continue;
                };
                for r in refs {
                    let c = &self.taxonomy.categories[r.category];
                    let t = if r.requirement {
                        &c.requires[&lang][r.term]
                    } else {
                        &c.terms[&lang][r.term]
                    };
                    let n = t.stems.len();
                    if i + n > toks.len()
                        || !t
                            .stems
                            .iter()
                            .zip(&toks[i..i + n])
                            .all(|(s, tok)| *s == tok.term)
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
                    if r.requirement {
                        required.insert(r.category);
                        continue;
                    }
                    let (start, end) = (toks[i].start, toks[i + n - 1].end);
                    let e = found
                        .entry(r.category)
                        .or_default()
                        .entry(r.term)
                        .or_insert_with(|| Evidence {
                            term: t.text.clone(),
                            matched: source[start..end].to_string(),
                            field: *field,
                            start,
                            end,
                            count: 0,
                            weight: t.weight,
                        });
                    if field.factor() > e.field.factor() {
                        e.field = *field;
                        e.matched = source[start..end].to_string();
                        e.start = start;
                        e.end = end;
                    }
                    e.count += 1;
                }
            }
        }
        (found, required)
    }

    /// Categories a search query speaks of, in any of the four languages: the basis of
    /// cross-lingual expansion. A query is short, so one strong descriptor is enough.
    pub fn query_categories(&self, text: &str) -> Vec<QueryMatch> {
        let mut best: HashMap<usize, QueryMatch> = HashMap::new();
        for lang in Language::ALL {
            let Some(table) = self.lookup.get(&lang) else {
                continue;
            };
            let (found, _) = self.scan(table, &[(Field::Text, text)], lang);
            for (ci, terms) in found {
                let c = &self.taxonomy.categories[ci];
                let (score, kept) = score_evidence(terms);
                if !c.leaf || score < QUERY_MIN_SCORE {
                    continue;
                }
                let m = QueryMatch {
                    category: c.id.clone(),
                    language: lang,
                    score,
                    matched: kept.into_iter().map(|e| e.matched).collect(),
                };
                if best.get(&ci).is_none_or(|b| b.score < m.score) {
                    best.insert(ci, m);
                }
            }
        }
        let mut out: Vec<QueryMatch> = best.into_values().collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.category.cmp(&b.category))
        });
        out
    }

    /// Annotates one provision.
    pub fn annotate(&self, p: &Provision) -> Annotation {
        let hierarchy = p.hierarchy.join("\n");
        let fields: [(Field, &str); 3] = [
            (Field::Text, p.text.as_str()),
            (Field::Heading, p.heading.as_deref().unwrap_or("")),
            (Field::Hierarchy, hierarchy.as_str()),
        ];
        self.annotate_fields(&fields, p.language, p.repealed)
    }

    /// Annotates free text (used by the CLI and tests).
    pub fn annotate_fields(
        &self,
        fields: &[(Field, &str)],
        lang: Language,
        repealed: bool,
    ) -> Annotation {
        let text = fields
            .iter()
            .find(|(f, _)| *f == Field::Text)
            .map(|(_, t)| *t)
            .unwrap_or("");
        let ModalityResult {
            modality,
            evidence: modality_evidence,
        } = classify(text, lang);
        let quality = text_quality(text);
        // A repeal note or an empty provision provides nothing.
        let word_count = text.split_whitespace().count();
        if repealed || word_count < 3 {
            return Annotation {
                tags: Vec::new(),
                modality: Modality::Other,
                modality_evidence,
                text_quality: quality,
            };
        }
        let Some(table) = self.lookup.get(&lang) else {
            return Annotation {
                tags: Vec::new(),
                modality,
                modality_evidence,
                text_quality: quality,
            };
        };
        let (found, required) = self.scan(table, fields, lang);
        let damping = (word_count as f32 / LENGTH_NORM).max(1.0).sqrt();
        let mut tags: Vec<Tag> = Vec::new();
        for (ci, terms) in found {
            let c = &self.taxonomy.categories[ci];
            if !c.leaf || (c.requires.contains_key(&lang) && !required.contains(&ci)) {
                continue;
            }
            let (mut score, kept) = score_evidence(terms);
            // Long provisions collect weak terms by chance: damp the score past LENGTH_NORM words.
            score /= damping;
            if score >= c.threshold {
                let confidence = (1.0 - (-score / c.threshold).exp()) * quality;
                tags.push(Tag {
                    category: c.id.clone(),
                    confidence: (confidence * 1000.0).round() / 1000.0,
                    score,
                    evidence: kept,
                });
            }
        }
        tags.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.category.cmp(&b.category))
        });
        if let Some(best) = tags.first().map(|t| t.score) {
            tags.retain(|t| t.score >= best * RELATIVE_FLOOR);
        }
        tags.truncate(MAX_TAGS);
        Annotation {
            tags,
            modality,
            modality_evidence,
            text_quality: quality,
        }
    }
}

/// Sums the evidence of one category: overlapping matches count once (the heaviest), repeats
/// add a little. Returns the score and the evidence kept.
fn score_evidence(terms: HashMap<usize, Evidence>) -> (f32, Vec<Evidence>) {
    let mut evidence: Vec<Evidence> = terms.into_values().collect();
    evidence.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    let mut score = 0.0;
    let mut used: Vec<(Field, usize, usize)> = Vec::new();
    let mut kept = Vec::new();
    for e in evidence {
        let overlaps = used
            .iter()
            .any(|(f, s, en)| *f == e.field && e.start < *en && *s < e.end);
        if overlaps {
            continue;
        }
        used.push((e.field, e.start, e.end));
        let repeat = if e.count >= 3 {
            1.3
        } else if e.count == 2 {
            1.15
        } else {
            1.0
        };
        score += e.weight * e.field.factor() * repeat;
        kept.push(e);
    }
    (score, kept)
}

/// Share of tokens that look like words: OCR debris ("qualiEcations", "$;?&.", "cm -1")
/// and runs of dots lower it.
pub fn text_quality(text: &str) -> f32 {
    let mut words = 0usize;
    let mut bad = 0usize;
    // the first 400 words are a large enough sample of a text's noise
    for w in text.split_whitespace().take(400) {
        words += 1;
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        let symbols = w
            .chars()
            .filter(|c| !c.is_alphanumeric() && !",.;:()\"'“”’-–—".contains(*c))
            .count();
        let inner_caps = w.chars().skip(1).filter(|c| c.is_uppercase()).count();
        if (letters == 0 && !w.chars().any(|c| c.is_ascii_digit()))
            || symbols >= 2
            || (inner_caps >= 1 && w.chars().next().is_some_and(|c| c.is_lowercase()))
            || w.contains("....")
        {
            bad += 1;
        }
    }
    if words == 0 {
        return 0.0;
    }
    let share = bad as f32 / words as f32;
    (1.0 - 2.0 * share).clamp(0.3, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn annotator() -> &'static Annotator {
        static A: OnceLock<Annotator> = OnceLock::new();
        A.get_or_init(|| {
            let t = Taxonomy::load(
                &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/taxonomy.toml"),
            )
            .unwrap();
            Annotator::new(t)
        })
    }

    fn cats(text: &str, lang: Language) -> Vec<String> {
        annotator()
            .annotate_fields(&[(Field::Text, text)], lang, false)
            .tags
            .iter()
            .map(|t| t.category.to_string())
            .collect()
    }

    #[test]
    fn category_table_per_language() {
        let cases: &[(&str, Language, &str)] = &[
            ("Los cónsules visitarán a los nacionales detenidos o privados de libertad en cárceles extranjeras.", Language::Es, "protection/detention"),
            ("The consular officer shall visit a national of the sending State who is in prison, custody or detention.", Language::En, "protection/detention"),
            ("Les fonctionnaires consulaires ont le droit de rendre visite à un ressortissant qui est incarcéré ou en état de détention.", Language::Fr, "protection/detention"),
            ("O consulado prestará assistência aos brasileiros presos ou privados de liberdade no exterior.", Language::Pt, "protection/detention"),
            ("El Ministerio expedirá pasaportes ordinarios a los nacionales que lo soliciten.", Language::Es, "documents/passports"),
            ("The fee for the issuance of a passport abroad is $25.", Language::En, "documents/passports"),
            ("Los cónsules ejercerán funciones notariales y podrán legalizar firmas de documentos.", Language::Es, "notarial"),
            ("Les électeurs résidant à l'étranger peuvent voter par bulletin de vote spécial.", Language::Fr, "civic-participation"),
        ];
        for (text, lang, want) in cases {
            let got = cats(text, *lang);
            assert!(got.iter().any(|c| c == want), "{text}: {got:?}");
        }
    }

    #[test]
    fn negatives() {
        // a definition that mentions a consul is not protection
        let got = cats("Para los efectos de esta ley, se entiende por cónsul el funcionario que dirige una oficina.", Language::Es);
        assert!(!got.iter().any(|c| c == "protection/general"), "{got:?}");
        // domestic voting is not civic participation abroad
        let got = cats("No voting qualification shall be imposed to deny the right of any citizen to vote on account of race.", Language::En);
        assert!(!got.iter().any(|c| c == "civic-participation"), "{got:?}");
        // an entry-into-force clause says nothing
        assert!(cats(
            "Esta ley entrará en vigencia a partir de su publicación.",
            Language::Es
        )
        .is_empty());
    }

    #[test]
    fn tags_carry_evidence_and_heading_counts_less() {
        let a = annotator().annotate_fields(
            &[(Field::Text, "Los consulados expedirán pasaportes.")],
            Language::Es,
            false,
        );
        let t = &a.tags[0];
        assert_eq!(t.category.as_str(), "documents/passports");
        assert_eq!(t.evidence[0].matched, "pasaportes");
        assert_eq!(t.evidence[0].field, Field::Text);
        let h = annotator().annotate_fields(
            &[
                (Field::Text, "Se cobrará el valor fijado en la tabla anexa."),
                (Field::Heading, "Pasaportes"),
            ],
            Language::Es,
            false,
        );
        assert!(
            h.tags
                .iter()
                .all(|t| t.category.as_str() != "documents/passports"),
            "a heading alone is below the text weight"
        );
    }

    #[test]
    fn ocr_noise_lowers_confidence_without_flooding() {
        let clean = "The Minister may issue a passport to any citizen of Jamaica.";
        let noisy = "The Minister may issue a passport $;?&. to qualiEcations any citizen cm -1 .......... of Jamaica orambanur-";
        let a = annotator().annotate_fields(&[(Field::Text, clean)], Language::En, false);
        let b = annotator().annotate_fields(&[(Field::Text, noisy)], Language::En, false);
        assert!(b.text_quality < a.text_quality);
        assert!(b.tags[0].confidence < a.tags[0].confidence);
        assert!(b.tags.len() <= MAX_TAGS);
    }
}
