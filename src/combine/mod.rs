//! Combine: the records of every file, checked and put together. `validate` finds the
//! problems that need more than one row (duplicates, impossible values), `join` matches BDTX
//! rows to staff, `frames` builds the polars tables the analysis reads.

#[cfg(feature = "batch")]
pub mod frames;
pub mod intake;
pub mod join;
pub mod validate;
