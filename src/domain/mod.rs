//! What every stage shares: the records (`model`), data issues (`issue`), the schemas of
//! `schemas/*.toml` (`schema`, with the rules of `criteria` and the staffing `norms`) and text
//! helpers (`text`).

pub mod criteria;
pub mod issue;
pub mod issuer;
pub mod model;
pub mod norms;
pub mod schema;
pub mod text;
