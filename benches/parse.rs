//! Parsing throughput over the whole shared corpus, single-threaded and with rayon.
//! Run with `cargo bench --bench parse`; prints MB/s and provisions/s (no assertions on time).

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let root = std::env::var_os("CONSULEX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let runs = 5;
    for (label, parallel) in [("single-threaded", false), ("rayon", true)] {
        let mut best = f64::MAX;
        let mut stats = (0, 0);
        for _ in 0..runs {
            let t = Instant::now();
            let c = consulex::corpus::load(&root, parallel).expect("corpus loads");
            best = best.min(t.elapsed().as_secs_f64());
            stats = (c.bytes(), c.provision_count());
        }
        println!(
            "parse {label:<16} {:.1} MB, {} provisions: best of {runs} {:.3}s = {:.1} MB/s, {:.0} provisions/s",
            stats.0 as f64 / 1e6,
            stats.1,
            best,
            stats.0 as f64 / 1e6 / best,
            stats.1 as f64 / best
        );
    }
}
