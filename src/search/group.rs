//! Grouping of copies: a Vienna Convention article and its reproductions in approving laws and
//! schedules (`VCCR_COPIES`), and a Canadian section and its twin in the other official
//! language, are one provision to a reader. A search shows each group once, at the rank of its
//! best-ranked copy, represented by the copy in the language the reader asked for (the `lang`
//! filter, else the query's language) and listing the other copies it folded.
//!
//! Not for: facets and `total`, which still count provisions.

use super::dims::DimTable;
use super::known_item::{VCCR_COPIES, VCCR_SOURCE};
use crate::corpus::model::{Language, ProvisionId};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cmp::Ordering;
use tantivy::DocAddress;

type Scored = (f32, DocAddress);

/// The key shared by the copies of one provision, if it has copies: `vccr:{article}` for the
/// Vienna Convention and its reproductions, `twin:{lesser id}` for a Canadian pair.
pub(crate) fn key(id: &ProvisionId, twin: Option<&ProvisionId>) -> Option<String> {
    if let Some(article) = vccr_article(id.as_str()) {
        return Some(format!("vccr:{article}"));
    }
    let twin = twin?;
    Some(format!("twin:{}", id.min(twin).as_str()))
}

/// The article's eid number when the id is an article of the Vienna Convention or of one of
/// its known reproductions (`36` for `ar-ley-17081:annex_1__art_36`).
fn vccr_article(id: &str) -> Option<&str> {
    let (inst, eid) = id.split_once(':')?;
    let rest = if inst == VCCR_SOURCE {
        eid.strip_prefix("art_")
    } else {
        VCCR_COPIES
            .iter()
            .find(|(i, _)| *i == inst)
            .and_then(|(_, prefix)| eid.strip_prefix(prefix))
    }?;
    (!rest.is_empty()).then_some(rest)
}

/// One entry of a grouped page: the hit shown and the other copies it stands for, best first.
pub(crate) struct Entry {
    pub hit: Scored,
    pub also: Vec<DocAddress>,
}

/// The ranking order of `eval::rank_top`: score descending, then address (a total order, so a
/// page is the same however far the ranking went).
fn rank(a: &Scored, b: &Scored) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// How many matches are folded into another copy's hit (matches minus groups).
pub(crate) fn folded(hits: &[Scored], dims: &DimTable) -> usize {
    let mut seen = FxHashSet::default();
    hits.iter()
        .filter_map(|(_, a)| dims.at(*a).and_then(|d| d.group))
        .filter(|g| !seen.insert(*g))
        .count()
}

/// The page `offset..offset + limit` of the grouped ranking. Ranks as far as needed for that
/// many groups (a group stands at its best copy's rank), then gathers each shown group's copies
/// from all the matches and picks its representative: the best-ranked copy in the first
/// language of `prefer` that has one, else the best-ranked copy. The entry carries the
/// group's score (its best copy's).
pub(crate) fn page(
    hits: &mut [Scored],
    offset: usize,
    limit: usize,
    prefer: &[Language],
    dims: &DimTable,
) -> Vec<Entry> {
    let group = |a: DocAddress| dims.at(a).and_then(|d| d.group);
    let need = offset.saturating_add(limit);
    let mut n = need.max(1);
    // indices (into the ranked prefix) of each group's best copy, in rank order
    let leaders = loop {
        let reach = super::eval::rank_top(hits, n);
        let mut seen = FxHashSet::default();
        let mut leaders = Vec::with_capacity(need);
        for (i, (_, a)) in hits[..reach].iter().enumerate() {
            if leaders.len() == need {
                break;
            }
            if group(*a).is_none_or(|g| seen.insert(g)) {
                leaders.push(i);
            }
        }
        if leaders.len() >= need || reach == hits.len() {
            break leaders;
        }
        n = n.saturating_mul(2);
    };
    let shown = &leaders[offset.min(leaders.len())..];
    // every copy of the shown groups, wherever it ranks
    let mut members: FxHashMap<u32, Vec<Scored>> = shown
        .iter()
        .filter_map(|i| group(hits[*i].1))
        .map(|g| (g, Vec::new()))
        .collect();
    if !members.is_empty() {
        for h in hits.iter() {
            if let Some(v) = group(h.1).and_then(|g| members.get_mut(&g)) {
                v.push(*h);
            }
        }
    }
    let preference = |a: DocAddress| {
        dims.at(a)
            .and_then(|d| prefer.iter().position(|l| *l == d.language))
            .unwrap_or(usize::MAX)
    };
    shown
        .iter()
        .map(|i| {
            let best = hits[*i];
            let Some(mut copies) = group(best.1).and_then(|g| members.remove(&g)) else {
                return Entry {
                    hit: best,
                    also: Vec::new(),
                };
            };
            copies.sort_unstable_by(rank);
            let rep = copies
                .iter()
                .enumerate()
                .min_by_key(|(k, c)| (preference(c.1), *k))
                .map_or(0, |(k, _)| k);
            // the group keeps its rank's score, so a page's scores stay in order
            let hit = (best.0, copies.remove(rep).1);
            Entry {
                hit,
                also: copies.into_iter().map(|c| c.1).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ProvisionId {
        s.parse().expect("id")
    }

    #[test]
    fn vienna_copies_share_a_key_and_other_articles_do_not() {
        let treaty = key(&id(&format!("{VCCR_SOURCE}:art_36")), None);
        assert_eq!(treaty.as_deref(), Some("vccr:36"));
        for (inst, prefix) in VCCR_COPIES {
            let copy = id(&format!("{inst}:{prefix}36"));
            assert_eq!(key(&copy, None), treaty, "{copy:?}");
        }
        assert_ne!(key(&id("ar-ley-17081:annex_1__art_37"), None), treaty);
        // the approving law's own articles are not treaty copies
        assert_eq!(key(&id("ar-ley-17081:art_1"), None), None);
        assert_eq!(key(&id("ar-ley-17081:annex_1__art_"), None), None);
    }

    #[test]
    fn twins_share_a_key_whichever_side_is_asked() {
        let en = id("ca-eng-sor-95-538:sec_3");
        let fr = id("ca-fra-dors-95-538:sec_3");
        let k = key(&en, Some(&fr));
        assert!(k.is_some());
        assert_eq!(k, key(&fr, Some(&en)));
        assert_eq!(key(&en, None), None);
    }

    #[test]
    fn rank_is_score_then_address() {
        let a = (2.0, DocAddress::new(0, 5));
        let b = (1.0, DocAddress::new(0, 1));
        let c = (2.0, DocAddress::new(0, 7));
        let mut v = vec![b, c, a];
        v.sort_by(rank);
        assert_eq!(v, vec![a, c, b]);
    }
}
