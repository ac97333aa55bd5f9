//! Generators behind the input-side commands: a synthetic district (`sample`) and the
//! template schools fill in (`template`).

pub mod sample;
pub mod template;
