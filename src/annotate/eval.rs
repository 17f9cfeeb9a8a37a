//! Measuring the annotator against gold files (the format of `../shared/eval`): matching gold
//! items to parsed provisions, per-category precision/recall/F1, micro and macro F1, modality
//! accuracy; and the agreement of Canadian English/French twins.

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
