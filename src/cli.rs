//! Command-line interface: one subcommand per user task, each a thin layer that builds the
//! configuration, calls one library function and prints the result as a readable table or JSON.
//! Exit codes: 0 success, 1 some input rejected (or a check failed), 2 usage or configuration
//! error, 3 a reindex switch refused.

use crate::annotate::{taxonomy::Taxonomy, Annotator};
use crate::config::{Config, Overrides};
use crate::corpus;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(
    name = "consulex",
    version,
    about = "Comparative analysis of consular law: ingest, annotate, index, search and compare national consular provisions"
)]
pub struct Cli {
    /// Configuration file (default: consulex.toml in the current directory or a parent).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone, Default)]
pub struct Paths {
    /// Corpus directory (overrides CONSULEX_CORPUS and consulex.toml).
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Index directory (overrides CONSULEX_INDEX and consulex.toml).
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Known-item search across languages: each Vienna Convention article's English title as
    /// the query, restricted to Spanish and to French; share of articles whose copy in that
    /// language is in the top 10.
    KnownItem {
        #[command(flatten)]
        paths: Paths,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compare the annotator with a gold file (JSONL, the format of ../shared/eval); also
    /// reports the agreement of Canadian English/French twins and annotation throughput.
    Annotations {
        #[command(flatten)]
        paths: Paths,
        /// Gold annotations (JSONL).
        #[arg(long, value_name = "FILE")]
        gold: PathBuf,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// Also list the items the annotator got wrong.
        #[arg(long)]
        errors: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print each provision of one corpus file with its categories, modality and evidence.
    Annotate {
        /// The file, as a path or relative to the corpus directory (e.g. AR/LEY-17081.md).
        file: PathBuf,
        #[command(flatten)]
        paths: Paths,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Also show every category with some evidence that was not tagged, with its score
        /// against its threshold (why a provision was not tagged X).
        #[arg(long)]
        explain: bool,
    },
    /// Measure the annotator and the search.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Side by side: each country's provisions in one category, strongest first.
    Compare {
        #[command(flatten)]
        paths: Paths,
        /// Category id (e.g. protection/detention).
        #[arg(long)]
        category: String,
        /// Countries, comma-separated (e.g. AR,CO,CA).
        #[arg(long, default_value = "")]
        countries: String,
        /// Or every member of a subsystem.
        #[arg(long)]
        subsystem: Option<String>,
        /// Only provisions matching this query.
        #[arg(long)]
        q: Option<String>,
        /// Provisions per country.
        #[arg(long, default_value_t = 3)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Coverage matrix: countries x categories (provisions/obligations per cell).
    Matrix {
        #[command(flatten)]
        paths: Paths,
        #[arg(long)]
        subsystem: Option<String>,
        /// Only these categories (parents expand to their leaves), comma-separated.
        #[arg(long)]
        categories: Option<String>,
        /// Print CSV (for spreadsheets).
        #[arg(long)]
        csv: bool,
        #[arg(long)]
        json: bool,
    },
    /// Gaps of a country against its peers, with adoptable provisions.
    Gaps {
        /// Country code (e.g. UY).
        country: String,
        #[command(flatten)]
        paths: Paths,
        /// Peers: a subsystem, `all`, or country codes (default: the country's subsystems).
        #[arg(long)]
        peers: Option<String>,
        /// Exemplars per gap.
        #[arg(long, default_value_t = 2)]
        exemplars: usize,
        #[arg(long)]
        json: bool,
    },
    /// Parse, annotate and index the corpus into a new generation, then switch to it.
    Index {
        #[command(flatten)]
        paths: Paths,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Bring the index up to date: parse and annotate only changed files, verify, switch.
    /// Exit 0 switched, 1 switched but some files were rejected, 3 switch refused, 4 another
    /// reindex is running, 2 usage or configuration error.
    Reindex {
        #[command(flatten)]
        paths: Paths,
        /// Switch even if the new generation lost more than 20% of the provisions or a country.
        #[arg(long)]
        force: bool,
        /// Parse and annotate every file (no reuse of the previous generation).
        #[arg(long)]
        full: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the served generation, the generations kept and the last reindex's outcome.
    Status {
        #[command(flatten)]
        paths: Paths,
        #[arg(long)]
        json: bool,
    },
    /// What changed since a generation or a date (provisions added, removed, modified, re-tagged).
    Changes {
        #[command(flatten)]
        paths: Paths,
        /// A generation name (g...) or a date (YYYY-MM-DD); default: the previous generation.
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Switch back to the generation before the live one.
    Rollback {
        #[command(flatten)]
        paths: Paths,
    },
    /// Serve the HTTP API (builds an index first if none exists). Stops cleanly on SIGTERM.
    Serve {
        #[command(flatten)]
        paths: Paths,
        /// Address to listen on (overrides CONSULEX_ADDR and consulex.toml).
        #[arg(long, value_name = "HOST:PORT")]
        addr: Option<String>,
        /// Search responses kept per index generation, for repeated queries (0 turns the
        /// cache off; overrides CONSULEX_RESULT_CACHE and consulex.toml; default 1024).
        #[arg(long, value_name = "N")]
        result_cache: Option<usize>,
    },
    /// Search the index from the terminal (same engine and parameters as GET /v1/search).
    Search {
        /// Query text in any language: words, "phrases", -exclusions, OR.
        query: String,
        #[command(flatten)]
        paths: Paths,
        /// Country codes (repeat or comma-separate).
        #[arg(long)]
        country: Vec<String>,
        /// Integration subsystem (SICA, CAN, MERCOSUR, CARICOM).
        #[arg(long)]
        subsystem: Vec<String>,
        /// Category id (a parent includes its children).
        #[arg(long)]
        category: Vec<String>,
        /// Instrument kind.
        #[arg(long)]
        kind: Vec<String>,
        /// Provision language (es, en, fr, pt).
        #[arg(long)]
        lang: Vec<String>,
        /// Modality (obligation, permission, prohibition, other).
        #[arg(long)]
        modality: Vec<String>,
        /// Only provisions in force (true) or not (false).
        #[arg(long)]
        in_force: Option<String>,
        /// Hits to show (1-100).
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Turn cross-lingual expansion off.
        #[arg(long)]
        no_expand: bool,
        /// Print the response as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Parse the whole corpus and report every instrument and every rejected file.
    Check {
        #[command(flatten)]
        paths: Paths,
        /// Print one JSON document instead of a table.
        #[arg(long)]
        json: bool,
        /// Read files one by one instead of in parallel (for benchmarking).
        #[arg(long)]
        single_thread: bool,
        /// Also list every provision (id, number, heading, first words) of files whose path
        /// contains this text.
        #[arg(long, value_name = "TEXT")]
        list: Option<String>,
    },
}

/// Threads of the blocking pool (where the engine runs) per core; see `serve`.
const BLOCKING_THREADS_PER_CORE: usize = 4;

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    init_logging();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                crate::Error::Refused(_) => 3,
                crate::Error::Locked(_) => 4,
                _ => 2,
            }
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CONSULEX_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn config(cli_config: &Option<PathBuf>, paths: &Paths) -> crate::Result<Config> {
    let cfg = Config::load(&Overrides {
        config_file: cli_config.clone(),
        corpus: paths.corpus.clone(),
        index: paths.index.clone(),
        addr: None,
    })?;
    if let Some(note) = &cfg.corpus_fallback {
        eprintln!("consulex: {note}");
    }
    Ok(cfg)
}

fn run(cli: Cli) -> crate::Result<i32> {
    match &cli.command {
        Command::Annotate {
            file,
            paths,
            json,
            explain,
        } => {
            let cfg = config(&cli.config, paths)?;
            annotate_file(&cfg, file, *json, *explain)
        }
        Command::Compare {
            paths,
            category,
            countries,
            subsystem,
            q,
            limit,
            json,
        } => {
            let cfg = config(&cli.config, paths)?;
            let mut p = vec![
                ("category".to_string(), category.clone()),
                ("limit".to_string(), limit.to_string()),
            ];
            if !countries.is_empty() {
                p.push(("countries".into(), countries.clone()));
            }
            if let Some(s) = subsystem {
                p.push(("subsystem".into(), s.clone()));
            }
            if let Some(q) = q {
                p.push(("q".into(), q.clone()));
            }
            compare_cmd(&cfg, &p, *json)
        }
        Command::Matrix {
            paths,
            subsystem,
            categories,
            csv,
            json,
        } => {
            let cfg = config(&cli.config, paths)?;
            let mut p = Vec::new();
            if let Some(s) = subsystem {
                p.push(("subsystem".to_string(), s.clone()));
            }
            if let Some(c) = categories {
                p.push(("categories".to_string(), c.clone()));
            }
            matrix_cmd(&cfg, &p, *csv, *json)
        }
        Command::Gaps {
            country,
            paths,
            peers,
            exemplars,
            json,
        } => {
            let cfg = config(&cli.config, paths)?;
            let mut p = vec![
                ("country".to_string(), country.clone()),
                ("exemplars".to_string(), exemplars.to_string()),
            ];
            if let Some(x) = peers {
                p.push(("peers".into(), x.clone()));
            }
            gaps_cmd(&cfg, &p, *json)
        }
        Command::Reindex {
            paths,
            force,
            full,
            json,
        } => {
            let cfg = config(&cli.config, paths)?;
            reindex_cmd(&cfg, *force, *full, *json)
        }
        Command::Status { paths, json } => {
            let cfg = config(&cli.config, paths)?;
            let st = crate::index::ops::status(&cfg.index)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&st)?);
            } else {
                match (&st.current, &st.meta) {
                    (Some(g), Some(m)) => println!("serving {g}: built {} from {}, {} instruments, {} provisions, countries {}", m.built_at, m.corpus, m.instruments, m.provisions, m.countries.join(" ")),
                    _ => println!("no generation is served under {}", cfg.index.display()),
                }
                println!("generations kept: {}", st.generations.join(", "));
                if let Some(l) = &st.last_reindex {
                    println!(
                        "last reindex: {} at {}{}",
                        l["outcome"].as_str().unwrap_or("?"),
                        l["finished_at"].as_str().unwrap_or("?"),
                        l["reason"]
                            .as_str()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    );
                }
            }
            Ok(0)
        }
        Command::Changes {
            paths,
            since,
            country,
            category,
            json,
        } => {
            let cfg = config(&cli.config, paths)?;
            let since = match since {
                Some(s) => s.clone(),
                None => {
                    let st = crate::index::ops::status(&cfg.index)?;
                    let n = st.generations.len();
                    if n >= 2 {
                        st.generations[n - 2].clone()
                    } else {
                        "1970-01-01".to_string()
                    }
                }
            };
            let ch = crate::index::ops::changes(
                &cfg.index,
                &since,
                country.as_deref(),
                category.as_deref(),
            )?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&ch)?);
            } else {
                if let Some(n) = &ch.note {
                    println!("note: {n}");
                }
                for r in &ch.generations {
                    println!("{} (after {}): {} files re-parsed, {} added, {} removed, {} modified, {} re-tagged", r.generation, r.previous.as_deref().unwrap_or("nothing"), r.reparsed_files.len(), r.added.len(), r.removed.len(), r.modified.len(), r.annotation_changes.len());
                    for c in r.modified.iter().take(20) {
                        println!("    modified {}", c.id);
                    }
                    for c in r.added.iter().take(20) {
                        println!("    added    {}", c.id);
                    }
                    for c in r.removed.iter().take(20) {
                        println!("    removed  {}", c.id);
                    }
                    for c in r.annotation_changes.iter().take(20) {
                        println!("    re-tagged {}: {:?} -> {:?}", c.id, c.before, c.after);
                    }
                }
            }
            Ok(0)
        }
        Command::Rollback { paths } => {
            let cfg = config(&cli.config, paths)?;
            let (from, to) = crate::index::ops::rollback(&cfg.index)?;
            println!("rolled back from {from} to {to}; a running server follows within seconds");
            Ok(0)
        }
        Command::Index { paths, json } => {
            let cfg = config(&cli.config, paths)?;
            index(&cfg, *json)
        }
        Command::Serve {
            paths,
            addr,
            result_cache,
        } => {
            let mut cfg = config(&cli.config, paths)?;
            if let Some(a) = addr {
                cfg.addr = a.clone();
            }
            if let Some(n) = result_cache {
                cfg.result_cache = *n;
            }
            serve(&cfg)
        }
        Command::Search {
            query,
            paths,
            country,
            subsystem,
            category,
            kind,
            lang,
            modality,
            in_force,
            limit,
            no_expand,
            json,
        } => {
            let cfg = config(&cli.config, paths)?;
            let mut params: Vec<(String, String)> = vec![
                ("q".into(), query.clone()),
                ("limit".into(), limit.to_string()),
            ];
            for (name, vals) in [
                ("country", country),
                ("subsystem", subsystem),
                ("category", category),
                ("kind", kind),
                ("lang", lang),
                ("modality", modality),
            ] {
                params.extend(vals.iter().map(|v| (name.to_string(), v.clone())));
            }
            if let Some(f) = in_force {
                params.push(("in_force".into(), f.clone()));
            }
            if *no_expand {
                params.push(("expand".into(), "false".into()));
            }
            search(&cfg, &params, *json)
        }
        Command::Eval(EvalCommand::KnownItem { paths, json }) => {
            let cfg = config(&cli.config, paths)?;
            let engine = open_engine(&cfg)?;
            let reports = [
                engine.known_item(crate::corpus::model::Language::Es)?,
                engine.known_item(crate::corpus::model::Language::Fr)?,
            ];
            if *json {
                println!("{}", serde_json::to_string_pretty(&reports)?);
            } else {
                for r in &reports {
                    println!(
                        "lang={}: {} of {} titled articles in the top 10 ({:.1}%)",
                        r.language,
                        r.found_in_top10,
                        r.articles,
                        r.share * 100.0
                    );
                    for m in &r.missed {
                        println!("    missed: {m}");
                    }
                }
            }
            Ok(0)
        }
        Command::Eval(EvalCommand::Annotations {
            paths,
            gold,
            json,
            errors,
        }) => {
            let cfg = config(&cli.config, paths)?;
            eval_annotations(&cfg, gold, *json, *errors)
        }
        Command::Check {
            paths,
            json,
            single_thread,
            list,
        } => {
            let cfg = config(&cli.config, paths)?;
            check(&cfg, *json, !*single_thread, list.as_deref())
        }
    }
}

fn check(cfg: &Config, json: bool, parallel: bool, list: Option<&str>) -> crate::Result<i32> {
    // The registry is the project's own data: a broken one is a usage error, reported first.
    let registry = corpus::countries::Registry::load(&cfg.countries)?;
    let t = Instant::now();
    let c = corpus::load(&cfg.corpus, parallel)?;
    let secs = t.elapsed().as_secs_f64();
    let code = if c.rejected.is_empty() { 0 } else { 1 };
    if json {
        let doc = serde_json::json!({
            "corpus": cfg.corpus.display().to_string(),
            "instruments": c.instruments.iter().map(|l| serde_json::json!({
                "id": l.instrument.id,
                "file": l.instrument.file,
                "country": l.instrument.country,
                "language": l.instrument.language,
                "kind": l.instrument.kind,
                "title": l.instrument.title,
                "provisions": l.provisions.len(),
                "twin": l.instrument.twin,
                "completeness": l.instrument.completeness,
                "warnings": l.warnings,
                "provision_list": list.filter(|f| l.instrument.file.contains(f)).map(|_| &l.provisions),
            })).collect::<Vec<_>>(),
            "rejected": c.rejected,
            "summary": {
                "instruments": c.instruments.len(),
                "provisions": c.provision_count(),
                "rejected": c.rejected.len(),
                "partial": c.instruments.iter().filter(|l| l.instrument.completeness.is_partial()).count(),
                "bytes": c.bytes(),
                "seconds": secs,
            }
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(code);
    }
    println!(
        "{:<4} {:<10} {:<4} {:>6} {:>4}  title (file)",
        "cc", "kind", "lang", "provs", "warn"
    );
    for l in &c.instruments {
        let i = &l.instrument;
        let title: String = i.title.chars().take(60).collect();
        println!(
            "{:<4} {:<10} {:<4} {:>6} {:>4}  {} ({})",
            i.country.as_str(),
            i.kind.as_str(),
            i.language.code(),
            l.provisions.len(),
            l.warnings.len(),
            title,
            i.file
        );
        println!("{:>33}audit: {}", "", i.completeness.summary());
        for w in &l.warnings {
            println!("{:>33}warning: {w}", "");
        }
        if list.is_some_and(|f| i.file.contains(f)) {
            for p in &l.provisions {
                let words = first_chars(&p.text, 70);
                let heading = p.heading.as_deref().unwrap_or("");
                let rep = match (p.repealed, p.vetoed, p.transitory) {
                    (true, _, _) => " [repealed]",
                    (_, true, _) => " [vetoed]",
                    (_, _, true) => " [transitory]",
                    _ => "",
                };
                println!(
                    "    {:<40} {:<8} {heading}{rep} | {words}",
                    p.id.as_str(),
                    p.number
                );
            }
        }
    }
    for r in &c.rejected {
        match r.line {
            Some(line) => println!("REJECTED {}:{line}: {}", r.file, r.reason),
            None => println!("REJECTED {}: {}", r.file, r.reason),
        }
    }
    let countries: std::collections::BTreeSet<_> = c
        .instruments
        .iter()
        .map(|l| l.instrument.country.clone())
        .collect();
    let unknown: Vec<_> = countries
        .iter()
        .filter(|cc| !cc.is_intl() && registry.get(cc).is_none())
        .collect();
    let partial = c
        .instruments
        .iter()
        .filter(|l| l.instrument.completeness.is_partial())
        .count();
    println!(
        "\n{} instruments, {} provisions from {} countries; {partial} partial; {} rejected; {:.1} MB in {:.2}s ({:.1} MB/s, {:.0} provisions/s)",
        c.instruments.len(),
        c.provision_count(),
        countries.len(),
        c.rejected.len(),
        c.bytes() as f64 / 1e6,
        secs,
        c.bytes() as f64 / 1e6 / secs.max(1e-9),
        c.provision_count() as f64 / secs.max(1e-9)
    );
    for cc in unknown {
        println!(
            "warning: country folder {cc} is not in {}",
            cfg.countries.display()
        );
    }
    Ok(code)
}

fn annotator(cfg: &Config) -> crate::Result<Annotator> {
    Ok(Annotator::new(Taxonomy::load(&cfg.taxonomy)?))
}

fn annotate_file(
    cfg: &Config,
    file: &std::path::Path,
    json: bool,
    explain: bool,
) -> crate::Result<i32> {
    let ann = annotator(cfg)?;
    // Accept a path inside the corpus or a path relative to it.
    let abs = if file.is_file() {
        file.to_path_buf()
    } else {
        cfg.corpus.join(file)
    };
    let files = corpus::discover(&cfg.corpus)?;
    let canon = abs.canonicalize().map_err(|e| crate::Error::io(&abs, e))?;
    let src = files
        .into_iter()
        .find(|f| f.path.canonicalize().map(|p| p == canon).unwrap_or(false))
        .ok_or_else(|| {
            crate::Error::invalid(
                "FILE",
                format!(
                    "{} is not an instrument file of the corpus {}",
                    file.display(),
                    cfg.corpus.display()
                ),
            )
        })?;
    let loaded = match corpus::read_file(&src, &Default::default()) {
        Ok(l) => l,
        Err(r) => {
            eprintln!(
                "REJECTED {}{}: {}",
                r.file,
                r.line.map(|l| format!(":{l}")).unwrap_or_default(),
                r.reason
            );
            return Ok(1);
        }
    };
    let items: Vec<_> = loaded
        .provisions
        .iter()
        .zip(ann.annotate_instrument(&loaded.provisions, &loaded.instrument.title))
        .map(|(p, a)| {
            let untagged: Vec<_> = if explain {
                ann.explain(p, &loaded.instrument.title)
                    .into_iter()
                    .filter(|c| !a.categories().any(|t| *t == c.category))
                    .collect()
            } else {
                Vec::new()
            };
            (p, a, untagged)
        })
        .collect();
    if json {
        let out: Vec<_> = items
            .iter()
            .map(|(p, a, untagged)| {
                let mut v = serde_json::json!({"id": p.id, "number": p.number, "heading": p.heading, "annotation": a});
                if explain {
                    v["untagged"] = serde_json::json!(untagged);
                }
                v
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"instrument": loaded.instrument, "provisions": out})
            )?
        );
        return Ok(0);
    }
    println!(
        "{} ({}, {}, {})",
        loaded.instrument.title,
        loaded.instrument.country,
        loaded.instrument.kind,
        loaded.instrument.language
    );
    for (p, a, untagged) in &items {
        let words = first_chars(&p.text, 90);
        println!("\n{}  [{}]  {}", p.id, a.modality.as_str(), words);
        if !a.modality_evidence.is_empty() {
            println!("    modality: {}", a.modality_evidence.join(", "));
        }
        for t in &a.tags {
            let ev: Vec<String> = t
                .evidence
                .iter()
                .map(|e| {
                    format!(
                        "{} \"{}\" ({:?}{})",
                        e.term,
                        e.matched,
                        e.field,
                        if e.count > 1 {
                            format!(" x{}", e.count)
                        } else {
                            String::new()
                        }
                    )
                    .to_lowercase()
                })
                .collect();
            println!(
                "    {:<34} conf {:.2}  {}",
                t.category.as_str(),
                t.confidence,
                ev.join("; ")
            );
        }
        for c in untagged {
            let why = if let Some(term) = &c.excluded_by {
                format!("out of scope: \"{term}\" in its heading or opening")
            } else if !c.requirement_met {
                "required term missing".to_string()
            } else if c.in_passing {
                "named once in passing (incidental terms only)".to_string()
            } else if c.score < c.threshold {
                format!("score {:.2} < {:.2}", c.score, c.threshold)
            } else if c.incidental_only {
                format!(
                    "score {:.2} from incidental terms only, next to a better tag",
                    c.score
                )
            } else {
                format!("score {:.2} outscored by the provision's best tag", c.score)
            };
            let terms: Vec<&str> = c.evidence.iter().map(|e| e.term.as_str()).collect();
            println!(
                "    not {:<30} {}  {}",
                c.category.as_str(),
                why,
                terms.join("; ")
            );
        }
    }
    Ok(0)
}

fn eval_annotations(
    cfg: &Config,
    gold: &std::path::Path,
    json: bool,
    errors: bool,
) -> crate::Result<i32> {
    let ann = annotator(cfg)?;
    let items = crate::annotate::eval::read_gold(gold)?;
    let c = corpus::load(&cfg.corpus, true)?;
    let t = Instant::now();
    let all = ann.annotate_corpus(&c);
    let secs = t.elapsed().as_secs_f64();
    let report = crate::annotate::eval::evaluate(&all, &c, &items);
    let twins = crate::annotate::eval::twin_agreement(&all, &c);
    let rate = all.len() as f64 / secs.max(1e-9);
    if json {
        let mut v = serde_json::to_value(&report)?;
        if let Some(o) = v.as_object_mut() {
            if !errors {
                o.remove("errors");
            }
            o.insert("bilingual_agreement".into(), serde_json::to_value(&twins)?);
            o.insert(
                "annotation_provisions_per_second".into(),
                serde_json::json!(rate.round()),
            );
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    println!("items {}  matched {}", report.items, report.matched);
    println!(
        "micro  P {:.3}  R {:.3}  F1 {:.3}",
        report.micro.precision, report.micro.recall, report.micro.f1
    );
    println!(
        "macro-F1 {:.3}   modality accuracy {:.3}",
        report.macro_f1, report.modality_accuracy
    );
    println!(
        "\n{:<34} {:>6} {:>6} {:>6} {:>7}",
        "category", "P", "R", "F1", "support"
    );
    for (c, p) in &report.per_category {
        println!(
            "{:<34} {:>6.3} {:>6.3} {:>6.3} {:>7}",
            c, p.precision, p.recall, p.f1, p.support
        );
    }
    println!(
        "\nCanadian EN/FR twins: {} of {} section pairs have identical category sets ({:.1}%)",
        twins.identical,
        twins.pairs,
        twins.share * 100.0
    );
    println!(
        "annotation: {} provisions in {:.3}s ({:.0} provisions/s, rayon)",
        all.len(),
        secs,
        rate
    );
    for u in &report.unmatched {
        println!("unmatched: {u}");
    }
    if errors {
        for e in &report.errors {
            println!(
                "{} {:?}\n    gold {:?} {:?}\n    pred {:?} {:?}",
                e.item, e.provision, e.gold, e.gold_modality, e.predicted, e.predicted_modality
            );
        }
    }
    Ok(0)
}

/// The first `n` characters of a text on one line, for terminal listings.
fn first_chars(text: &str, n: usize) -> String {
    text.chars()
        .take(n)
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect()
}

fn progress(msg: &str) {
    eprintln!("[{}] {msg}", crate::index::generation::now_rfc3339());
}

fn build_index(cfg: &Config) -> crate::Result<crate::index::build::BuildReport> {
    let ann = annotator(cfg)?;
    let registry = corpus::countries::Registry::load(&cfg.countries)?;
    crate::index::build::build(&cfg.corpus, &cfg.index, &ann, &registry, &progress)
}

fn index(cfg: &Config, json: bool) -> crate::Result<i32> {
    let r = build_index(cfg)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        for rej in &r.rejected {
            println!(
                "REJECTED {}{}: {}",
                rej.file,
                rej.line.map(|l| format!(":{l}")).unwrap_or_default(),
                rej.reason
            );
        }
        println!(
            "generation {}: {} instruments, {} provisions, {:.1} MB index, built in {:.2}s; now serving from {}",
            r.generation,
            r.instruments,
            r.provisions,
            r.index_bytes as f64 / 1e6,
            r.seconds,
            cfg.index.display()
        );
    }
    Ok(if r.rejected.is_empty() { 0 } else { 1 })
}

/// Opens the live generation.
pub fn open_engine(cfg: &Config) -> crate::Result<crate::search::Engine> {
    let res = crate::search::Resources::load(&cfg.taxonomy, &cfg.countries, &cfg.glossary)?;
    let mut engine = crate::search::Engine::open(&cfg.index, res)?;
    engine.set_result_cache(cfg.result_cache);
    Ok(engine)
}

/// How often `serve` checks the `CURRENT` pointer.
const POLL_SECONDS: u64 = 2;

fn serve(cfg: &Config) -> crate::Result<i32> {
    if crate::index::generation::current(&cfg.index)?.is_none() {
        progress("no index yet: building one");
        build_index(cfg)?;
    }
    let engine = match open_engine(cfg) {
        // A generation from an older release: build a new one beside it, as on first start.
        Err(crate::Error::OutdatedIndex(why)) => {
            progress(&format!(
                "the live generation is outdated ({why}): building a new one"
            ));
            build_index(cfg)?;
            open_engine(cfg)?
        }
        r => r?,
    };
    progress(&format!(
        "serving generation {} ({} provisions) on http://{}",
        engine.meta.generation,
        engine.num_docs(),
        cfg.addr
    ));
    let reload_cfg = cfg.clone();
    let reloader: crate::api::Reloader = std::sync::Arc::new(move || open_engine(&reload_cfg));
    let state = crate::api::AppState::new(engine)
        .with_index(cfg.index.clone(), reloader)
        .with_admin_token(cfg.admin_token.clone());
    let poller = state.clone();
    // Searches run on the blocking pool. Left at tokio's default (512 threads), a burst of
    // requests starts a thread each, and the cores switch between dozens of half-done
    // searches, each with cold caches; a few threads per core that take queued searches one
    // after another served 30% more requests per second under load, with a lower p99.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS_PER_CORE * cores)
        .build()
        .map_err(|e| crate::Error::Config(format!("cannot start runtime: {e}")))?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&cfg.addr)
            .await
            .map_err(|e| {
                crate::Error::invalid("addr", format!("cannot listen on {}: {e}", cfg.addr))
            })?;
        // Follow the CURRENT pointer: a reindex (or rollback) is picked up within seconds.
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(POLL_SECONDS));
            loop {
                tick.tick().await;
                match poller.reload_if_changed().await {
                    Ok((g, true)) => progress(&format!("now serving generation {g}")),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "reload failed; still serving the previous generation"),
                }
            }
        });
        axum::serve(listener, crate::api::router(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| crate::Error::Config(format!("server failed: {e}")))
    })?;
    progress("stopped");
    Ok(0)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

fn search(cfg: &Config, params: &[(String, String)], json: bool) -> crate::Result<i32> {
    let engine = open_engine(cfg)?;
    let req =
        crate::search::SearchRequest::from_params(params, engine.taxonomy(), engine.registry())?;
    let r = engine.search(&req)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(0);
    }
    for e in &r.expansions {
        println!(
            "expanded to {} (from: {})",
            e.category,
            e.matched.join(", ")
        );
    }
    println!("{} hits ({:.1} ms)\n", r.total, r.took_ms.total);
    for (i, h) in r.hits.iter().enumerate() {
        let cats: Vec<&str> = h.categories.iter().map(|t| t.category.as_str()).collect();
        println!(
            "{:>2}. {}  [{} {} {}] {:.2}",
            i + 1 + r.offset,
            h.id,
            h.country,
            h.language,
            h.modality.as_str(),
            h.score
        );
        println!(
            "    {} — art./sec. {}{}",
            h.instrument.title,
            h.number,
            h.heading
                .as_ref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default()
        );
        if !cats.is_empty() {
            println!("    categories: {}", cats.join(", "));
        }
        println!(
            "    {}\n",
            highlight_terminal(&h.snippet.text, &h.snippet.highlights)
        );
    }
    for (dim, counts) in &r.facets {
        let mut v: Vec<_> = counts.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1));
        let top: Vec<String> = v.iter().take(8).map(|(k, n)| format!("{k} {n}")).collect();
        println!("{dim:<10} {}", top.join(" · "));
    }
    Ok(0)
}

/// Marks highlighted ranges with [brackets] for the terminal.
fn highlight_terminal(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (s, e) in ranges {
        if *s < last || *e > text.len() || !text.is_char_boundary(*s) || !text.is_char_boundary(*e)
        {
            continue;
        }
        out.push_str(&text[last..*s]);
        out.push('[');
        out.push_str(&text[*s..*e]);
        out.push(']');
        last = *e;
    }
    out.push_str(&text[last..]);
    out.replace('\n', " ")
}

fn compare_cmd(cfg: &Config, p: &[(String, String)], json: bool) -> crate::Result<i32> {
    let e = open_engine(cfg)?;
    let req = crate::compare::request::compare(p, &e)?;
    let r = crate::compare::compare(
        &e,
        &req.category,
        &req.countries,
        req.q.as_deref(),
        req.limit,
    )?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(0);
    }
    println!("{} — side by side ({})\n", r.category, r.ranking);
    for c in &r.countries {
        println!(
            "== {}  {} national provision(s)  [{}]",
            c.country, c.count, c.query
        );
        if let Some(m) = &c.message {
            println!("   {m}");
        }
        for i in &c.provisions {
            println!(
                "   {:<12} {}  {} art. {}: {}",
                i.modality.as_str(),
                i.id,
                i.instrument_title.chars().take(40).collect::<String>(),
                i.number,
                first_chars(&i.excerpt, 110)
            );
        }
        for i in &c.treaty_copies {
            println!(
                "   (treaty copy) {}  {}",
                i.id,
                i.part
                    .as_deref()
                    .unwrap_or(&i.instrument_title)
                    .chars()
                    .take(60)
                    .collect::<String>()
            );
        }
        println!();
    }
    Ok(0)
}

fn matrix_cmd(cfg: &Config, p: &[(String, String)], csv: bool, json: bool) -> crate::Result<i32> {
    let e = open_engine(cfg)?;
    let (req, _) = crate::compare::request::matrix(p, &e)?;
    let m = crate::compare::matrix(&e, &req)?;
    if csv {
        print!("{}", crate::compare::matrix_csv(&m));
        return Ok(0);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&m)?);
        return Ok(0);
    }
    // Columns are numbered to keep the table narrow; the legend follows.
    print!("{:<6}", "");
    for (i, _) in m.columns.iter().enumerate() {
        print!("{:>6}", format!("c{}", i + 1));
    }
    println!();
    for r in &m.rows {
        print!("{:<6}", r.country.as_str());
        for c in &m.columns {
            let cell = &r.cells[c];
            let v = match cell.state {
                crate::compare::CellState::Covered => {
                    format!("{}/{}", cell.provisions, cell.obligations)
                }
                crate::compare::CellState::NotFound => "·".to_string(),
                crate::compare::CellState::NotFoundPartial => "?".to_string(),
                crate::compare::CellState::NoSources => "-".to_string(),
            };
            print!("{v:>6}");
        }
        if !r.partial_sources.is_empty() {
            print!("  (partial sources: {})", r.partial_sources.len());
        }
        println!();
    }
    println!("\nprovisions/obligations; · none found in the indexed instruments; ? none found, but some of the country's sources lack articles; - no instrument indexed");
    for (i, c) in m.columns.iter().enumerate() {
        println!("  c{:<3} {}", i + 1, c);
    }
    Ok(0)
}

fn gaps_cmd(cfg: &Config, p: &[(String, String)], json: bool) -> crate::Result<i32> {
    let e = open_engine(cfg)?;
    let (country, peers, n) = crate::compare::request::gaps(p, &e)?;
    let r = crate::compare::gaps(&e, &country, &peers, n)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(0);
    }
    let peers: Vec<&str> = r.peers.iter().map(|c| c.as_str()).collect();
    println!(
        "Gaps of {} against {} ({})",
        r.country,
        peers.join(", "),
        r.peers_basis
    );
    if let Some(f) = &r.peers_fallback {
        println!("Note: {f}");
    }
    for p in &r.partial_sources {
        println!(
            "Partial source: {} ({}): an absence here may be a missing article",
            p.instrument, p.summary
        );
    }
    println!("Ranking: {}\n", r.ranking);
    for g in &r.gaps {
        let who: Vec<&str> = g
            .peers_with_obligations
            .iter()
            .map(|c| c.as_str())
            .collect();
        println!(
            "{:<34} {} has {}; obligations in {} ({})",
            g.category.as_str(),
            r.country,
            g.country_has.replace('_', " "),
            who.join(", "),
            g.peer_obligations
        );
        for x in &g.exemplars {
            println!(
                "    adopt from {}: {} — {}",
                x.id,
                x.instrument_title.chars().take(50).collect::<String>(),
                first_chars(&x.excerpt, 100)
            );
        }
    }
    if r.gaps.is_empty() {
        println!(
            "no gaps: wherever {} ({}) have obligations, {} has too",
            peers.join(", "),
            r.peers_basis,
            r.country
        );
    }
    Ok(0)
}

fn reindex_cmd(cfg: &Config, force: bool, full: bool, json: bool) -> crate::Result<i32> {
    let ann = annotator(cfg)?;
    let registry = corpus::countries::Registry::load(&cfg.countries)?;
    let opts = crate::index::build::Options {
        corpus: cfg.corpus.clone(),
        index_root: cfg.index.clone(),
        full,
        force,
    };
    let r = crate::index::build::reindex(&opts, &ann, &registry, &progress)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        for rej in &r.rejected {
            let kept = if r.kept_files.contains(&rej.file) {
                " (previous version kept)"
            } else {
                ""
            };
            println!(
                "REJECTED {}{}: {}{kept}",
                rej.file,
                rej.line.map(|l| format!(":{l}")).unwrap_or_default(),
                rej.reason
            );
        }
        println!(
            "{} {}: {} files ({} re-parsed, {} reused), {} provisions; {} added, {} removed, {} modified, {} re-tagged; {:.2}s",
            if r.incremental { "incremental" } else { "full" },
            r.generation,
            r.files,
            r.reparsed_files.len(),
            r.reused_files,
            r.provisions,
            r.added,
            r.removed,
            r.modified,
            r.annotation_changes,
            r.seconds
        );
        if r.reparsed_files.len() <= 10 {
            for f in &r.reparsed_files {
                println!("    re-parsed {f}");
            }
        }
    }
    Ok(if r.rejected.is_empty() { 0 } else { 1 })
}
