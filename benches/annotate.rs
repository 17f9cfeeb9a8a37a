//! Annotation throughput over the whole shared corpus, against parsing it (the issue asks for
//! annotation well under twice the parse time). Run with `cargo bench --bench annotate`.

use consulex::annotate::{taxonomy::Taxonomy, Annotator};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

// The same allocator as the `consulex` binary, which is what annotates the corpus in practice.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::env::var_os("CONSULEX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let ann = Annotator::new(
        Taxonomy::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/taxonomy.toml"))
            .expect("taxonomy"),
    );
    // CONSULEX_BENCH_RUNS raises the repetitions (for profiling the annotation alone).
    let runs: usize = std::env::var("CONSULEX_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let mut parse = f64::MAX;
    let mut parse_first = 0.0;
    let mut corpus = None;
    for i in 0..runs {
        let t = Instant::now();
        corpus = Some(consulex::corpus::load(&root, true).expect("corpus"));
        let s = t.elapsed().as_secs_f64();
        if i == 0 {
            parse_first = s;
        }
        parse = parse.min(s);
    }
    let corpus = corpus.expect("loaded");
    let provisions = corpus.provision_count();
    let mut cold = 0.0;
    let mut warm = f64::MAX;
    for i in 0..runs {
        let t = Instant::now();
        let tags: usize = corpus
            .instruments
            .par_iter()
            .map(|l| {
                ann.annotate_instrument(&l.provisions, &l.instrument.title)
                    .iter()
                    .map(|a| a.tags.len())
                    .sum::<usize>()
            })
            .sum();
        let s = t.elapsed().as_secs_f64();
        if i == 0 {
            cold = s;
        } else {
            warm = warm.min(s);
        }
        assert!(tags > 0);
    }
    // like with like: first run against first run, best against best
    println!(
        "parse (rayon): first run {parse_first:.3}s, best of {runs} {parse:.3}s; annotate {} provisions (rayon, {:.0} provisions/s warm): first run {cold:.3}s ({:.1}x the parse's first run), best later run {warm:.3}s ({:.1}x the best parse)",
        provisions,
        provisions as f64 / warm,
        cold / parse_first,
        warm / parse
    );
}
