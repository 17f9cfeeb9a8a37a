//! Submissions: a member state's practice sent as JSON becomes a `pending` record file in the
//! submissions folder, never in the served practices; a reviewer approves it (moved into the
//! practices folder as `published`, served from the next reindex) or rejects it (moved into
//! `rejected/` with the reason). The JSON is checked field by field, its text stripped of any
//! markup, rendered as a record and read back with the same reader as every record (so a
//! submission is valid exactly when a hand-written record would be). Files appear whole or not
//! at all: each is written to a hidden temporary file, synced, and linked into place under its
//! name (a link never replaces an existing file, so two submissions of one id cannot overwrite
//! each other), then the temporary name is removed. A process killed mid-write leaves at most
//! a hidden `.tmp` file, which no reader takes for a record.
//!
//! Not for: HTTP (see `api`) or the command line (see `cli`).

use super::{load_dir, parse_record, Practice, PracticeId, Problem, Status};
use crate::annotate::taxonomy::Taxonomy;
use crate::corpus::countries::Registry;
use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::{Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where rejected submissions go, inside the submissions folder.
pub const REJECTED_DIR: &str = "rejected";

/// The fields a submission may carry (a record's fields but `status`, which is always
/// `pending`); `summary` is the record's body.
const TEXT_FIELDS: [&str; 9] = [
    "id",
    "country",
    "title",
    "title_en",
    "language",
    "kind",
    "institution",
    "legal_basis",
    "summary",
];
const LIST_FIELDS: [&str; 3] = ["countries", "partners", "categories"];
const SOURCE_FIELDS: [&str; 4] = ["url", "title", "publisher", "date"];

/// Longest summary accepted before the word count is checked, in characters (150 words of
/// long legal words fit well within it).
const MAX_SUMMARY_CHARS: usize = 4000;

/// One submission at a time per process: the duplicate check and the write are one step.
static WRITING: Mutex<()> = Mutex::new(());

/// What a submitter gets back.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub id: PracticeId,
    pub status: Status,
    /// When it was received (RFC 3339, UTC).
    pub received: String,
    /// Content hash of the record as written, to quote in correspondence.
    pub hash: String,
    pub message: String,
}

/// Why a submission was not taken.
#[derive(Debug)]
pub enum Refusal {
    /// A field is missing, of the wrong type or invalid; the first problem names it.
    Invalid(Vec<Problem>),
    /// A record with the same id, or the same title and country, exists (published or
    /// pending): its id.
    Duplicate { existing: PracticeId, why: String },
    /// Reading or writing a folder failed.
    Failed(Error),
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Invalid(p) => {
                // the first problem under its field's name, the others after it
                let field = p.first().map_or("body", |p| p.field.as_str()).to_string();
                let mut message = p.first().map_or("is invalid".into(), |p| p.reason.clone());
                for other in p.iter().skip(1) {
                    message.push_str(&format!("; also {}: {}", other.field, other.reason));
                }
                Error::invalid(&field, message)
            }
            Refusal::Duplicate { existing, why } => Error::Duplicate(format!(
                "{why}: '{existing}' (a record is submitted once; write to the secretariat to amend it)"
            )),
            Refusal::Failed(e) => e,
        }
    }
}

/// The folders a submission moves between.
#[derive(Debug, Clone)]
pub struct Folders {
    /// Pending submissions (and `rejected/` inside it).
    pub submissions: PathBuf,
    /// The served practices.
    pub practices: PathBuf,
}

impl Folders {
    fn rejected(&self) -> PathBuf {
        self.submissions.join(REJECTED_DIR)
    }
}

/// Takes one submission: checks it, refuses duplicates of published or pending records, and
/// writes it as a pending record. Returns the receipt.
pub fn submit(
    folders: &Folders,
    body: &Value,
    registry: &Registry,
    taxonomy: &Taxonomy,
) -> std::result::Result<Receipt, Refusal> {
    let obj = body.as_object().ok_or_else(|| {
        Refusal::Invalid(vec![Problem::new(
            "body",
            None,
            "body",
            "must be a JSON object of the record's fields",
        )])
    })?;
    let fields = clean_fields(obj)?;
    let id = match fields.get("id").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => derive_id(&fields),
    };
    let text = render(&id, &fields);
    let file = format!("{id}.md");
    let practice = parse_record(&file, &text, registry, taxonomy).map_err(Refusal::Invalid)?;

    let _one = WRITING.lock().unwrap_or_else(|p| p.into_inner());
    std::fs::create_dir_all(&folders.submissions)
        .map_err(|e| Refusal::Failed(Error::io(&folders.submissions, e)))?;
    for dir in [&folders.practices, &folders.submissions] {
        if dir.is_dir() {
            let held = load_dir(dir, registry, taxonomy).map_err(Refusal::Failed)?;
            if let Some((existing, why)) = duplicate_of(&practice, &held.records) {
                return Err(Refusal::Duplicate { existing, why });
            }
        }
    }
    let path = folders.submissions.join(&file);
    match write_new(&path, &text) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Refusal::Duplicate {
                existing: practice.id,
                why: "a submission with this id is pending".into(),
            })
        }
        Err(e) => return Err(Refusal::Failed(Error::io(&path, e))),
    }
    tracing::info!(id = %practice.id, "practice submitted");
    Ok(Receipt {
        id: practice.id.clone(),
        status: Status::Pending,
        received: crate::index::generation::now_rfc3339(),
        hash: practice.hash.clone(),
        message: format!(
            "received as pending: it is not served until a reviewer approves it (`consulex practices approve {}`) and the index is rebuilt",
            practice.id
        ),
    })
}

/// The pending submissions, in id order, and the problems of files that no longer read (the
/// taxonomy or registry changed since they were submitted).
pub fn pending(
    folders: &Folders,
    registry: &Registry,
    taxonomy: &Taxonomy,
) -> Result<super::Practices> {
    if !folders.submissions.is_dir() {
        return Ok(super::Practices::default());
    }
    load_dir(&folders.submissions, registry, taxonomy)
}

/// Publishes a pending submission: its status set to `published`, read back, written into the
/// practices folder (refused if a published record has its id or its title and country), and
/// then removed from the submissions. Returns the published record's path.
pub fn approve(
    folders: &Folders,
    id: &PracticeId,
    registry: &Registry,
    taxonomy: &Taxonomy,
) -> Result<PathBuf> {
    let _one = WRITING.lock().unwrap_or_else(|p| p.into_inner());
    let (from, text) = read_pending(folders, id)?;
    let published = set_status(&text, Status::Published).ok_or_else(|| {
        Error::invalid(
            "status",
            format!(
                "{}: has no `status: pending` line to change",
                from.display()
            ),
        )
    })?;
    let file = format!("{id}.md");
    let record = parse_record(&file, &published, registry, taxonomy).map_err(|p| {
        Error::invalid(
            p.first().map_or("record", |p| p.field.as_str()),
            format!(
                "{} no longer reads as a record: {}",
                from.display(),
                p.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )
    })?;
    if !folders.practices.is_dir() {
        return Err(Error::NotFound(format!(
            "practices folder {}",
            folders.practices.display()
        )));
    }
    let held = load_dir(&folders.practices, registry, taxonomy)?;
    let to = folders.practices.join(&file);
    match duplicate_of(&record, &held.records) {
        // Approved before and interrupted before the pending file was removed: finish.
        Some((existing, _))
            if existing == record.id
                && std::fs::read_to_string(&to).ok().as_deref() == Some(published.as_str()) => {}
        Some((existing, why)) => {
            return Err(Error::Duplicate(format!(
                "{why}: '{existing}' is already published"
            )))
        }
        None => write_new(&to, &published).map_err(|e| Error::io(&to, e))?,
    }
    std::fs::remove_file(&from).map_err(|e| Error::io(&from, e))?;
    sync_dir(&folders.submissions);
    Ok(to)
}

/// Rejects a pending submission: moved into `rejected/` beside a file with the reason and the
/// date, so that nothing submitted is lost. Returns the rejected record's path.
pub fn reject(folders: &Folders, id: &PracticeId, reason: &str) -> Result<PathBuf> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "must say why the submission is rejected",
        ));
    }
    let _one = WRITING.lock().unwrap_or_else(|p| p.into_inner());
    let (from, _) = read_pending(folders, id)?;
    let dir = folders.rejected();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    // A rejected id may be submitted and rejected again: each rejection keeps its own files.
    let stamp = crate::index::generation::new_name();
    let base = format!("{id}.{stamp}");
    let note = dir.join(format!("{base}.reason.txt"));
    let note_text = format!(
        "rejected {}\nreason: {reason}\n",
        crate::index::generation::now_rfc3339()
    );
    write_new(&note, &note_text).map_err(|e| Error::io(&note, e))?;
    let to = dir.join(format!("{base}.md"));
    std::fs::rename(&from, &to).map_err(|e| Error::io(&from, e))?;
    sync_dir(&dir);
    sync_dir(&folders.submissions);
    Ok(to)
}

fn read_pending(folders: &Folders, id: &PracticeId) -> Result<(PathBuf, String)> {
    let from = folders.submissions.join(format!("{id}.md"));
    match std::fs::read_to_string(&from) {
        Ok(t) => Ok((from, t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NotFound(format!(
            "no pending submission '{id}' in {} (see `consulex practices list --pending`)",
            folders.submissions.display()
        ))),
        Err(e) => Err(Error::io(&from, e)),
    }
}

/// The record's text with its `status:` line set (None when it has none).
fn set_status(text: &str, status: Status) -> Option<String> {
    let mut done = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !done && line.starts_with("status:") {
            out.push_str(&format!("status: {}\n", status.as_str()));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out)
}

/// Writes a file whole under a name that must not exist yet: a hidden temporary file, synced,
/// then hard-linked to the name (which fails, leaving the existing file alone, if the name is
/// taken), then the temporary name removed.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    if result.is_ok() {
        sync_dir(dir);
    }
    result
}

/// Makes a folder's new entries durable (best effort: not every platform opens folders).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The record that `p` repeats: same id, or same title (either language, compared without
/// case, accents or punctuation) and same state(s).
fn duplicate_of(p: &Practice, held: &[Practice]) -> Option<(PracticeId, String)> {
    if let Some(h) = held.iter().find(|h| h.id == p.id) {
        return Some((h.id.clone(), "a record with this id exists".into()));
    }
    let titles = |x: &Practice| -> Vec<String> {
        std::iter::once(&x.title)
            .chain(x.title_en.as_ref())
            .map(|t| title_key(t))
            .filter(|t| !t.is_empty())
            .collect()
    };
    let states = |x: &Practice| {
        let mut s: Vec<_> = x.states().cloned().collect();
        s.sort();
        s
    };
    let (mine, my_states) = (titles(p), states(p));
    held.iter()
        .find(|h| states(h) == my_states && titles(h).iter().any(|t| mine.contains(t)))
        .map(|h| {
            (
                h.id.clone(),
                "a record with this title and country exists".into(),
            )
        })
}

/// A title as compared for duplicates: folded, lower case, words only.
fn title_key(t: &str) -> String {
    crate::text::fold_lower(t)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks each field's JSON type, strips markup from every text, and returns the fields to
/// render (nulls dropped). Unknown fields and `status` are problems naming them.
fn clean_fields(obj: &Map<String, Value>) -> std::result::Result<Map<String, Value>, Refusal> {
    let mut problems = Vec::new();
    let mut out = Map::new();
    let bad = |field: &str, reason: &str| Problem::new("body", None, field, reason);
    for (k, v) in obj {
        let k = k.as_str();
        if v.is_null() {
            continue;
        }
        if TEXT_FIELDS.contains(&k) {
            match v.as_str() {
                Some(s) => {
                    let limit = if k == "summary" {
                        MAX_SUMMARY_CHARS
                    } else {
                        super::read::MAX_TEXT
                    };
                    if s.chars().count() > limit {
                        problems.push(bad(k, &format!("longer than {limit} characters")));
                        continue;
                    }
                    let s = strip_markup(s, k == "summary");
                    if !s.is_empty() {
                        out.insert(k.to_string(), Value::String(s));
                    }
                }
                None => problems.push(bad(k, "must be a text (a JSON string)")),
            }
        } else if LIST_FIELDS.contains(&k) {
            match v.as_array() {
                Some(items) if items.len() <= super::read::MAX_ITEMS => {
                    let mut list = Vec::new();
                    for it in items {
                        match it.as_str() {
                            Some(s) if s.chars().count() <= super::read::MAX_TEXT => {
                                list.push(Value::String(strip_markup(s, false)))
                            }
                            Some(_) => problems.push(bad(
                                k,
                                &format!(
                                    "an item is longer than {} characters",
                                    super::read::MAX_TEXT
                                ),
                            )),
                            None => problems.push(bad(k, "each item must be a text")),
                        }
                    }
                    out.insert(k.to_string(), Value::Array(list));
                }
                Some(_) => {
                    problems.push(bad(k, &format!("at most {} items", super::read::MAX_ITEMS)))
                }
                None => problems.push(bad(k, "must be a list of texts")),
            }
        } else if k == "year" {
            match v.as_i64() {
                Some(y) => {
                    out.insert(k.to_string(), Value::from(y));
                }
                None => problems.push(bad(k, "must be a whole number (a year) or null")),
            }
        } else if k == "sources" {
            match v.as_array() {
                Some(items) if items.len() <= super::read::MAX_ITEMS => {
                    let mut list = Vec::new();
                    for (i, it) in items.iter().enumerate() {
                        let field = format!("sources[{i}]");
                        let Some(src) = it.as_object() else {
                            problems.push(bad(
                                &field,
                                "must be an object {url, title, publisher, date}",
                            ));
                            continue;
                        };
                        let mut s = Map::new();
                        for (sk, sv) in src {
                            let f = format!("{field}.{sk}");
                            if !SOURCE_FIELDS.contains(&sk.as_str()) {
                                problems
                                    .push(bad(&f, "unknown field (url, title, publisher, date)"));
                            } else if sv.is_null() {
                            } else if let Some(t) = sv.as_str() {
                                if t.chars().count() > super::read::MAX_TEXT {
                                    problems.push(bad(&f, "too long"));
                                } else {
                                    let t = if sk == "url" {
                                        t.trim().to_string()
                                    } else {
                                        strip_markup(t, false)
                                    };
                                    s.insert(sk.clone(), Value::String(t));
                                }
                            } else {
                                problems.push(bad(&f, "must be a text"));
                            }
                        }
                        list.push(Value::Object(s));
                    }
                    out.insert(k.to_string(), Value::Array(list));
                }
                Some(_) => problems.push(bad(
                    k,
                    &format!("at most {} sources", super::read::MAX_ITEMS),
                )),
                None => problems.push(bad(k, "must be a list of sources")),
            }
        } else if k == "status" {
            problems.push(bad(
                k,
                "is set by the secretariat (a submission is always pending)",
            ));
        } else {
            problems.push(bad(
                k,
                "unknown field (the fields are id, country, countries, title, title_en, language, kind, year, institution, partners, categories, legal_basis, sources, summary)",
            ));
        }
    }
    if let Some(id) = out.get("id").and_then(Value::as_str) {
        if let Err(e) = id.parse::<PracticeId>() {
            problems.push(bad("id", &e));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Refusal::Invalid(problems))
    }
}

/// An id for a submission that has none: its country's code (or `reg`) and the words of its
/// English title (else its title), folded, cut at a word near 60 characters.
fn derive_id(fields: &Map<String, Value>) -> String {
    let prefix = fields
        .get("country")
        .and_then(Value::as_str)
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_else(|| "reg".to_string());
    let title = fields
        .get("title_en")
        .or_else(|| fields.get("title"))
        .and_then(Value::as_str)
        .unwrap_or("practice");
    let mut id: String = prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    for w in title_key(title).split(' ') {
        let w: String = w.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if w.is_empty() {
            continue;
        }
        if id.len() + 1 + w.len() > 60 {
            break;
        }
        id.push('-');
        id.push_str(&w);
    }
    id
}

/// The record file for the fields: YAML front matter, each text as a double-quoted scalar
/// (JSON's string syntax is YAML's), then the summary as the body.
fn render(id: &str, f: &Map<String, Value>) -> String {
    let q = |v: &Value| serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    let get = |k: &str| f.get(k).map(q).unwrap_or_else(|| "null".into());
    let mut y = String::from("---\n");
    y.push_str(&format!("id: {}\n", q(&Value::String(id.to_string()))));
    y.push_str(&format!("country: {}\n", get("country")));
    if let Some(c) = f.get("countries") {
        y.push_str(&format!("countries: {}\n", q(c)));
    }
    for k in [
        "title",
        "title_en",
        "language",
        "kind",
        "year",
        "institution",
    ] {
        y.push_str(&format!("{k}: {}\n", get(k)));
    }
    y.push_str(&format!(
        "partners: {}\n",
        f.get("partners").map(q).unwrap_or_else(|| "[]".into())
    ));
    y.push_str(&format!(
        "categories: {}\n",
        f.get("categories").map(q).unwrap_or_else(|| "[]".into())
    ));
    y.push_str(&format!("legal_basis: {}\n", get("legal_basis")));
    match f.get("sources").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            y.push_str("sources:\n");
            for s in list {
                y.push_str(&format!("  - {}\n", q(s)));
            }
        }
        _ => y.push_str("sources: []\n"),
    }
    y.push_str("status: pending\n---\n");
    if let Some(s) = f.get("summary").and_then(Value::as_str) {
        y.push_str(s);
        y.push('\n');
    }
    y
}

/// A submitted text as plain text: HTML elements dropped (the content of `script` and `style`
/// with them), Markdown links reduced to their words, emphasis, code and heading marks and
/// control characters removed. Line breaks are kept in the summary (its paragraphs) and
/// folded to spaces elsewhere; a line of three dashes, which would end the front matter, is
/// dropped.
pub fn strip_markup(s: &str, multiline: bool) -> String {
    let mut t = String::with_capacity(s.len());
    let lower = s.to_ascii_lowercase();
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < s.len() {
        if bytes[i] == b'<' {
            // an element whose content is code, dropped whole
            let skipped = ["script", "style"].iter().find_map(|tag| {
                let open = format!("<{tag}");
                lower[i..].starts_with(&open).then(|| {
                    let close = format!("</{tag}");
                    lower[i..]
                        .find(&close)
                        .and_then(|c| lower[i + c..].find('>').map(|e| i + c + e + 1))
                        .unwrap_or(s.len())
                })
            });
            if let Some(end) = skipped {
                i = end;
                continue;
            }
            let rest = &s[i + 1..];
            let starts_tag = rest
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
            if starts_tag {
                if let Some(end) = rest.find('>') {
                    i += end + 2;
                    t.push(' ');
                    continue;
                }
            }
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        t.push(ch);
        i += ch.len_utf8();
    }
    // [words](url) and ![words](url) -> words
    let t = unlink(&t);
    let mut out = String::with_capacity(t.len());
    for line in t.lines() {
        let l = line.trim();
        if l.chars().all(|c| c == '-') && l.len() >= 3 {
            continue;
        }
        let l = l.trim_start_matches(['#', '>']).trim_start();
        let cleaned: String = l
            .chars()
            .filter(|c| !matches!(c, '*' | '`' | '~') && (!c.is_control() || *c == '\t'))
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        if !out.is_empty() {
            out.push(if multiline { '\n' } else { ' ' });
        }
        out.push_str(&cleaned);
    }
    let out = out.trim().to_string();
    if multiline {
        // at most one empty line between paragraphs
        let mut squeezed = String::with_capacity(out.len());
        let mut blank = 0;
        for line in out.lines() {
            if line.is_empty() {
                blank += 1;
                if blank > 1 {
                    continue;
                }
            } else {
                blank = 0;
            }
            squeezed.push_str(line);
            squeezed.push('\n');
        }
        squeezed.trim_end().to_string()
    } else {
        out
    }
}

/// `[words](url)` and `![words](url)` reduced to `words`.
fn unlink(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find(']').and_then(|close| {
            let tail = &after[close + 1..];
            tail.strip_prefix('(')
                .and_then(|u| u.find(')'))
                .map(|end| (close, close + 1 + 1 + end + 1))
        });
        match link {
            Some((close, consumed)) => {
                out.push_str(rest[..open].strip_suffix('!').unwrap_or(&rest[..open]));
                out.push_str(&after[..close]);
                rest = &after[consumed..];
            }
            None => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
