//! Analyse: the figures and judgments. `groups` counts the figures of each staff group once
//! (polars, by school and category: `FIGURES` and the office's `[[figures]]`), `aggregate`
//! reads each school's and the office's measures from them, `targets` judges the
//! accreditation and national-standard rules and the schools' goals, `staffing` the norms,
//! ages and retirements; `counts` holds the counting helpers and STATS' count structures.

#[cfg(feature = "batch")]
pub mod aggregate;
#[cfg(feature = "batch")]
pub mod counts;
#[cfg(feature = "batch")]
pub mod groups;
pub mod staffing;
#[cfg(feature = "batch")]
pub mod targets;
