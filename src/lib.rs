//! consulex: comparative analysis of consular law.
//!
//! The data path, one module per step: `corpus` reads national laws and treaties into
//! provisions, `annotate` tags them with consular service categories and modality, `index`
//! builds tantivy generations, `search` answers queries, facets and comparisons, and `api`
//! (JSON), `web` (the pages) and `cli` put that in front of users. `text` is the analysis all of them share.

pub mod annotate;
pub mod api;
pub mod cli;
pub mod compare;
pub mod config;
pub mod corpus;
pub mod error;
pub mod index;
pub mod params;
pub mod practices;
pub mod search;
pub mod text;
pub mod web;

pub use error::{Error, Result};
