//! Reader for Planalto HTML (planalto.gov.br), bare (`.htm`) or inside the JSON of the BR
//! sources (field `conteudo`).
//!
//! The HTML is parsed with `scraper` and flattened, in document order, into text lines: one per
//! block element (`p`, `div`, `td`, headings ...) and per `<br>`. Struck-through wording
//! (`<strike>`, `<s>`, `<del>`) is dropped on the way: Planalto's compiled pages keep the
//! superseded text struck through next to the new one, so a revised article would otherwise be
//! read twice. What a strike leaves behind ("c) ;", ".", the "A" of `A<strike>rt. 76.`)
//! is dropped too. A revoked unit is struck whole with only its note left (`<strike>Art. 233.
//! ...</strike> (Revogado pela Emenda Constitucional nº 28, de 2000)`): it is kept, as its
//! struck label and the note, so the numbering stays whole. Table rows are remembered so an
//! annexed table can be written one row a line.
//!
//! The lines are then read as a Brazilian statute:
//! - a line opening "Art. 1º", "Art. 1o", "Art. 10.", "Art. 10-A." starts an article (number
//!   "1", "10", "10-a"); every line up to the next article belongs to it (caput, "§", incisos,
//!   alíneas, one a line);
//! - TÍTULO / CAPÍTULO / Seção / Subseção (and PARTE, LIVRO) lines are the hierarchy; a bare
//!   label ("CAPÍTULO I") takes the next line as its name ("CAPÍTULO I - DISPOSIÇÕES
//!   PRELIMINARES"); a repeated level replaces the previous one and drops the lower ones; a
//!   second name line in capitals renames the heading (cf keeps a superseded name unstruck);
//! - amendment notes in parentheses ("(Redação dada pela Lei nº ...)", "(Incluído ...)",
//!   "(Vide ...)", "(Revogado pela ...)", "(Renumerado ...)") go to `notes`, prefixed by the
//!   unit they annotate ("§ 1º: ..."); a unit whose only words are a note keeps it as text,
//!   so "Art. 9º (Revogado pela Lei nº ...)" still reads as it is printed (an unclosed note,
//!   a defect of lrp, gets its closing parenthesis back);
//! - an article that is only "(VETADO)" is `vetoed`; one that is only "(Revogado)" or a
//!   revoking note is `repealed`;
//! - text quoted by an amending article (a line opening with a quotation mark, up to the line
//!   that closes it) stays in the amending article, even when it holds "Art. N" lines;
//! - an article printed twice in a row with neither wording struck (cf art. 39, whose amended
//!   caput was suspended by the court) is read as one article holding both, with a warning;
//! - "ATO DAS DISPOSIÇÕES CONSTITUCIONAIS TRANSITÓRIAS" starts the Constitution's transitory
//!   part: numbering restarts, the articles get `part_eid` "adct" and `transitory`;
//! - the signature ("Brasília, 24 de maio de 2017; ...") ends the articles. An "ANEXO" line
//!   starts an annex, read as one provision (element "annex") whose heading is the annex's name
//!   and whose text is its lines, table cells joined by " | ". Other matter after the
//!   signature (signatories, publication notes, and lrp's annexed blank models of registry
//!   books, which carry no words of law) is skipped, with a warning when it is more than the
//!   signatories and the publication notes.
//!
//! Metadata comes from the HTML itself, never from the JSON's own fields, which are wrong for
//! these sources (status, dates, aliases; see BR/PROVENANCE.md): title, identifier and date
//! from the heading line ("LEI Nº 13.445, DE 24 DE MAIO DE 2017"), with the ementa appended to
//! the title; a Constitution's date is its signature's. Only `url`/`fonte` are taken from the
//! JSON. Status is left unset.
//!
//! A bare page is read as UTF-8 when it is valid UTF-8, else as windows-1252 (the older
//! Planalto pages), decoded here without another crate.
//!
//! `line` stays None: html5ever does not report source positions, and the HTML inside JSON has
//! no file line worth pointing at.

use super::raw::{decode_utf8, line_of, DocMeta, ParsedDoc, RawProvision, ReadError};
use crate::text::fold_lower;
use regex::Regex;
use scraper::{ElementRef, Html, Node};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The JSON shape: only the fields this reader trusts.
#[derive(Deserialize)]
struct Source {
    url: Option<serde_json::Value>,
    fonte: Option<serde_json::Value>,
    conteudo: Option<serde_json::Value>,
}

/// Whether a JSON file is the Planalto-in-JSON shape (an object with an HTML `conteudo`).
pub fn sniff_json(bytes: &[u8]) -> bool {
    // A byte search first, so the other JSON readers' files are never parsed twice.
    let key = b"\"conteudo\"";
    if !bytes.windows(key.len()).any(|w| w == key) {
        return false;
    }
    matches!(
        serde_json::from_slice::<Source>(bytes),
        Ok(Source {
            conteudo: Some(serde_json::Value::String(_)),
            ..
        })
    )
}

/// Reads the JSON shape: the law from the HTML in `conteudo`.
pub fn read_json(bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    let src = decode_utf8(bytes)?;
    let source: Source = serde_json::from_str(src).map_err(|e| {
        let line = if e.line() > 0 {
            e.line()
        } else {
            line_of(bytes, 0)
        };
        ReadError::at(line, format!("invalid JSON: {e}"))
    })?;
    let html = match source.conteudo {
        None | Some(serde_json::Value::Null) => {
            return Err(ReadError::new(
                "JSON has no 'conteudo' field (the Planalto HTML)",
            ))
        }
        Some(serde_json::Value::String(s)) => s,
        Some(_) => return Err(ReadError::new("JSON field 'conteudo' is not a string")),
    };
    if html.trim().is_empty() {
        return Err(ReadError::new("JSON field 'conteudo' is empty"));
    }
    let url = [source.url, source.fonte]
        .into_iter()
        .flatten()
        .find_map(|v| match v {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        });
    read_document(&html, url)
}

/// Reads a bare Planalto HTML page.
pub fn read_html(bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    let html = decode_page(bytes);
    if html.trim().is_empty() {
        return Err(ReadError::new("empty HTML page"));
    }
    read_document(&html, None)
}

/// Decodes a bare page: UTF-8 when it is valid UTF-8, else windows-1252, the charset of the
/// older Planalto pages (a superset of Latin-1 that any byte sequence decodes in).
fn decode_page(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(s);
    }
    // 0x80-0x9F are the only bytes where windows-1252 differs from Latin-1; the five unassigned
    // ones stay as their C1 control points.
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    Cow::Owned(
        bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// HTML to lines

/// One line of the flattened page.
#[derive(Debug, Clone, Default)]
struct Line {
    text: String,
    /// Struck-through text was dropped from this line: what is left may be a residue.
    struck: bool,
    /// The words struck through in this line (their label names a unit the line revokes).
    struck_text: String,
    /// The table row and cell the line sits in, if any (numbered in document order).
    row: Option<usize>,
    cell: Option<usize>,
}

/// The page as lines, with the number of struck-through passages dropped.
#[derive(Debug, Default)]
struct Flat {
    lines: Vec<Line>,
    struck: usize,
}

/// Elements that start and end a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "center"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "hr"
            | "body"
            | "html"
    )
}

fn is_strike(name: &str) -> bool {
    matches!(name, "strike" | "s" | "del")
}

/// Flattens a parsed page into lines. The walk keeps its own stack (no recursion), so deeply
/// nested markup cannot overflow the thread's stack.
fn flatten(doc: &Html) -> Flat {
    struct Acc {
        flat: Flat,
        text: String,
        struck: bool,
        struck_text: String,
        rows: Vec<usize>,
        cells: Vec<usize>,
    }
    impl Acc {
        fn flush(&mut self) {
            let text = tidy_line(&self.text);
            if !text.is_empty() {
                self.flat.lines.push(Line {
                    text,
                    struck: self.struck,
                    struck_text: tidy_line(&self.struck_text),
                    row: self.rows.last().copied(),
                    cell: self.cells.last().copied(),
                });
            }
            self.text.clear();
            self.struck = false;
            self.struck_text.clear();
        }
    }
    let mut acc = Acc {
        flat: Flat::default(),
        text: String::new(),
        struck: false,
        struck_text: String::new(),
        rows: Vec::new(),
        cells: Vec::new(),
    };
    let mut next_row = 0usize;
    let mut next_cell = 0usize;
    let mut stack = vec![(*doc.root_element(), false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Text(t) if !closing => acc.text.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if closing {
                    if is_block(name) {
                        acc.flush();
                    }
                    match name {
                        "tr" => {
                            acc.rows.pop();
                        }
                        "td" | "th" => {
                            acc.cells.pop();
                        }
                        _ => {}
                    }
                    continue;
                }
                if is_strike(name) {
                    let Some(el) = ElementRef::wrap(node) else {
                        continue;
                    };
                    if el.text().any(|t| !t.trim().is_empty()) {
                        acc.flat.struck += 1;
                        // Struck paragraphs end the line around them; struck words inside a
                        // paragraph leave the line open, marked.
                        if el.descendent_elements().any(|d| is_block(d.value().name())) {
                            acc.flush();
                        } else {
                            acc.struck = true;
                            acc.struck_text.extend(el.text());
                            acc.struck_text.push(' ');
                        }
                    }
                    continue;
                }
                match name {
                    "script" | "style" | "head" | "title" | "noscript" | "template" => continue,
                    "br" => {
                        acc.flush();
                        continue;
                    }
                    _ => {}
                }
                if is_block(name) {
                    acc.flush();
                }
                match name {
                    "tr" => {
                        acc.rows.push(next_row);
                        next_row += 1;
                    }
                    "td" | "th" => {
                        acc.cells.push(next_cell);
                        next_cell += 1;
                    }
                    _ => {}
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    acc.flush();
    acc.flat
}

/// Collapses whitespace (non-breaking spaces included) and the spaces the markup leaves before
/// punctuation ("2002 , ou") and inside brackets and quotes.
fn tidy_line(s: &str) -> String {
    let collapsed = s
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let mut chars = collapsed.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            if let Some(&n) = chars.peek() {
                if matches!(n, ',' | ';' | ':' | ')' | '”') && !out.ends_with(' ') {
                    continue;
                }
                if matches!(n, '.') && out.chars().last().is_some_and(|l| l.is_alphanumeric()) {
                    continue;
                }
            }
            if out.ends_with(['(', '“']) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Patterns on the extracted text

fn article_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // "Art. 1º", "Art. 1o", "Art. 6 o", "Art. 10.", "Art. 10-A.", "Art. 1º-A", "Art. 252 -".
        // The letter must touch the dash: "Art. 252 - O registro" is article 252.
        Regex::new(r"^Art\.\s*(\d+)\s*(?:\.?\s*[º°]|o\b)?(?:-([A-Z]{1,2})\b)?\s*(?:[º°]|o\b)?\.?")
            .expect("static regex")
    })
}

fn unit_label_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:§\s*\d+\s*(?:[º°]|o\b)?(?:-[A-Z]\b)?|Parágrafo\s+único|[IVXLCDM]+(?:-[A-Z])?\s*[-–—]|[a-z]\)|\d+\s*[º°o]?\))",
        )
        .expect("static regex")
    })
}

/// An inciso printed without its dash ("III o acesso aos tribunais"): the numeral is the label.
fn bare_inciso_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^([IVXLCDM]+)\s+[\p{Ll}(]").expect("static regex"))
}

/// What a strike can leave of a label: a bare numeral or letter ("IV", "c"; "A" of
/// "A<strike>rt. 76. ...</strike>").
fn bare_label_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:[IVXLCDM]+|[A-Za-z]|\d+\s*[º°o]?)\s*[-–—).,;:]*$").expect("static regex")
    })
}

fn heading_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(PARTE|LIVRO|T[ÍI]TULO|CAP[ÍI]TULO|SUBSE[ÇC][ÃA]O|SE[ÇC][ÃA]O|Parte|Livro|T[íi]tulo|Cap[íi]tulo|Subse[çc][ãa]o|Se[çc][ãa]o)\s+([IVXLCDM]+(?:-[A-Z])?|[ÚU]NIC[OA]|[ÚU]nic[oa]|GERAL|ESPECIAL|PRELIMINAR|Geral|Especial|Preliminar|\d+)(?:\s*[-–—.:]\s*|\s+|$)(.*)$",
        )
        .expect("static regex")
    })
}

fn annex_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^ANEXOS?(?:\s+([IVXLCDM]+|[ÚU]NICO|\d+))?(?:\s*[-–—:.]\s*(.*))?$")
            .expect("static regex")
    })
}

fn signature_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^Bras[íi]lia\s*,\s*(?:em\s+)?(\d{1,2})\s*[º°o]?\s+de\s+(\p{L}+)\s+de\s+(\d{4})",
        )
        .expect("static regex")
    })
}

fn law_title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(LEI\s+COMPLEMENTAR|LEI\s+DELEGADA|LEI|DECRETO-LEI|DECRETO\s+LEGISLATIVO|DECRETO|MEDIDA\s+PROVIS[ÓO]RIA|EMENDA\s+CONSTITUCIONAL)\s+N[º°o]?\.?\s*([\d.]+)\s*,?\s*DE\s+(\d{1,2})\s*[º°o]?\s+DE\s+(\p{L}+)\s+DE\s+(\d{4})",
        )
        .expect("static regex")
    })
}

/// The number of a month named in Portuguese.
fn month(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "janeiro",
        "fevereiro",
        "marco",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ];
    let m = fold_lower(name);
    MONTHS
        .iter()
        .position(|x| *x == m)
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn iso_date(day: &str, month_name: &str, year: &str) -> Option<String> {
    let d: u32 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let m = month(month_name)?;
    Some(format!("{year}-{m:02}-{d:02}"))
}

/// Whether a parenthesised passage starting with `inner` is an amendment or editorial note.
fn is_note_start(inner: &str) -> bool {
    let head: String = inner.trim_start().chars().take(40).collect();
    let f = fold_lower(&head);
    const NOTES: [&str; 20] = [
        "redacao dad",
        "redacao da ",
        "incluid",
        "acrescid",
        "acrescentad",
        "renumerad",
        "vide ",
        "vigencia",
        "regulamento",
        "regulamentad",
        "producao de efeito",
        "promulga",
        "execucao suspensa",
        "suspens",
        "declarad",
        "expressao ",
        "convertid",
        "transformad",
        "restabelecid",
        "alterad",
    ];
    if NOTES.iter().any(|n| f.starts_with(n)) {
        return true;
    }
    // "(Revogado pela Lei nº ...)" is a note; "(Revogado)" / "(revogado);" are the words of law
    // that mark a revoked unit.
    f.strip_prefix("revogad")
        .map(|r| r.trim_start_matches(['o', 'a', 's']).trim_start())
        .is_some_and(|r| r.starts_with("pel") || r.starts_with("por") || r.starts_with("tacit"))
}

/// Splits amendment notes out of a line: the line without them, and the notes' texts. An
/// unclosed note (lrp: "(Revogado pela Lei nº 13.465, de 2017") runs to the end of the line.
/// A bare "Vigência" or "Produção de efeitos" link right after a note belongs to it.
fn split_notes(line: &str) -> (String, Vec<String>) {
    let mut body = String::with_capacity(line.len());
    let mut notes: Vec<String> = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        if !is_note_start(after) {
            body.push_str(&rest[..=open]);
            rest = after;
            continue;
        }
        body.push_str(&rest[..open]);
        let mut depth = 1usize;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let note = tidy_line(&after[..end]);
        rest = after.get(end + 1..).unwrap_or("");
        let mut note = note;
        for link in ["Vigência", "Produção de efeitos", "Produção de efeito"] {
            if let Some(r) = rest.trim_start().strip_prefix(link) {
                if !r.starts_with(|c: char| c.is_alphanumeric()) {
                    note = format!("{note} ({link})");
                    rest = r;
                    break;
                }
            }
        }
        let folded = fold_lower(&note);
        if matches!(
            folded.as_str(),
            "vigencia" | "producao de efeitos" | "producao de efeito"
        ) {
            // "(Incluído ...) (Vigência)": the second is the first's link.
            if let Some(last) = notes.last_mut() {
                last.push_str(&format!(" ({note})"));
                continue;
            }
        }
        if !note.is_empty() {
            notes.push(note);
        }
    }
    body.push_str(rest);
    (tidy_line(&body), notes)
}

/// The printed label of an article line ("Art. 10-A."), and the article number, if the line is
/// an article heading.
fn article_heading(text: &str) -> Option<(String, usize)> {
    let c = article_re().captures(text)?;
    let whole = c.get(0)?;
    let after = &text[whole.end()..];
    // "Art. 5º, § 2º, da Lei ..." opening a line is a reference, not a heading.
    if after
        .trim_start_matches([' ', '.', '-', '–', '—', ':'])
        .starts_with(|ch: char| ch == ',' || ch.is_lowercase())
    {
        return None;
    }
    let mut number = c.get(1)?.as_str().trim_start_matches('0').to_string();
    if number.is_empty() {
        number.push('0');
    }
    if let Some(l) = c.get(2) {
        number.push('-');
        number.push_str(&l.as_str().to_lowercase());
    }
    Some((number, whole.end()))
}

/// Where a line's words start after its unit label (article, §, inciso, alínea), and the label.
fn unit_label(text: &str) -> Option<(&str, usize)> {
    if let Some((_, end)) = article_heading(text) {
        return Some((text[..end].trim(), end));
    }
    let Some(m) = unit_label_re().find(text) else {
        let c = bare_inciso_re().captures(text)?;
        let m = c.get(1)?;
        return Some((m.as_str(), m.end()));
    };
    let label = text[..m.end()]
        .trim()
        .trim_end_matches(['-', '–', '—'])
        .trim();
    Some((label, m.end()))
}

/// A line's words without its label and without leading and trailing punctuation.
fn words_after_label(text: &str) -> &str {
    let start = unit_label(text).map_or(0, |(_, e)| e);
    text[start..].trim_matches(|c: char| !c.is_alphanumeric() && c != '(' && c != ')')
}

/// What a strike leaves behind: a label and punctuation ("c) ;", "XXXIII - ;", ".").
fn is_residue(text: &str) -> bool {
    bare_label_re().is_match(text) || !words_after_label(text).chars().any(char::is_alphanumeric)
}

fn is_vetoed_words(words: &str) -> bool {
    let w = fold_lower(words.trim_matches(|c: char| !c.is_alphanumeric()));
    w == "vetado" || w == "vetada"
}

fn is_revoked_words(words: &str) -> bool {
    let w = fold_lower(words.trim_matches(|c: char| !c.is_alphanumeric()));
    matches!(
        w.as_str(),
        "revogado" | "revogada" | "revogados" | "revogadas"
    )
}

/// Title case for an all-capitals title ("CONSTITUIÇÃO DA REPÚBLICA" -> "Constituição da
/// República"), Portuguese particles in lower case.
fn title_case(s: &str) -> String {
    const PARTICLES: [&str; 8] = ["da", "de", "do", "das", "dos", "e", "a", "o"];
    s.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && PARTICLES.contains(&lower.as_str()) {
                return lower;
            }
            let mut cs = lower.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn roman_value(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total = total.checked_add(v)?;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

/// Hierarchy level of a heading word: outermost first.
fn heading_level(word: &str) -> usize {
    match fold_lower(word).as_str() {
        "parte" => 0,
        "livro" => 1,
        "titulo" => 2,
        "capitulo" => 3,
        "secao" => 4,
        _ => 5, // subseção
    }
}

// ---------------------------------------------------------------------------------------------
// Lines to provisions

/// One line of an article: its label, its words without notes, and its notes. Quoted text is
/// kept whole: its notes belong to the law it quotes.
#[derive(Debug, Clone)]
struct Unit {
    label: Option<String>,
    body: String,
    notes: Vec<String>,
    quoted: bool,
    /// Words of law besides the label once the notes are gone (none for "Art. 9º (Revogado
    /// pela ...)").
    has_words: bool,
}

impl Unit {
    fn new(text: &str, quoted: bool) -> Unit {
        let (body, notes) = if quoted {
            (text.to_string(), Vec::new())
        } else {
            split_notes(text)
        };
        let label = unit_label(text);
        let rest = label.map_or(text, |(_, end)| &text[end..]);
        let has_words = quoted || split_notes(rest).0.chars().any(char::is_alphanumeric);
        Unit {
            label: label.map(|(l, _)| l.to_string()),
            body,
            notes,
            quoted,
            has_words,
        }
    }
    /// The unit's words after its label, notes removed.
    fn words(&self) -> &str {
        if self.has_words {
            words_after_label(&self.body)
        } else {
            ""
        }
    }
}

#[derive(Debug, Clone)]
struct Article {
    number: String,
    hierarchy: Vec<String>,
    part: Option<usize>,
    units: Vec<Unit>,
}

/// A part of the document with its own numbering (the ADCT).
#[derive(Debug, Clone)]
struct Part {
    eid: &'static str,
    label: &'static str,
}

const ADCT: Part = Part {
    eid: "adct",
    label: "Ato das Disposições Constitucionais Transitórias",
};

#[derive(Debug, Clone, Default)]
struct Annex {
    label: String,
    number: Option<String>,
    name: Option<String>,
    lines: Vec<Line>,
}

/// A unit whose only words are notes, printed as its label and the notes ("Art. 233.
/// (Revogado pela Emenda Constitucional nº 28, de 2000)"), without what a strike left between
/// them ("§ 2º - . (Revogado ...)").
fn only_notes(u: &Unit) -> String {
    let mut s = u.label.clone().unwrap_or_default();
    for n in &u.notes {
        s.push_str(" (");
        s.push_str(n);
        s.push(')');
    }
    s.trim().to_string()
}

fn finish_article(a: Article, parts: &[Part]) -> RawProvision {
    let mut text = Vec::new();
    let mut notes = Vec::new();
    for u in &a.units {
        if u.has_words || (u.label.is_some() && !u.notes.is_empty()) {
            // A labelled unit whose only words are its note keeps the note as its text.
            text.push(if u.has_words {
                u.body.clone()
            } else {
                only_notes(u)
            });
            if u.has_words {
                let caput = text.len() == 1;
                for n in &u.notes {
                    notes.push(match (&u.label, caput) {
                        (Some(l), false) => format!("{l}: {n}"),
                        _ => n.clone(),
                    });
                }
            }
        } else if u.label.is_none() && !u.notes.is_empty() {
            // A line that is only a note ("(Vide Lei nº ...)") annotates the article.
            notes.extend(u.notes.iter().cloned());
        } else if !u.body.is_empty() {
            text.push(u.body.clone());
        }
    }
    let unquoted: Vec<&Unit> = a.units.iter().filter(|u| !u.quoted).collect();
    let all = |f: &dyn Fn(&Unit) -> bool| {
        unquoted
            .iter()
            .filter(|u| u.label.is_some() || u.has_words)
            .all(|u| f(u))
    };
    let vetoed = !unquoted.is_empty() && all(&|u| is_vetoed_words(u.words()));
    let repealed = !vetoed
        && !unquoted.is_empty()
        && all(&|u| {
            let w = u.words();
            is_revoked_words(w)
                || (w.is_empty() && u.notes.iter().any(|n| fold_lower(n).starts_with("revogad")))
        });
    let part = a.part.and_then(|i| parts.get(i));
    RawProvision {
        element: "art",
        number: a.number,
        heading: None,
        hierarchy: a.hierarchy,
        text: text.join("\n"),
        repealed,
        vetoed,
        transitory: part.is_some(),
        notes,
        part_eid: part.map(|p| p.eid.to_string()),
        part_label: part.map(|p| p.label.to_string()),
        line: None,
    }
}

fn finish_annex(a: Annex, index: usize) -> RawProvision {
    let mut text: Vec<String> = Vec::new();
    let mut row: Option<(usize, Option<usize>)> = None;
    for l in &a.lines {
        if !l.text.chars().any(char::is_alphanumeric) {
            continue;
        }
        match (row, l.row) {
            (Some((r, c)), Some(lr)) if r == lr => {
                if let Some(last) = text.last_mut() {
                    last.push_str(if c == l.cell { " " } else { " | " });
                    last.push_str(&l.text);
                }
            }
            _ => text.push(l.text.clone()),
        }
        row = l.row.map(|r| (r, l.cell));
    }
    let number = a.number.unwrap_or_else(|| (index + 1).to_string());
    RawProvision {
        element: "annex",
        number,
        heading: Some(a.name.unwrap_or(a.label)),
        text: text.join("\n"),
        ..Default::default()
    }
}

/// Where the reader is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Header,
    Body,
    /// After the signature: signatories first, then publication notes, then anything else.
    Signed {
        notes_seen: bool,
    },
    Annex,
}

/// Reads a Planalto page (already decoded) into a document.
fn read_document(html: &str, source_url: Option<String>) -> Result<ParsedDoc, ReadError> {
    let doc = Html::parse_document(html);
    let flat = flatten(&doc);
    if flat.lines.is_empty() {
        return Err(ReadError::new("the Planalto HTML has no text"));
    }
    let mut out = ParsedDoc::default();
    let mut parts: Vec<Part> = Vec::new();
    let mut part: Option<usize> = None;
    // Open headings, outermost first: level, label ("CAPÍTULO I"), name.
    let mut hierarchy: Vec<(usize, String, Option<String>)> = Vec::new();
    // Index in `hierarchy` of the heading the last lines were about: a bare label waiting for
    // its name, or a named one that a second name line renames.
    let mut pending_name: Option<usize> = None;
    // A heading came after the current article: lines are the heading's, not the article's.
    let mut after_heading = false;
    let mut current: Option<Article> = None;
    let mut articles: Vec<Article> = Vec::new();
    let mut annexes: Vec<Annex> = Vec::new();
    let mut stage = Stage::Header;
    let mut header: Vec<String> = Vec::new();
    // Balance of an open quotation (“ minus ”), and whether an ASCII quote is open.
    let mut quote: Option<(i64, bool)> = None;
    let mut quote_start = String::new();
    let mut residues = 0usize;
    let mut stray: Vec<String> = Vec::new();
    let mut trailing: Vec<String> = Vec::new();
    let mut signature_date: Option<String> = None;

    let close = |current: &mut Option<Article>, articles: &mut Vec<Article>| {
        if let Some(a) = current.take() {
            articles.push(a);
        }
    };

    for line in &flat.lines {
        let revoked = revoked_struck_unit(line);
        let t = revoked.as_deref().unwrap_or(&line.text);
        if line.struck && is_residue(t) {
            residues += 1;
            continue;
        }
        if stage == Stage::Annex {
            if let Some(c) = annex_re().captures(t) {
                annexes.push(new_annex(t, &c));
                continue;
            }
            if let Some(a) = annexes.last_mut() {
                if a.name.is_none() && a.lines.is_empty() && line.row.is_none() {
                    let (body, _) = split_notes(t);
                    if !body.is_empty() {
                        a.name = Some(body);
                        continue;
                    }
                }
                a.lines.push(line.clone());
            }
            continue;
        }
        if let Some((balance, ascii)) = quote {
            if let Some(a) = current.as_mut() {
                a.units.push(Unit::new(t, true));
            }
            quote = quote_step(balance, ascii, t);
            continue;
        }
        if stage == Stage::Body
            && current.is_some()
            && !after_heading
            && t.starts_with(['“', '"', '«'])
        {
            if let Some(a) = current.as_mut() {
                a.units.push(Unit::new(t, true));
            }
            quote = quote_step(0, false, t);
            quote_start = t.chars().take(60).collect();
            continue;
        }
        let started = stage != Stage::Header;
        if started {
            let (body, _) = split_notes(t);
            let folded = fold_lower(&body);
            if folded == "ato das disposicoes constitucionais transitorias"
                || folded == "ato das disposicoes transitorias"
            {
                close(&mut current, &mut articles);
                parts.push(ADCT);
                part = Some(parts.len() - 1);
                hierarchy.clear();
                pending_name = None;
                after_heading = true;
                stage = Stage::Body;
                continue;
            }
            if let Some(c) = annex_re().captures(&body) {
                close(&mut current, &mut articles);
                annexes.push(new_annex(&body, &c));
                stage = Stage::Annex;
                continue;
            }
            if let Some(c) = signature_re().captures(t) {
                if signature_date.is_none() {
                    signature_date = iso_date(&c[1], &c[2], &c[3]);
                }
                close(&mut current, &mut articles);
                stage = Stage::Signed { notes_seen: false };
                continue;
            }
        }
        if let Stage::Signed { notes_seen } = stage {
            let f = fold_lower(t);
            if f.starts_with("este texto nao substitui")
                || f.starts_with("republicad")
                || f.starts_with("retificad")
            {
                stage = Stage::Signed { notes_seen: true };
            } else if notes_seen {
                trailing.push(t.to_string());
            }
            continue;
        }
        if let Some((number, _)) = article_heading(t) {
            if let Some(a) = current
                .as_mut()
                .filter(|a| a.number == number && !after_heading)
            {
                // cf art. 39: two wordings printed one after the other, neither struck (the
                // later one suspended by the court). One article, both wordings as printed.
                out.warnings.push(format!(
                    "article {number} printed twice in a row, neither struck: read as one article"
                ));
                a.units.push(Unit::new(t, false));
                continue;
            }
            close(&mut current, &mut articles);
            current = Some(Article {
                number,
                hierarchy: hierarchy
                    .iter()
                    .map(|(_, label, name)| match name {
                        Some(n) => format!("{label} - {n}"),
                        None => label.clone(),
                    })
                    .collect(),
                part,
                units: vec![Unit::new(t, false)],
            });
            stage = Stage::Body;
            after_heading = false;
            pending_name = None;
            continue;
        }
        let (body, _) = split_notes(t);
        if let Some(c) = heading_re()
            .captures(&body)
            .filter(|_| body.chars().count() < 300)
        {
            let level = heading_level(&c[1]);
            let label = format!("{} {}", &c[1], &c[2]);
            let name = c.get(3).map_or("", |m| m.as_str()).trim();
            hierarchy.retain(|(l, _, _)| *l < level);
            let name = strip_link_words(name);
            hierarchy.push((level, label, Some(name).filter(|n| !n.is_empty())));
            pending_name = Some(hierarchy.len() - 1);
            after_heading = stage != Stage::Header;
            continue;
        }
        if let Some(i) = pending_name {
            if body.is_empty() {
                continue; // a note on the heading ("(Incluído pela Lei nº ...)")
            }
            pending_name = None;
            if let Some((_, _, name)) = hierarchy.get_mut(i) {
                // A name line for a bare label; for a named heading, only a line in capitals
                // (cf: "Seção III / DOS SERVIDORES PÚBLICOS MILITARES / DOS MILITARES DOS
                // ESTADOS ... (Redação dada pela EC 18)": the later name is the current one).
                let body = strip_link_words(&body);
                let renames = name.is_some() && !body.chars().any(char::is_lowercase);
                if (name.is_none() || renames)
                    && unit_label(&body).is_none()
                    && body.chars().count() < 200
                {
                    *name = Some(body);
                    pending_name = Some(i);
                    continue;
                }
            }
        }
        if stage == Stage::Header {
            if fold_lower(t) == "preambulo" {
                out.warnings
                    .push("the preamble is not an article: skipped".to_string());
            }
            header.push(t.to_string());
            continue;
        }
        if after_heading {
            if !body.is_empty() {
                stray.push(body);
            }
            continue;
        }
        if let Some(a) = current.as_mut() {
            a.units.push(Unit::new(t, false));
        }
    }
    close(&mut current, &mut articles);

    if articles.is_empty() {
        return Err(ReadError::new(
            "no article found in the Planalto HTML (no paragraph starts 'Art. N')",
        ));
    }
    if quote.is_some() {
        out.warnings.push(format!(
            "quotation opened at '{quote_start}' is never closed: what follows it was read as quoted text"
        ));
    }
    if flat.struck > 0 {
        out.warnings.push(format!(
            "{} struck-through passages (superseded wording) left out",
            flat.struck
        ));
    }
    if residues > 0 {
        out.warnings.push(format!(
            "{residues} lines left with only a label or punctuation once struck-through words were removed: skipped"
        ));
    }
    if let Some(first) = stray.first() {
        let first: String = first.chars().take(60).collect();
        out.warnings.push(format!(
            "{} lines between a heading and the next article skipped (from '{first}')",
            stray.len()
        ));
    }
    if let Some(first) = trailing.first() {
        let first: String = first.chars().take(60).collect();
        out.warnings.push(format!(
            "{} lines after the signature and outside any ANEXO skipped (from '{first}')",
            trailing.len()
        ));
    }
    let mut seen = HashSet::new();
    for a in &articles {
        if !seen.insert((a.part, a.number.clone())) {
            out.warnings
                .push(format!("article {} appears more than once", a.number));
        }
    }
    out.meta = header_meta(&header, signature_date, source_url);
    if out.meta.title.is_none() {
        out.warnings
            .push("no title line (\"LEI Nº ...\") before the first article".to_string());
    }
    out.provisions = articles
        .into_iter()
        .map(|a| finish_article(a, &parts))
        .collect();
    for (i, a) in annexes.into_iter().enumerate() {
        out.provisions.push(finish_annex(a, i));
    }
    Ok(out)
}

fn new_annex(text: &str, c: &regex::Captures<'_>) -> Annex {
    let number = c.get(1).map(|m| {
        let n = m.as_str();
        roman_value(n).map_or_else(|| fold_lower(n), |v| v.to_string())
    });
    Annex {
        label: text.to_string(),
        number,
        name: c
            .get(2)
            .map(|m| m.as_str().trim().to_string())
            .filter(|s| !s.is_empty()),
        lines: Vec::new(),
    }
}

/// A heading name without the page's link words printed after it ("DA REFORMA AGRÁRIA
/// Regulamento").
fn strip_link_words(name: &str) -> String {
    let mut n = name.trim();
    for link in ["Regulamento", "Vigência", "Produção de efeitos"] {
        if let Some(rest) = n.strip_suffix(link) {
            if rest.ends_with(' ') {
                n = rest.trim_end();
            }
        }
    }
    n.to_string()
}

/// A line whose words are all struck through but for a revoking note ("<strike>Art. 233. ...
/// </strike> (Revogado pela Emenda Constitucional nº 28, de 2000)"): the unit is revoked, not
/// gone, so it is read with the struck label in front of the note ("Art. 233. (Revogado ...)").
fn revoked_struck_unit(line: &Line) -> Option<String> {
    if !line.struck || unit_label(&line.text).is_some() {
        return None;
    }
    let visible = line
        .text
        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(');
    let (body, notes) = split_notes(visible);
    let revoking = notes.iter().any(|n| fold_lower(n).starts_with("revogad"));
    if !revoking || body.chars().any(char::is_alphanumeric) {
        return None;
    }
    let (_, end) = unit_label(&line.struck_text)?;
    // The label as printed ("I -", "§ 1º"), so the rebuilt line is read as that unit.
    let label = line.struck_text.get(..end)?.trim();
    Some(format!("{label} {visible}"))
}

/// Advances the state of an open quotation over one line; None once it is closed.
fn quote_step(balance: i64, ascii_open: bool, text: &str) -> Option<(i64, bool)> {
    let mut balance = balance;
    let mut ascii = ascii_open;
    for c in text.chars() {
        match c {
            '“' | '«' => balance += 1,
            '”' | '»' => balance -= 1,
            '"' => ascii = !ascii,
            _ => {}
        }
    }
    (balance > 0 || ascii).then_some((balance, ascii))
}

/// Title, identifier, rank and date from the lines before the first article.
fn header_meta(header: &[String], signature_date: Option<String>, url: Option<String>) -> DocMeta {
    let mut meta = DocMeta {
        country: Some("BR".to_string()),
        language: Some("pt".to_string()),
        source_url: url,
        ..Default::default()
    };
    for (i, line) in header.iter().enumerate() {
        let (t, _) = split_notes(line);
        let t = t.trim_end_matches('.').trim();
        if let Some(c) = law_title_re().captures(t) {
            let kind = title_case(&c[1].split_whitespace().collect::<Vec<_>>().join(" "))
                .replace("Decreto-lei", "Decreto-Lei");
            let identifier = format!("{kind} nº {}", &c[2]);
            let date_words = format!("de {} de {} de {}", &c[3], c[4].to_lowercase(), &c[5]);
            let title = format!("{identifier}, {date_words}");
            meta.title = Some(match ementa(&header[i + 1..]) {
                Some(e) => format!("{title} — {e}"),
                None => title,
            });
            meta.identifier = Some(identifier);
            meta.rank = Some(kind.to_lowercase());
            meta.publication_date = iso_date(&c[3], &c[4], &c[5]).or(signature_date);
            return meta;
        }
        // The year is required: the JSON wrapper's own "<h1>Constituição</h1>" is not the title.
        let has_year = t.split(|c: char| !c.is_ascii_digit()).any(|w| w.len() == 4);
        if fold_lower(t).starts_with("constituicao") && has_year && t.chars().count() < 120 {
            let title = if t.chars().any(char::is_lowercase) {
                t.to_string()
            } else {
                title_case(t)
            };
            let year = t
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 4)
                .map(str::to_string);
            meta.identifier = year
                .as_ref()
                .map(|y| format!("Constituição Federal de {y}"));
            meta.title = Some(title);
            meta.rank = Some("constituição".to_string());
            meta.publication_date = signature_date.or(year);
            return meta;
        }
    }
    meta.publication_date = signature_date;
    meta
}

/// The ementa: the first sentence after the title line that is not one of the page's links
/// ("Mensagem de veto", "Vigência", "Texto compilado") or notes, before the enacting clause.
fn ementa(lines: &[String]) -> Option<String> {
    for line in lines {
        let (t, _) = split_notes(line);
        let f = fold_lower(&t);
        if f.starts_with("o presidente")
            || f.starts_with("a presidenta")
            || f.starts_with("o vice-presidente")
            || f.starts_with("o congresso nacional")
            || f.starts_with("faco saber")
            || heading_re().is_match(&t)
        {
            return None;
        }
        if t.starts_with('(') || !t.ends_with('.') || t.split_whitespace().count() < 3 {
            continue;
        }
        return Some(t);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wraps a body in the minimal page around a Planalto law.
    fn page(body: &str) -> String {
        format!(
            "<html><head><title>L1</title></head><body>\
             <p><a>LEI Nº 1.234, DE 5 DE MARÇO DE 2001.</a></p>\
             <table><tr><td><p>Mensagem de veto</p></td>\
             <td><p>Dispõe sobre os serviços das repartições no exterior.</p></td></tr></table>\
             <p>O PRESIDENTE DA REPÚBLICA Faço saber que o Congresso Nacional decreta:</p>\
             {body}\
             <p>Brasília, 5 de março de 2001; 180º da Independência.</p>\
             <p>FULANO DE TAL</p>\
             <p>Este texto não substitui o publicado no DOU de 6.3.2001</p>\
             </body></html>"
        )
    }

    fn read(body: &str) -> ParsedDoc {
        match read_html(page(body).as_bytes()) {
            Ok(d) => d,
            Err(e) => panic!("fixture not read: {e}"),
        }
    }

    fn art<'a>(doc: &'a ParsedDoc, number: &str) -> &'a RawProvision {
        let found: Vec<_> = doc
            .provisions
            .iter()
            .filter(|p| p.number == number && p.element == "art" && p.part_eid.is_none())
            .collect();
        assert_eq!(
            found.len(),
            1,
            "article {number} once: {:?}",
            doc.provisions
        );
        found[0]
    }

    #[test]
    fn metadata_comes_from_the_html() {
        let doc = read("<p>Art. 1º Esta Lei trata dos consulados.</p>");
        assert_eq!(
            doc.meta.title.as_deref(),
            Some(
                "Lei nº 1.234, de 5 de março de 2001 — Dispõe sobre os serviços das repartições no exterior."
            )
        );
        assert_eq!(doc.meta.identifier.as_deref(), Some("Lei nº 1.234"));
        assert_eq!(doc.meta.publication_date.as_deref(), Some("2001-03-05"));
        assert_eq!(doc.meta.rank.as_deref(), Some("lei"));
        assert_eq!(doc.meta.language.as_deref(), Some("pt"));
        assert_eq!(doc.meta.status, None);
        // The signatories and the publication note are not text of any article.
        assert_eq!(doc.provisions.len(), 1);
        assert!(!doc.provisions[0].text.contains("FULANO"));
    }

    #[test]
    fn struck_revision_is_read_once_with_the_new_wording() {
        let doc = read(
            "<p><strike>Art. 2º O cônsul expede o documento em trinta dias.</strike></p>\
             <p>Art. 2º O cônsul expede o documento em dez dias. \
             <a>(Redação dada pela Lei nº 9.999, de 2010)</a></p>\
             <p><strike>I - antiga hipótese;</strike></p>\
             <p>c) <strike>texto antigo da alínea</strike> ;</p>\
             <p>II - nova hipótese.</p>",
        );
        let a = art(&doc, "2");
        assert_eq!(
            a.text,
            "Art. 2º O cônsul expede o documento em dez dias.\nII - nova hipótese."
        );
        assert_eq!(a.notes, vec!["Redação dada pela Lei nº 9.999, de 2010"]);
        assert!(doc.warnings.iter().any(|w| w.contains("struck-through")));
    }

    #[test]
    fn vetoed_and_revoked_articles() {
        let doc = read(
            "<p>Art. 3º (VETADO).</p>\
             <p>Art. 4º (Revogado pela Lei nº 8.888, de 2005)</p>\
             <p>Art. 5. (Revogado).</p>\
             <p>Art. 6º O visto é concedido no exterior.</p><p>§ 1º (VETADO).</p>",
        );
        let a3 = art(&doc, "3");
        assert!(a3.vetoed && !a3.repealed);
        assert_eq!(a3.text, "Art. 3º (VETADO).");
        let a4 = art(&doc, "4");
        assert!(a4.repealed && !a4.vetoed);
        // The note is the article's only text: it stays as text.
        assert_eq!(a4.text, "Art. 4º (Revogado pela Lei nº 8.888, de 2005)");
        assert!(a4.notes.is_empty());
        assert!(art(&doc, "5").repealed);
        let a6 = art(&doc, "6");
        assert!(!a6.vetoed && !a6.repealed);
        assert!(a6.text.ends_with("§ 1º (VETADO)."));
    }

    #[test]
    fn struck_article_with_a_revoking_note_is_a_revoked_article() {
        // The revoked wording is struck and only the note is left: the article is still
        // there, revoked, read with its struck label.
        let doc = read(
            "<p>Art. 12. O consulado publica editais.</p>\
             <p><strike>Art. 13. O cônsul honorário presta contas.</strike> . \
             <a>(Revogado pela Lei nº 9.100, de 2009)</a></p>\
             <p><strike>§ 1º As contas são anuais.</strike> (Revogado pela Lei nº 9.100, de 2009)</p>\
             <p>A<strike>rt. 14. Texto antigo.</strike></p>\
             <p>Art. 14. Texto novo.</p>",
        );
        let a = art(&doc, "13");
        assert!(a.repealed);
        assert_eq!(
            a.text,
            "Art. 13. (Revogado pela Lei nº 9.100, de 2009)\n§ 1º (Revogado pela Lei nº 9.100, de 2009)"
        );
        assert_eq!(art(&doc, "14").text, "Art. 14. Texto novo.");
        assert!(!art(&doc, "12").text.contains("A\n"));
    }

    #[test]
    fn an_article_printed_twice_in_a_row_is_one_article() {
        let doc = read(
            "<p>Art. 3º Primeira redação do artigo.</p>\
             <p>Art. 3º Segunda redação do artigo.</p><p>§ 1º Um parágrafo.</p>",
        );
        assert_eq!(
            art(&doc, "3").text,
            "Art. 3º Primeira redação do artigo.\nArt. 3º Segunda redação do artigo.\n§ 1º Um parágrafo."
        );
        assert!(doc.warnings.iter().any(|w| w.contains("printed twice")));
    }

    #[test]
    fn paragraphs_incisos_and_alineas_are_lines_of_the_article() {
        let doc = read(
            "<p>Art. 7º São atos consulares:</p>\
             <p>I - o registro;</p><p>II - a legalização:</p>\
             <p>a) de documentos;</p><p>b) de assinaturas;</p>\
             <p>§ 1<sup>o</sup> O registro é gratuito.</p>\
             <p>Parágrafo único. Regulamento disporá sobre o tema.</p>\
             <p>Art. 7º-A. O cônsul pode delegar.</p>\
             <p>Art. 10. Fica revogada a norma anterior.</p>",
        );
        let a = art(&doc, "7");
        assert_eq!(
            a.text.lines().collect::<Vec<_>>(),
            [
                "Art. 7º São atos consulares:",
                "I - o registro;",
                "II - a legalização:",
                "a) de documentos;",
                "b) de assinaturas;",
                "§ 1o O registro é gratuito.",
                "Parágrafo único. Regulamento disporá sobre o tema.",
            ]
        );
        assert_eq!(art(&doc, "7-a").text, "Art. 7º-A. O cônsul pode delegar.");
        assert_eq!(doc.provisions[2].number, "10");
    }

    #[test]
    fn chapters_and_sections_make_the_hierarchy() {
        let doc = read(
            "<p>CAPÍTULO I</p><p>DISPOSIÇÕES GERAIS</p>\
             <p>Seção I</p><p>(Incluída pela Lei nº 7.777, de 2004)</p><p>Do Objeto</p>\
             <p>Art. 1º Primeiro artigo.</p>\
             <p>Seção II<br>DOS CONCEITOS</p><p>DAS DEFINIÇÕES Regulamento</p>\
             <p>Art. 2º Segundo artigo.</p>\
             <p>CAPÍTULO II - DAS REPARTIÇÕES</p>\
             <p>Art. 3º Terceiro artigo.</p>",
        );
        assert_eq!(
            art(&doc, "1").hierarchy,
            ["CAPÍTULO I - DISPOSIÇÕES GERAIS", "Seção I - Do Objeto"]
        );
        assert_eq!(
            art(&doc, "2").hierarchy,
            [
                "CAPÍTULO I - DISPOSIÇÕES GERAIS",
                "Seção II - DAS DEFINIÇÕES"
            ]
        );
        // A second name in capitals renames the section (the later one is current); a new
        // chapter drops the previous chapter's sections.
        assert_eq!(art(&doc, "3").hierarchy, ["CAPÍTULO II - DAS REPARTIÇÕES"]);
        assert_eq!(art(&doc, "1").text, "Art. 1º Primeiro artigo.");
    }

    #[test]
    fn quoted_inserted_article_stays_in_the_amending_article() {
        let doc = read(
            "<p>Art. 8º A Lei nº 5.555, de 1990, passa a vigorar acrescida do seguinte art. 20-A:</p>\
             <p>“ Título da regra nova</p>\
             <p>Art. 20-A. O cônsul poderá celebrar casamentos.</p>\
             <p>Parágrafo único. A regra vale no exterior.”</p>\
             <p>Art. 9º Esta Lei entra em vigor na data de sua publicação.</p>",
        );
        assert!(doc.provisions.iter().all(|p| p.number != "20-a"));
        let a = art(&doc, "8");
        assert!(a
            .text
            .contains("Art. 20-A. O cônsul poderá celebrar casamentos."));
        assert!(a.text.ends_with("A regra vale no exterior.”"));
        assert!(art(&doc, "9").text.starts_with("Art. 9º Esta Lei"));
    }

    #[test]
    fn amendment_notes_are_moved_to_notes() {
        let doc = read(
            "<p>Art. 11. O consulado mantém registro. (Redação dada pela Lei nº 13.000, de 2014)</p>\
             <p>§ 2º O registro é eletrônico. (Incluído pela Lei nº 14.000, de 2020) (Vigência)</p>\
             <p>(Vide Decreto nº 1.111, de 2021)</p>\
             <p>§ 3º (Revogado pela Lei nº 14.500, de 2022</p>",
        );
        let a = art(&doc, "11");
        assert_eq!(
            a.text,
            "Art. 11. O consulado mantém registro.\n§ 2º O registro é eletrônico.\n\
             § 3º (Revogado pela Lei nº 14.500, de 2022)"
        );
        assert_eq!(
            a.notes,
            [
                "Redação dada pela Lei nº 13.000, de 2014",
                "§ 2º: Incluído pela Lei nº 14.000, de 2020 (Vigência)",
                "Vide Decreto nº 1.111, de 2021",
            ]
        );
        assert!(!a.repealed, "only a paragraph is revoked");
    }

    #[test]
    fn transitory_part_restarts_the_numbering() {
        let html = "<p>CONSTITUIÇÃO DA REPÚBLICA FEDERATIVA DO BRASIL DE 1988</p>\
             <p>Ato das Disposições Constitucionais Transitórias</p>\
             <p>TÍTULO I</p><p>Dos Princípios</p>\
             <p>Art. 1º A República é federativa.</p>\
             <p>Art. 2º O poder emana do povo.</p>\
             <p>ATO DAS DISPOSIÇÕES CONSTITUCIONAIS TRANSITÓRIAS</p>\
             <p>Art. 1º O mandato atual termina em cinco anos.</p>\
             <p>Art. 2º-A. Fica mantido o regime anterior.</p>\
             <p>Brasília, 5 de outubro de 1988.</p>";
        let doc = read_html(html.as_bytes()).expect("fixture reads");
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Constituição da República Federativa do Brasil de 1988")
        );
        assert_eq!(doc.meta.publication_date.as_deref(), Some("1988-10-05"));
        assert_eq!(doc.meta.rank.as_deref(), Some("constituição"));
        let numbers: Vec<_> = doc
            .provisions
            .iter()
            .map(|p| (p.part_eid.as_deref(), p.number.as_str(), p.transitory))
            .collect();
        assert_eq!(
            numbers,
            [
                (None, "1", false),
                (None, "2", false),
                (Some("adct"), "1", true),
                (Some("adct"), "2-a", true),
            ]
        );
        assert_eq!(
            doc.provisions[2].part_label.as_deref(),
            Some("Ato das Disposições Constitucionais Transitórias")
        );
        assert!(doc.provisions[2].hierarchy.is_empty());
        assert_eq!(doc.provisions[0].hierarchy, ["TÍTULO I - Dos Princípios"]);
    }

    #[test]
    fn annex_table_is_one_provision_with_a_row_a_line() {
        let html = page(
            "<p>Art. 1º Os emolumentos constam do Anexo.</p>\
             </body>",
        )
        .replace(
            "</body></html>",
            "<p>ANEXO</p><p>Tabela de Emolumentos (art. 1º)</p>\
             <table><tr><td><p>Número</p></td><td><p>Valor</p></td></tr>\
             <tr><td><p>110.1</p></td><td><p>R$ 10,00</p><p>por folha</p></td></tr></table>\
             <p>*</p></body></html>",
        );
        let doc = read_html(html.as_bytes()).expect("fixture reads");
        assert_eq!(doc.provisions.len(), 2);
        let annex = &doc.provisions[1];
        assert_eq!(annex.element, "annex");
        assert_eq!(annex.number, "1");
        assert_eq!(
            annex.heading.as_deref(),
            Some("Tabela de Emolumentos (art. 1º)")
        );
        assert_eq!(annex.text, "Número | Valor\n110.1 | R$ 10,00 por folha");
    }

    #[test]
    fn matter_after_the_signature_is_skipped_with_a_warning() {
        let html = page("<p>Art. 1º Os livros seguem os modelos.</p>").replace(
            "</body></html>",
            "<p>Modelo do Livro nº 1</p><p>Art. 99 nunca lido</p></body></html>",
        );
        let doc = read_html(html.as_bytes()).expect("fixture reads");
        assert_eq!(doc.provisions.len(), 1);
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.contains("after the signature") && w.contains("Modelo do Livro")));
    }

    #[test]
    fn json_shape_is_sniffed_and_read() {
        let html = page("<p>Art. 1º Texto do artigo.</p>");
        let json = serde_json::json!({
            "titulo": "errado",
            "status": "revogada",
            "url": "http://www.planalto.gov.br/ccivil_03/leis/l1234.htm",
            "conteudo": html,
        })
        .to_string();
        assert!(sniff_json(json.as_bytes()));
        assert!(!sniff_json(br#"{"provisions": [{"conteudo": "x"}]}"#));
        assert!(!sniff_json(br#"{"conteudo": 3}"#));
        let doc = read_json(json.as_bytes()).expect("fixture reads");
        assert_eq!(doc.meta.status, None);
        assert_eq!(
            doc.meta.source_url.as_deref(),
            Some("http://www.planalto.gov.br/ccivil_03/leis/l1234.htm")
        );
        assert_eq!(doc.provisions[0].text, "Art. 1º Texto do artigo.");
    }

    #[test]
    fn windows_1252_page_is_decoded() {
        let mut bytes =
            b"<p>LEI N\xba 5, DE 1\xba DE JANEIRO DE 1990.</p><p>Art. 1\xba Os c\xf4nsules.</p>"
                .to_vec();
        bytes.extend_from_slice(b"<p>Art. 2\xba \x93Aspas\x94 antigas.</p>");
        let doc = read_html(&bytes).expect("fixture reads");
        assert_eq!(doc.provisions[0].text, "Art. 1º Os cônsules.");
        assert_eq!(doc.meta.publication_date.as_deref(), Some("1990-01-01"));
        assert_eq!(doc.provisions.len(), 2);
    }

    #[test]
    fn broken_inputs_give_reasons() {
        let e = read_json(b"{\"conteudo\": \n oops").unwrap_err();
        assert!(e.reason.contains("invalid JSON"), "{e}");
        assert_eq!(e.line, Some(2));
        let e = read_json(br#"{"titulo": "L1", "url": "http://x"}"#).unwrap_err();
        assert!(e.reason.contains("no 'conteudo'"), "{e}");
        let e = read_json(br#"{"conteudo": "   "}"#).unwrap_err();
        assert!(e.reason.contains("'conteudo' is empty"), "{e}");
        let e = read_json(br#"{"conteudo": ["<p>Art. 1</p>"]}"#).unwrap_err();
        assert!(e.reason.contains("not a string"), "{e}");
        let e =
            read_html(b"<p>LEI N\xc2\xba 1, DE 2 DE MAIO DE 2000.</p><p>Texto sem artigos.</p>")
                .unwrap_err();
        assert!(e.reason.contains("no article found"), "{e}");
        let e = read_html(b"").unwrap_err();
        assert!(e.reason.contains("empty"), "{e}");
        // Nonsense never panics.
        for junk in [
            &b"<<<>>>"[..],
            b"\xff\xfe\x00",
            b"<strike><p>Art. 1</p>",
            b"{}",
        ] {
            assert!(read_html(junk).is_err());
            assert!(!sniff_json(junk));
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut html = "<font>".repeat(20_000);
        html.push_str("<p>Art. 1º Texto.</p>");
        let doc = read_html(html.as_bytes()).expect("reads");
        assert_eq!(doc.provisions[0].number, "1");
    }
}
