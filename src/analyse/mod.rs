//! Analyse: the figures and judgments. `aggregate` computes each school's and the office's
//! figures (polars), `targets` judges the accreditation and national-standard rules and the
//! schools' goals, `staffing` the norms, ages and retirements.

pub mod aggregate;
pub mod groups;
pub mod staffing;
pub mod targets;
