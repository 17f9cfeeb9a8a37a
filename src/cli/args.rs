//! The command line as clap types: one `Args` struct per command, with values parsed into the
//! domain types (`CountryCode`, `CategoryId`, `Language`, ...) so that the commands build typed
//! engine requests directly. A value clap cannot parse is a usage error (exit 2). Whether a
//! well-formed country or category exists needs the registry or taxonomy, so that is checked
//! by the commands once those are loaded.

use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::CategoryId;
use crate::compare::Peers;
use crate::corpus::model::{CountryCode, InstrumentKind, Language};
use crate::params::{boolean, values};
use crate::search::request::subsystem_name;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::str::FromStr;

/// The whole command line.
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

/// The corpus and index directories every command may override.
#[derive(Args, Debug, Clone, Default)]
pub struct Paths {
    /// Corpus directory (overrides CONSULEX_CORPUS and consulex.toml).
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Shared practices directory (overrides CONSULEX_PRACTICES and consulex.toml).
    #[arg(long, value_name = "DIR")]
    pub practices: Option<PathBuf>,
    /// Index directory (overrides CONSULEX_INDEX and consulex.toml).
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
}

// The doc comments on the variants are the commands' help texts (clap prefers them to those
// of the argument structs).

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print each provision of one corpus file with its categories, modality and evidence.
    Annotate(AnnotateArgs),
    /// Measure the annotator and the search.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Side by side: each country's provisions in one category, strongest first.
    Compare(CompareArgs),
    /// Coverage matrix: countries x categories (provisions/obligations per cell).
    Matrix(MatrixArgs),
    /// Gaps of a country against its peers, with adoptable provisions.
    Gaps(GapsArgs),
    /// A brief for a legislator: coverage, gaps with model provisions in full, sources
    /// (self-contained HTML, or Markdown).
    Brief(BriefArgs),
    /// Parse, annotate and index the corpus into a new generation, then switch to it.
    Index(IndexArgs),
    /// Bring the index up to date: parse and annotate only changed files, verify, switch.
    /// Exit 0 switched, 1 switched but some files were rejected, 3 switch refused, 4 another
    /// reindex is running, 2 usage or configuration error.
    Reindex(ReindexArgs),
    /// Show the served generation, the generations kept and the last reindex's outcome.
    Status(StatusArgs),
    /// What changed since a generation or a date (provisions added, removed, modified, re-tagged).
    Changes(ChangesArgs),
    /// Switch back to the generation before the live one.
    Rollback(RollbackArgs),
    /// Serve the HTTP API (builds an index first if none exists). Stops cleanly on SIGTERM.
    Serve(ServeArgs),
    /// Search the index from the terminal (same engine and parameters as GET /v1/search).
    Search(SearchArgs),
    /// Parse the whole corpus and report every instrument and every rejected file.
    Check(CheckArgs),
    /// Review submitted practices: list them, approve one into the practices folder, or
    /// reject one with a reason.
    #[command(subcommand)]
    Practices(PracticesCommand),
}

/// The `practices` subcommands.
#[derive(Subcommand, Debug)]
pub enum PracticesCommand {
    /// List the published practices, or with --pending the submissions waiting for review.
    List(PracticesListArgs),
    /// Publish a pending submission: moved into the practices folder as `published`, served
    /// from the next `consulex reindex`.
    Approve(PracticesApproveArgs),
    /// Reject a pending submission: moved into the submissions' `rejected/` folder with the
    /// reason beside it.
    Reject(PracticesRejectArgs),
}

/// Where submissions wait (every `practices` subcommand).
#[derive(Args, Debug, Clone, Default)]
pub struct SubmissionPaths {
    #[command(flatten)]
    pub paths: Paths,
    /// Submissions directory (overrides CONSULEX_SUBMISSIONS and consulex.toml).
    #[arg(long, value_name = "DIR")]
    pub submissions: Option<PathBuf>,
}

/// The arguments of `practices list`.
#[derive(Args, Debug)]
pub struct PracticesListArgs {
    #[command(flatten)]
    pub paths: SubmissionPaths,
    /// List the pending submissions instead of the published practices.
    #[arg(long)]
    pub pending: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `practices approve`.
#[derive(Args, Debug)]
pub struct PracticesApproveArgs {
    /// The submission's id (see `consulex practices list --pending`).
    pub id: crate::practices::PracticeId,
    #[command(flatten)]
    pub paths: SubmissionPaths,
}

/// The arguments of `practices reject`.
#[derive(Args, Debug)]
pub struct PracticesRejectArgs {
    /// The submission's id (see `consulex practices list --pending`).
    pub id: crate::practices::PracticeId,
    /// Why it is rejected (kept beside the rejected record, for the submitter).
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub paths: SubmissionPaths,
}

/// The `eval` subcommands.
#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Known-item search across languages: each Vienna Convention article's English title as
    /// the query, restricted to Spanish and to French; share of articles whose copy in that
    /// language is in the top 10.
    KnownItem(KnownItemArgs),
    /// Compare the annotator with a gold file (JSONL, the format of ../shared/eval); also
    /// reports the agreement of Canadian English/French twins and annotation throughput.
    Annotations(EvalAnnotationsArgs),
    /// Ranking quality: nDCG@10 (gains 2^g - 1, log2 discount) of the default search for each
    /// query of a set, against graded judgements (0-3); per query, per language and overall.
    Search(EvalSearchArgs),
}

/// The arguments of `eval known-item`.
#[derive(Args, Debug)]
pub struct KnownItemArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `eval search`.
#[derive(Args, Debug)]
pub struct EvalSearchArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Queries: TSV `id<TAB>lang<TAB>query`, or JSONL `{"id","lang","query"}` (.jsonl).
    #[arg(long, value_name = "FILE")]
    pub queries: PathBuf,
    /// Judgements: TSV `query<TAB>provision<TAB>grade` (0-3), TREC qrels, or JSONL.
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    /// Print one JSON object (with each query's top 10 and its unjudged hits).
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `eval annotations`.
#[derive(Args, Debug)]
pub struct EvalAnnotationsArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Gold annotations (JSONL).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Also list the items the annotator got wrong.
    #[arg(long)]
    pub errors: bool,
    /// Only the items of one half of the gold set (a or b; split by instrument, see
    /// `annotate::eval::Half`).
    #[arg(long, value_name = "a|b")]
    pub half: Option<crate::annotate::eval::Half>,
}

/// The arguments of `annotate`.
#[derive(Args, Debug)]
pub struct AnnotateArgs {
    /// The file, as a path or relative to the corpus directory (e.g. AR/LEY-17081.md).
    pub file: PathBuf,
    #[command(flatten)]
    pub paths: Paths,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also show every category with some evidence that was not tagged, with its score
    /// against its threshold (why a provision was not tagged X).
    #[arg(long)]
    pub explain: bool,
}

/// The arguments of `compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Category id (e.g. protection/detention).
    #[arg(long)]
    pub category: CategoryId,
    /// Countries, comma-separated (e.g. AR,CO,CA).
    #[arg(long, default_value = "")]
    pub countries: CommaList<CountryCode>,
    /// Or every member of a subsystem.
    #[arg(long)]
    pub subsystem: Option<Subsystem>,
    /// Only provisions matching this query.
    #[arg(long)]
    pub q: Option<String>,
    /// Provisions per country.
    #[arg(long, default_value_t = 3)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `matrix`.
#[derive(Args, Debug)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub paths: Paths,
    #[arg(long)]
    pub subsystem: Option<Subsystem>,
    /// Only these categories (parents expand to their leaves), comma-separated.
    #[arg(long)]
    pub categories: Option<CommaList<CategoryId>>,
    /// Print CSV (for spreadsheets).
    #[arg(long)]
    pub csv: bool,
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `gaps`.
#[derive(Args, Debug)]
pub struct GapsArgs {
    /// Country code (e.g. UY).
    pub country: CountryCode,
    #[command(flatten)]
    pub paths: Paths,
    /// Peers: a subsystem, `all`, or country codes (default: the country's subsystems).
    #[arg(long, value_parser = Peers::from_str)]
    pub peers: Option<Peers>,
    /// Exemplars per gap.
    #[arg(long, default_value_t = 2)]
    pub exemplars: usize,
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `brief`.
#[derive(Args, Debug)]
pub struct BriefArgs {
    /// Country code (e.g. UY).
    pub country: CountryCode,
    #[command(flatten)]
    pub paths: Paths,
    /// Peers: a subsystem, `all`, or country codes (default: the country's subsystems).
    #[arg(long, value_parser = Peers::from_str)]
    pub peers: Option<Peers>,
    /// Language of the document's labels (es, en, fr, pt).
    #[arg(long, default_value = "en")]
    pub lang: Language,
    /// html (one self-contained file) or md.
    #[arg(long, default_value = "html")]
    pub format: crate::compare::brief::Format,
    /// Exemplars per gap.
    #[arg(long, default_value_t = crate::compare::brief::BRIEF_EXEMPLARS)]
    pub exemplars: usize,
    /// Write the document here instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<std::path::PathBuf>,
}

/// The arguments of `index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `reindex`.
#[derive(Args, Debug)]
pub struct ReindexArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Switch even if the new generation lost more than 20% of the provisions or a country.
    #[arg(long)]
    pub force: bool,
    /// Parse and annotate every file (no reuse of the previous generation).
    #[arg(long)]
    pub full: bool,
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `status`.
#[derive(Args, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    pub paths: Paths,
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `changes`.
#[derive(Args, Debug)]
pub struct ChangesArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// A generation name (g...) or a date (YYYY-MM-DD); default: the previous generation.
    #[arg(long)]
    pub since: Option<String>,
    // Country and category stay as given: they only filter the recorded change reports, as
    // they always have (unchecked), and a typed value would upper-case or refuse some.
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `rollback`.
#[derive(Args, Debug)]
pub struct RollbackArgs {
    #[command(flatten)]
    pub paths: Paths,
}

/// The arguments of `serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Address to listen on (overrides CONSULEX_ADDR and consulex.toml).
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<String>,
    /// Where submitted practices are written (overrides CONSULEX_SUBMISSIONS and
    /// consulex.toml).
    #[arg(long, value_name = "DIR")]
    pub submissions: Option<PathBuf>,
    /// Search responses kept per index generation, for repeated queries (0 turns the
    /// cache off; overrides CONSULEX_RESULT_CACHE and consulex.toml; default 1024).
    #[arg(long, value_name = "N")]
    pub result_cache: Option<usize>,
}

/// The arguments of `search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Query text in any language: words, "phrases", -exclusions, OR.
    pub query: String,
    #[command(flatten)]
    pub paths: Paths,
    /// Country codes (repeat or comma-separate).
    #[arg(long)]
    pub country: Vec<CommaList<CountryCode>>,
    /// Integration subsystem (SICA, CAN, MERCOSUR, CARICOM).
    #[arg(long)]
    pub subsystem: Vec<CommaList<Subsystem>>,
    /// Category id (a parent includes its children).
    #[arg(long)]
    pub category: Vec<CommaList<CategoryId>>,
    /// Instrument kind.
    #[arg(long)]
    pub kind: Vec<CommaList<InstrumentKind>>,
    /// Provision language (es, en, fr, pt).
    #[arg(long)]
    pub lang: Vec<CommaList<Language>>,
    /// Modality (obligation, permission, prohibition, other).
    #[arg(long)]
    pub modality: Vec<CommaList<Modality>>,
    /// Only provisions in force (true) or not (false).
    #[arg(long, value_parser = boolean)]
    pub in_force: Option<bool>,
    /// What to list: provision, practice (shared practices of member states), or both
    /// (default).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<CommaList<crate::search::request::DocType>>,
    /// Hits to show (1-100).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Turn cross-lingual expansion off.
    #[arg(long)]
    pub no_expand: bool,
    /// Print the response as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Read files one by one instead of in parallel (for benchmarking).
    #[arg(long)]
    pub single_thread: bool,
    /// Also list every provision (id, number, heading, first words) of files whose path
    /// contains this text.
    #[arg(long, value_name = "TEXT")]
    pub list: Option<String>,
}

/// The values of one comma-separated flag, trimmed, each parsed into `T`; empty items are
/// skipped (`AR,` is `AR`, and `""` is no value), as the API's parameters are read.
#[derive(Debug, Clone, PartialEq)]
pub struct CommaList<T>(pub Vec<T>);

impl<T: FromStr<Err = String>> FromStr for CommaList<T> {
    type Err = String;
    fn from_str(v: &str) -> Result<Self, String> {
        values(v)
            .map(str::parse)
            .collect::<Result<Vec<T>, String>>()
            .map(CommaList)
    }
}

impl<T: Clone> CommaList<T> {
    /// Every value of a repeatable comma-separated flag, in the order given.
    pub fn concat(lists: &[CommaList<T>]) -> Vec<T> {
        lists.iter().flat_map(|l| l.0.iter().cloned()).collect()
    }
}

/// An integration subsystem (SICA, CAN, MERCOSUR, CARICOM), in any case; held upper-cased.
#[derive(Debug, Clone, PartialEq)]
pub struct Subsystem(pub String);

impl FromStr for Subsystem {
    type Err = String;
    fn from_str(v: &str) -> Result<Self, String> {
        subsystem_name(v).map(Subsystem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_lists_trim_and_skip_empty_items_as_the_api_does() {
        let l: CommaList<CountryCode> = " ar, ,CL,".parse().unwrap();
        assert_eq!(l.0, vec!["AR".parse().unwrap(), "CL".parse().unwrap()]);
        assert!("".parse::<CommaList<CountryCode>>().unwrap().0.is_empty());
        assert!("AR,X1".parse::<CommaList<CountryCode>>().is_err());
    }

    #[test]
    fn peers_are_all_a_subsystem_or_countries() {
        let peers = Peers::from_str;
        assert!(matches!(peers(" ALL "), Ok(Peers::All)));
        assert!(matches!(peers("mercosur"), Ok(Peers::Subsystem(s)) if s == "MERCOSUR"));
        assert!(matches!(peers("CL,,UY"), Ok(Peers::List(l)) if l.len() == 2));
        assert!(peers(",").is_err());
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
