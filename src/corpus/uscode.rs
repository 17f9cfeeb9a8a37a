//! Reader for legalize-US Markdown: one section of the U.S. Code a file, YAML front matter
//! (`identifier: "USC-T22-S1731"`, `title_number`, `country: "us"`, `status`, `source` ...).
//!
//! The body of such a file is
//!
//! ```text
//! # § 1731. Protection to naturalized citizens abroad
//! ##### § 1731. Protection to naturalized citizens abroad
//! All naturalized citizens ...            <- the law: one paragraph, or (a), (1), (A), (i) lines
//! *(R.S. § 2000.)*                        <- source credit, italic
//! #### **Editorial Notes**                <- from here on: notes of the Law Revision Counsel
//! #### Codification
//! R.S. § 2000 derived from ...
//! ```
//!
//! Each file gives one provision, element `sec`, numbered as in its heading (`1731`, `211a`),
//! with the catchline as heading. Decisions:
//!
//! - **Only the law is text.** The italic source credit and everything from the first `####`
//!   heading on (Editorial Notes, Statutory Notes, Amendments, Executive Documents) are not the
//!   words of the law and are left out of `text`. `notes` keeps a short form instead: the source
//!   credit, then one line per note, `"{note heading}: {its first sentence}"`, each capped at
//!   [`NOTE_CAP`] characters, at most [`MAX_NOTES`] of them. Group headings in bold
//!   (`**Editorial Notes**`) carry no text of their own and give no note.
//! - **Footnotes out of the text.** The Code's footnote markers come run into the text
//!   (`such costs.11 See Extension of Consular Fees note below.`: marker `1`, then footnote `1`);
//!   the footnote is cut from the text and kept as a note (`Footnote 1: See ...`).
//! - **Links are reduced to their text** everywhere (`[15 Stat. 224](/us/stat/15/224)` ->
//!   `15 Stat. 224`), link texts holding brackets of their own included (§ 4195).
//! - **Repealed sections.** A catchline beginning "Repealed" (§§ 4192, 4195) makes the provision
//!   `repealed` and the document's status `repealed`, whatever the front matter says (it says
//!   `in_force` for every section). The text is the Code's note on the repeal: it is all there is.
//! - **Missing lead-in.** Some sections made of numbered paragraphs have lost their lead-in
//!   (§ 2705 begins "(1) A passport ..."): they are read as they stand, with a warning.
//! - **Title and dates.** The title is readable: `22 U.S.C. § 1731 — Protection to naturalized
//!   citizens abroad`. `publication_date` and `last_updated` are the release point's date, not the
//!   enactment's; they are kept as given. Rank defaults to `statute` and language to `en`.
//!
//! Errors (with the line): invalid UTF-8, front matter never closed, no `§` section heading, a
//! section that is not repealed but has no text.

use super::markdown::strip_markup;
use super::model::normalise_number;
use super::raw::{decode_utf8, tidy_text, DocMeta, ParsedDoc, RawProvision, ReadError};
use regex::Regex;
use std::sync::OnceLock;

/// Longest note kept, in characters (the notes are a pointer to the source, not a copy of it).
pub const NOTE_CAP: usize = 240;
/// Most notes kept for one section; the rest are counted in a last note.
pub const MAX_NOTES: usize = 40;

/// How far into a file `sniff` looks for the end of the front matter.
const SNIFF_LINES: usize = 60;

/// Whether a Markdown file is of this shape: front matter whose `identifier` starts `USC-`, or
/// that has a `title_number` and `country: "us"`.
pub fn sniff(bytes: &[u8]) -> bool {
    // Lossy, on a prefix: sniffing must never fail, and a bad byte later in the file is for
    // `read` to report with its line.
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines = text.lines();
    if lines.next().map(str::trim) != Some("---") {
        return false;
    }
    let mut identifier = None;
    let mut title_number = false;
    let mut country_us = false;
    for line in lines.take(SNIFF_LINES) {
        if line.trim() == "---" {
            break;
        }
        let Some((key, value)) = key_value(line) else {
            continue;
        };
        match key.as_str() {
            "identifier" => identifier = Some(value),
            "title_number" => title_number = !value.is_empty(),
            "country" => country_us = value.eq_ignore_ascii_case("us"),
            _ => {}
        }
    }
    identifier.is_some_and(|i| i.starts_with("USC-")) || (title_number && country_us)
}

/// The front matter fields this reader uses (the others, `department`, `positive_law`,
/// `release_point`, are not part of the model).
#[derive(Debug, Default)]
struct Front {
    meta: DocMeta,
    title_number: Option<String>,
    source_credit: Option<String>,
}

/// Splits a `key: "value"` line; the key is lower-cased, the value unquoted.
fn key_value(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    if key.is_empty() || key.contains(char::is_whitespace) || key.starts_with('#') {
        return None;
    }
    Some((key.to_ascii_lowercase(), unquote(value)))
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let inner = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .map(|s| s.replace("\\\"", "\"").replace("\\\\", "\\"))
        .or_else(|| {
            v.strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .map(|s| s.replace("''", "'"))
        });
    inner.unwrap_or_else(|| v.to_string())
}

fn front_matter(lines: &[&str], first_line: usize, warnings: &mut Vec<String>) -> Front {
    let mut f = Front::default();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((key, value)) = key_value(line) else {
            warnings.push(format!(
                "line {}: front matter line without 'key:' ignored",
                first_line + i
            ));
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let slot = match key.as_str() {
            "title" => &mut f.meta.title,
            "identifier" => &mut f.meta.identifier,
            "country" => &mut f.meta.country,
            "rank" => &mut f.meta.rank,
            "language" | "lang" => &mut f.meta.language,
            "publication_date" => &mut f.meta.publication_date,
            "last_updated" => &mut f.meta.last_updated,
            "status" => &mut f.meta.status,
            "source" => &mut f.meta.source_url,
            "title_number" => &mut f.title_number,
            "source_credit" => &mut f.source_credit,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
    f
}

/// `# § 1731. Catchline`, `##### § 211a. Catchline`, `# § 4192. Repealed. Pub. L. ...`.
fn section_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^#{1,6}\s*§\s*([0-9]+[0-9A-Za-z\-–]*)\.?(?:\s+(.*))?$").expect("static regex")
    })
}

/// A footnote run into the text: marker digit, footnote number (the same digit), footnote.
fn footnote_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(\d)(\d) (See [^.]{1,120}? note (?:below|above)\.|So in original\.(?: [^.]{1,160}\.)?) ?",
        )
        .expect("static regex")
    })
}

/// Replaces every Markdown link `[text](target)` by its text. Brackets and parentheses are
/// matched by depth, so a link text holding brackets (`[Pub. L. 106–113 [div. A]](/us/...)`) and
/// a target holding parentheses are reduced whole; a bracket that opens no link stays as it is.
pub fn reduce_links(s: &str) -> String {
    // All the delimiters are ASCII, so byte offsets found here are always char boundaries.
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if b[i] == b'[' {
            if let Some(close) = matching(b, i, b'[', b']') {
                if b.get(close + 1) == Some(&b'(') {
                    if let Some(end) = matching(b, close + 1, b'(', b')') {
                        out.push_str(&s[copied..i]);
                        out.push_str(&reduce_links(&s[i + 1..close]));
                        i = end + 1;
                        copied = i;
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
    out.push_str(&s[copied..]);
    out
}

/// Offset of the delimiter closing the one at `open`, if it is closed.
fn matching(b: &[u8], open: usize, left: u8, right: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (j, &c) in b.iter().enumerate().skip(open) {
        if c == left {
            depth += 1;
        } else if c == right {
            depth -= 1;
            if depth == 0 {
                return Some(j);
            }
        }
    }
    None
}

/// A Markdown line as plain text: links reduced, then emphasis and heading marks dropped.
fn plain(line: &str) -> String {
    strip_markup(&reduce_links(line))
}

/// Cuts a string at `cap` characters, on a char boundary, marking the cut.
fn cap(s: &str, cap: usize) -> String {
    if s.chars().count() <= cap {
        return s.to_string();
    }
    let cut: String = s.chars().take(cap).collect();
    // Back to the last whole word, so a note never ends mid-word.
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Abbreviations of citations that end in a period without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "stat", "ord", "supp", "cong", "sess", "rept", "exec", "prop", "doc", "reg", "amdt", "subch",
    "subpar", "subsec", "pars", "secs", "nos", "feb", "sept", "oct", "nov", "dec", "jan", "aug",
    "apr", "mar",
];

/// The first sentence of a note paragraph. A period ends it when a capital or a quote comes
/// next and it follows a number or a word of four characters or more that is not a citation
/// abbreviation: "Pub. L. 95–426, title VI, § 611, Oct. 7, 1978" must not be cut at "Pub." or
/// "Oct.", and "1998—Par. (2). Pub. L. ..." not at "(2).".
fn first_sentence(p: &str) -> &str {
    for (i, _) in p.match_indices(". ") {
        let next = p[i + 2..].chars().next();
        if !next.is_some_and(|c| c.is_uppercase() || c == '“' || c == '"') {
            continue;
        }
        let before = &p[..i];
        let word_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(0, |(j, c)| j + c.len_utf8());
        let word = &before[word_start..];
        let all_digits = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
        let long_word = word.chars().count() >= 4
            && !ABBREVIATIONS.contains(&word.to_lowercase().as_str())
            && !word.chars().all(char::is_uppercase);
        if all_digits || long_word {
            return &p[..=i];
        }
    }
    p
}

/// Takes the footnotes out of a text line, returning them as notes.
fn cut_footnotes(line: &str, notes: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for caps in footnote_re().captures_iter(line) {
        let (Some(all), Some(marker), Some(number), Some(note)) =
            (caps.get(0), caps.get(1), caps.get(2), caps.get(3))
        else {
            continue;
        };
        // Marker and footnote number are the same digit, and the marker is not the end of a
        // longer number ("section 211" is not footnote 1).
        let part_of_number = line[..all.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
        if marker.as_str() != number.as_str() || part_of_number {
            continue;
        }
        out.push_str(&line[last..all.start()]);
        if !out.ends_with(' ') && !line[all.end()..].is_empty() {
            out.push(' ');
        }
        notes.push(cap(
            &format!("Footnote {}: {}", number.as_str(), note.as_str()),
            NOTE_CAP,
        ));
        last = all.end();
    }
    out.push_str(&line[last..]);
    out
}

/// Whether a catchline says the section is repealed ("Repealed. Pub. L. 101–246 ...").
fn is_repealed(catchline: &str) -> bool {
    catchline
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .starts_with("repealed")
}

/// Whether a line is the italic source credit: `*(R.S. § 2000.)*`.
fn is_source_credit(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("*(") && t.ends_with(")*")
}

/// The section heading found in the body.
struct SectionHeading {
    number: String,
    catchline: String,
    /// 0-based index of the last heading line (the `#####` repeat of the `#` heading).
    index: usize,
}

/// Reads one section.
pub fn read(bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    let text = decode_utf8(bytes)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut doc = ParsedDoc::default();

    let mut body_start = 0;
    let mut front = Front::default();
    if lines.first().map(|l| l.trim()) == Some("---") {
        let end = lines[1..]
            .iter()
            .position(|l| l.trim() == "---")
            .ok_or_else(|| ReadError::at(1, "front matter opened with '---' is never closed"))?;
        front = front_matter(&lines[1..=end], 2, &mut doc.warnings);
        body_start = end + 2;
    } else {
        doc.warnings
            .push("no front matter: metadata from the section heading".into());
    }

    // The heading comes twice (`#` then `#####`); the last one before the text wins, as the
    // `#####` line is the Code's own (`# § 218. ... etc` loses the final period, `#####` has it).
    let mut heading: Option<SectionHeading> = None;
    let mut i = body_start;
    while i < lines.len() {
        let t = lines[i].trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        let Some(caps) = section_re().captures(t) else {
            if heading.is_some() {
                break;
            }
            if t.starts_with('#') {
                // A heading that is not a section's, before any section: only notes follow.
                break;
            }
            doc.warnings.push(format!(
                "line {}: text before the section heading ignored",
                i + 1
            ));
            i += 1;
            continue;
        };
        let number = normalise_number(caps.get(1).map_or("", |m| m.as_str()));
        let catchline = plain(caps.get(2).map_or("", |m| m.as_str()));
        if let Some(h) = &heading {
            if h.number != number {
                doc.warnings.push(format!(
                    "line {}: heading of § {number} after § {}: only the first is read",
                    i + 1,
                    h.number
                ));
                break;
            }
        }
        heading = Some(SectionHeading {
            number,
            catchline,
            index: i,
        });
        i += 1;
    }
    let Some(heading) = heading else {
        return Err(ReadError::at(
            (body_start + 1).min(lines.len().max(1)),
            "no section heading ('# § <number>. <catchline>') after the front matter",
        ));
    };
    let heading_line = heading.index + 1;

    // The law: from after the heading to the first heading of level 1 to 4 (the notes); a
    // level 5 or 6 line that is not a section heading is read as text.
    let mut text_lines: Vec<(usize, &str)> = Vec::new();
    let mut notes_start = lines.len();
    for (j, line) in lines.iter().enumerate().skip(heading.index + 1) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let hashes = t.chars().take_while(|c| *c == '#').count();
        if (1..=4).contains(&hashes) || section_re().is_match(t) {
            notes_start = j;
            break;
        }
        text_lines.push((j, t));
    }

    let mut notes = Vec::new();
    let credit = match text_lines.last() {
        Some((_, l)) if is_source_credit(l) => {
            let c = plain(l);
            text_lines.pop();
            Some(c)
        }
        // A repealed section has none; the front matter's copy is cut at ~500 characters in
        // some files, so it is only the fallback.
        _ => front.source_credit.as_deref().map(plain),
    };
    if let Some(c) = credit.filter(|c| !c.is_empty()) {
        notes.push(cap(&format!("Source credit: {c}"), NOTE_CAP));
    }

    let mut body: Vec<String> = Vec::with_capacity(text_lines.len());
    for (_, l) in &text_lines {
        let p = cut_footnotes(&plain(l), &mut notes);
        body.push(p);
    }
    let mut text = tidy_text(&body.join("\n"));

    let repealed = is_repealed(&heading.catchline);
    if text.is_empty() {
        if repealed {
            // A bare "Repealed. Pub. L. ..." heading is still the record of the repeal.
            text = heading.catchline.clone();
        } else {
            return Err(ReadError::at(
                heading_line,
                format!(
                    "section § {} has a heading but no text before its notes",
                    heading.number
                ),
            ));
        }
    }
    if !repealed && text.starts_with('(') {
        let first = text.split(')').next().unwrap_or("");
        if first.len() > 1 && first[1..].chars().all(|c| c.is_ascii_digit()) {
            doc.warnings.push(format!(
                "line {}: § {} opens with the numbered paragraph '{first})': its lead-in seems missing",
                text_lines.first().map_or(heading_line, |(j, _)| j + 1),
                heading.number
            ));
        }
    }

    notes.extend(section_notes(&lines[notes_start..]));
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(format!("… and {more} more notes"));
    }

    // Identifier and number should agree; the heading is the Code's, so it wins.
    if let Some(id_num) = front
        .meta
        .identifier
        .as_deref()
        .and_then(|id| id.rsplit_once("-S"))
        .map(|(_, n)| normalise_number(n))
    {
        if id_num != heading.number {
            doc.warnings.push(format!(
                "line {heading_line}: heading says § {}, identifier says § {id_num}: heading wins",
                heading.number
            ));
        }
    }
    let title_number = front.title_number.clone().or_else(|| {
        front
            .meta
            .identifier
            .as_deref()
            .and_then(|id| id.strip_prefix("USC-T"))
            .and_then(|r| r.split_once('-'))
            .map(|(t, _)| t.to_string())
    });
    let code = match &title_number {
        Some(t) => format!("{t} U.S.C."),
        None => "U.S.C.".to_string(),
    };

    let mut meta = front.meta;
    meta.title = Some(if heading.catchline.is_empty() {
        format!("{code} § {}", heading.number)
    } else {
        format!("{code} § {} — {}", heading.number, heading.catchline)
    });
    if meta.identifier.is_none() {
        meta.identifier = Some(format!("{code} {}", heading.number));
    }
    meta.rank.get_or_insert_with(|| "statute".into());
    meta.language.get_or_insert_with(|| "en".into());
    if repealed {
        if let Some(s) = meta.status.as_deref().filter(|s| !s.contains("repeal")) {
            doc.warnings.push(format!(
                "line {heading_line}: front matter says status '{s}' but § {} is repealed: read as repealed",
                heading.number
            ));
        }
        meta.status = Some("repealed".into());
    }
    doc.meta = meta;

    doc.provisions.push(RawProvision {
        element: "sec",
        number: heading.number,
        heading: Some(heading.catchline).filter(|c| !c.is_empty()),
        text,
        repealed,
        notes,
        line: Some(heading_line),
        ..Default::default()
    });
    Ok(doc)
}

/// The short form of the notes: `"{heading}: {first sentence}"` for each note heading followed
/// by a paragraph. Bold group headings (`#### **Editorial Notes**`) are followed by another
/// heading, not a paragraph, and so give nothing.
fn section_notes(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('#') {
            open = Some(plain(t)).filter(|h| !h.is_empty());
            continue;
        }
        // Only the first paragraph under a heading: the rest is the note's detail.
        if let Some(h) = open.take() {
            let p = plain(t);
            let s = first_sentence(&p);
            out.push(cap(&format!("{h}: {s}"), NOTE_CAP));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A section with subsections, a source credit, a footnote and notes (shape of 22 U.S.C.
    /// § 214, text written for the test).
    const WITH_SUBSECTIONS: &str = r#"---
title: "§ 9001. Fees for harbour certificates"
identifier: "USC-T99-S9001"
country: "us"
rank: "statute"
publication_date: "2026-01-15"
last_updated: "2026-01-15"
status: "in_force"
source: "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title99-section9001"
title_number: "99"
source_credit: "(Pub. L. 1–2, § 3, cut short"
---
# § 9001. Fees for harbour certificates

##### § 9001. Fees for harbour certificates

(a)

(1) A consular officer shall collect a fee for each [harbour certificate](/us/usc/t99/s9000).11 See Fee Schedule note below.

(2) No fee shall be collected from—

(A) a seaman of a vessel in distress; or

(B) a citizen returning under [section 9002 of this title](/us/usc/t99/s9002).

(b) The Secretary may waive the fee.

*([Pub. L. 1–2, § 3](/us/pl/1/2/s3), Jan. 2, 1901, [1 Stat. 2](/us/stat/1/2).)*

#### **Editorial Notes**

#### Amendments

1999—Subsec. (b). [Pub. L. 3–4](/us/pl/3/4) added subsec. (b) on waivers. Second sentence of the note.

#### **Statutory Notes and Related Subsidiaries**

#### Fee Schedule

The fees were extended by [Pub. L. 5–6](/us/pl/5/6), Oct. 7, 1978, to the end of the century. Later detail.
"#;

    #[test]
    fn section_with_subsections_keeps_law_and_sets_notes_apart() {
        let doc = read(WITH_SUBSECTIONS.as_bytes()).expect("reads");
        assert_eq!(doc.provisions.len(), 1);
        let p = &doc.provisions[0];
        assert_eq!(p.element, "sec");
        assert_eq!(p.number, "9001");
        assert_eq!(p.heading.as_deref(), Some("Fees for harbour certificates"));
        assert_eq!(p.line, Some(15), "the ##### heading line");
        assert_eq!(
            p.text,
            "(a)\n(1) A consular officer shall collect a fee for each harbour certificate.\n\
             (2) No fee shall be collected from—\n(A) a seaman of a vessel in distress; or\n\
             (B) a citizen returning under section 9002 of this title.\n\
             (b) The Secretary may waive the fee."
        );
        assert!(!p.repealed);
        // Credit from the body (whole), the footnote, then one line per note with a paragraph.
        assert_eq!(
            p.notes,
            vec![
                "Source credit: (Pub. L. 1–2, § 3, Jan. 2, 1901, 1 Stat. 2.)",
                "Footnote 1: See Fee Schedule note below.",
                "Amendments: 1999—Subsec. (b). Pub. L. 3–4 added subsec. (b) on waivers.",
                "Fee Schedule: The fees were extended by Pub. L. 5–6, Oct. 7, 1978, to the end of the century.",
            ]
        );
        let m = &doc.meta;
        assert_eq!(
            m.title.as_deref(),
            Some("99 U.S.C. § 9001 — Fees for harbour certificates")
        );
        assert_eq!(m.identifier.as_deref(), Some("USC-T99-S9001"));
        assert_eq!(m.rank.as_deref(), Some("statute"));
        assert_eq!(m.language.as_deref(), Some("en"));
        assert_eq!(m.status.as_deref(), Some("in_force"));
        assert_eq!(m.publication_date.as_deref(), Some("2026-01-15"));
        assert_eq!(
            m.source_url.as_deref(),
            Some(
                "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title99-section9001"
            )
        );
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }

    const REPEALED: &str = r#"---
title: "§ 9010. Repealed. [Pub. L. 7–8, title I, § 9](/us/pl/7/8/tI/s9), Feb. 1, 1990"
identifier: "USC-T99-S9010"
country: "us"
status: "in_force"
title_number: "99"
---
# § 9010. Repealed. [Pub. L. 7–8, title I, § 9](/us/pl/7/8/tI/s9), Feb. 1, 1990

##### § 9010. Repealed. [Pub. L. 7–8, div. B, § 1(a) [div. A, § 2]](/us/pl/7/8/dB/s1/a), Feb. 1, 1990

Section, R.S. § 4000, related to the keeping of consular seals.

#### **Statutory Notes and Related Subsidiaries**

#### Effective Date of Repeal

Repeal effective on Feb. 1, 1990.
"#;

    #[test]
    fn repealed_section_is_repealed_whatever_the_front_matter_says() {
        let doc = read(REPEALED.as_bytes()).expect("reads");
        let p = &doc.provisions[0];
        assert!(p.repealed);
        assert_eq!(doc.meta.status.as_deref(), Some("repealed"));
        assert!(
            doc.warnings.iter().any(|w| w.contains("'in_force'")),
            "{:?}",
            doc.warnings
        );
        // The repeal note is the text; the nested-bracket link is reduced whole.
        assert_eq!(
            p.text,
            "Section, R.S. § 4000, related to the keeping of consular seals."
        );
        assert_eq!(
            p.heading.as_deref(),
            Some("Repealed. Pub. L. 7–8, div. B, § 1(a) [div. A, § 2], Feb. 1, 1990")
        );
        assert!(doc
            .meta
            .title
            .as_deref()
            .is_some_and(|t| t.starts_with("99 U.S.C. § 9010 — Repealed.")));
        assert_eq!(
            p.notes,
            vec!["Effective Date of Repeal: Repeal effective on Feb. 1, 1990."]
        );
    }

    #[test]
    fn links_are_reduced_to_their_text() {
        assert_eq!(
            reduce_links(
                "see [section 1 of title 8](/us/usc/t8/s1) and [2 Stat. 3](/us/stat/2/3)."
            ),
            "see section 1 of title 8 and 2 Stat. 3."
        );
        assert_eq!(
            reduce_links("[A [b] c](/x/(y)/z), [not a link] (x)"),
            "A [b] c, [not a link] (x)"
        );
        assert_eq!(
            reduce_links("unclosed [link](/us/x"),
            "unclosed [link](/us/x"
        );
        let doc = read(WITH_SUBSECTIONS.as_bytes()).expect("reads");
        let p = &doc.provisions[0];
        for s in std::iter::once(&p.text).chain(&p.notes) {
            assert!(!s.contains("](") && !s.contains("/us/"), "{s}");
        }
    }

    const NO_LEAD_IN: &str = r#"---
identifier: "USC-T99-S9020"
country: "us"
status: "in_force"
---
# § 9020. Documents of identity

##### § 9020. Documents of identity

(1) A passport issued by the Secretary.

(2) A certificate of birth abroad.

*(Pub. L. 9–10, § 11.)*
"#;

    #[test]
    fn section_without_lead_in_is_read_with_a_warning() {
        let doc = read(NO_LEAD_IN.as_bytes()).expect("reads");
        let p = &doc.provisions[0];
        assert_eq!(
            p.text,
            "(1) A passport issued by the Secretary.\n(2) A certificate of birth abroad."
        );
        assert_eq!(p.notes, vec!["Source credit: (Pub. L. 9–10, § 11.)"]);
        assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
        assert!(
            doc.warnings[0].starts_with("line 10:"),
            "{}",
            doc.warnings[0]
        );
        assert!(doc.warnings[0].contains("lead-in seems missing"));
        // No title_number: the title number comes from the identifier.
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("99 U.S.C. § 9020 — Documents of identity")
        );
        // A section opening with subsection (a) is normal and gives no warning.
        let with_a = read(WITH_SUBSECTIONS.as_bytes()).expect("reads");
        assert!(with_a.warnings.is_empty());
    }

    #[test]
    fn sniff_tells_the_us_shape_apart() {
        assert!(sniff(WITH_SUBSECTIONS.as_bytes()));
        assert!(sniff(NO_LEAD_IN.as_bytes()));
        assert!(sniff(
            b"---\ntitle_number: \"22\"\ncountry: \"us\"\n---\n# \xC2\xA7 1. X\n"
        ));
        // A legalize file of another country, one without front matter, and a USC
        // identifier only after the front matter closed.
        assert!(!sniff(
            "---\ntitulo: \"Ley 17.081\"\nidentificador: \"ley-17081\"\npais: \"ar\"\n---\n# Ley\n"
                .as_bytes()
        ));
        assert!(!sniff(b"---\ntitle_number: \"22\"\ncountry: \"co\"\n---\n"));
        assert!(!sniff(b"# LEY de Nacionalidad\n\nidentifier: USC-T22-S1\n"));
        assert!(!sniff(b"---\ntitle: x\n---\nidentifier: \"USC-T22-S1\"\n"));
        assert!(!sniff(b""));
        // The repository's own generic Markdown fixtures are not of this shape.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/md");
        let entries = std::fs::read_dir(dir).expect("fixtures dir");
        let mut seen = 0;
        for e in entries.flatten() {
            let bytes = std::fs::read(e.path()).expect("fixture");
            assert!(!sniff(&bytes), "{}", e.path().display());
            seen += 1;
        }
        assert!(seen > 0);
    }

    #[test]
    fn unterminated_front_matter_is_an_error_at_line_1() {
        let e = read(b"---\nidentifier: \"USC-T99-S1\"\n# \xC2\xA7 1. Title\n\nText.\n")
            .expect_err("rejected");
        assert_eq!(e.line, Some(1));
        assert!(e.reason.contains("never closed"), "{}", e.reason);
    }

    #[test]
    fn invalid_utf8_is_an_error_with_its_line() {
        let e =
            read(b"---\nidentifier: \"USC-T99-S1\"\n---\n# \xC2\xA7 1. Title\n\nBad \xFF byte.\n")
                .expect_err("rejected");
        assert_eq!(e.line, Some(6));
        assert!(e.reason.contains("invalid UTF-8"), "{}", e.reason);
    }

    #[test]
    fn missing_heading_or_text_is_an_error() {
        let e = read(b"---\nidentifier: \"USC-T99-S1\"\n---\n\nJust some words.\n")
            .expect_err("no heading");
        assert_eq!(e.line, Some(4));
        assert!(e.reason.contains("no section heading"), "{}", e.reason);

        let e = read(
            "---\nidentifier: \"USC-T99-S1\"\n---\n# § 1. Title\n\n##### § 1. Title\n\n#### Notes\n\nA note.\n"
                .as_bytes(),
        )
        .expect_err("no text");
        assert_eq!(e.line, Some(6));
        assert!(e.reason.contains("no text"), "{}", e.reason);
    }

    #[test]
    fn footnotes_only_when_marker_and_number_agree() {
        let mut notes = Vec::new();
        let t = cut_footnotes(
            "under section 552(e) 11 See References in Text note below. of title 5;",
            &mut notes,
        );
        assert_eq!(t, "under section 552(e) of title 5;");
        assert_eq!(
            notes,
            vec!["Footnote 1: See References in Text note below."]
        );
        // "section 212 See ..." is a number, not a marker and a footnote.
        let mut notes = Vec::new();
        let s = "as in section 212 See Other note below. and more";
        assert_eq!(cut_footnotes(s, &mut notes), s);
        assert!(notes.is_empty());
    }

    #[test]
    fn notes_are_capped_at_a_first_sentence() {
        let long = format!("#### Long\n\n{}\n", "word ".repeat(200));
        let notes = section_notes(&long.lines().collect::<Vec<_>>());
        assert_eq!(notes.len(), 1);
        assert!(notes[0].chars().count() <= NOTE_CAP + 1, "{}", notes[0]);
        assert!(notes[0].ends_with('…'));
        assert_eq!(
            first_sentence("Pub. L. 95–426, § 611, Oct. 7, 1978, provided that: “Text.” More."),
            "Pub. L. 95–426, § 611, Oct. 7, 1978, provided that: “Text.” More."
        );
        assert_eq!(
            first_sentence("Section was formerly classified to section 903a. Another."),
            "Section was formerly classified to section 903a."
        );
    }
}
