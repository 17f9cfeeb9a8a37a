//! The known-item measurement of cross-language search (`consulex eval known-item`), and the
//! Vienna Convention copies it and the standards lens rely on.

use super::{Engine, Query, SearchRequest};
use crate::corpus::model::Language;
use crate::error::Result;
use serde::Serialize;

/// Known-item search across languages: for each titled article of the English Vienna
/// Convention, its title as the query, restricted to one language; is a copy of the same
/// article in that language among the top 10?
#[derive(Debug, Clone, Serialize)]
pub struct KnownItemReport {
    pub language: Language,
    pub articles: usize,
    pub found_in_top10: usize,
    pub share: f64,
    pub missed: Vec<String>,
}

/// The English source copy and, per language, the copies that count as the same article.
pub const VCCR_SOURCE: &str = "intl-bwbv0004334-vienna-convention-on-consular-relations";
pub const VCCR_COPIES: &[(&str, &str)] = &[
    ("ar-ley-17081", "annex_1__art_"),
    ("co-ley-17-1971", "annex_1__art_"),
    ("ca-fra-f-29.4", "sched_2__art_"),
    ("ca-eng-f-29.4", "sched_2__art_"),
];

impl Engine {
    /// For each titled article of the English Vienna Convention, searches its title in one
    /// language and looks for that language's copy of the article in the top 10.
    pub fn known_item(&self, lang: Language) -> Result<KnownItemReport> {
        let source = self.instrument(VCCR_SOURCE)?;
        let (mut articles, mut found, mut missed) = (0, 0, Vec::new());
        for p in source
            .provision_list
            .iter()
            .filter(|p| p.id.as_str().contains(":art_"))
        {
            let Some(title) = p.heading.as_deref().filter(|h| !h.trim().is_empty()) else {
                continue;
            };
            articles += 1;
            let q: String = title
                .chars()
                .filter(|c| !matches!(c, '"' | '(' | ')' | '-'))
                .collect();
            let req = SearchRequest {
                q: Query::parse(q)?,
                languages: vec![lang],
                limit: 10,
                ..Default::default()
            };
            let r = self.search(&req)?;
            let wanted: Vec<String> = VCCR_COPIES
                .iter()
                .map(|(inst, prefix)| format!("{inst}:{prefix}{}", p.number))
                .collect();
            if r.hits
                .iter()
                .any(|h| wanted.iter().any(|w| w == h.id.as_str()))
            {
                found += 1;
            } else {
                missed.push(format!("{} {title}", p.number));
            }
        }
        let share = if articles == 0 {
            0.0
        } else {
            (found as f64 / articles as f64 * 1000.0).round() / 1000.0
        };
        Ok(KnownItemReport {
            language: lang,
            articles,
            found_in_top10: found,
            share,
            missed,
        })
    }
}
