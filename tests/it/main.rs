//! bdtx's integration tests, in one binary so that polars is linked once. One module per
//! concern; `common` builds the small districts they run on.

mod common;
mod communes;

mod annex;
mod attribution;
mod cli;
mod district;
mod golden;
mod groups;
mod hostile;
mod judgments;
mod layouts;
mod letters;
mod make_fixtures;
mod metamorphic;
mod pages;
mod properties;
mod recognise;
mod registry;
mod schemas;
mod self_check;
mod staffing;
mod staffing_report;
mod targets;
mod template;
mod totals;
mod training;
