//! Command-line interface: one subcommand per user task, each a thin layer that builds the
//! configuration, calls one library function and prints the result as a readable table or JSON.
//! Exit codes: 0 success, 1 some input rejected (or a check failed), 2 usage or configuration
//! error, 3 a reindex switch refused, 4 another reindex running.
//!
//! `args` holds the clap types, `corpus`, `index`, `practices`, `query` and `serve` the commands by
//! family,
//! `print` the terminal renderings; this file parses, dispatches and maps errors to exit codes.

mod args;
mod corpus;
mod index;
mod practices;
mod print;
mod query;
mod serve;

pub use args::{
    AnnotateArgs, BriefArgs, ChangesArgs, CheckArgs, Cli, CommaList, Command, CompareArgs,
    EvalAnnotationsArgs, EvalCommand, EvalSearchArgs, GapsArgs, IndexArgs, KnownItemArgs,
    MatrixArgs, Paths, PracticesCommand, ReindexArgs, RollbackArgs, SearchArgs, ServeArgs,
    StatusArgs,
};

use crate::annotate::{taxonomy::Taxonomy, Annotator};
use crate::config::{Config, Overrides};
use clap::Parser;
use std::path::PathBuf;

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
                crate::Error::Refused(_) | crate::Error::Duplicate(_) => 3,
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

fn run(cli: Cli) -> crate::Result<i32> {
    let cfg = |paths: &Paths| config(&cli.config, paths);
    match &cli.command {
        Command::Annotate(a) => corpus::annotate(&cfg(&a.paths)?, a),
        Command::Check(a) => corpus::check(&cfg(&a.paths)?, a),
        Command::Index(a) => index::index(&cfg(&a.paths)?, a),
        Command::Reindex(a) => index::reindex(&cfg(&a.paths)?, a),
        Command::Status(a) => index::status(&cfg(&a.paths)?, a),
        Command::Changes(a) => index::changes(&cfg(&a.paths)?, a),
        Command::Rollback(a) => index::rollback(&cfg(&a.paths)?),
        Command::Serve(a) => serve::serve(cfg(&a.paths)?, a),
        Command::Search(a) => query::search(&cfg(&a.paths)?, a),
        Command::Compare(a) => query::compare(&cfg(&a.paths)?, a),
        Command::Matrix(a) => query::matrix(&cfg(&a.paths)?, a),
        Command::Gaps(a) => query::gaps(&cfg(&a.paths)?, a),
        Command::Brief(a) => query::brief(&cfg(&a.paths)?, a),
        Command::Eval(EvalCommand::KnownItem(a)) => query::known_item(&cfg(&a.paths)?, a),
        Command::Eval(EvalCommand::Annotations(a)) => query::eval_annotations(&cfg(&a.paths)?, a),
        Command::Eval(EvalCommand::Search(a)) => query::eval_search(&cfg(&a.paths)?, a),
        Command::Practices(PracticesCommand::List(a)) => practices::list(&cfg(&a.paths.paths)?, a),
        Command::Practices(PracticesCommand::Approve(a)) => {
            practices::approve(&cfg(&a.paths.paths)?, a)
        }
        Command::Practices(PracticesCommand::Reject(a)) => {
            practices::reject(&cfg(&a.paths.paths)?, a)
        }
    }
}

/// The configuration for a command: file, environment, then its own flags.
fn config(cli_config: &Option<PathBuf>, paths: &Paths) -> crate::Result<Config> {
    let cfg = Config::load(&Overrides {
        config_file: cli_config.clone(),
        corpus: paths.corpus.clone(),
        practices: paths.practices.clone(),
        index: paths.index.clone(),
        addr: None,
    })?;
    if let Some(note) = &cfg.corpus_fallback {
        eprintln!("consulex: {note}");
    }
    Ok(cfg)
}

/// Opens the live generation.
pub fn open_engine(cfg: &Config) -> crate::Result<crate::search::Engine> {
    let res = crate::search::Resources::load(&cfg.taxonomy, &cfg.countries, &cfg.glossary)?;
    let mut engine = crate::search::Engine::open(&cfg.index, res)?;
    engine.set_result_cache(cfg.result_cache);
    Ok(engine)
}

fn annotator(cfg: &Config) -> crate::Result<Annotator> {
    Ok(Annotator::new(Taxonomy::load(&cfg.taxonomy)?))
}

/// A timestamped progress line on stderr (stdout stays the command's result).
fn progress(msg: &str) {
    eprintln!("[{}] {msg}", crate::index::generation::now_rfc3339());
}
