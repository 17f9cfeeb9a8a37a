//! The coverage matrix: a row per OAS member state, a column per leaf category (or those under
//! the categories asked for), each cell counting national provisions and obligations, with the
//! strongest provision and the searches that list them; parent categories rolled up. Also as CSV.

use super::{query_link, strength, CellState};
use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, InstrumentKind, ProvisionId};
use crate::error::Result;
use crate::search::{Dims, Engine, PartialSource};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Cell {
    pub state: CellState,
    pub provisions: usize,
    pub obligations: usize,
    /// Shared practices of the country in the category (a second figure beside the law).
    pub practices: usize,
    pub strongest: Option<ProvisionId>,
    /// The search listing the provisions counted (add `&modality=obligation` for the
    /// obligations: `obligations_query`).
    pub query: String,
    pub obligations_query: String,
}

impl Cell {
    /// A cell whose provisions the search `query` lists.
    fn new(
        state: CellState,
        (provisions, obligations): (usize, usize),
        strongest: Option<ProvisionId>,
        query: String,
    ) -> Cell {
        Cell {
            state,
            provisions,
            obligations,
            practices: 0,
            strongest,
            obligations_query: format!("{query}&modality=obligation"),
            query,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MatrixRow {
    pub country: CountryCode,
    pub name: String,
    pub state: CellState,
    /// The country's instruments whose sources lack articles; its empty cells are
    /// `not_found_partial`.
    pub partial_sources: Vec<PartialSource>,
    pub cells: BTreeMap<CategoryId, Cell>,
    /// Parent categories rolled up from their leaves.
    pub rollups: BTreeMap<CategoryId, Cell>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Matrix {
    pub columns: Vec<CategoryId>,
    pub rows: Vec<MatrixRow>,
    pub note: &'static str,
}

/// Filters for the matrix.
#[derive(Debug, Clone, Default)]
pub struct MatrixRequest {
    pub subsystem: Option<String>,
    pub kinds: Vec<InstrumentKind>,
    pub in_force: Option<bool>,
    pub categories: Vec<CategoryId>,
}

/// Provisions, obligations and the strongest provision of one cell while counting.
type CellAcc<'a> = (usize, usize, Option<&'a Dims>);

/// The coverage matrix, in one pass over the index.
pub fn matrix(engine: &Engine, r: &MatrixRequest) -> Result<Matrix> {
    let tax = engine.taxonomy();
    let columns: Vec<CategoryId> = if r.categories.is_empty() {
        tax.leaves().map(|c| c.id.clone()).collect()
    } else {
        let mut v: Vec<CategoryId> = r
            .categories
            .iter()
            .flat_map(|c| tax.leaves_under(c))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let countries: Vec<&crate::corpus::countries::Country> = engine
        .registry()
        .oas_members()
        .filter(|c| r.subsystem.as_ref().is_none_or(|s| c.in_subsystem(s)))
        .collect();
    let sources = engine.countries_with_sources();
    // country -> category -> (provisions, obligations, best)
    let mut acc: HashMap<&CountryCode, HashMap<&CategoryId, CellAcc>> = HashMap::new();
    for (_, d) in engine.docs() {
        if d.treaty_copy
            || !r.kinds.is_empty() && !r.kinds.contains(&d.kind)
            || r.in_force.is_some_and(|f| f != d.in_force)
        {
            continue;
        }
        for (c, _) in &d.tags {
            let e = acc
                .entry(&d.country)
                .or_default()
                .entry(c)
                .or_insert((0, 0, None));
            e.0 += 1;
            if d.modality == Modality::Obligation {
                e.1 += 1;
            }
            if e.2.is_none_or(|b| strength(d, c) < strength(b, c)) {
                e.2 = Some(d);
            }
        }
    }
    let filters = {
        let mut f = String::new();
        for k in &r.kinds {
            f.push_str(&format!("&kind={k}"));
        }
        if let Some(x) = r.in_force {
            f.push_str(&format!("&in_force={x}"));
        }
        f
    };
    let mut rows = Vec::new();
    for c in countries {
        let has_sources = sources.contains(&c.code);
        let partial_sources = engine.partial_sources(&c.code);
        let partial = !partial_sources.is_empty();
        let row_acc = acc.get(&c.code);
        let mut cells = BTreeMap::new();
        for col in &columns {
            let (n, o, best) = row_acc
                .and_then(|m| m.get(col))
                .copied()
                .unwrap_or((0, 0, None));
            let mut cell = Cell::new(
                CellState::of(has_sources, partial, n),
                (n, o),
                best.map(|d| d.id.clone()),
                query_link(&c.code, col, &filters),
            );
            cell.practices = engine.practices_of(&c.code, col).len();
            cells.insert(col.clone(), cell);
        }
        let mut rollups = BTreeMap::new();
        for parent in tax.categories.iter().filter(|p| !p.leaf) {
            let leaves: Vec<&Cell> = cells
                .iter()
                .filter(|(k, _)| k.as_str().starts_with(&format!("{}/", parent.id.as_str())))
                .map(|(_, v)| v)
                .collect();
            if leaves.is_empty() {
                continue;
            }
            let provisions = leaves.iter().map(|c| c.provisions).sum();
            let obligations = leaves.iter().map(|c| c.obligations).sum();
            let practices = engine.practices_of(&c.code, &parent.id).len();
            // provisions may carry several leaves of one parent: the sums count tags, not
            // distinct provisions; the query lists the distinct provisions
            let mut cell = Cell::new(
                CellState::of(has_sources, partial, provisions),
                (provisions, obligations),
                None,
                query_link(&c.code, &parent.id, &filters),
            );
            cell.practices = practices;
            rollups.insert(parent.id.clone(), cell);
        }
        rows.push(MatrixRow {
            country: c.code.clone(),
            name: c.name("en").to_string(),
            state: if has_sources {
                CellState::Covered
            } else {
                CellState::NoSources
            },
            partial_sources,
            cells,
            rollups,
        });
    }
    Ok(Matrix {
        columns,
        rows,
        note: "`not_found_partial`: nothing found, but the country's sources lack articles (see `partial_sources`); national law only: treaties and treaty texts reproduced in approving laws are not counted; `provisions` counts provisions tagged with the category, `obligations` those whose modality is obligation; rollups add up their leaves' tags; `practices` counts the shared practices the country runs or takes part in within the category (records, not law)",
    })
}

/// The matrix as CSV: one row per country, for each column `provisions/obligations` or the
/// empty state.
pub fn matrix_csv(m: &Matrix) -> String {
    let mut out = String::from("country,name");
    for c in &m.columns {
        out.push(',');
        out.push_str(c.as_str());
    }
    out.push('\n');
    for r in &m.rows {
        out.push_str(&format!(
            "{},\"{}\"",
            r.country,
            r.name.replace('"', "\"\"")
        ));
        for c in &m.columns {
            let cell = &r.cells[c];
            out.push(',');
            match cell.state {
                CellState::Covered => {
                    out.push_str(&format!("{}/{}", cell.provisions, cell.obligations))
                }
                CellState::NotFound => out.push_str("not_found"),
                CellState::NotFoundPartial => out.push_str("not_found_partial"),
                CellState::NoSources => out.push_str("no_sources"),
            }
        }
        out.push('\n');
    }
    out
}
