//! Analyse: the figures and judgments. `aggregate` computes each school's and the office's
//! figures (polars), `targets` judges the accreditation and national-standard rules and the
//! schools' goals, `staffing` the norms, ages and retirements; `counts` the counting both
//! `aggregate` and `groups` (the figures of each staff group) use.

#[cfg(feature = "batch")]
pub mod aggregate;
#[cfg(feature = "batch")]
pub mod counts;
#[cfg(feature = "batch")]
pub mod groups;
pub mod staffing;
#[cfg(feature = "batch")]
pub mod targets;
