//! Reader for Mexican federal laws in Markdown converted from the Cámara de Diputados PDFs
//! (`MX/*.md`, no front matter).
//!
//! The shape: a `# Title` line, a `>` source note, `---`, the promulgating decree's preamble
//! (which holds the original publication date and, in some files, "Últimas reformas publicadas
//! DOF dd-mm-yyyy"), the law with `##` Título/Capítulo headings and `### Artículo N` headings
//! whose text starts on the next line with ".-" or ".", then the law's TRANSITORIOS, then
//! "ARTÍCULOS TRANSITORIOS DE DECRETOS DE REFORMA": one block per amending decree, each opened
//! by its title and a "Publicado en el Diario Oficial de la Federación el …" line.
//!
//! Decisions:
//! - The converter glued amendment notes ("Párrafo reformado DOF 19-04-2018") to the start of
//!   the next paragraph, and in the LSEM the next article heading to the end of those notes.
//!   So every line is first cut into notes and text pieces; notes go to the provision's `notes`
//!   (they annotate what precedes them, so they belong to the provision then open), and an
//!   article heading is only looked for at the start of a text piece: at line start or right
//!   after a note. A heading must also be followed by ".-"/"." (same or next line) or by a
//!   suffix line ("Bis.- …"), which keeps cross-references ("Artículo 5 de esta Ley") out.
//! - Bis/Ter/… suffixes printed on the line after the heading are taken from that line; the
//!   number is normalised with `normalise_number` ("21 bis", "19-a", "1o" -> "1").
//! - Before the law's first numbered article only the decree's own articles ("ARTÍCULO
//!   PRIMERO.- Se expide la Ley…") can appear; they are skipped with a warning, never mixed
//!   with the law's articles. In the main body only numbered articles are headings.
//! - The original TRANSITORIOS (including those of the expediting decree printed with them)
//!   are part `trans_1`; each amending decree is `trans_2`, `trans_3` … labelled with its title
//!   and DOF date. Transitory articles are numbered by their ordinal as a digit ("Segundo" ->
//!   "2", "Décimo Primero" -> "11", "Único" -> "unico"). A bare ordinal ("**Segundo.** …")
//!   is only a heading when it continues the block's sequence: the PDF conversion also bolds
//!   stray words like "**segundo.** párrafo" or "**Segundo.** Secretario".
//! - Hierarchy (Libro > Título > Capítulo > Sección) comes from `##` lines and plain upper-case
//!   lines ("LIBRO SEXTO Del Voto …"); a name printed on the next line completes the heading.
//!   Structure inside decree blocks is quoted text of amendments and is not followed.
//! - last_updated is the header's "Últimas reformas" date, else the date of the last decree
//!   listed (the converter dropped the running page header that carried it).

use super::markdown::strip_markup;
use super::raw::{decode_utf8, is_repeal_note, tidy_text, ParsedDoc, RawProvision, ReadError};
use crate::corpus::model::normalise_number;
use crate::text::fold_lower;
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

macro_rules! static_re {
    ($name:ident, $pat:expr) => {
        fn $name() -> &'static Regex {
            static RE: OnceLock<Regex> = OnceLock::new();
            RE.get_or_init(|| {
                regex::RegexBuilder::new(&$pat)
                    .size_limit(64 << 20)
                    .build()
                    .expect("static regex")
            })
        }
    };
}

/// Ordinal words of transitory articles and of Título/Capítulo headings (case-insensitive).
const ORD: &str = r"(?i:primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|s[eé]ptim[oa]|octav[oa]|noven[oa]|d[eé]cim[oa]|und[eé]cim[oa]|duod[eé]cim[oa]|vig[eé]sim[oa]|trig[eé]sim[oa]|cuadrag[eé]sim[oa]|quincuag[eé]sim[oa]|[uú]nic[oa])";
/// Latin suffixes of inserted articles.
const SUFFIX: &str = r"(?i:bis|ter|qu[aá]ter|quinquies|quintus|sexies|sextus|s[eé]ptimus|septies|octies|octavus|nonies|novies|decies)";
const ART: &str = r"(?:ART[IÍ]CULO|Art[ií]culo|ARTICULO|Articulo)";

// An amendment note: subject, a few words, the verb, the DOF dates, and chained
// ". Reformado DOF …" continuations. Tight on purpose: it must end where the law's text resumes.
const SUBJ: &str = r"(?:P[áa]rrafos?|Art[íi]culos?|Fracci(?:[óo]n|ones)|Incisos?|Subincisos?|Numerales?|Apartados?|Bases?|Denominaci[óo]n|Cap[íi]tulos?|T[íi]tulos?|Libros?|Secci(?:[óo]n|ones)|Tablas?|Cuotas?|[ÚU]ltimo p[áa]rrafo|Pen[úu]ltimo p[áa]rrafo|Rubros?|Anexos?|Definici[óo]n|Encabezado|Nota|Texto)";
const WORD: &str = r#"(?:[a-záéíóúñü]+|[A-ZÁÉÍÓÚ][a-záéíóúñü]+|[IVXLC]+|\d+o?|[a-z]\)|\([^()]*\)|"[^"]*"|“[^”]*”|\[[^\]]*\])"#;
const VERB: &str =
    r"(?:reformad|adicionad|derogad|recorrid|reubicad|abrogad|suprimid|modificad|corregid)[oa]s?";
const DATES: &str = r"DOF\s+\d{2}-\d{2}-\d{4}(?:\s*(?:,|y)\s*\d{2}-\d{2}-\d{4})*";

static_re!(
    note_re,
    format!(
        r"\b(?:{SUBJ}(?:\s+{WORD}){{0,10}}?\s+{VERB}(?:\s+y\s+{VERB})?(?:\s+\([^()]*\))?\s+{DATES}(?:\.?\s*(?:(?:Reformad|Adicionad|Derogad|Recorrid|Reubicad)[oa]s?(?:\s+y\s+{VERB})?|Fe de erratas)\s+{DATES})*\.?|{SUBJ}(?:\s+{WORD}){{0,10}}?\s+declarad[oa]s?\s+inv[áa]lid[oa]s?.*?publicada\s+DOF\s+\d{{2}}-\d{{2}}-\d{{4}}\.?|Reforma\s+DOF\s+\d{{2}}-\d{{2}}-\d{{4}}(?::\s*[A-ZÁÉÍÓÚ][a-záéíóúñ]+(?:\s+(?:[a-záéíóúñ0-9]+|\([^()]*\)))*)?|Fe de erratas\s+{DATES}\.?)"
    )
);
static_re!(
    num_head_re,
    format!(
        r"^{ART}[ \t]+(\d+)[oº°]?((?:-[A-ZÑ](?:-\d+)?|-\d+)*)(?:(?:[ \t]*-[ \t]*|[ \t]+)({SUFFIX}))?\b(.*)$"
    )
);
static_re!(
    suffix_line_re,
    format!(r"^(?:[.-]\s*)?({SUFFIX})\s*(?:\.-|\.|-|–)\s*(.*)$")
);
static_re!(
    ord_head_re,
    format!(r"^(?:({ART})\s+)?({ORD}(?:\s+{ORD})?)\b\s*(\.-|\.|-|–)?(.*)$")
);
static_re!(ord_unit_re, format!(r"^({ORD})\s*(?:\.-|\.|-)\s*(.*)$"));
static_re!(
    struct_re,
    format!(
        r"\b(LIBRO|T[ÍI]TULO|CAP[ÍI]TULO|SECCI[ÓO]N|Libro|T[íi]tulo|Cap[íi]tulo|Secci[óo]n)\s+({ORD}(?:\s+{ORD})?|(?i:preliminar)|[IVXLC]+|\d+)(?:\s+(?i:bis))?\b"
    )
);
static_re!(
    pub_re,
    r"^Publicad[oa] en el Diario Oficial de la Federaci[óo]n el (\d{1,2}) de ([A-Za-z]+) de (\d{4})\.?(.*)$"
);
static_re!(
    orig_pub_re,
    r"publicad[oa] en el diario oficial de la federacion (?:el|del) (\d{1,2}) de ([a-z]+) de (\d{4})"
);
static_re!(
    last_reform_re,
    r"ultimas reformas publicadas dof (\d{2})-(\d{2})-(\d{4})"
);
static_re!(
    decree_title_re,
    r"\b(?:DECRETO|LEY|Ley|SENTENCIA|RESOLUCI[ÓO]N|FE de|Fe de|ACLARACI[ÓO]N|ANEXO|ACUERDO|[A-ZÁÉÍÓÚ]+ Resoluci[óo]n)\b"
);

/// Whether a Markdown file is of this shape: no front matter, a `# ` title first, and the
/// converter's source note (or the DOF) in the opening lines.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(16 * 1024)]);
    let head = head.trim_start_matches('\u{feff}');
    if head.trim_start().starts_with("---") {
        return false;
    }
    let mut nonempty = head.lines().map(str::trim).filter(|l| !l.is_empty());
    if !nonempty.next().is_some_and(|l| l.starts_with("# ")) {
        return false;
    }
    head.lines().take(30).any(|l| {
        let l = l.trim();
        (l.starts_with('>')
            && (l.contains("Diputados") || l.contains("DOF") || l.contains("Documento generado")))
            || l.starts_with("Nueva Ley publicada en el Diario Oficial de la Federación")
    })
}

/// Value of an ordinal word or pair ("Décimo Primero" = 11); `Some(0)` for "único".
fn ordinal_value(words: &str) -> Option<u32> {
    let mut total = 0;
    for w in words.split_whitespace() {
        let w = fold_lower(w);
        let w = w.trim();
        let v = match w.trim_end_matches(['o', 'a']) {
            "primer" => 1,
            "segund" => 2,
            "tercer" => 3,
            "cuart" => 4,
            "quint" => 5,
            "sext" => 6,
            "septim" => 7,
            "octav" => 8,
            "noven" => 9,
            "decim" => 10,
            "undecim" => 11,
            "duodecim" => 12,
            "vigesim" => 20,
            "trigesim" => 30,
            "cuadragesim" => 40,
            "quincuagesim" => 50,
            "unic" => 0,
            _ => return None,
        };
        total += v;
    }
    Some(total)
}

fn month_number(m: &str) -> Option<u32> {
    let months = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let m = fold_lower(m);
    let m = m.trim();
    if m == "setiembre" {
        return Some(9);
    }
    months.iter().position(|x| *x == m).map(|i| i as u32 + 1)
}

/// ISO date from day, Spanish month name and year.
fn iso_date(day: &str, month: &str, year: &str) -> Option<String> {
    let d: u32 = day.parse().ok()?;
    let m = month_number(month)?;
    (1..=31)
        .contains(&d)
        .then(|| format!("{year}-{m:02}-{d:02}"))
}

/// "LEY del Servicio Exterior Mexicano" -> "Ley del Servicio Exterior Mexicano": the PDFs
/// print the first word in capitals.
fn readable_title(raw: &str) -> String {
    let t = strip_markup(raw);
    let all_caps = !t.chars().any(|c| c.is_lowercase());
    let mut out = String::with_capacity(t.len());
    for (i, word) in t.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let caps = word.chars().filter(|c| c.is_alphabetic()).count() > 1
            && !word.chars().any(|c| c.is_lowercase());
        if (i == 0 || all_caps) && caps {
            let mut cs = word.chars();
            if let Some(first) = cs.next() {
                if i == 0 {
                    out.extend(first.to_uppercase());
                } else {
                    out.extend(first.to_lowercase());
                }
                out.push_str(&cs.as_str().to_lowercase());
            }
        } else {
            out.push_str(word);
        }
    }
    out
}

/// A line cut into amendment notes and the law's text between them.
enum Piece {
    Note(String),
    Text(String),
}

fn split_notes(line: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0;
    for m in note_re().find_iter(line) {
        let before = line[at..m.start()].trim();
        if !before.is_empty() {
            out.push(Piece::Text(before.to_string()));
        }
        out.push(Piece::Note(m.as_str().trim().to_string()));
        at = m.end();
    }
    let rest = line[at..].trim();
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    out
}

fn trim_lead(s: &str) -> &str {
    s.trim_start_matches(['.', '-', '–', '—', ':', ' ', ')'])
}

fn starts_with_punct(s: &str) -> bool {
    s.starts_with(['.', '-', '–', '—'])
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// The promulgating decree's opening, before the law's first article.
    Preamble,
    /// The law's own articles.
    Body,
    /// The original TRANSITORIOS and the amending decrees' blocks.
    Trans,
}

struct Reader {
    lines: Vec<String>,
    hashes: Vec<usize>,
    bold: Vec<bool>,
    doc: ParsedDoc,
    mode: Mode,
    hierarchy: Vec<(usize, String)>,
    await_name: bool,
    cur: Option<RawProvision>,
    body: Vec<String>,
    part: Option<(String, String)>,
    parts: usize,
    part_filled: bool,
    in_reform: bool,
    last_ord: u32,
    last_text_line: Option<usize>,
    body_numbers: HashSet<String>,
    decree_dates: Vec<String>,
    skipped_decree_articles: Vec<usize>,
}

impl Reader {
    fn new(raw: &[&str], doc: ParsedDoc) -> Self {
        Reader {
            lines: raw.iter().map(|l| strip_markup(l)).collect(),
            hashes: raw
                .iter()
                .map(|l| l.trim_start().chars().take_while(|c| *c == '#').count())
                .collect(),
            bold: raw
                .iter()
                .map(|l| l.trim_start().starts_with("**"))
                .collect(),
            doc,
            mode: Mode::Preamble,
            hierarchy: Vec::new(),
            await_name: false,
            cur: None,
            body: Vec::new(),
            part: None,
            parts: 0,
            part_filled: false,
            in_reform: false,
            last_ord: 0,
            last_text_line: None,
            body_numbers: HashSet::new(),
            decree_dates: Vec::new(),
            skipped_decree_articles: Vec::new(),
        }
    }

    /// The numbered heading a single line would give (for tests).
    #[cfg(test)]
    fn probe(line: &str) -> Option<(String, String)> {
        let mut r = Reader::new(&[line], ParsedDoc::default());
        let t = r.lines[0].clone();
        r.numbered_heading(&t, 0)
    }

    fn close(&mut self) {
        if let Some(mut p) = self.cur.take() {
            let text = tidy_text(&self.body.join("\n"));
            p.text = trim_lead(&text).to_string();
            let folded = fold_lower(&p.text);
            let folded = folded.trim_matches(|c: char| !c.is_alphanumeric());
            // "Se deroga." is a repealed article; "Se derogan todas las disposiciones que se
            // opongan …" is a transitory article in force.
            p.repealed =
                is_repeal_note(&p.text) || matches!(folded, "se deroga" | "derogado" | "derogada");
            p.notes = p.notes.iter().map(|n| tidy_text(n)).collect();
            self.doc.provisions.push(p);
        }
        self.body.clear();
    }

    fn hierarchy_labels(&self) -> Vec<String> {
        match (&self.mode, &self.part) {
            (Mode::Trans, Some((_, label))) => vec![label.clone()],
            _ => self.hierarchy.iter().map(|(_, h)| h.clone()).collect(),
        }
    }

    fn open(&mut self, number: String, line: usize, rest: &str) {
        self.close();
        let trans = self.mode == Mode::Trans;
        self.cur = Some(RawProvision {
            element: "art",
            number,
            hierarchy: self.hierarchy_labels(),
            transitory: trans,
            part_eid: self.part.as_ref().filter(|_| trans).map(|(e, _)| e.clone()),
            part_label: self.part.as_ref().filter(|_| trans).map(|(_, l)| l.clone()),
            line: Some(line),
            ..Default::default()
        });
        if trans {
            self.part_filled = true;
        }
        let rest = trim_lead(rest);
        if !rest.is_empty() {
            self.body.push(rest.to_string());
        }
    }

    fn open_part(&mut self, label: String) {
        self.close();
        self.parts += 1;
        self.part = Some((format!("trans_{}", self.parts), label));
        self.part_filled = false;
        self.last_ord = 0;
        self.mode = Mode::Trans;
    }

    /// Index of the next non-empty line after `i`.
    fn next_line(&self, i: usize) -> Option<usize> {
        (i + 1..self.lines.len()).find(|&j| !self.lines[j].trim().is_empty())
    }

    /// A numbered article heading at the start of a text piece: its number and first text.
    /// A suffix printed on the next line ("Bis.- …") is taken from that line.
    fn numbered_heading(&mut self, t: &str, i: usize) -> Option<(String, String)> {
        let caps = num_head_re().captures(t)?;
        let num = caps.get(1)?.as_str();
        let letters = caps.get(2).map_or("", |m| m.as_str());
        let mut suffix = caps
            .get(3)
            .map_or(String::new(), |m| m.as_str().to_string());
        let rest = caps.get(4).map_or("", |m| m.as_str()).trim();
        if !rest.is_empty() && !starts_with_punct(rest) {
            // "Artículo 5 de esta Ley": a reference, not a heading.
            return None;
        }
        if rest.is_empty() || rest == "." || rest == ".-" {
            let j = self.next_line(i);
            let next = j.map_or("", |j| self.lines[j].trim());
            if suffix.is_empty() {
                if let Some(c) = suffix_line_re().captures(next) {
                    suffix = c.get(1).map_or("", |m| m.as_str()).to_string();
                    let after = c.get(2).map_or("", |m| m.as_str()).to_string();
                    if let Some(j) = j {
                        self.lines[j] = after;
                    }
                } else if self.hashes[i] < 3 && rest.is_empty() && !starts_with_punct(next) {
                    return None;
                }
            } else if self.hashes[i] < 3 && rest.is_empty() && !starts_with_punct(next) {
                return None;
            }
        }
        let number = normalise_number(&format!("{num}{letters} {suffix}")).to_lowercase();
        Some((number, rest.to_string()))
    }

    /// An ordinal heading ("PRIMERO.-", "Artículo Segundo", "ARTÍCULO TRIGÉSIMO" + "CUARTO.")
    /// at the start of a text piece: value, whether "Artículo" was printed, first text.
    fn ordinal_heading(&mut self, t: &str, i: usize, first: bool) -> Option<(u32, bool, String)> {
        let caps = ord_head_re().captures(t)?;
        let with_article = caps.get(1).is_some();
        let words = caps.get(2)?.as_str();
        let punct = caps.get(3).map(|m| m.as_str());
        let rest = caps.get(4).map_or("", |m| m.as_str()).trim().to_string();
        if !words.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        let mut value = ordinal_value(words)?;
        if with_article {
            if punct.is_none() && !rest.is_empty() {
                return None; // "Artículo Primero de la Ley …"
            }
            if rest.is_empty() && (10..=50).contains(&value) && value % 10 == 0 {
                // "ARTÍCULO TRIGÉSIMO" with "CUARTO. Se reforman …" on the next line.
                if let Some(j) = self.next_line(i) {
                    let next = self.lines[j].trim().to_string();
                    if let Some(c) = ord_unit_re().captures(&next) {
                        if let Some(u) = c.get(1).and_then(|m| ordinal_value(m.as_str())) {
                            if (1..10).contains(&u) {
                                value += u;
                                self.lines[j] = c.get(2).map_or("", |m| m.as_str()).to_string();
                            }
                        }
                    }
                }
            }
            return Some((value, true, rest));
        }
        // A bare ordinal: only at line start, with its punctuation, set in bold, in capitals or
        // with ".-", and followed by a sentence.
        let upper = !words.chars().any(char::is_lowercase);
        let punct = punct?;
        if !first || !(self.bold[i] || upper || punct == ".-") {
            return None;
        }
        if !(rest.is_empty()
            || rest
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "(\"“¿[".contains(c)))
        {
            return None;
        }
        Some((value, false, rest))
    }

    /// A structural heading (Libro/Título/Capítulo/Sección) starting a text piece, possibly
    /// several in one line after an upper-case law title ("LEY … TITULO PRIMERO … CAPITULO
    /// UNICO …"). Returns false when the piece is not one.
    fn structure(&mut self, t: &str, i: usize) -> bool {
        let matches: Vec<_> = struct_re().find_iter(t).collect();
        let Some(first) = matches.first() else {
            return false;
        };
        let prefix = &t[..first.start()];
        if !prefix.trim().is_empty()
            && (prefix.chars().any(char::is_lowercase) || self.cur.is_some())
        {
            return false;
        }
        let lowercase_kw = first
            .as_str()
            .chars()
            .nth(1)
            .is_some_and(char::is_lowercase);
        if lowercase_kw && self.hashes[i] < 2 {
            return false; // "Capítulo II de esta Ley …" in running text
        }
        // Only the leading heading when it is written in lower case: further matches would be
        // references inside its name.
        let starts: Vec<usize> = if lowercase_kw {
            vec![first.start()]
        } else {
            matches
                .iter()
                .filter(|m| !m.as_str().chars().nth(1).is_some_and(char::is_lowercase))
                .map(|m| m.start())
                .collect()
        };
        self.close();
        for (k, &s) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(t.len());
            let seg = &t[s..end];
            let Some(m) = struct_re().find(seg) else {
                continue;
            };
            let head = seg[..m.end()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let name = clean_name(&seg[m.end()..]);
            let level = match fold_lower(&head).split_whitespace().next().unwrap_or("") {
                "libro" => 1,
                "titulo" => 2,
                "capitulo" => 3,
                _ => 4,
            };
            self.hierarchy.retain(|(l, _)| *l < level);
            let label = if name.is_empty() {
                head
            } else {
                format!("{head} - {name}")
            };
            self.hierarchy
                .push((level, label.chars().take(200).collect()));
            self.await_name = name.is_empty();
        }
        true
    }

    fn text_piece(&mut self, t: &str, i: usize, first: bool) {
        let folded = fold_lower(t);
        let folded = folded.trim().trim_end_matches(['.', ':']).trim();
        if folded.starts_with("articulos transitorios de decretos de reforma") {
            // The first decree's title follows the marker on the same line.
            let title = t
                .char_indices()
                .nth(
                    "articulos transitorios de decretos de reforma"
                        .chars()
                        .count(),
                )
                .map_or("", |(k, _)| &t[k..])
                .trim();
            let title = decree_title_re()
                .find(title)
                .map_or(title, |m| &title[m.start()..]);
            self.in_reform = true;
            self.open_part(short_label(title));
            return;
        }
        let bare = folded.strip_prefix("articulos ").unwrap_or(folded);
        let bare = bare.strip_prefix("articulo ").unwrap_or(bare);
        if matches!(
            bare,
            "transitorio" | "transitorios" | "transitoria" | "transitorias"
        ) {
            if self.mode != Mode::Trans {
                self.open_part("Transitorios".to_string());
            } else {
                self.close();
                self.last_ord = 0;
            }
            self.await_name = false;
            return;
        }
        if self.mode != Mode::Trans && self.structure(t, i) {
            return;
        }
        if let Some((number, rest)) = self.numbered_heading(t, i) {
            self.await_name = false;
            if self.mode == Mode::Preamble {
                self.mode = Mode::Body;
            }
            if self.mode == Mode::Body && !self.body_numbers.insert(number.clone()) {
                self.doc.warnings.push(format!(
                    "line {}: article {number} repeated in the body",
                    i + 1
                ));
            }
            self.open(number, i + 1, &rest);
            return;
        }
        if self.mode != Mode::Body {
            if let Some((value, with_article, rest)) = self.ordinal_heading(t, i, first) {
                if self.mode == Mode::Preamble {
                    if with_article {
                        // The expediting decree's own article ("Se expide la Ley …").
                        self.skipped_decree_articles.push(i + 1);
                        self.close();
                        return;
                    }
                } else if with_article
                    || value == 0
                    || value == self.last_ord + 1
                    || (value == 1 && self.last_ord != 0)
                {
                    self.last_ord = value;
                    let number = if value == 0 {
                        "unico".to_string()
                    } else {
                        value.to_string()
                    };
                    self.open(number, i + 1, &rest);
                    return;
                }
            }
        }
        if self.await_name && self.mode != Mode::Trans {
            self.await_name = false;
            if let Some((_, label)) = self.hierarchy.last_mut() {
                let name = clean_name(t);
                if name.chars().count() < 300 {
                    *label = format!("{label} - {name}").chars().take(200).collect();
                    return;
                }
            }
        }
        self.last_text_line = Some(i);
        if self.cur.is_some() {
            self.body.push(t.to_string());
        }
    }

    /// A "Publicado en el Diario Oficial …" line in the decree blocks: a decree starts here
    /// (or the one opened by the marker line gets its date). Returns the rest of the line.
    fn publication_line(&mut self, i: usize) -> Option<String> {
        let line = self.lines[i].trim().to_string();
        let caps = pub_re().captures(&line)?;
        let (d, m, y) = (
            caps.get(1)?.as_str(),
            caps.get(2)?.as_str(),
            caps.get(3)?.as_str(),
        );
        let iso = iso_date(d, m, y)?;
        let dof = format!("DOF {}", iso_to_dof(&iso));
        let rest = caps.get(4).map_or("", |m| m.as_str()).trim().to_string();
        self.decree_dates.push(iso);
        if !self.part_filled && self.parts >= 2 {
            if let Some((_, label)) = self.part.as_mut() {
                if label.is_empty() {
                    *label = self
                        .last_text_line
                        .map(|k| short_label(&self.lines[k]))
                        .unwrap_or_default();
                }
                *label = if label.is_empty() {
                    dof
                } else {
                    format!("{label} ({dof})")
                };
            }
            return Some(rest);
        }
        // The title is the previous line (or its end, after a signature it was glued to); it
        // was taken as text of the previous provision and is given back.
        let mut title = String::new();
        if let Some(k) = self.last_text_line {
            let prev = self.lines[k].clone();
            let (start, t) = match decree_title_re().find(&prev) {
                Some(m) if m.start() == 0 => (0, prev.as_str()),
                _ => match prev.rfind("DECRETO") {
                    Some(p) => (p, &prev[p..]),
                    None => (0, prev.as_str()),
                },
            };
            title = short_label(t);
            if let Some(last) = self.body.last_mut() {
                let head = prev[..start].trim();
                if last.ends_with(t.trim()) || last.trim() == prev.trim() {
                    if head.is_empty() {
                        self.body.pop();
                    } else if let Some(p) = last.rfind(t.trim()) {
                        last.truncate(p);
                    }
                }
            }
        }
        let label = if title.is_empty() {
            dof
        } else {
            format!("{title} ({dof})")
        };
        self.open_part(label);
        Some(rest)
    }

    fn run(&mut self, start: usize) {
        for i in start..self.lines.len() {
            let mut line = self.lines[i].clone();
            if line.trim().is_empty() {
                continue;
            }
            if self.in_reform {
                if let Some(rest) = self.publication_line(i) {
                    line = rest;
                }
            }
            let pieces = split_notes(&line);
            for (k, piece) in pieces.into_iter().enumerate() {
                match piece {
                    Piece::Note(n) => {
                        if let Some(p) = self.cur.as_mut() {
                            p.notes.push(n);
                        }
                    }
                    Piece::Text(t) => self.text_piece(&t, i, k == 0),
                }
            }
        }
        self.close();
    }
}

/// The name of a Título/Capítulo without the editorial remarks the converter glued to it
/// ("Nota: Por Decreto …", "Título recorrido …").
fn clean_name(s: &str) -> &str {
    let mut end = s.len();
    for cut in [
        " Nota:",
        " Título recorrido",
        " Capítulo recorrido",
        " Renumeración",
        " Denominación",
    ] {
        if let Some(p) = s.find(cut) {
            end = end.min(p);
        }
    }
    s[..end]
        .trim()
        .trim_matches(|c: char| matches!(c, '—' | '–' | '-' | ':' | ' ' | '.' | ']'))
}

fn iso_to_dof(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    match p.as_slice() {
        [y, m, d] => format!("{d}-{m}-{y}"),
        _ => iso.to_string(),
    }
}

fn short_label(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{}…", cut.trim_end())
    } else {
        s
    }
}

/// Reads one Mexican law.
pub fn read(bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    let text = decode_utf8(bytes)?;
    let raw: Vec<&str> = text.lines().collect();
    let title_idx = raw
        .iter()
        .position(|l| !l.trim().is_empty())
        .filter(|&k| raw[k].trim_start().starts_with("# "))
        .ok_or_else(|| ReadError::at(1, "no '# ' title line at the start"))?;
    let mut doc = ParsedDoc::default();
    doc.meta.title = Some(readable_title(raw[title_idx])).filter(|t| !t.is_empty());
    doc.meta.rank = Some("ley".into());
    doc.meta.language = Some("es".into());
    doc.meta.country = Some("MX".into());
    // The source note (`>` lines) and the `---` rule close the header.
    let mut start = title_idx + 1;
    while start < raw.len() && start < title_idx + 30 {
        let l = raw[start].trim();
        if l.is_empty() || l.starts_with('>') || l == "---" {
            start += 1;
        } else {
            break;
        }
    }
    for l in raw.iter().skip(start).take(12) {
        let f = fold_lower(l);
        if doc.meta.publication_date.is_none() {
            if let Some(c) = orig_pub_re().captures(&f) {
                doc.meta.publication_date = iso_date(&c[1], &c[2], &c[3]);
            }
        }
        if doc.meta.last_updated.is_none() {
            if let Some(c) = last_reform_re().captures(&f) {
                doc.meta.last_updated = Some(format!("{}-{}-{}", &c[3], &c[2], &c[1]));
            }
        }
    }
    let mut r = Reader::new(&raw, doc);
    r.run(start);
    let mut doc = r.doc;
    if !r.skipped_decree_articles.is_empty() {
        doc.warnings.push(format!(
            "skipped the promulgating decree's own article(s) before the law (line {})",
            r.skipped_decree_articles
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if doc.meta.last_updated.is_none() {
        doc.meta.last_updated = r.decree_dates.last().cloned();
    }
    if !doc.provisions.iter().any(|p| !p.transitory) {
        return Err(ReadError::at(
            raw.len().max(1),
            "no article heading found (expected '### Artículo N' or 'ARTÍCULO N.-')",
        ));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A law in the converter's shape: decree preamble, Libro/Título/Capítulo, `###` headings,
    /// a suffix on the next line, an inline heading glued after a note, the original
    /// TRANSITORIOS and two amending decrees.
    const LEY: &str = "# LEY de Asistencia Consular de Prueba

> Documento generado automáticamente a partir del PDF oficial.
> Fuente: Cámara de Diputados del H. Congreso de la Unión

---

Nueva Ley publicada en el Diario Oficial de la Federación el 3 de marzo de 1999 TEXTO VIGENTE Al margen un sello.
El Congreso de los Estados Unidos Mexicanos, decreta:

### ARTÍCULO PRIMERO
Se expide la Ley de Asistencia Consular de Prueba.
LIBRO PRIMERO De las Disposiciones Comunes

## TÍTULO PRIMERO — De los Consulados

## CAPÍTULO I
Del Objeto

### Artículo 1o
.- Esta Ley regula la protección consular de los mexicanos en el extranjero.
Párrafo reformado DOF 10-06-2020 Las oficinas consulares actuarán en su circunscripción.
Artículo 5 de esta Ley se aplicará de manera supletoria.

### Artículo 2
Bis.- Los cónsules expedirán pasaportes a los nacionales.
Artículo adicionado DOF 10-06-2020 ARTÍCULO 3.- Los cónsules honorarios auxiliarán a la oficina de la circunscripción.
Artículo reformado DOF 10-06-2020

## CAPÍTULO II — De los Derechos

### Artículo 4-A
.- Por la expedición de un pasaporte se pagará la cuota que fije esta Ley.

### Artículo 5
. Se deroga.
Artículo derogado DOF 10-06-2020
LIBRO SEGUNDO De las Sanciones

## TÍTULO ÚNICO
De las Faltas

### Artículo 6
.- Las faltas se sancionarán conforme al Reglamento.
Párrafo adicionado DOF 10-06-2020 Articulo 7. Contra la sanción procederá el recurso de revisión.

## TRANSITORIOS

**PRIMERO.-** La presente Ley entrará en vigor al día siguiente de su publicación.
**SEGUNDO.-** Se abroga la ley anterior sobre la materia.
**segundo.** párrafo del artículo citado.
ARTÍCULOS TRANSITORIOS DE DECRETOS DE REFORMA DECRETO por el que se reforma la Ley de Asistencia Consular de Prueba.
Publicado en el Diario Oficial de la Federación el 10 de junio de 2020

### ARTÍCULO ÚNICO
Se reforman los artículos 1 y 3 de la Ley de Asistencia Consular de Prueba.

## TRANSITORIO

**Único.-** El presente Decreto entrará en vigor al día siguiente de su publicación.
México, D.F., a 2 de junio de 2020.- Rúbricas.
DECRETO por el que se adiciona un artículo 2 Bis a la Ley de Asistencia Consular de Prueba.
Publicado en el Diario Oficial de la Federación el 15 de julio de 2021

## TRANSITORIOS

**Primero.** El presente Decreto entrará en vigor al día siguiente de su publicación.
**Segundo.** Se derogan las disposiciones que se opongan al presente Decreto.
";

    /// The LSEM shape: inline headings only, glued after the notes; a lettered article.
    const INLINE: &str = "# LEY del Servicio de Prueba
> Documento generado automáticamente a partir del PDF oficial.
---
Nueva Ley publicada en el Diario Oficial de la Federación el 4 de enero de 1994 TEXTO VIGENTE Últimas reformas publicadas DOF 19-04-2018
## CAPÍTULO I — Disposiciones Generales
ARTÍCULO 1.- El Servicio se rige por esta Ley.
Párrafo reformado DOF 19-04-2018 ARTÍCULO 1-BIS.- Para los efectos de esta Ley se entenderá por:
I. Secretaría: la dependencia competente.
Artículo adicionado DOF 19-04-2018 ARTÍCULO 2.- Corresponde al Servicio proteger a los nacionales.
Fracción reformada DOF 25-01-2002, 19-04-2018 Artículo 19-A.- Por cada certificado se pagará la cuota.
";

    fn read_str(s: &str) -> ParsedDoc {
        read(s.as_bytes()).expect("fixture reads")
    }

    fn body(doc: &ParsedDoc) -> Vec<&RawProvision> {
        doc.provisions.iter().filter(|p| !p.transitory).collect()
    }

    fn numbers<'a>(ps: impl IntoIterator<Item = &'a RawProvision>) -> Vec<String> {
        ps.into_iter().map(|p| p.number.clone()).collect()
    }

    #[test]
    fn body_articles_with_suffix_lettered_and_glued_headings() {
        let doc = read_str(LEY);
        assert_eq!(
            numbers(body(&doc)),
            ["1", "2 bis", "3", "4-a", "5", "6", "7"],
            "{:#?}",
            doc.provisions
        );
        let b = body(&doc);
        assert_eq!(
            b[1].text,
            "Los cónsules expedirán pasaportes a los nacionales."
        );
        assert!(
            b[2].text.starts_with("Los cónsules honorarios"),
            "{}",
            b[2].text
        );
        // Art. 7 glued after art. 6's note, without the accent, as in the LRPCAP.
        assert!(b[6].text.starts_with("Contra la sanción"), "{}", b[6].text);
        assert_eq!(b[2].line, Some(27));
    }

    #[test]
    fn inline_headings_after_notes_and_normalised_numbers() {
        let doc = read_str(INLINE);
        assert_eq!(numbers(body(&doc)), ["1", "1 bis", "2", "19-a"]);
        let b = body(&doc);
        assert_eq!(b[0].notes, ["Párrafo reformado DOF 19-04-2018"]);
        assert_eq!(b[1].notes, ["Artículo adicionado DOF 19-04-2018"]);
        assert_eq!(
            b[2].notes,
            ["Fracción reformada DOF 25-01-2002, 19-04-2018"]
        );
        assert!(b[1].text.contains("I. Secretaría"));
        assert_eq!(b[3].hierarchy, ["CAPÍTULO I - Disposiciones Generales"]);
    }

    #[test]
    fn amendment_notes_are_moved_out_of_the_text() {
        let doc = read_str(LEY);
        let art1 = &body(&doc)[0];
        assert_eq!(art1.notes, ["Párrafo reformado DOF 10-06-2020"]);
        assert!(!art1.text.contains("DOF"), "{}", art1.text);
        assert!(art1.text.contains("Las oficinas consulares actuarán"));
        let art3 = &body(&doc)[2];
        assert_eq!(art3.notes, ["Artículo reformado DOF 10-06-2020"]);
    }

    #[test]
    fn a_cross_reference_is_not_a_heading() {
        let doc = read_str(LEY);
        let art1 = &body(&doc)[0];
        assert!(art1
            .text
            .contains("Artículo 5 de esta Ley se aplicará de manera supletoria."));
        assert_eq!(body(&doc).iter().filter(|p| p.number == "5").count(), 1);
        let h = Reader::probe("Artículo 5 de esta Ley se aplicará");
        assert!(h.is_none());
    }

    #[test]
    fn derogated_article_is_repealed() {
        let doc = read_str(LEY);
        let b = body(&doc);
        assert!(b[4].repealed, "{:?}", b[4]);
        assert_eq!(b[4].notes, ["Artículo derogado DOF 10-06-2020"]);
        assert!(!b[5].repealed);
        // A transitory that repeals other provisions is itself in force.
        let last = doc.provisions.last().expect("provisions");
        assert!(last.text.starts_with("Se derogan las disposiciones"));
        assert!(!last.repealed);
    }

    #[test]
    fn hierarchy_of_libro_titulo_capitulo() {
        let doc = read_str(LEY);
        let b = body(&doc);
        assert_eq!(
            b[0].hierarchy,
            [
                "LIBRO PRIMERO - De las Disposiciones Comunes",
                "TÍTULO PRIMERO - De los Consulados",
                "CAPÍTULO I - Del Objeto"
            ]
        );
        assert_eq!(
            b[3].hierarchy,
            [
                "LIBRO PRIMERO - De las Disposiciones Comunes",
                "TÍTULO PRIMERO - De los Consulados",
                "CAPÍTULO II - De los Derechos"
            ]
        );
        // A new Libro resets Título and Capítulo.
        assert_eq!(
            b[5].hierarchy,
            [
                "LIBRO SEGUNDO - De las Sanciones",
                "TÍTULO ÚNICO - De las Faltas"
            ]
        );
    }

    #[test]
    fn transitory_parts_are_apart_from_the_body() {
        let doc = read_str(LEY);
        let part = |eid: &str| -> Vec<&RawProvision> {
            doc.provisions
                .iter()
                .filter(|p| p.part_eid.as_deref() == Some(eid))
                .collect()
        };
        let t1 = part("trans_1");
        assert_eq!(numbers(t1.iter().copied()), ["1", "2"]);
        assert!(t1.iter().all(|p| p.transitory));
        assert_eq!(t1[0].part_label.as_deref(), Some("Transitorios"));
        // "**segundo.** párrafo" is a stray bold word, not a third transitory.
        assert!(t1[1].text.contains("segundo. párrafo"), "{}", t1[1].text);

        let t2 = part("trans_2");
        assert_eq!(numbers(t2.iter().copied()), ["unico", "unico"]);
        assert_eq!(
            t2[0].part_label.as_deref(),
            Some("DECRETO por el que se reforma la Ley de Asistencia Consular de Prueba. (DOF 10-06-2020)")
        );
        // The next decree's title was given back to its own part.
        assert!(!t2[1].text.contains("DECRETO"), "{}", t2[1].text);

        let t3 = part("trans_3");
        assert_eq!(numbers(t3.iter().copied()), ["1", "2"]);
        let label = t3[0].part_label.as_deref().unwrap_or("");
        assert!(
            label.starts_with("DECRETO por el que se adiciona"),
            "{label}"
        );
        assert!(label.ends_with("(DOF 15-07-2021)"), "{label}");
        assert!(doc
            .provisions
            .iter()
            .all(|p| p.transitory == p.part_eid.is_some()));
        // The expediting decree's own article is neither body nor transitory.
        assert!(!doc.provisions.iter().any(|p| p.text.contains("Se expide")));
        assert!(doc.warnings.iter().any(|w| w.contains("decree")));
    }

    #[test]
    fn metadata_from_the_opening() {
        let doc = read_str(LEY);
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Ley de Asistencia Consular de Prueba")
        );
        assert_eq!(doc.meta.publication_date.as_deref(), Some("1999-03-03"));
        // No "Últimas reformas" in the header: the last decree listed.
        assert_eq!(doc.meta.last_updated.as_deref(), Some("2021-07-15"));
        assert_eq!(doc.meta.rank.as_deref(), Some("ley"));
        assert_eq!(doc.meta.language.as_deref(), Some("es"));
        let doc = read_str(INLINE);
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Ley del Servicio de Prueba")
        );
        assert_eq!(doc.meta.publication_date.as_deref(), Some("1994-01-04"));
        assert_eq!(doc.meta.last_updated.as_deref(), Some("2018-04-19"));
    }

    #[test]
    fn broken_files_give_a_read_error_with_line() {
        let mut bad = b"# LEY de Prueba\n> Documento generado automaticamente\n".to_vec();
        bad.extend_from_slice(b"ARTICULO 1.- Texto \xff roto\n");
        let e = read(&bad).expect_err("invalid UTF-8");
        assert_eq!(e.line, Some(3));
        assert!(e.reason.contains("UTF-8"), "{}", e.reason);

        let none = "# LEY de Prueba\n> Documento generado automáticamente\n---\nSolo un preámbulo.\nSin artículos.\n";
        let e = read(none.as_bytes()).expect_err("no articles");
        assert_eq!(e.line, Some(5));
        assert!(e.reason.contains("no article"), "{}", e.reason);

        let e = read(b"Sin titulo\nARTICULO 1.- Texto.\n").expect_err("no title");
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn sniff_accepts_only_this_shape() {
        assert!(sniff(LEY.as_bytes()));
        assert!(sniff(INLINE.as_bytes()));
        // Front matter: the generic Markdown reader's shape.
        assert!(!sniff(
            b"---\ntitle: \"Ley\"\n---\n# Ley\n> Documento generado por Diputados\n"
        ));
        // A title without the converter's source note.
        assert!(!sniff(
            b"# Convenio de Viena\n\n> Texto del tratado\n\nArticulo 1\n"
        ));
        assert!(!sniff(b"Texto sin titulo\n> Diputados\n"));
        assert!(!sniff(include_bytes!(
            "../../tests/fixtures/md/ley-ejemplo.md"
        )));
        assert!(!sniff(include_bytes!(
            "../../tests/fixtures/md/sin-articulos.md"
        )));
    }
}
