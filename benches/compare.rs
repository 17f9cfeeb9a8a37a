//! Latency of the full coverage matrix and of a gap analysis, on the shared corpus and on a
//! synthetic corpus 20 times larger (every file copied 20 times under new names, generated here
//! from the real one, for benchmarking only). Run with `cargo bench --bench compare`
//! (`CONSULEX_SYNTH_FACTOR` changes the factor; 0 skips the synthetic run). Prints numbers only.

use consulex::compare::{self, MatrixRequest, Peers};
use consulex::search::{Engine, Resources};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn resources() -> Resources {
    Resources::load(
        &repo("corpus/taxonomy.toml"),
        &repo("corpus/countries.toml"),
        &repo("corpus/glossary.toml"),
    )
    .expect("project data loads")
}

/// Copies every instrument file `factor` times (`NAME-sNN.ext`), keeping the folders.
fn synthesize(real: &Path, out: &Path, factor: usize) -> std::io::Result<()> {
    for entry in walk(real)? {
        let rel = entry.strip_prefix(real).expect("inside the corpus");
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let dest_dir = out.join(rel.parent().unwrap_or(Path::new("")));
        std::fs::create_dir_all(&dest_dir)?;
        if name.starts_with("PROVENANCE") || name.starts_with("LICENSE") {
            std::fs::copy(&entry, dest_dir.join(name))?;
            continue;
        }
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        for i in 0..factor {
            std::fs::copy(&entry, dest_dir.join(format!("{stem}-s{i:02}.{ext}")))?;
        }
    }
    Ok(())
}

fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            out.extend(walk(&p)?);
        } else {
            out.push(p);
        }
    }
    Ok(out)
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> (f64, f64) {
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    (
        v[v.len() / 2],
        v[((v.len() - 1) as f64 * 0.99).round() as usize],
    )
}

fn run(label: &str, corpus: &Path) {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = resources();
    let t = Instant::now();
    let report =
        consulex::index::build::build(corpus, dir.path(), &r.annotator, &r.registry, &|_| {})
            .expect("index builds");
    let build = t.elapsed().as_secs_f64();
    let engine = Engine::open(dir.path(), resources()).expect("engine opens");
    let runs = if report.provisions > 50_000 { 30 } else { 200 };
    let (m50, m99) = time(runs, || {
        compare::matrix(&engine, &MatrixRequest::default()).expect("matrix");
    });
    let (g50, g99) = time(runs, || {
        compare::gaps(&engine, &"UY".parse().expect("code"), &Peers::Subsystems, 3).expect("gaps");
    });
    let (c50, c99) = time(runs, || {
        compare::compare(
            &engine,
            &"protection/detention".parse().expect("id"),
            &[
                "AR".parse().expect("c"),
                "CO".parse().expect("c"),
                "CA".parse().expect("c"),
            ],
            None,
            5,
        )
        .expect("compare");
    });
    println!(
        "{label}: {} provisions, index built in {build:.1}s, {runs} runs",
        report.provisions
    );
    println!("  matrix (35 x 26, full)        p50 {m50:>8.2} ms   p99 {m99:>8.2} ms");
    println!("  gaps UY vs its subsystems     p50 {g50:>8.2} ms   p99 {g99:>8.2} ms");
    println!("  compare detention AR,CO,CA    p50 {c50:>8.2} ms   p99 {c99:>8.2} ms");
}

fn main() {
    let real = std::env::var_os("CONSULEX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("../shared/corpus"));
    run("shared corpus", &real);
    let factor: usize = std::env::var("CONSULEX_SYNTH_FACTOR")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    if factor > 0 {
        let synth = tempfile::tempdir().expect("temp dir");
        synthesize(&real, synth.path(), factor).expect("synthetic corpus");
        run(&format!("synthetic corpus x{factor}"), synth.path());
    }
}
