//! Measuring the annotator against gold files (the format of `../shared/eval`): matching gold
//! items to parsed provisions, per-category precision/recall/F1, micro and macro F1, modality
//! accuracy; the same figures by half of the set (split by instrument), by language, by source
//! family and by item-id prefix; and the agreement of Canadian English/French twins.

use super::{modality::Modality, taxonomy::CategoryId, Annotation};
use crate::corpus::{model::Provision, Corpus};
use crate::error::{Error, Result};
use crate::text::normalise_plain;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// One gold line.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldItem {
    pub item: String,
    pub file: String,
    pub number: String,
    #[serde(default = "one")]
    pub occurrence: usize,
    #[serde(default)]
    pub contains: String,
    /// The provision's language code ("es"); empty when the line does not say.
    #[serde(default)]
    pub lang: String,
    pub categories: Vec<String>,
    pub modality: Modality,
}

fn one() -> usize {
    1
}

/// Reads a gold JSONL file, naming the line of any bad item.
pub fn read_gold(path: &Path) -> Result<Vec<GoldItem>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| Error::Data(format!("{}:{}: {e}", path.display(), i + 1)))
        })
        .collect()
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> Prf {
    let p = if tp + fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = if tp + fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    Prf {
        precision: round(p),
        recall: round(r),
        f1: round(f),
        support: tp + fn_,
    }
}

fn round(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

#[derive(Debug, Clone, Serialize)]
pub struct Micro {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// One item the annotator got wrong (for reading, not for tuning single items).
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub item: String,
    pub provision: Option<String>,
    pub gold: Vec<String>,
    pub predicted: Vec<String>,
    pub gold_modality: Modality,
    pub predicted_modality: Option<Modality>,
    /// For reading: the provision's heading and the start of its text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub excerpt: String,
    /// For reading: each predicted tag's evidence, and the near misses ("category: term, ...").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// How much of a missed provision's text an error listing shows.
const EXCERPT_CHARS: usize = 600;

/// A provision's heading and the start of its text, on one line.
fn excerpt(p: &Provision) -> String {
    let text: String = p.text.chars().take(EXCERPT_CHARS).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match &p.heading {
        Some(h) if !h.is_empty() => format!("[{h}] {text}"),
        _ => text,
    }
}

/// Each tag's evidence terms, then the near misses with their score against the threshold.
fn evidence_lines(a: &Annotation) -> Vec<String> {
    let tags = a.tags.iter().map(|t| {
        let terms: Vec<String> = t
            .evidence
            .iter()
            .map(|e| format!("{}x{}", e.matched, e.count))
            .collect();
        format!("{} {:.2}: {}", t.category, t.score, terms.join(", "))
    });
    let near = a
        .near
        .iter()
        .map(|n| format!("near {} {:.2}/{:.2}", n.category, n.score, n.threshold));
    tags.chain(near).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub items: usize,
    pub matched: usize,
    pub micro: Micro,
    pub macro_f1: f64,
    pub modality_accuracy: f64,
    pub per_category: BTreeMap<String, Prf>,
    pub unmatched: Vec<String>,
    pub errors: Vec<Miss>,
}

/// Finds the provision a gold item names: number and occurrence confirmed by `contains`;
/// else `contains` anywhere in the file; else number and occurrence alone.
pub fn find<'a>(corpus: &'a Corpus, item: &GoldItem) -> Option<&'a Provision> {
    let l = corpus
        .instruments
        .iter()
        .find(|l| l.instrument.file == item.file)?;
    let want = normalise_plain(&item.number);
    let same_number: Vec<&Provision> = l
        .provisions
        .iter()
        .filter(|p| normalise_plain(&p.number) == want)
        .collect();
    let candidate = same_number.get(item.occurrence.saturating_sub(1)).copied();
    let contains = |p: &Provision| {
        item.contains.is_empty() || normalise_plain(&p.text).contains(&item.contains)
    };
    if let Some(p) = candidate.filter(|p| contains(p)) {
        return Some(p);
    }
    if !item.contains.is_empty() {
        if let Some(p) = l.provisions.iter().find(|p| contains(p)) {
            return Some(p);
        }
    }
    candidate
}

/// Evaluates the annotator on gold items.
/// Scores `annotations` (from `Annotator::annotate_corpus` over `corpus`) against gold items.
pub fn evaluate(
    annotations: &HashMap<String, Annotation>,
    corpus: &Corpus,
    gold: &[GoldItem],
) -> Report {
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut matched = 0;
    let mut modality_ok = 0;
    let mut unmatched = Vec::new();
    let mut errors = Vec::new();
    for item in gold {
        let gold_set: BTreeSet<String> = item.categories.iter().cloned().collect();
        let Some(p) = find(corpus, item) else {
            unmatched.push(item.item.clone());
            for g in &gold_set {
                counts.entry(g.clone()).or_default().2 += 1;
                fn_ += 1;
            }
            errors.push(Miss {
                item: item.item.clone(),
                provision: None,
                gold: item.categories.clone(),
                predicted: vec![],
                gold_modality: item.modality,
                predicted_modality: None,
                excerpt: String::new(),
                evidence: Vec::new(),
            });
            continue;
        };
        matched += 1;
        let Some(a) = annotations.get(p.id.as_str()) else {
            continue;
        };
        let pred: BTreeSet<String> = a.categories().map(|c| c.to_string()).collect();
        if a.modality == item.modality {
            modality_ok += 1;
        }
        for c in pred.union(&gold_set) {
            let e = counts.entry(c.clone()).or_default();
            match (pred.contains(c), gold_set.contains(c)) {
                (true, true) => {
                    e.0 += 1;
                    tp += 1
                }
                (true, false) => {
                    e.1 += 1;
                    fp += 1
                }
                _ => {
                    e.2 += 1;
                    fn_ += 1
                }
            }
        }
        if pred != gold_set || a.modality != item.modality {
            errors.push(Miss {
                item: item.item.clone(),
                provision: Some(p.id.to_string()),
                gold: gold_set.into_iter().collect(),
                predicted: pred.into_iter().collect(),
                gold_modality: item.modality,
                predicted_modality: Some(a.modality),
                excerpt: excerpt(p),
                evidence: evidence_lines(a),
            });
        }
    }
    let per_category: BTreeMap<String, Prf> = counts
        .into_iter()
        .map(|(c, (t, f, n))| (c, prf(t, f, n)))
        .collect();
    let supported: Vec<&Prf> = per_category.values().filter(|p| p.support > 0).collect();
    let macro_f1 = if supported.is_empty() {
        0.0
    } else {
        round(supported.iter().map(|p| p.f1).sum::<f64>() / supported.len() as f64)
    };
    let micro = prf(tp, fp, fn_);
    Report {
        items: gold.len(),
        matched,
        micro: Micro {
            precision: micro.precision,
            recall: micro.recall,
            f1: micro.f1,
        },
        macro_f1,
        modality_accuracy: if matched == 0 {
            0.0
        } else {
            round(modality_ok as f64 / matched as f64)
        },
        per_category,
        unmatched,
        errors,
    }
}

/// The half of a gold set an item falls in, by a stable hash of its instrument, never of the
/// provision: all the provisions of one instrument (and of a Canadian act's English and French
/// versions, which share a key) are in the same half, so that rules developed on one half are
/// measured on instruments they have not seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Half {
    A,
    B,
}

impl std::str::FromStr for Half {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a" => Ok(Half::A),
            "b" => Ok(Half::B),
            _ => Err(format!("'{s}' is not a half (a or b)")),
        }
    }
}

impl Half {
    pub fn as_str(self) -> &'static str {
        match self {
            Half::A => "a",
            Half::B => "b",
        }
    }

    /// The half of the instrument in `file` (a path under the corpus root): FNV-1a (64 bits)
    /// of its key, even is `a`. The key is the file's path, or for a Canadian file the key it
    /// shares with its twin in the other language.
    pub fn of(file: &str) -> Half {
        let key = crate::corpus::canada_twin_key(file).unwrap_or_else(|| file.to_string());
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        if h.is_multiple_of(2) {
            Half::A
        } else {
            Half::B
        }
    }
}

/// The source family of a file: its directory, at most two levels deep (`AR`, `US/usc-t22`,
/// `CA/eng`), so that one country's sources of different provenance are told apart.
pub fn family(file: &str) -> String {
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    dir.split('/').take(2).collect::<Vec<_>>().join("/")
}

/// The source families added with the grown dev set (Brazil, Mexico, Paraguay and 22 U.S.C.),
/// which the rules were first written without: their items are told apart from the older
/// sources' so that a rule that only fits the sources it was written on shows.
const NEW_FAMILIES: [&str; 4] = ["BR", "MX", "PY", "US/usc-t22"];

/// Whether a file belongs to the new sources (`NEW_FAMILIES`) or to the old ones.
pub fn generation(file: &str) -> &'static str {
    let fam = family(file);
    if NEW_FAMILIES
        .iter()
        .any(|f| fam == *f || fam.starts_with(&format!("{f}/")))
    {
        "new"
    } else {
        "old"
    }
}

/// The headline figures of a report, for a breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub items: usize,
    pub micro: Micro,
    pub macro_f1: f64,
    pub modality_accuracy: f64,
}

impl From<&Report> for Summary {
    fn from(r: &Report) -> Summary {
        Summary {
            items: r.items,
            micro: r.micro.clone(),
            macro_f1: r.macro_f1,
            modality_accuracy: r.modality_accuracy,
        }
    }
}

/// The figures of one evaluation by half, language, source family and item-id prefix (the
/// letters before the digits: the gold set's batches).
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub by_half: BTreeMap<String, Summary>,
    pub by_language: BTreeMap<String, Summary>,
    pub by_family: BTreeMap<String, Summary>,
    /// The old sources against the new ones (see `generation`).
    pub by_sources: BTreeMap<String, Summary>,
    pub by_prefix: BTreeMap<String, Summary>,
}

/// The items of a gold set in one half.
pub fn in_half(gold: &[GoldItem], half: Half) -> Vec<GoldItem> {
    gold.iter()
        .filter(|g| Half::of(&g.file) == half)
        .cloned()
        .collect()
}

/// Evaluates each group of the gold items apart (see `Breakdown`).
pub fn breakdown(
    annotations: &HashMap<String, Annotation>,
    corpus: &Corpus,
    gold: &[GoldItem],
) -> Breakdown {
    let by = |key: &dyn Fn(&GoldItem) -> String| {
        let mut groups: BTreeMap<String, Vec<GoldItem>> = BTreeMap::new();
        for g in gold {
            groups.entry(key(g)).or_default().push(g.clone());
        }
        groups
            .into_iter()
            .map(|(k, items)| {
                let s = Summary::from(&evaluate(annotations, corpus, &items));
                (k, s)
            })
            .collect()
    };
    Breakdown {
        by_half: by(&|g| Half::of(&g.file).as_str().to_string()),
        by_language: by(&|g| g.lang.clone()),
        by_family: by(&|g| family(&g.file)),
        by_sources: by(&|g| generation(&g.file).to_string()),
        by_prefix: by(&|g| {
            g.item
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect::<String>()
        }),
    }
}

/// Agreement of Canadian twins: share of section pairs whose category sets are identical.
#[derive(Debug, Clone, Serialize)]
pub struct TwinAgreement {
    pub pairs: usize,
    pub identical: usize,
    pub share: f64,
}

pub fn twin_agreement(annotations: &HashMap<String, Annotation>, corpus: &Corpus) -> TwinAgreement {
    let by_id: HashMap<&str, &Provision> = corpus
        .provisions()
        .map(|(_, p)| (p.id.as_str(), p))
        .collect();
    let (mut pairs, mut identical) = (0, 0);
    for (i, p) in corpus.provisions() {
        if i.language != crate::corpus::model::Language::En {
            continue;
        }
        let Some(twin) = p.twin.as_ref().and_then(|t| by_id.get(t.as_str())) else {
            continue;
        };
        pairs += 1;
        let tags = |p: &Provision| -> BTreeSet<CategoryId> {
            annotations
                .get(p.id.as_str())
                .map(|a| a.categories().cloned().collect())
                .unwrap_or_default()
        };
        let (a, b) = (tags(p), tags(twin));
        if a == b {
            identical += 1;
        }
    }
    TwinAgreement {
        pairs,
        identical,
        share: if pairs == 0 {
            0.0
        } else {
            round(identical as f64 / pairs as f64)
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_split_by_instrument_and_keep_canadian_twins_together() {
        // one instrument's provisions are in one half, whatever their number
        let h = Half::of("AR/LEY-17081.md");
        assert_eq!(Half::of("AR/LEY-17081.md"), h);
        // the English and French versions of a Canadian act share their half
        for (en, fr) in [
            ("CA/eng/acts/C-29.xml", "CA/fra/lois/C-29.xml"),
            (
                "CA/eng/regulations/SOR-93-246.xml",
                "CA/fra/reglements/DORS-93-246.xml",
            ),
        ] {
            assert_eq!(Half::of(en), Half::of(fr), "{en}");
        }
        // both halves occur
        let files = [
            "AR/a.md", "AR/b.md", "AR/c.md", "AR/d.md", "AR/e.md", "AR/f.md",
        ];
        let halves: BTreeSet<Half> = files.iter().map(|f| Half::of(f)).collect();
        assert_eq!(halves.len(), 2);
        assert_eq!("B".parse::<Half>(), Ok(Half::B));
        assert!("c".parse::<Half>().is_err());
    }

    #[test]
    fn a_family_is_the_directory_two_levels_deep() {
        assert_eq!(family("AR/LEY-17081.md"), "AR");
        assert_eq!(family("US/usc-t22/USC-T22-S213.md"), "US/usc-t22");
        assert_eq!(family("CA/eng/acts/C-29.xml"), "CA/eng");
        assert_eq!(family("loose.md"), "");
    }

    #[test]
    fn new_sources_are_brazil_mexico_paraguay_and_title_22() {
        assert_eq!(generation("BR/lei-13445.md"), "new");
        assert_eq!(generation("MX/ley-migracion.md"), "new");
        assert_eq!(generation("PY/ley-978.md"), "new");
        assert_eq!(generation("US/usc-t22/USC-T22-S213.md"), "new");
        // Title 8 and the other old U.S. sources stay old
        assert_eq!(generation("US/usc-t8/USC-T8-S1101.md"), "old");
        assert_eq!(generation("US/act.md"), "old");
        assert_eq!(generation("AR/LEY-17081.md"), "old");
        assert_eq!(generation("CA/eng/acts/C-29.xml"), "old");
    }
}
