//! Reader for Justice Canada's consolidated XML (`Statute` and `Regulation` documents, English
//! and French). Sections become provisions (`sec_2.1`), with the `MarginalNote` as heading, the
//! Body `Heading`s as hierarchy and repealed sections marked. Schedules that hold a treaty
//! (the Vienna Convention on Consular Relations is Schedule II of F-29.4) become one provision
//! per article (`sched_2__art_36`); other schedules become one provision each. Orders with no
//! sections (some SI/TR instruments) become a single `order_1` provision.
//!
//! Not for: linking English and French twins; that needs the whole corpus (see `corpus::load`).

use super::raw::{line_of, tidy_text, ParsedDoc, RawProvision, ReadError};
use crate::corpus::model::normalise_number;
use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Default)]
struct Schedule {
    number: String,
    label: String,
    title: String,
    loose: String,
    emitted: usize,
}

#[derive(Default)]
struct State {
    stack: Vec<String>,
    doc: ParsedDoc,
    cur: Option<RawProvision>,
    cur_text: String,
    cur_heading: String,
    section_depth: Option<usize>,
    skip_depth: Option<usize>,
    hierarchy: Vec<(usize, String)>,
    heading_level: usize,
    heading_buf: String,
    group_label: String,
    group_title: String,
    schedule: Option<Schedule>,
    schedules: usize,
    order_text: String,
    id_field: String,
    title_short: String,
    title_long: String,
    number_buf: String,
    year: String,
    month: String,
    day: String,
    date_done: bool,
}

fn roman(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

/// `SCHEDULE II` / `ANNEXE II` / `SCHEDULE 3` -> "2" / "2" / "3"; a bare `SCHEDULE` -> "1".
fn schedule_number(label: &str, ordinal: usize) -> String {
    let word = label.split_whitespace().nth(1).unwrap_or("");
    if let Ok(n) = word.parse::<u32>() {
        return n.to_string();
    }
    roman(word.trim_matches(|c: char| !c.is_alphanumeric()))
        .map(|n| n.to_string())
        .unwrap_or_else(|| ordinal.to_string())
}

/// `Article 36` / `Article premier` -> Some("36") / Some("1").
fn article_label(label: &str) -> Option<String> {
    if label.trim().eq_ignore_ascii_case("final article") {
        return Some("final".to_string());
    }
    let mut w = label.split_whitespace();
    let first = w.next()?.to_lowercase();
    if first != "article" {
        return None;
    }
    let n = w.next()?;
    // Roman numerals become arabic so English "Article I" meets French "Article premier".
    let n = match n.to_lowercase().as_str() {
        "premier" | "first" => "1".to_string(),
        other => roman(other)
            .map(|v| v.to_string())
            .unwrap_or_else(|| other.to_string()),
    };
    Some(normalise_number(&n))
}

impl State {
    fn parent(&self) -> &str {
        self.stack
            .iter()
            .rev()
            .nth(1)
            .map(|s| s.as_str())
            .unwrap_or("")
    }
    fn inside(&self, name: &str) -> bool {
        self.stack.iter().any(|s| s == name)
    }

    fn finish_provision(&mut self) {
        if let Some(mut p) = self.cur.take() {
            p.text = tidy_text(&self.cur_text);
            // A <Repealed> note inside one subsection does not repeal the section's other
            // subsections: the section is repealed only when nothing else is left.
            p.repealed = p.repealed && only_repeal_notes(&p.text);
            let h = tidy_text(&self.cur_heading).replace('\n', " ");
            if !h.is_empty() {
                p.heading = Some(h);
            }
            if let Some(s) = self.schedule.as_mut() {
                if p.part_eid.is_some() {
                    s.emitted += 1;
                }
            }
            self.doc.provisions.push(p);
        }
        self.cur_text.clear();
        self.cur_heading.clear();
        self.section_depth = None;
    }

    fn hierarchy_vec(&self) -> Vec<String> {
        self.hierarchy.iter().map(|(_, h)| h.clone()).collect()
    }

    fn start(&mut self, name: &str, attr: impl Fn(&str) -> Option<String>) {
        self.stack.push(name.to_string());
        let depth = self.stack.len();
        if self.skip_depth.is_some() {
            return;
        }
        match name {
            "Statute" | "Regulation" if depth == 1 => {
                self.doc.meta.language = attr("xml:lang");
                self.doc.meta.rank = Some(match (name, attr("regulation-type")) {
                    ("Statute", _) => "statute".to_string(),
                    (_, Some(t)) if t == "SI" || t == "TR" => "order".to_string(),
                    _ => "regulation".to_string(),
                });
                self.doc.meta.status = Some(if attr("in-force").as_deref() == Some("no") {
                    "not_in_force".into()
                } else {
                    "in_force".into()
                });
            }
            "Footnote" | "HistoricalNote" | "FootnoteRef" | "Note" | "ReaderNote" => {
                self.skip_depth = Some(depth);
            }
            "Section" if self.section_depth.is_none() => {
                self.finish_provision();
                let (element, part_eid, part_label) = match &self.schedule {
                    Some(s) => (
                        "sec",
                        Some(format!("sched_{}", s.number)),
                        Some(s.label.clone()),
                    ),
                    None => ("sec", None, None),
                };
                self.cur = Some(RawProvision {
                    element,
                    hierarchy: self.hierarchy_vec(),
                    part_eid,
                    part_label,
                    ..Default::default()
                });
                self.section_depth = Some(depth);
                self.number_buf.clear();
            }
            "Schedule" => {
                self.finish_provision();
                self.schedules += 1;
                self.schedule = Some(Schedule::default());
            }
            "Heading" if !self.inside("Schedule") || self.cur.is_none() => {
                self.heading_level = attr("level").and_then(|l| l.parse().ok()).unwrap_or(1);
                self.heading_buf.clear();
            }
            "GroupHeading" => {
                self.group_label.clear();
                self.group_title.clear();
            }
            // each subsection has its own marginal note: keep them apart ("Prohibition;
            // Waiver"), not run together into one word
            "MarginalNote" if self.cur.is_some() && !self.cur_heading.trim().is_empty() => {
                self.cur_heading.push_str("; ");
            }
            "Repealed" => {
                if let Some(c) = self.cur.as_mut() {
                    c.repealed = true;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        let depth = self.stack.len();
        if self.skip_depth == Some(depth) {
            self.skip_depth = None;
            self.stack.pop();
            return;
        }
        if self.skip_depth.is_none() {
            match name {
                "Section" if self.section_depth == Some(depth) => {
                    // Ranges of repealed sections: "14 and 15" / "14 et 15", "559 to 572" / "559 à 572".
                    let number = normalise_number(&self.number_buf)
                        .replace(" et ", " and ")
                        .replace(" à ", " to ");
                    if let Some(c) = self.cur.as_mut() {
                        c.number = number;
                    }
                    self.finish_provision();
                }
                "Text" | "Label" | "TitleText" | "Definition" | "Provision" | "Paragraph"
                | "Subsection" => {
                    if name == "Text" || name == "Provision" {
                        self.push_text("\n");
                    } else {
                        self.push_text(" ");
                    }
                }
                "Heading" if self.cur.is_none() || !self.inside("Schedule") => {
                    if !self.inside("Schedule") && !self.inside("ScheduleFormHeading") {
                        let text = tidy_text(&self.heading_buf).replace('\n', " ");
                        if !text.is_empty() {
                            let level = self.heading_level;
                            self.hierarchy.retain(|(l, _)| *l < level);
                            self.hierarchy.push((level, text));
                        }
                    }
                    self.heading_buf.clear();
                }
                "GroupHeading" => self.end_group_heading(),
                "ScheduleFormHeading" => {
                    if let Some(s) = self.schedule.as_mut() {
                        s.number = schedule_number(&s.label, self.schedules);
                        let t = s.title.trim().to_string();
                        s.label = if t.is_empty() {
                            s.label.trim().to_string()
                        } else {
                            format!("{} - {}", s.label.trim(), t)
                        };
                    }
                }
                "Schedule" => {
                    self.finish_provision();
                    if let Some(s) = self.schedule.take() {
                        let loose = tidy_text(&s.loose);
                        if s.emitted == 0 && !loose.is_empty() {
                            let number = if s.number.is_empty() {
                                self.schedules.to_string()
                            } else {
                                s.number.clone()
                            };
                            self.doc.provisions.push(RawProvision {
                                element: "sched",
                                number,
                                heading: Some(s.label.clone()).filter(|l| !l.is_empty()),
                                text: loose,
                                ..Default::default()
                            });
                        }
                    }
                    self.hierarchy.retain(|(l, _)| *l < 100);
                }
                "Date"
                    if self.inside("Identification")
                        && !self.date_done
                        && !self.year.is_empty() =>
                {
                    self.date_done = true;
                    let (y, m, d) = (&self.year, &self.month, &self.day);
                    let m: u32 = m.trim().parse().unwrap_or(1);
                    let d: u32 = d.trim().parse().unwrap_or(1);
                    self.doc.meta.publication_date = Some(format!("{}-{m:02}-{d:02}", y.trim()));
                }
                _ => {}
            }
        }
        self.stack.pop();
    }

    fn end_group_heading(&mut self) {
        let mut label = self
            .group_label
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut title = self
            .group_title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // Some schedules put "Article 1" in the TitleText and have no Label.
        if label.is_empty() && article_label(&title).is_some() {
            label = std::mem::take(&mut title);
        }
        if let (Some(n), Some(s)) = (article_label(&label), self.schedule.as_ref()) {
            let part = format!("sched_{}", s.number);
            let part_label = s.label.clone();
            self.finish_provision();
            self.cur = Some(RawProvision {
                element: "art",
                number: n,
                hierarchy: std::iter::once(part_label.clone())
                    .chain(
                        self.hierarchy
                            .iter()
                            .filter(|(l, _)| *l >= 100)
                            .map(|(_, h)| h.clone()),
                    )
                    .collect(),
                part_eid: Some(part),
                part_label: Some(part_label),
                ..Default::default()
            });
            self.cur_heading = title;
        } else if self.schedule.is_some() {
            // CHAPTER / Section headings inside a schedule
            self.finish_provision();
            let level = if label.to_lowercase().starts_with("section") {
                101
            } else {
                100
            };
            self.hierarchy.retain(|(l, _)| *l < level);
            let text = if title.is_empty() {
                label
            } else if label.is_empty() {
                title
            } else {
                format!("{label} - {title}")
            };
            self.hierarchy.push((level, text));
        } else if self.cur.is_some() && (!label.is_empty() || !title.is_empty()) {
            // a group heading inside a section (a table or list title) is part of its text
            self.cur_text.push_str(&format!("{label} {title}\n"));
        }
    }

    fn push_text(&mut self, t: &str) {
        if self.skip_depth.is_some() {
            return;
        }
        let name = self.stack.last().map(|s| s.as_str()).unwrap_or("");
        let parent = self.parent().to_string();
        if self.inside("Identification") {
            match name {
                "ShortTitle" => self.title_short.push_str(t),
                "LongTitle" => self.title_long.push_str(t),
                "InstrumentNumber" | "ConsolidatedNumber" => self.id_field.push_str(t),
                "YYYY" if !self.date_done => self.year.push_str(t),
                "MM" if !self.date_done => self.month.push_str(t),
                "DD" if !self.date_done => self.day.push_str(t),
                _ => {}
            }
            return;
        }
        if self.inside("GroupHeading") {
            match name {
                "Label" => self.group_label.push_str(t),
                "TitleText" => self.group_title.push_str(t),
                _ => {}
            }
            return;
        }
        if self.inside("ScheduleFormHeading") {
            if let Some(s) = self.schedule.as_mut() {
                match name {
                    "Label" => s.label.push_str(t),
                    "TitleText" => s.title.push_str(t),
                    _ => {}
                }
            }
            return;
        }
        if self.cur.is_some() {
            if self.section_depth.is_some() && name == "Label" && parent == "Section" {
                self.number_buf.push_str(t);
            } else if self.inside("MarginalNote") {
                self.cur_heading.push_str(t);
            } else {
                self.cur_text.push_str(t);
            }
            return;
        }
        if self.inside("Heading") && !self.inside("Schedule") {
            self.heading_buf.push_str(t);
            if name == "Label" {
                self.heading_buf.push_str(" - ");
            }
            return;
        }
        if let Some(s) = self.schedule.as_mut() {
            s.loose.push_str(t);
            return;
        }
        if self.inside("Order") {
            self.order_text.push_str(t);
        }
    }
}

/// Parses one Justice Canada XML file.
pub fn read(bytes: &[u8]) -> Result<ParsedDoc, ReadError> {
    let src = super::raw::decode_utf8(bytes)?;
    let mut reader = Reader::from_str(src);
    let mut st = State::default();
    let offset_base = bytes.len() - src.len();
    loop {
        let ev = reader.read_event().map_err(|e| {
            let pos = reader.error_position() as usize + offset_base;
            ReadError::at(
                line_of(bytes, pos),
                format!("broken XML at byte {pos}: {e}"),
            )
        })?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let attrs: Vec<(String, String)> = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        (
                            String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                            a.unescape_value()
                                .map(|v| v.into_owned())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                st.start(&name, |k| {
                    attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
                });
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                st.start(&name, |_| None);
                st.end(&name);
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if st.stack.last().map(|s| s.as_str()) != Some(name.as_str()) {
                    let pos = reader.buffer_position() as usize + offset_base;
                    return Err(ReadError::at(
                        line_of(bytes, pos),
                        format!("mismatched closing tag </{name}>"),
                    ));
                }
                st.end(&name);
            }
            Event::Text(t) => {
                let s = t.unescape().map_err(|e| {
                    let pos = reader.buffer_position() as usize + offset_base;
                    ReadError::at(line_of(bytes, pos), format!("bad entity: {e}"))
                })?;
                st.push_text(&s);
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t).into_owned();
                st.push_text(&s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !st.stack.is_empty() {
        return Err(ReadError::at(
            line_of(bytes, bytes.len()),
            format!("truncated XML: <{}> is never closed", st.stack.join("><")),
        ));
    }
    st.finish_provision();
    let title = if !st.title_short.trim().is_empty() {
        st.title_short
    } else {
        st.title_long
    };
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if !title.is_empty() {
        st.doc.meta.title = Some(title);
    }
    let id = st.id_field.trim().to_string();
    if !id.is_empty() {
        st.doc.meta.identifier = Some(id);
    }
    if st.doc.provisions.is_empty() {
        let text = tidy_text(&st.order_text);
        if !text.is_empty() {
            st.doc.provisions.push(RawProvision {
                element: "order",
                number: "1".into(),
                text,
                ..Default::default()
            });
        }
    }
    Ok(st.doc)
}

/// Whether a section's text is nothing but bracketed repeal notes and subsection labels.
fn only_repeal_notes(text: &str) -> bool {
    let mut depth = 0usize;
    let mut words = 0usize;
    let mut in_word = false;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphabetic() => {
                if !in_word {
                    words += 1;
                }
                in_word = true;
                continue;
            }
            _ => {}
        }
        in_word = false;
    }
    // subsection labels like "(a)" leave single letters behind
    words <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"<?xml version="1.0" encoding="utf-8"?><Regulation regulation-type="SOR" xml:lang="en"><Identification><InstrumentNumber>SOR/99-1</InstrumentNumber><RegistrationDate><Date><YYYY>1999</YYYY><MM>2</MM><DD>3</DD></Date></RegistrationDate><ShortTitle>Test Fees Regulations</ShortTitle></Identification><Body><Heading level="1"><TitleText>Fees</TitleText></Heading><Section><MarginalNote>Passport fee</MarginalNote><Label>2.1</Label><Subsection><Label>(1)</Label><Text>The fee for a passport is $10.<FootnoteRef>*</FootnoteRef></Text></Subsection></Section><Section><Label>3</Label><Repealed>[Repealed, SOR/2000-1, s. 2]</Repealed></Section></Body><Schedule><ScheduleFormHeading><Label>SCHEDULE II</Label><TitleText>A Convention</TitleText></ScheduleFormHeading><Provision><Text>Preamble.</Text></Provision><Group><GroupHeading><Label>Article premier</Label><TitleText>Definitions</TitleText></GroupHeading><Provision><Text>Words mean things.</Text></Provision></Group><Group><GroupHeading><Label>CHAPTER I</Label><TitleText>General</TitleText></GroupHeading></Group><Group><GroupHeading><Label>Article 2</Label><TitleText>Scope</TitleText></GroupHeading><Provision><Text>It applies.</Text></Provision></Group></Schedule></Regulation>"#;

    #[test]
    fn a_repealed_subsection_leaves_the_section_in_force() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><Statute xml:lang="en"><Identification><ShortTitle>Test Act</ShortTitle></Identification><Body><Section><Label>10</Label><Subsection><Label>(1)</Label><Text>The Minister may revoke a person's citizenship.</Text></Subsection><Subsection><Label>(2)</Label><Repealed>[Repealed, 2017, c. 14, s. 3]</Repealed></Subsection></Section><Section><Label>11</Label><Subsection><Label>(1)</Label><Repealed>[Repealed, 2017, c. 14, s. 4]</Repealed></Subsection><Subsection><Label>(2)</Label><Repealed>[Repealed, 2017, c. 14, s. 4]</Repealed></Subsection></Section></Body></Statute>"#;
        let doc = read(xml.as_bytes()).unwrap();
        assert_eq!(doc.provisions.len(), 2);
        assert!(!doc.provisions[0].repealed, "{:?}", doc.provisions[0]);
        assert!(doc.provisions[1].repealed, "{:?}", doc.provisions[1]);
    }

    #[test]
    fn sections_schedules_and_repeals() {
        let doc = read(SMALL.as_bytes()).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Test Fees Regulations"));
        assert_eq!(doc.meta.publication_date.as_deref(), Some("1999-02-03"));
        let p = &doc.provisions;
        assert_eq!(p.len(), 4, "{p:#?}");
        assert_eq!(p[0].number, "2.1");
        assert_eq!(p[0].heading.as_deref(), Some("Passport fee"));
        assert_eq!(p[0].text, "(1) The fee for a passport is $10.");
        assert_eq!(p[0].hierarchy, vec!["Fees".to_string()]);
        assert!(p[1].repealed);
        assert!(!p[0].repealed);
        assert_eq!(p[2].part_eid.as_deref(), Some("sched_2"));
        assert_eq!(p[2].number, "1");
        assert_eq!(p[2].heading.as_deref(), Some("Definitions"));
        assert_eq!(
            p[3].hierarchy.last().map(|s| s.as_str()),
            Some("CHAPTER I - General")
        );
    }

    #[test]
    fn subsection_marginal_notes_stay_apart() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><Statute xml:lang="en"><Identification><ShortTitle>Test Act</ShortTitle></Identification><Body><Section><MarginalNote>Prohibition</MarginalNote><Label>22</Label><Subsection><Label>(1)</Label><Text>No person shall be granted citizenship.</Text></Subsection><Subsection><MarginalNote>Waiver</MarginalNote><Label>(2)</Label><Text>The Minister may waive it.</Text></Subsection></Section></Body></Statute>"#;
        let doc = read(xml.as_bytes()).unwrap();
        assert_eq!(
            doc.provisions[0].heading.as_deref(),
            Some("Prohibition; Waiver")
        );
    }

    #[test]
    fn truncated_xml_is_an_error_with_a_line() {
        let cut = &SMALL[..SMALL.len() / 2];
        let err = read(cut.as_bytes()).unwrap_err();
        assert!(
            err.reason.contains("truncated") || err.reason.contains("broken"),
            "{err}"
        );
        assert!(err.line.is_some());
    }
}
