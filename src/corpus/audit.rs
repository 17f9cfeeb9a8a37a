//! The completeness audit of one instrument: which article numbers its reader found, the holes
//! in that numbering, numbers repeated without being versions, texts cut short and articles
//! whose text sits inside another's. A source that silently lacks articles would make the
//! coverage matrix and the gap analysis say "no obligation on X" when the article on X is only
//! missing from the file; the audit lets every answer that relies on the instrument say so.
//!
//! Decisions:
//! - Numbering is audited per part (the body, each annex or schedule, the ADCT), from 1 to the
//!   highest base number found: a law's articles start at 1, so a body that opens at article 5
//!   lacks 1-4. Suffixed articles (`5 bis`, `10-a`, `211a`, `2.1`) sit on their base number and
//!   never make a hole of their own.
//! - Transitory parts (numbered by ordinals, one part per amending decree) are counted but not
//!   audited for holes.
//! - Code-style numbering (a part whose lowest number is above 100, as U.S. Code sections are)
//!   is not consecutive by design: its holes are not audited, and the audit says so.
//! - A number repeated in one part is a version when one of the copies is repealed (a repealed
//!   article kept as a note beside its replacement); otherwise it is reported as repeated.

use super::raw::RawProvision;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Whether an instrument's text holds every article its numbering implies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = AuditStatus)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No hole, no text cut short.
    #[default]
    Complete,
    /// Articles are missing or cut short: an absence in this source proves nothing.
    Partial,
}

/// The audit of one numbered part of an instrument.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartAudit {
    /// `body`, or the part's eId prefix (`annex_1`, `sched_2`, `adct`, `trans_1`).
    pub part: String,
    /// Provisions found in the part.
    pub provisions: usize,
    /// The numbering found, compressed: `1-125 (+ 10-a, 12 bis)`.
    pub numbering: String,
    /// Base numbers between 1 and the highest that no provision carries (`1-4`, `7`).
    pub missing: Vec<String>,
    /// Numbers that occur more than once without being versions.
    pub repeated: Vec<String>,
    /// Articles read in another law's numbering (an amending law's inserted articles), left out
    /// of the holes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inserted: Option<String>,
    /// Why holes were not audited, when they were not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_audited: Option<String>,
}

/// The audit of one instrument.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Completeness {
    pub status: Status,
    /// How many article numbers are missing, over all audited parts.
    pub missing_count: usize,
    pub parts: Vec<PartAudit>,
    /// Provisions whose text stops mid-sentence (number as printed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cut_short: Vec<String>,
    /// Missing articles whose text was found inside another provision: `5 (in 4)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<String>,
}

impl Completeness {
    pub fn is_partial(&self) -> bool {
        self.status == Status::Partial
    }

    /// One line for a terminal: `complete: 1-125` or `partial: missing 5, 72 (2 articles)`.
    pub fn summary(&self) -> String {
        let body = self
            .parts
            .first()
            .map(|p| p.numbering.as_str())
            .unwrap_or("");
        match self.status {
            Status::Complete => format!("complete: {body}"),
            Status::Partial => {
                let mut s = String::from("partial:");
                if self.missing_count > 0 {
                    let missing: Vec<String> = self
                        .parts
                        .iter()
                        .filter(|p| !p.missing.is_empty())
                        .map(|p| {
                            let list = p.missing.join(", ");
                            if p.part == "body" {
                                list
                            } else {
                                format!("{}: {list}", p.part)
                            }
                        })
                        .collect();
                    s.push_str(&format!(
                        " missing {} ({} article{})",
                        missing.join("; "),
                        self.missing_count,
                        if self.missing_count == 1 { "" } else { "s" }
                    ));
                }
                if !self.cut_short.is_empty() {
                    s.push_str(&format!(" cut short: {}", self.cut_short.join(", ")));
                }
                if !self.merged.is_empty() {
                    s.push_str(&format!(
                        "; text found inside another: {}",
                        self.merged.join(", ")
                    ));
                }
                s
            }
        }
    }
}

/// An article number split into its base and suffix: `10-a` -> (10, "-a"), `5 bis` ->
/// (5, " bis"), `2.1` -> (2, ".1"), `art16` -> (16, ""). None when it does not start with a
/// number (`unico`).
fn split_number(n: &str) -> Option<(u32, &str)> {
    // JSON sources number provisions `art16`, `sec72a`: the element word is not the number.
    let n = n.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let digits = n.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    let base = n[..digits].parse().ok()?;
    Some((base, &n[digits..]))
}

/// The numbers a provision covers: one, or a printed range (`14 and 15`, `14 à 16`), which a
/// repeal of several sections leaves behind.
fn covered(n: &str) -> Vec<u32> {
    let Some((base, suffix)) = split_number(n) else {
        return vec![];
    };
    let words: Vec<&str> = suffix.split_whitespace().collect();
    if let [joiner, end] = words.as_slice() {
        if ["and", "to", "et", "à", "a", "y", "al"].contains(joiner) {
            if let Ok(end) = end.parse::<u32>() {
                if end > base && end - base < 50 {
                    return (base..=end).collect();
                }
            }
        }
    }
    vec![base]
}

/// Numbers of a run of provisions, in document order, after which the numbering falls back
/// below the run's start: the articles an amending law inserts into another (`2, 190..222, 3`).
fn inserted_numbers(ps: &[&RawProvision]) -> HashSet<u32> {
    let seq: Vec<u32> = ps
        .iter()
        .filter_map(|p| split_number(&p.number).map(|(b, _)| b))
        .collect();
    let mut out = HashSet::new();
    let mut run_start = 0;
    for i in 1..=seq.len() {
        let breaks = i == seq.len() || seq[i] < seq[i - 1] || seq[i] > seq[i - 1] + 20;
        if !breaks {
            continue;
        }
        // The run seq[run_start..i] is an insertion when the numbering after it restarts lower.
        if i < seq.len() && seq[i] < seq[run_start] && run_start > 0 {
            out.extend(seq[run_start..i].iter().copied());
        }
        run_start = i;
    }
    out
}

/// `[1,2,3,5,7,8]` -> `1-3, 5, 7-8`.
fn ranges(nums: &[u32]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let start = nums[i];
        let mut end = start;
        while i + 1 < nums.len() && nums[i + 1] == end + 1 {
            i += 1;
            end = nums[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    out
}

/// Words no sentence of law ends on, in the four languages: articles, prepositions,
/// conjunctions and clitics.
const NO_FINAL: &[&str] = &[
    "a", "al", "con", "de", "del", "el", "en", "la", "las", "lo", "los", "o", "para", "por", "que",
    "se", "su", "sus", "un", "una", "y", "e", "u", "the", "of", "and", "or", "to", "an", "in",
    "for", "by", "with", "that", "on", "le", "les", "des", "du", "et", "ou", "pour", "par", "au",
    "aux", "da", "do", "das", "dos", "na", "no", "nas", "nos", "os", "as", "em", "ao",
];

/// The text stops where no sentence can end: on a comma, a hyphen that breaks a word, or an
/// article, preposition or conjunction. A lower-case last word alone is no sign: headings of
/// the next article and signature lines end that way too.
fn cut_short(text: &str) -> bool {
    let t = text.trim_end();
    if t.ends_with(',') || t.ends_with('-') && !t.ends_with(" -") {
        return true;
    }
    let last = t.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    !last.is_empty()
        && last.chars().all(|c| c.is_alphabetic())
        && NO_FINAL.contains(&last.to_lowercase().as_str())
}

/// Audits the provisions a reader returned, in document order.
pub fn audit(provisions: &[RawProvision]) -> Completeness {
    // Parts in document order, the body first.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<&RawProvision>> = HashMap::new();
    for p in provisions {
        let key = p.part_eid.clone().unwrap_or_else(|| "body".to_string());
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(p);
    }
    order.sort_by_key(|k| k != "body");
    let mut c = Completeness::default();
    let mut inserted_note: Option<String> = None;
    let mut all_missing: Vec<(String, u32)> = Vec::new();
    for name in order {
        let ps = groups.remove(&name).unwrap_or_default();
        let mut by_number: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
        for p in &ps {
            let e = by_number.entry(p.number.as_str()).or_insert((0, false));
            e.0 += 1;
            e.1 |= p.repealed;
        }
        let repeated: Vec<String> = by_number
            .iter()
            .filter(|(_, (n, rep))| *n > 1 && !rep)
            .map(|(k, (n, _))| format!("{k} ({n}x)"))
            .collect();
        let mut bases: Vec<u32> = Vec::new();
        let mut suffixed: Vec<&str> = Vec::new();
        let mut other: Vec<&str> = Vec::new();
        for n in by_number.keys() {
            let nums = covered(n);
            match split_number(n) {
                Some((_, "")) => {}
                Some(_) if nums.len() > 1 => {}
                Some(_) => suffixed.push(n),
                None => other.push(n),
            }
            bases.extend(nums);
        }
        let inserted = inserted_numbers(&ps);
        bases.retain(|b| !inserted.contains(b));
        bases.sort_unstable();
        bases.dedup();
        let transitory = ps.iter().all(|p| p.transitory);
        // U.S. Code sections are numbered by chapter, with long runs of numbers no section
        // has; a law's articles are not.
        let code_style =
            bases.first().is_some_and(|b| *b > 100) || bases.windows(2).any(|w| w[1] - w[0] > 100);
        // A schedule or annex is audited when it reads as a numbering of its own: a few items
        // of a form or an amending schedule are not one.
        let dense =
            bases.len() >= 3 && bases.last().is_some_and(|m| bases.len() * 2 >= *m as usize);
        if !inserted.is_empty() {
            let mut v: Vec<u32> = inserted.iter().copied().collect();
            v.sort_unstable();
            inserted_note = Some(format!(
                "{}: articles {} read in another law's numbering (inserted by an amending article)",
                name,
                ranges(&v).join(", ")
            ));
        }
        let mut audit = PartAudit {
            part: name.clone(),
            provisions: ps.len(),
            numbering: numbering(&bases, &suffixed, &other),
            repeated,
            inserted: inserted_note.take(),
            ..Default::default()
        };
        if transitory {
            audit.not_audited = Some("transitory articles (numbered by ordinals)".into());
        } else if code_style {
            audit.not_audited =
                Some("code-style section numbers, not consecutive by design".into());
        } else if name != "body" && !dense {
            audit.not_audited =
                Some("not a consecutive numbering (a form or amending schedule)".into());
        } else if bases
            .last()
            .is_some_and(|m| *m as usize > 20 * bases.len().max(10))
        {
            // A few scattered numbers (a schedule's items, a section cited by its number) are
            // not a numbering to find holes in.
            audit.not_audited = Some("numbers too sparse to be a sequence".into());
        } else if let Some(&max) = bases.last() {
            let have: HashSet<u32> = bases.iter().copied().collect();
            let missing: Vec<u32> = (1..=max).filter(|n| !have.contains(n)).collect();
            all_missing.extend(missing.iter().map(|m| (name.clone(), *m)));
            audit.missing = ranges(&missing);
        }
        c.parts.push(audit);
    }
    c.missing_count = all_missing.len();
    // A missing article whose heading opens a line inside another provision was merged into it
    // by the source's own extraction. Each provision's inner headings are read once.
    if !all_missing.is_empty() {
        let missing: HashSet<(&str, u32)> =
            all_missing.iter().map(|(p, m)| (p.as_str(), *m)).collect();
        for p in provisions {
            let part = p.part_eid.as_deref().unwrap_or("body");
            for n in inner_article_headings(&p.text) {
                if missing.contains(&(part, n)) {
                    c.merged.push(format!("{n} (in {})", p.number));
                }
            }
        }
    }
    c.cut_short = provisions
        .iter()
        .filter(|p| !p.repealed && !p.vetoed && !p.transitory && cut_short(&p.text))
        .map(|p| p.number.clone())
        .collect();
    c.cut_short.dedup();
    c.status = if c.missing_count > 0 || !c.cut_short.is_empty() {
        Status::Partial
    } else {
        Status::Complete
    };
    c
}

fn numbering(bases: &[u32], suffixed: &[&str], other: &[&str]) -> String {
    let mut s = ranges(bases).join(", ");
    let extra: Vec<&str> = suffixed.iter().chain(other).copied().collect();
    if !extra.is_empty() {
        const SHOW: usize = 8;
        let shown: Vec<&str> = extra.iter().take(SHOW).copied().collect();
        let more = extra.len().saturating_sub(SHOW);
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!(
            "(+ {}{})",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    s
}

/// Article numbers whose heading opens a line of `text` (not its first) or follows one of its
/// sentences: `Artículo 5°.- ...`, `Art. 12. ...`.
fn inner_article_headings(text: &str) -> Vec<u32> {
    let starts = text
        .match_indices('\n')
        .chain(text.match_indices(". "))
        .map(|(i, sep)| i + sep.len());
    let mut out = Vec::new();
    for at in starts {
        let head: String = text[at..].chars().take(16).collect();
        let f = crate::text::fold_lower(head.trim_start());
        let rest = f
            .strip_prefix("articulo")
            .or_else(|| f.strip_prefix("art."))
            .or_else(|| f.strip_prefix("article"));
        if let Some((b, suf)) = rest.and_then(|r| split_number(r.trim_start())) {
            if suf.trim_start().starts_with(['.', '°', 'º', '-', '–']) {
                out.push(b);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(n: &str, text: &str) -> RawProvision {
        RawProvision {
            element: "art",
            number: n.into(),
            text: text.into(),
            ..Default::default()
        }
    }

    const FULL: &str = "El Estado prestará asistencia consular a sus nacionales en el exterior.";

    #[test]
    fn a_whole_numbering_is_complete_and_suffixes_make_no_holes() {
        let ps: Vec<_> = ["1", "2", "2 bis", "3", "3-a", "4"]
            .iter()
            .map(|n| art(n, FULL))
            .collect();
        let c = audit(&ps);
        assert_eq!(c.status, Status::Complete);
        assert_eq!(c.parts[0].numbering, "1-4 (+ 2 bis, 3-a)");
        assert!(c.parts[0].missing.is_empty());
    }

    #[test]
    fn holes_from_one_to_the_highest_number_make_it_partial() {
        let ps: Vec<_> = ["5", "6", "8", "9"].iter().map(|n| art(n, FULL)).collect();
        let c = audit(&ps);
        assert_eq!(c.status, Status::Partial);
        assert_eq!(c.parts[0].missing, vec!["1-4", "7"]);
        assert_eq!(c.missing_count, 5);
        assert!(
            c.summary().contains("missing 1-4, 7 (5 articles)"),
            "{}",
            c.summary()
        );
    }

    #[test]
    fn a_missing_article_found_inside_another_is_reported_as_merged() {
        let ps = vec![
            art("3", FULL),
            art("4", "Inscripción automática de los ciudadanos.\nArtículo 5°.- Inscripción condicional de quienes residan en el exterior."),
            art("6", FULL),
        ];
        let c = audit(&ps);
        assert_eq!(c.merged, vec!["5 (in 4)"]);
        assert!(c.parts[0].missing.contains(&"5".to_string()));
    }

    #[test]
    fn repeats_are_versions_only_when_one_copy_is_repealed() {
        let mut old = art("2", "Derogado por la Ley 1.");
        old.repealed = true;
        let c = audit(&[
            art("1", FULL),
            old,
            art("2", FULL),
            art("3", FULL),
            art("3", FULL),
        ]);
        assert_eq!(c.parts[0].repeated, vec!["3 (2x)"]);
    }

    #[test]
    fn transitory_and_code_style_parts_are_counted_but_not_audited_for_holes() {
        let mut t = art("primero", FULL);
        t.transitory = true;
        t.part_eid = Some("trans_1".into());
        let sections: Vec<_> = ["1101", "1103", "1110"]
            .iter()
            .map(|n| art(n, FULL))
            .collect();
        let c = audit(&[sections, vec![t]].concat());
        assert_eq!(c.status, Status::Complete);
        assert!(c.parts[0]
            .not_audited
            .as_deref()
            .unwrap()
            .contains("code-style"));
        assert_eq!(c.parts[1].part, "trans_1");
        assert!(c.parts[1].not_audited.is_some());
    }

    #[test]
    fn a_text_that_stops_mid_sentence_is_cut_short() {
        let cut = art(
            "2",
            "Los funcionarios consulares deberán visitar a los nacionales detenidos en su circunscripción y",
        );
        // A heading of the next article left on the last line is no cut.
        let heading = art(
            "3",
            "Las listas siguen así:\nComisión para cargos de libre nombramiento",
        );
        let c = audit(&[art("1", FULL), cut, heading]);
        assert_eq!(c.cut_short, vec!["2"]);
        assert_eq!(c.status, Status::Partial);
    }
}
