//! Terminal renderings of the commands' results (tables and listings on stdout) and the small
//! text helpers they share. The commands decide what to print; these functions only format it,
//! so every line a user reads is written in one place.

use crate::annotate::eval::{Breakdown, Report, Summary, TwinAgreement};
use crate::annotate::{Annotation, Candidate};
use crate::compare::{CellState, CompareResponse, GapsResponse, Matrix};
use crate::corpus::countries::Registry;
use crate::corpus::model::Provision;
use crate::corpus::{Corpus, Loaded, Rejected};
use crate::index::build::BuildReport;
use crate::index::ops::{Changes, Status};
use crate::search::{KnownItemReport, SearchEvalReport, SearchResponse};
use std::path::Path;

/// Prints a value as pretty JSON (every command's `--json`).
pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> crate::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// A result as JSON (`--json`) or with its terminal printer.
pub fn either<T: serde::Serialize + ?Sized>(
    json_out: bool,
    v: &T,
    text: impl FnOnce(&T),
) -> crate::Result<()> {
    if json_out {
        json(v)
    } else {
        text(v);
        Ok(())
    }
}

/// `REJECTED file[:line]: reason`, the one line a rejected file gets wherever it is reported.
pub fn rejected(r: &Rejected) -> String {
    let line = r.line.map(|l| format!(":{l}")).unwrap_or_default();
    format!("REJECTED {}{line}: {}", r.file, r.reason)
}

/// The first `n` characters of a text on one line, for terminal listings.
pub fn first_chars(text: &str, n: usize) -> String {
    text.chars()
        .take(n)
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect()
}

/// The `check` table: one row per instrument with its audit and warnings (and, for files
/// matching `list`, its provisions), the rejected files and a summary line.
pub fn check(
    c: &Corpus,
    registry: &Registry,
    countries_file: &Path,
    list: Option<&str>,
    secs: f64,
) {
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
            provision_list(&l.provisions);
        }
    }
    for r in &c.rejected {
        println!("{}", rejected(r));
    }
    let countries: std::collections::BTreeSet<_> = c
        .instruments
        .iter()
        .map(|l| l.instrument.country.clone())
        .collect();
    let partial = c
        .instruments
        .iter()
        .filter(|l| l.instrument.completeness.is_partial())
        .count();
    let mb = c.bytes() as f64 / 1e6;
    println!(
        "\n{} instruments, {} provisions from {} countries; {partial} partial; {} rejected; {:.1} MB in {:.2}s ({:.1} MB/s, {:.0} provisions/s)",
        c.instruments.len(),
        c.provision_count(),
        countries.len(),
        c.rejected.len(),
        mb,
        secs,
        mb / secs.max(1e-9),
        c.provision_count() as f64 / secs.max(1e-9)
    );
    for cc in countries
        .iter()
        .filter(|cc| !cc.is_intl() && registry.get(cc).is_none())
    {
        println!(
            "warning: country folder {cc} is not in {}",
            countries_file.display()
        );
    }
}

/// The practices part of `check`: counts by status and kind, then each rejected record's
/// problems (file:line: field: reason).
pub fn check_practices(p: &crate::practices::Practices, dir: &Path) {
    let published = p.published().count();
    let states: std::collections::BTreeSet<_> = p.records.iter().flat_map(|r| r.states()).collect();
    println!(
        "\npractices ({}): {} files, {} records read ({published} published, {} pending) from {} states; {} problems",
        dir.display(),
        p.files,
        p.records.len(),
        p.records.len() - published,
        states.len(),
        p.rejected.len()
    );
    for r in &p.rejected {
        println!("REJECTED practice {r}");
    }
}

/// `check --list`: id, number, heading, status and first words of each provision.
fn provision_list(provisions: &[Provision]) {
    for p in provisions {
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

/// `annotate`: each provision with its modality, tags and their evidence, and (with
/// `--explain`) the categories that had evidence but no tag, with the reason.
pub fn annotation(loaded: &Loaded, items: &[(&Provision, Annotation, Vec<Candidate>)]) {
    let i = &loaded.instrument;
    println!("{} ({}, {}, {})", i.title, i.country, i.kind, i.language);
    for (p, a, untagged) in items {
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
                    let count = if e.count > 1 {
                        format!(" x{}", e.count)
                    } else {
                        String::new()
                    };
                    format!("{} \"{}\" ({:?}{count})", e.term, e.matched, e.field).to_lowercase()
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
            let terms: Vec<&str> = c.evidence.iter().map(|e| e.term.as_str()).collect();
            println!(
                "    not {:<30} {}  {}",
                c.category.as_str(),
                why_untagged(c),
                terms.join("; ")
            );
        }
    }
}

/// Why a category with evidence is not a tag, in the order the annotator decides it.
fn why_untagged(c: &Candidate) -> String {
    if let Some(term) = &c.excluded_by {
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
    }
}

/// `eval annotations`: micro and macro scores, per-category table, the same figures by half,
/// language, source family and item prefix, twin agreement, speed.
pub fn eval_annotations(
    report: &Report,
    groups: &Breakdown,
    twins: &TwinAgreement,
    provisions: usize,
    secs: f64,
    rate: f64,
    errors: bool,
) {
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
    let tables: [(&str, &std::collections::BTreeMap<String, Summary>); 5] = [
        ("half", &groups.by_half),
        ("language", &groups.by_language),
        ("family", &groups.by_family),
        ("sources", &groups.by_sources),
        ("prefix", &groups.by_prefix),
    ];
    for (name, table) in tables {
        println!(
            "\n{:<12} {:>5} {:>6} {:>6} {:>6} {:>6} {:>8}",
            name, "items", "P", "R", "F1", "macro", "modality"
        );
        for (k, s) in table {
            println!(
                "{:<12} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>8.3}",
                k,
                s.items,
                s.micro.precision,
                s.micro.recall,
                s.micro.f1,
                s.macro_f1,
                s.modality_accuracy
            );
        }
    }
    println!(
        "\nCanadian EN/FR twins: {} of {} section pairs have identical category sets ({:.1}%)",
        twins.identical,
        twins.pairs,
        twins.share * 100.0
    );
    println!(
        "annotation: {} provisions in {:.3}s ({:.0} provisions/s, rayon)",
        provisions, secs, rate
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
            for line in &e.evidence {
                println!("    | {line}");
            }
            if !e.excerpt.is_empty() {
                println!("    > {}", e.excerpt);
            }
        }
    }
}

/// `eval known-item`: share found per language and the articles missed.
pub fn known_item(reports: &[KnownItemReport]) {
    for r in reports {
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

/// `eval search`: each query's nDCG@10, then the means per language and overall.
pub fn eval_search(r: &SearchEvalReport) {
    for q in &r.per_query {
        let unjudged = if q.unjudged.is_empty() {
            String::new()
        } else {
            format!("  ({} unjudged)", q.unjudged.len())
        };
        println!(
            "{:<8} {}  {:.3}  {}{unjudged}",
            q.id, q.lang, q.ndcg, q.query
        );
    }
    for l in &r.per_language {
        println!(
            "lang={}: nDCG@{} {:.3} over {} queries",
            l.lang, r.k, l.ndcg, l.queries
        );
    }
    println!(
        "all: nDCG@{} {:.3} over {} queries; {:.1}% of the shown hits judged",
        r.k,
        r.ndcg,
        r.queries,
        r.judged_share * 100.0
    );
}

/// `index`: rejected files, then the new generation.
pub fn build_report(r: &BuildReport, index_root: &Path) {
    practices_report(r);
    for rej in &r.rejected {
        println!("{}", rejected(rej));
    }
    println!(
        "generation {}: {} instruments, {} provisions, {:.1} MB index, built in {:.2}s; now serving from {}",
        r.generation,
        r.instruments,
        r.provisions,
        r.index_bytes as f64 / 1e6,
        r.seconds,
        index_root.display()
    );
}

/// `reindex`: rejected files (and whether their previous version was kept), the counts, and
/// the re-parsed files when they are few.
pub fn reindex_report(r: &BuildReport) {
    practices_report(r);
    for rej in &r.rejected {
        let kept = if r.kept_files.contains(&rej.file) {
            " (previous version kept)"
        } else {
            ""
        };
        println!("{}{kept}", rejected(rej));
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

/// The practices part of a build: each skipped record, then what changed.
fn practices_report(r: &BuildReport) {
    for p in &r.practices_rejected {
        println!("REJECTED practice {p}");
    }
    let c = &r.practice_changes;
    if r.practices > 0 || !c.is_empty() {
        println!(
            "practices: {} served; {} added, {} changed, {} removed",
            r.practices,
            c.added.len(),
            c.changed.len(),
            c.removed.len()
        );
    }
}

/// `status`: the served generation, those kept, the last reindex.
pub fn status(st: &Status, index_root: &Path) {
    match (&st.current, &st.meta) {
        (Some(g), Some(m)) => println!(
            "serving {g}: built {} from {}, {} instruments, {} provisions, countries {}",
            m.built_at,
            m.corpus,
            m.instruments,
            m.provisions,
            m.countries.join(" ")
        ),
        _ => println!("no generation is served under {}", index_root.display()),
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

/// `changes`: per generation the counts, then up to 20 provisions of each kind of change.
pub fn changes(ch: &Changes) {
    if let Some(n) = &ch.note {
        println!("note: {n}");
    }
    for r in &ch.generations {
        println!(
            "{} (after {}): {} files re-parsed, {} added, {} removed, {} modified, {} re-tagged",
            r.generation,
            r.previous.as_deref().unwrap_or("nothing"),
            r.reparsed_files.len(),
            r.added.len(),
            r.removed.len(),
            r.modified.len(),
            r.annotation_changes.len()
        );
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

/// Who runs a practice: its state, or the states of a joint one, comma-separated.
pub fn who(
    country: Option<&crate::corpus::model::CountryCode>,
    countries: &[crate::corpus::model::CountryCode],
) -> String {
    match country {
        Some(c) => c.to_string(),
        None => countries
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// `search`: expansions, the hits with their snippets, then the top facet values.
pub fn search(r: &SearchResponse) {
    if !r.left_out.is_empty() {
        println!(
            "left out, too common to search on with the other words: {}",
            r.left_out.join(", ")
        );
    }
    for e in &r.expansions {
        println!(
            "expanded to {} (from: {})",
            e.category,
            e.matched.join(", ")
        );
    }
    println!("{} hits ({:.1} ms)\n", r.total, r.took_ms.total);
    if !r.practices.is_empty() {
        println!("shared practices ({}):", r.practice_total);
        for p in &r.practices {
            let who = who(p.country.as_ref(), &p.countries);
            println!(
                "  {}  [{who} {}] {}",
                p.id,
                p.kind.as_str(),
                p.title_en.as_deref().unwrap_or(&p.title)
            );
        }
        println!();
    }
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

/// `compare`: per country its national provisions, strongest first, then its treaty copies.
pub fn compare(r: &CompareResponse) {
    println!("{} — side by side ({})\n", r.category, r.ranking);
    for c in &r.countries {
        println!(
            "== {}  {} national provision(s)  [{}]",
            c.country, c.count, c.query
        );
        if let Some(m) = &c.message {
            println!("   {m}");
        }
        for x in &c.provisions {
            let i = &x.item;
            println!(
                "   {:<12} {}  {} art. {}: {}",
                i.modality.as_str(),
                i.id,
                i.instrument_title.chars().take(40).collect::<String>(),
                i.number,
                first_chars(&i.excerpt, 110)
            );
            println!("   {:<12} why: {}", "", x.reason);
        }
        for i in &c.treaty_copies {
            let name = i.part.as_deref().unwrap_or(&i.instrument_title);
            println!(
                "   (treaty copy) {}  {}",
                i.id,
                name.chars().take(60).collect::<String>()
            );
        }
        println!();
    }
}

/// `matrix`: countries x numbered category columns, then the legend.
pub fn matrix(m: &Matrix) {
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
                CellState::Covered => format!("{}/{}", cell.provisions, cell.obligations),
                CellState::NotFound => "·".to_string(),
                CellState::NotFoundPartial => "?".to_string(),
                CellState::NoSources => "-".to_string(),
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
}

/// `gaps`: the peers, notes on partial sources, then each gap with its exemplars.
pub fn gaps(r: &GapsResponse) {
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
        if let Some(c) = &g.caveat {
            println!("    caveat: {c}");
        }
        for x in &g.exemplars {
            println!(
                "    adopt from {}: {} — {}",
                x.item.id,
                x.item.instrument_title.chars().take(50).collect::<String>(),
                first_chars(&x.item.excerpt, 100)
            );
            println!("        why: {}", x.reason);
        }
        if let Some(n) = &g.exemplars_note {
            println!("    exemplars: {n}");
        }
        for n in &g.nearest {
            println!("    {} nearest: {} — {}", r.country, n.item.id, n.why);
        }
        if let Some(n) = &g.nearest_note {
            println!("    {} nearest: {n}", r.country);
        }
    }
    if let Some(st) = &r.statement {
        println!("{st}");
    }
}
