//! Full reindex versus incremental reindex with one changed file, on a copy of the shared
//! corpus. Run with `cargo bench --bench reindex`; prints seconds and the ratio.

use consulex::annotate::{taxonomy::Taxonomy, Annotator};
use consulex::corpus::countries::Registry;
use consulex::index::build::{reindex, Options};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

fn main() {
    let real = std::env::var_os("CONSULEX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("../shared/corpus"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = tmp.path().join("corpus");
    copy_dir(&real, &corpus);
    let annotator =
        Annotator::new(Taxonomy::load(&repo("corpus/taxonomy.toml")).expect("taxonomy"));
    let registry = Registry::load(&repo("corpus/countries.toml")).expect("countries");
    let runs = 5;
    let (mut full, mut incr) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let index = tmp.path().join(format!("index{i}"));
        let t = Instant::now();
        let opts = Options {
            corpus: corpus.clone(),
            index_root: index.clone(),
            full: true,
            force: true,
            practices: None,
        };
        let r = reindex(&opts, &annotator, &registry, &|_| {}).expect("full");
        full.push(t.elapsed().as_secs_f64());
        // one changed file
        let p = corpus.join("UY/UY-ley-18250.md");
        let text = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, format!("{text}\n")).expect("write");
        let t = Instant::now();
        let opts = Options {
            full: false,
            force: false,
            ..opts
        };
        let r2 = reindex(&opts, &annotator, &registry, &|_| {}).expect("incremental");
        incr.push(t.elapsed().as_secs_f64());
        assert!(r2.incremental && r2.reparsed_files.len() == 1 && r2.provisions == r.provisions);
    }
    full.sort_by(|a, b| a.total_cmp(b));
    incr.sort_by(|a, b| a.total_cmp(b));
    let (f, i) = (full[runs / 2], incr[runs / 2]);
    println!("reindex, shared corpus, median of {runs}: full {f:.3}s, incremental (1 file changed) {i:.3}s, {:.1}x faster", f / i);
}
