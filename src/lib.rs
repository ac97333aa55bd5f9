//! bdtx consolidates Vietnamese schools' staff lists and regular-training (BDTX) results into
//! district reports. The pipeline, one module per stage:
//!
//! discover → read → recognise → rows (map) → normalise → attribute → validate → join →
//! frames → aggregate → output. `pipeline::run_job` runs it all; `output::write_outputs`
//! writes the files (the CLI writes the CSV tables earlier, through
//! `pipeline::run_job_with_tables` and `output::write_tables`, beside the aggregation). Domain knowledge lives in `schemas/*.toml` (see `schema`).

pub mod aggregate;
pub mod attribute;
pub mod cmd;
pub mod discover;
pub mod frames;
pub mod ingest;
pub mod issue;
pub mod join;
pub mod legacy;
pub mod model;
pub mod normalise;
pub mod output;
pub mod pipeline;
pub mod previous;
pub mod read;
pub mod read_ods;
pub mod read_xls;
pub mod recognise;
pub mod registry;
pub mod rows;
pub mod sample;
pub mod schema;
pub mod staffing;
pub mod targets;
pub mod template;
pub mod text;
pub mod timing;
pub mod validate;
