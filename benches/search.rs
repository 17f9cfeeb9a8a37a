//! Index build and in-process search latency over the shared corpus.
//! Run with `cargo bench --bench search`; prints build time, index size and, per typical query
//! (all facets, 10 snippets), p50/p99 latency and where the time goes. No assertions on time.

use consulex::search::{Engine, Resources, SearchRequest};
use std::path::PathBuf;
use std::time::Instant;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let corpus = std::env::var_os("CONSULEX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("../shared/corpus"));
    let res = || {
        Resources::load(
            &repo("corpus/taxonomy.toml"),
            &repo("corpus/countries.toml"),
            &repo("corpus/glossary.toml"),
        )
        .expect("project data loads")
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let r = res();
    let t = Instant::now();
    let report =
        consulex::index::build::build(&corpus, dir.path(), &r.annotator, &r.registry, &|_| {})
            .expect("index builds");
    println!(
        "build: {} provisions in {:.2}s (parse + annotate + index + verify), index size {:.1} MB",
        report.provisions,
        t.elapsed().as_secs_f64(),
        report.index_bytes as f64 / 1e6
    );
    let mut engine = Engine::open(dir.path(), res()).expect("engine opens");
    // Every query runs 200 times: without this, all but the first would be cache lookups.
    engine.set_result_cache(0);
    let queries: &[(&str, &[(&str, &str)])] = &[
        ("assistência consular a presos", &[]),
        ("pasaporte", &[("country", "AR,CO,CL,UY")]),
        ("\"consular post\" -archives", &[("lang", "en")]),
        ("nacionalidad OR citizenship", &[("modality", "obligation")]),
        ("voto en el exterior", &[("subsystem", "MERCOSUR")]),
        ("", &[("category", "protection")]),
    ];
    let runs = 200;
    println!("search: {runs} runs per query, all facets, 10 hits with snippets");
    println!(
        "{:<42} {:>8} {:>8} {:>8} | {:>7} {:>7} {:>7} {:>7}",
        "query", "p50 ms", "p99 ms", "hits", "query", "facets", "stored", "snippet"
    );
    for (q, filters) in queries {
        let mut params = vec![("q".to_string(), q.to_string())];
        params.extend(filters.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let req = SearchRequest::from_params(&params, engine.taxonomy(), engine.registry())
            .expect("valid request");
        let mut lat = Vec::with_capacity(runs);
        let mut parts = [0.0f64; 4];
        let mut total = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let r = engine.search(&req).expect("search runs");
            lat.push(t.elapsed().as_secs_f64() * 1000.0);
            parts[0] += r.took_ms.query;
            parts[1] += r.took_ms.facets;
            parts[2] += r.took_ms.stored;
            parts[3] += r.took_ms.snippets;
            total = r.total;
        }
        lat.sort_by(|a, b| a.total_cmp(b));
        let label: String = format!("{q} {filters:?}").chars().take(42).collect();
        println!(
            "{label:<42} {:>8.2} {:>8.2} {:>8} | {:>7.2} {:>7.2} {:>7.2} {:>7.2}",
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            total,
            parts[0] / runs as f64,
            parts[1] / runs as f64,
            parts[2] / runs as f64,
            parts[3] / runs as f64
        );
    }
}
