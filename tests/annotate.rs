//! Annotation over the shared corpus: every gold item of the dev set is found, every tag carries
//! evidence, the bilingual agreement is computed, and the CLI prints what it measured.

mod common;

use consulex::annotate::{eval, taxonomy::Taxonomy, Annotator};
use consulex::corpus;
use std::process::Command;

fn annotator() -> Annotator {
    Annotator::new(Taxonomy::load(&common::repo_file("corpus/taxonomy.toml")).unwrap())
}

fn dev_gold() -> std::path::PathBuf {
    common::shared_corpus().join("../eval/annotations-dev.jsonl")
}

#[test]
fn every_dev_item_is_matched_and_metrics_are_in_range() {
    let c = corpus::load(&common::shared_corpus(), true).unwrap();
    let gold = eval::read_gold(&dev_gold()).unwrap();
    let r = eval::evaluate(&annotator().annotate_corpus(&c), &c, &gold);
    assert_eq!(r.items, gold.len());
    assert_eq!(r.matched, r.items, "unmatched: {:?}", r.unmatched);
    for v in [
        r.micro.precision,
        r.micro.recall,
        r.micro.f1,
        r.macro_f1,
        r.modality_accuracy,
    ] {
        assert!((0.0..=1.0).contains(&v));
    }
    // the per-category supports add up to the gold (item, category) pairs
    let pairs: usize = gold.iter().map(|g| g.categories.len()).sum();
    assert_eq!(
        r.per_category.values().map(|p| p.support).sum::<usize>(),
        pairs
    );
}

#[test]
fn every_tag_on_the_corpus_carries_evidence() {
    let c = corpus::load(&common::shared_corpus(), true).unwrap();
    let all = annotator().annotate_corpus(&c);
    let mut tags = 0;
    let mut in_context = 0;
    for (_, p) in c.provisions() {
        for t in &all[p.id.as_str()].tags {
            in_context += usize::from(t.context.is_some());
            assert!(
                !t.evidence.is_empty(),
                "{} {} has no evidence",
                p.id,
                t.category
            );
            assert!(t.confidence > 0.0 && t.confidence <= 1.0);
            tags += 1;
        }
    }
    assert!(tags > 1000, "only {tags} tags on the whole corpus");
    // instrument context promotes some tags, never most of them
    assert!(
        in_context > 0 && in_context * 5 < tags,
        "{in_context} of {tags}"
    );
}

#[test]
fn canadian_twins_mostly_agree() {
    let c = corpus::load(&common::shared_corpus(), true).unwrap();
    let t = eval::twin_agreement(&annotator().annotate_corpus(&c), &c);
    assert!(t.pairs > 1500, "{t:?}");
    assert!(t.identical <= t.pairs);
}

/// Runs the binary on the shared corpus and parses its JSON output.
fn cli_json(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_consulex"))
        .args(args)
        .env("CONSULEX_CORPUS", common::shared_corpus())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn cli_annotate_and_eval_print_tags_and_figures() {
    let v = cli_json(&[
        "annotate",
        "INTL/BWBV0004334-vienna-convention-on-consular-relations.md",
        "--json",
    ]);
    let provs = v["provisions"].as_array().unwrap();
    let art36 = provs
        .iter()
        .find(|p| p["id"].as_str().unwrap().ends_with(":art_36"))
        .unwrap();
    let tags = art36["annotation"]["tags"].as_array().unwrap();
    assert!(
        tags.iter().any(|t| t["category"] == "protection/detention"),
        "{tags:?}"
    );
    assert!(tags
        .iter()
        .all(|t| !t["evidence"].as_array().unwrap().is_empty()));

    let gold = dev_gold();
    let v = cli_json(&[
        "eval",
        "annotations",
        "--gold",
        gold.to_str().unwrap(),
        "--json",
    ]);
    for key in [
        "items",
        "matched",
        "micro",
        "macro_f1",
        "modality_accuracy",
        "per_category",
        "bilingual_agreement",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["items"], v["matched"]);
}

#[test]
fn explain_lists_what_had_evidence_but_no_tag() {
    let v = cli_json(&["annotate", "AR/LEY-17081.md", "--json", "--explain"]);
    let provs = v["provisions"].as_array().unwrap();
    let mut seen = 0;
    let mut exclusions = 0;
    for p in provs {
        let tagged: Vec<&str> = p["annotation"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["category"].as_str().unwrap())
            .collect();
        for u in p["untagged"].as_array().unwrap() {
            let cat = u["category"].as_str().unwrap();
            assert!(!tagged.contains(&cat), "{cat} is both tagged and untagged");
            assert!(!u["evidence"].as_array().unwrap().is_empty());
            let (score, threshold) = (
                u["score"].as_f64().unwrap(),
                u["threshold"].as_f64().unwrap(),
            );
            let excluded = u["excluded_by"].is_string();
            let in_passing = u["in_passing"] == true;
            let cut = score >= threshold && u["requirement_met"] == true && !excluded;
            // below its threshold, its requirement unmet, out of scope, named in passing, or
            // cut next to a better tag
            assert!(
                score < threshold
                    || u["requirement_met"] == false
                    || excluded
                    || in_passing
                    || (cut && !tagged.is_empty()),
                "{u}"
            );
            seen += 1;
            exclusions += usize::from(excluded);
        }
    }
    assert!(seen > 10, "only {seen} untagged candidates");
    // the Vienna Convention's article on the arrest of consular staff is personnel, and
    // "why not detention?" says so
    assert!(exclusions >= 1, "no exclusion explained");
}
