//! Measuring ranking quality (`consulex eval search`): a set of queries, graded judgements of
//! provisions (0 not relevant .. 3 answers the query), and nDCG@10 per query, per language and
//! overall, with gains 2^g - 1 and a log2 discount. The searches are the engine's own default
//! search (every language, grouping on), so the figure is what an analyst sees.
//!
//! A grouped hit stands for its folded copies (`also_in`): it earns the best grade judged for
//! any of them, and the ideal ranking counts each group once, so a judge need grade only the
//! copy that was shown.

use super::{Engine, Query, SearchRequest};
use crate::corpus::model::Language;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The rank cut-off of the measure.
pub const K: usize = 10;
/// The highest grade.
pub const MAX_GRADE: u8 = 3;

/// One query of an evaluation set.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EvalQuery {
    pub id: String,
    pub lang: Language,
    pub query: String,
}

/// Graded judgements: query id -> provision id -> grade.
pub type Qrels = HashMap<String, HashMap<String, u8>>;

/// The figures of one query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryScore {
    pub id: String,
    pub lang: Language,
    pub query: String,
    pub ndcg: f64,
    /// The top 10 as shown (ids of the hits).
    pub top: Vec<String>,
    /// Hits of the top 10 with no judgement for them or any copy they fold (counted 0).
    pub unjudged: Vec<String>,
}

/// Mean nDCG@10 of the queries of one language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageScore {
    pub lang: Language,
    pub queries: usize,
    pub ndcg: f64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct SearchEvalReport {
    pub k: usize,
    pub queries: usize,
    pub ndcg: f64,
    pub per_language: Vec<LanguageScore>,
    pub per_query: Vec<QueryScore>,
    /// Share of the top-10 hits that were judged (an unjudged hit counts as not relevant).
    pub judged_share: f64,
}

fn data_err(path: &Path, line: usize, msg: impl std::fmt::Display) -> Error {
    Error::Data(format!("{}:{line}: {msg}", path.display()))
}

fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "jsonl" || e == "json")
}

/// Content lines with their numbers: blank lines and `#` comments are skipped.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// Reads queries: TSV `id<TAB>lang<TAB>query` (a header line starting `id` is skipped), or
/// JSONL objects `{"id", "lang", "query"}` when the file ends in `.jsonl`.
pub fn read_queries(path: &Path) -> Result<Vec<EvalQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (n, l) in lines(&text) {
        let q = if is_jsonl(path) {
            serde_json::from_str(l).map_err(|e| data_err(path, n, e))?
        } else {
            let f: Vec<&str> = l.splitn(3, '\t').collect();
            if f.len() < 3 {
                return Err(data_err(path, n, "expected id<TAB>lang<TAB>query"));
            }
            if n == 1 && f[0] == "id" {
                continue;
            }
            EvalQuery {
                id: f[0].trim().to_string(),
                lang: f[1].parse().map_err(|e| data_err(path, n, e))?,
                query: f[2].trim().to_string(),
            }
        };
        if out.iter().any(|o: &EvalQuery| o.id == q.id) {
            return Err(data_err(path, n, format!("query id {} given twice", q.id)));
        }
        out.push(q);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct JsonQrel {
    query: String,
    provision: String,
    grade: u8,
}

/// Reads judgements: TSV `query_id<TAB>provision_id<TAB>grade` (TREC's four columns
/// `query_id 0 provision_id grade` are read too), or JSONL `{"query", "provision", "grade"}`.
/// A grade above 3 is refused; a provision judged twice for one query keeps the last grade.
pub fn read_qrels(path: &Path) -> Result<Qrels> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out: Qrels = HashMap::new();
    for (n, l) in lines(&text) {
        let (q, p, g) = if is_jsonl(path) {
            let j: JsonQrel = serde_json::from_str(l).map_err(|e| data_err(path, n, e))?;
            (j.query, j.provision, j.grade)
        } else {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (q, p, g) = match f.as_slice() {
                [q, p, g] => (q, p, g),
                [q, _, p, g] => (q, p, g),
                _ => return Err(data_err(path, n, "expected query<TAB>provision<TAB>grade")),
            };
            if n == 1 && *q == "query" {
                continue;
            }
            let g: u8 = g
                .parse()
                .map_err(|_| data_err(path, n, format!("grade '{g}' is not 0-3")))?;
            (q.to_string(), p.to_string(), g)
        };
        if g > MAX_GRADE {
            return Err(data_err(path, n, format!("grade {g} is above {MAX_GRADE}")));
        }
        out.entry(q).or_default().insert(p, g);
    }
    Ok(out)
}

/// The gain of a grade.
fn gain(g: u8) -> f64 {
    f64::from((1u32 << g) - 1)
}

/// DCG of grades in rank order, cut at `k`: sum of (2^g - 1) / log2(rank + 1), rank from 1.
pub fn dcg(grades: &[u8], k: usize) -> f64 {
    grades
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, g)| gain(*g) / ((i + 2) as f64).log2())
        .sum()
}

/// nDCG@k of a ranking's grades against the grades of everything judged for the query (the
/// ideal ranking is those grades sorted, best first). 0 when nothing is judged relevant.
pub fn ndcg(ranked: &[u8], judged: &[u8], k: usize) -> f64 {
    let mut ideal = judged.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(&ideal, k);
    if best == 0.0 {
        0.0
    } else {
        dcg(ranked, k) / best
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn mean(xs: impl Iterator<Item = f64>) -> (usize, f64) {
    let (n, s) = xs.fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    (n, if n == 0 { 0.0 } else { s / n as f64 })
}

/// Builds the report from the per-query scores.
pub fn report(per_query: Vec<QueryScore>) -> SearchEvalReport {
    let mut by_lang: BTreeMap<Language, Vec<f64>> = BTreeMap::new();
    for q in &per_query {
        by_lang.entry(q.lang).or_default().push(q.ndcg);
    }
    let per_language = by_lang
        .into_iter()
        .map(|(lang, v)| {
            let (n, m) = mean(v.into_iter());
            LanguageScore {
                lang,
                queries: n,
                ndcg: round3(m),
            }
        })
        .collect();
    let (n, m) = mean(per_query.iter().map(|q| q.ndcg));
    let shown: usize = per_query.iter().map(|q| q.top.len()).sum();
    let unjudged: usize = per_query.iter().map(|q| q.unjudged.len()).sum();
    let judged_share = if shown == 0 {
        0.0
    } else {
        round3(1.0 - unjudged as f64 / shown as f64)
    };
    SearchEvalReport {
        k: K,
        queries: n,
        ndcg: round3(m),
        per_language,
        per_query: per_query
            .into_iter()
            .map(|mut q| {
                q.ndcg = round3(q.ndcg);
                q
            })
            .collect(),
        judged_share,
    }
}

impl Engine {
    /// Runs each query as the default search (top 10, grouped) and scores it against the
    /// judgements.
    pub fn eval_search(&self, queries: &[EvalQuery], qrels: &Qrels) -> Result<SearchEvalReport> {
        let empty = HashMap::new();
        let mut per_query = Vec::with_capacity(queries.len());
        for q in queries {
            let judged = qrels.get(&q.id).unwrap_or(&empty);
            let req = SearchRequest {
                q: Query::parse(q.query.as_str())?,
                limit: K,
                ..SearchRequest::default()
            };
            let r = self.search(&req)?;
            let mut ranked = Vec::with_capacity(r.hits.len());
            let mut unjudged = Vec::new();
            for h in &r.hits {
                let g = std::iter::once(&h.id)
                    .chain(h.also_in.iter().map(|c| &c.id))
                    .filter_map(|id| judged.get(id.as_str()).copied())
                    .max();
                if g.is_none() {
                    unjudged.push(h.id.to_string());
                }
                ranked.push(g.unwrap_or(0));
            }
            let ideal = self.ideal_grades(judged);
            per_query.push(QueryScore {
                id: q.id.clone(),
                lang: q.lang,
                query: q.query.clone(),
                ndcg: ndcg(&ranked, &ideal, K),
                top: r.hits.iter().map(|h| h.id.to_string()).collect(),
                unjudged,
            });
        }
        Ok(report(per_query))
    }

    /// The judged grades with copies of one provision counted once (their best grade): a
    /// grouped list can show only one of them.
    fn ideal_grades(&self, judged: &HashMap<String, u8>) -> Vec<u8> {
        let mut groups: HashMap<u32, u8> = HashMap::new();
        let mut out = Vec::new();
        for (id, g) in judged {
            let group = id
                .parse()
                .ok()
                .and_then(|id| self.dims_of(&id))
                .and_then(|(_, d)| d.group);
            match group {
                Some(k) => {
                    let e = groups.entry(k).or_insert(0);
                    *e = (*e).max(*g);
                }
                None => out.push(*g),
            }
        }
        out.extend(groups.into_values());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn dcg_uses_exponential_gains_and_a_log2_discount() {
        // (2^3-1)/log2(2) + (2^0-1)/log2(3) + (2^2-1)/log2(4) = 7 + 0 + 1.5
        assert!(close(dcg(&[3, 0, 2], 10), 8.5));
        // the cut-off drops what is ranked below it
        assert!(close(dcg(&[0, 3], 1), 0.0));
    }

    #[test]
    fn ndcg_of_a_tiny_ranking() {
        // judged: a=3, b=2, c=1, d=0; ranked c, a, x (unjudged, 0), b
        let ranked = [1, 3, 0, 2];
        let judged = [3, 2, 1, 0];
        let got = ndcg(&ranked, &judged, 10);
        let dcg_r = 1.0 + 7.0 / 3f64.log2() + 0.0 + 3.0 / 5f64.log2();
        let ideal = 7.0 + 3.0 / 3f64.log2() + 1.0 / 2.0;
        assert!(close(got, dcg_r / ideal), "{got}");
        // the ideal ranking scores 1, a ranking of nothing relevant 0
        assert!(close(ndcg(&[3, 2, 1, 0], &judged, 10), 1.0));
        assert!(close(ndcg(&[0, 0], &judged, 10), 0.0));
        // nothing relevant judged: 0, not a division by zero
        assert!(close(ndcg(&[0], &[0, 0], 10), 0.0));
    }

    #[test]
    fn the_ideal_is_cut_at_k_too() {
        // eleven relevant judged, the first ten ranked perfectly: 1.0
        let judged = [2u8; 11];
        assert!(close(ndcg(&[2u8; 10], &judged, 10), 1.0));
    }

    #[test]
    fn report_averages_per_language_and_counts_unjudged_hits() {
        let q = |id: &str, lang, ndcg, top: usize, unjudged: usize| QueryScore {
            id: id.into(),
            lang,
            query: String::new(),
            ndcg,
            top: (0..top).map(|i| format!("p{i}")).collect(),
            unjudged: (0..unjudged).map(|i| format!("p{i}")).collect(),
        };
        let r = report(vec![
            q("1", Language::Es, 0.8, 10, 0),
            q("2", Language::Es, 0.6, 10, 2),
            q("3", Language::Pt, 0.3, 5, 3),
        ]);
        assert_eq!(r.queries, 3);
        assert!(close(r.ndcg, 0.567));
        let es = r.per_language.iter().find(|l| l.lang == Language::Es);
        assert!(es.is_some_and(|l| l.queries == 2 && close(l.ndcg, 0.7)));
        assert!(close(r.judged_share, round3(1.0 - 5.0 / 25.0)));
    }

    #[test]
    fn query_and_judgement_files_are_read_as_tsv_trec_and_jsonl() {
        let dir = tempfile::tempdir().expect("temp dir");
        let qp = dir.path().join("q.tsv");
        std::fs::write(
            &qp,
            "id\tlang\tquery\n# a comment\nq1\tpt\tpresos no exterior\n",
        )
        .expect("write");
        let qs = read_queries(&qp).expect("queries");
        assert_eq!(
            qs,
            vec![EvalQuery {
                id: "q1".into(),
                lang: Language::Pt,
                query: "presos no exterior".into()
            }]
        );
        let rp = dir.path().join("r.tsv");
        std::fs::write(
            &rp,
            "query\tprovision\tgrade\nq1\ta:art_1\t3\nq1 0 b:art_2 1\n",
        )
        .expect("write");
        let r = read_qrels(&rp).expect("qrels");
        assert_eq!(r["q1"]["a:art_1"], 3);
        assert_eq!(r["q1"]["b:art_2"], 1);
        let jp = dir.path().join("r.jsonl");
        std::fs::write(
            &jp,
            "{\"query\":\"q1\",\"provision\":\"a:art_1\",\"grade\":4}\n",
        )
        .expect("write");
        assert!(read_qrels(&jp).is_err(), "a grade above 3 is refused");
        std::fs::write(&qp, "q1\tpt\ta\nq1\tes\tb\n").expect("write");
        assert!(read_queries(&qp).is_err(), "an id given twice is refused");
    }
}
