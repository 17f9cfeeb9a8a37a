//! What a reader hands back before ids, languages and provenance are attached: the format
//! readers only know their file, `corpus::load` knows the corpus.

use std::fmt;

/// Metadata as found in the source (every field optional: the loader fills gaps from the folder,
/// the provenance files and the language detector).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocMeta {
    pub title: Option<String>,
    pub identifier: Option<String>,
    pub country: Option<String>,
    pub rank: Option<String>,
    pub language: Option<String>,
    pub publication_date: Option<String>,
    pub last_updated: Option<String>,
    pub status: Option<String>,
    pub source_url: Option<String>,
}

/// A provision as a reader sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawProvision {
    /// Element name for the eId: `art`, `sec`, `order`, `sched`.
    pub element: &'static str,
    /// Normalised number (`5 bis`, `2.1`, `art4`).
    pub number: String,
    pub heading: Option<String>,
    pub hierarchy: Vec<String>,
    pub text: String,
    pub repealed: bool,
    /// Vetoed on promulgation (Brazil's "(VETADO)"): kept so the numbering is whole, never read
    /// as law.
    pub vetoed: bool,
    /// A transitory article, of the original law or of an amending decree; such articles sit in
    /// a transitory part (`part_eid` `trans_1`, `trans_2` ...) and are audited apart.
    pub transitory: bool,
    /// Amendment and editorial notes kept apart from the words of law ("Párrafo reformado DOF
    /// 19-04-2018", "Redação dada pela Lei nº 13.811, de 2019").
    pub notes: Vec<String>,
    /// eId prefix of the part this provision belongs to (`annex_1`, `sched_2`), if any.
    pub part_eid: Option<String>,
    /// Human label of that part (`CONVENCION DE VIENA SOBRE RELACIONES CONSULARES`).
    pub part_label: Option<String>,
    /// 1-based line of the provision's start in the file, where the format has lines.
    pub line: Option<usize>,
}

/// A reader's result for one file.
#[derive(Debug, Clone, Default)]
pub struct ParsedDoc {
    pub meta: DocMeta,
    pub provisions: Vec<RawProvision>,
    pub warnings: Vec<String>,
}

/// Why a file could not be read, with the place where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub line: Option<usize>,
    pub reason: String,
}

impl ReadError {
    pub fn new(reason: impl Into<String>) -> Self {
        ReadError {
            line: None,
            reason: reason.into(),
        }
    }
    pub fn at(line: usize, reason: impl Into<String>) -> Self {
        ReadError {
            line: Some(line),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// 1-based line number of a byte offset.
pub fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// Decodes UTF-8 (dropping a BOM), naming the line of the first invalid byte.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        ReadError::at(line_of(bytes, at), format!("invalid UTF-8 at byte {at}"))
    })
}

/// Collapses whitespace runs inside lines and drops empty lines.
pub fn tidy_text(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a provision text is only a repeal note.
pub fn is_repeal_note(text: &str) -> bool {
    let t = crate::text::fold_lower(text.trim_start_matches(|c: char| !c.is_alphanumeric()));
    let short = text.len() < 400;
    short
        && (t.starts_with("derogad")
            || t.starts_with("abrogad")
            || t.starts_with("repealed")
            || t.starts_with("abroge")
            || t.starts_with("suprimid")
            || t.starts_with("revocad"))
}

/// Closes a provision a line-based reader was filling: joins and tidies its body lines, marks a
/// bare repeal note as repealed, and appends it to `out`.
pub fn close_provision(
    cur: &mut Option<RawProvision>,
    body: &mut Vec<String>,
    out: &mut Vec<RawProvision>,
) {
    if let Some(mut p) = cur.take() {
        p.text = tidy_text(&body.join("\n"));
        p.repealed = is_repeal_note(&p.text);
        out.push(p);
    }
    body.clear();
}
