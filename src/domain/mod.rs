//! What every stage shares: the records (`model`), data issues (`issue`), the schemas of
//! `schemas/*.toml` (`schema`) and text helpers (`text`).

pub mod issue;
pub mod model;
pub mod schema;
pub mod text;
