//! Operator views of the index root: status, change reports since a generation or a date, and
//! rollback to the previous generation.

use super::generation::{self, GenerationMeta};
use super::manifest::ChangeReport;
use crate::error::{Error, Result};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = IndexStatus)]
pub struct Status {
    pub current: Option<String>,
    pub meta: Option<GenerationMeta>,
    /// Generations on disk, oldest first.
    pub generations: Vec<String>,
    /// The last reindex's report (or refusal), as written by it.
    pub last_reindex: Option<serde_json::Value>,
}

pub fn status(root: &Path) -> Result<Status> {
    let current = generation::current(root)?;
    let meta = current
        .as_ref()
        .and_then(|g| generation::read_meta(root, g).ok());
    let last_reindex = std::fs::read_to_string(root.join("last_reindex.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    Ok(Status {
        current,
        meta,
        generations: generation::list(root)?,
        last_reindex,
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Changes {
    pub since: String,
    /// Change reports of the generations after `since`, oldest first, filtered.
    pub generations: Vec<ChangeReport>,
    /// Set when `since` is older than the generations kept (only the last 3 are kept).
    pub note: Option<String>,
}

/// Whether `since` names a generation (`true`) or a date or date-time (`false`); anything
/// else is refused, naming `since`.
pub fn check_since(since: &str) -> Result<bool> {
    let is_generation = since.starts_with('g')
        && since.len() > 8
        && since[1..].chars().all(|c| c.is_ascii_alphanumeric());
    let is_date = !is_generation && looks_like_date(since);
    if is_date {
        check_date(since).map_err(|m| Error::invalid("since", m))?;
    }
    if !is_generation && !is_date {
        return Err(Error::invalid(
            "since",
            format!(
                "'{}' is neither a generation name (g...) nor a date (YYYY-MM-DD)",
                since.chars().take(40).collect::<String>()
            ),
        ));
    }
    Ok(is_generation)
}

/// Change reports of the generations built after `since` (a generation name, or a date
/// `YYYY-MM-DD` / RFC 3339 time), optionally only for one country and/or category.
pub fn changes(
    root: &Path,
    since: &str,
    country: Option<&str>,
    category: Option<&str>,
) -> Result<Changes> {
    let since = since.trim();
    let is_generation = check_since(since)?;
    let names = generation::list(root)?;
    let mut out = Vec::new();
    for n in &names {
        let Ok(meta) = generation::read_meta(root, n) else {
            continue;
        };
        let newer = if is_generation {
            n.as_str() > since
        } else {
            meta.built_at.as_str() >= since
        };
        if !newer {
            continue;
        }
        let p = generation::dir(root, n).join("changes.json");
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let mut r: ChangeReport = serde_json::from_str(&text)
            .map_err(|e| Error::Data(format!("{}: {e}", p.display())))?;
        filter(&mut r, country, category);
        out.push(r);
    }
    let note = if is_generation
        && !names.iter().any(|n| n == since)
        && names.first().is_some_and(|f| f.as_str() > since)
    {
        Some(format!(
            "generation {since} is no longer kept; reports start at {}",
            names[0]
        ))
    } else {
        None
    };
    Ok(Changes {
        since: since.to_string(),
        generations: out,
        note,
    })
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

/// A calendar date `YYYY-MM-DD`, optionally followed by an RFC 3339 time `THH:MM[:SS...]`.
fn check_date(s: &str) -> std::result::Result<(), String> {
    let shown: String = s.chars().take(40).collect();
    let bad = |why: &str| Err(format!("'{shown}' is not a valid date: {why}"));
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return bad("expected YYYY-MM-DD");
    };
    if !(1..=12).contains(&m) {
        return bad("the month is not 01-12");
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d == 0 || d > days {
        return bad(&format!("the month has no day {d:02}"));
    }
    let rest = &s[10..];
    if rest.is_empty() {
        return Ok(());
    }
    let time_ok = rest.len() >= 6
        && matches!(rest.as_bytes()[0], b'T' | b't' | b' ')
        && rest.as_bytes()[3] == b':'
        && rest[1..3].parse::<u32>().is_ok_and(|h| h < 24)
        && rest[4..6].parse::<u32>().is_ok_and(|mi| mi < 60)
        && rest[6..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'Z' | 'z' | '+' | '-'));
    if time_ok {
        Ok(())
    } else {
        bad("after the date, expected a time THH:MM[:SS][Z|+HH:MM]")
    }
}

/// The country a corpus file belongs to: the corpus keeps one folder per country.
fn file_country(rel: &str) -> &str {
    rel.split(['/', '\\']).next().unwrap_or(rel)
}

impl Status {
    /// The status as anyone on the network may see it: no file-system paths (the corpus
    /// folder, and the corpus or index root inside any message, are left out).
    pub fn public(&self, index_root: &Path) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        let mut roots = vec![index_root.display().to_string()];
        if let Some(m) = v.get_mut("meta").and_then(|m| m.as_object_mut()) {
            if let Some(serde_json::Value::String(c)) = m.remove("corpus") {
                roots.push(c);
            }
        }
        roots.retain(|r| !r.is_empty());
        // longest first, so a root inside another is not half-replaced
        roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
        fn scrub(v: &mut serde_json::Value, roots: &[String]) {
            match v {
                serde_json::Value::String(s) => {
                    for r in roots {
                        if s.contains(r.as_str()) {
                            *s = s.replace(&format!("{r}/"), "").replace(r.as_str(), ".");
                        }
                    }
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(|x| scrub(x, roots)),
                serde_json::Value::Object(o) => o.values_mut().for_each(|x| scrub(x, roots)),
                _ => {}
            }
        }
        scrub(&mut v, &roots);
        v
    }
}

fn filter(r: &mut ChangeReport, country: Option<&str>, category: Option<&str>) {
    if let Some(c) = country {
        for files in [
            &mut r.reparsed_files,
            &mut r.removed_files,
            &mut r.kept_files,
        ] {
            files.retain(|f| file_country(f).eq_ignore_ascii_case(c));
        }
    }
    let keep = |c: &str, cats: &[String]| {
        country.is_none_or(|x| x.eq_ignore_ascii_case(c))
            && category.is_none_or(|k| {
                cats.iter()
                    .any(|x| x == k || x.starts_with(&format!("{k}/")))
            })
    };
    r.added.retain(|x| keep(&x.country, &x.categories));
    r.removed.retain(|x| keep(&x.country, &x.categories));
    r.modified.retain(|x| keep(&x.country, &x.categories));
    r.annotation_changes
        .retain(|x| keep(&x.country, &[x.before.clone(), x.after.clone()].concat()));
    if let Some(c) = country {
        r.by_country.retain(|k, _| k.eq_ignore_ascii_case(c));
    }
    if let Some(k) = category {
        r.by_category
            .retain(|x, _| x == k || x.starts_with(&format!("{k}/")));
    }
}

/// Switches back to the generation before the live one. Returns (from, to).
pub fn rollback(root: &Path) -> Result<(String, String)> {
    let current = generation::current(root)?.ok_or_else(|| {
        Error::NoIndex("nothing is served: no generation to roll back from".into())
    })?;
    let names = generation::list(root)?;
    let pos = names
        .iter()
        .position(|n| *n == current)
        .ok_or_else(|| Error::NoIndex(format!("live generation {current} is not on disk")))?;
    let prev = pos
        .checked_sub(1)
        .map(|i| names[i].clone())
        .ok_or_else(|| Error::NotFound(format!("no generation older than {current} is kept")))?;
    super::build::verify_dir(&generation::dir(root, &prev))?;
    generation::switch(root, &prev)?;
    Ok((current, prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_as_calendar_dates() {
        for ok in [
            "2026-02-28",
            "2024-02-29",
            "2026-12-31",
            "2026-01-05T10:30:00Z",
            "2026-01-05T10:30+02:00",
        ] {
            assert_eq!(check_date(ok), Ok(()), "{ok}");
        }
        for bad in [
            "2026-13-45",
            "2026-00-10",
            "2026-02-29",
            "2026-04-31",
            "2026-01-05X",
            "2026-01-05T25:00",
            "20ab-01-01",
        ] {
            let e = check_date(bad).unwrap_err();
            assert!(
                e.contains(bad) && e.contains("not a valid date"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn an_invalid_date_is_refused_naming_since() {
        let root = tempfile::tempdir().unwrap();
        match changes(root.path(), "2026-13-45", None, None) {
            Err(Error::Invalid { param, message }) => {
                assert_eq!(param, "since");
                assert!(message.contains("month"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_country_filter_keeps_only_that_countrys_files() {
        let mut r = ChangeReport {
            reparsed_files: vec!["UY/LEY-1.md".into(), "AR/LEY-2.md".into()],
            removed_files: vec!["ar/x.md".into()],
            kept_files: vec!["uy/y.json".into()],
            ..ChangeReport::default()
        };
        filter(&mut r, Some("UY"), None);
        assert_eq!(r.reparsed_files, ["UY/LEY-1.md"]);
        assert!(r.removed_files.is_empty());
        assert_eq!(r.kept_files, ["uy/y.json"]);
    }

    #[test]
    fn the_public_status_shows_no_paths() {
        let st = Status {
            current: Some("g1".into()),
            meta: Some(GenerationMeta {
                generation: "g1".into(),
                built_at: "2026-01-01T00:00:00Z".into(),
                corpus: "/srv/data/corpus".into(),
                taxonomy_version: "1".into(),
                instruments: 1,
                provisions: 1,
                rejected: 0,
                countries: vec!["UY".into()],
            }),
            generations: vec!["g1".into()],
            last_reindex: Some(
                serde_json::json!({"rejected": [{"reason": "cannot read /srv/data/corpus/UY/a.md: denied"}], "note": "/srv/idx/generations/g1"}),
            ),
        };
        let v = st.public(Path::new("/srv/idx"));
        let text = v.to_string();
        assert!(!text.contains("/srv"), "{text}");
        assert_eq!(
            v["last_reindex"]["rejected"][0]["reason"],
            "cannot read UY/a.md: denied"
        );
        assert_eq!(v["meta"]["countries"][0], "UY");
        assert!(v["meta"].get("corpus").is_none());
    }
}
