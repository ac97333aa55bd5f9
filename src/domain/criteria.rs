//! The rules schools are judged on, as written in `schemas/targets.toml`: the accreditation
//! and national-standard clauses that staff data can measure (`Rule`), the levels they add up
//! to (`Levels`), the schools' own goals (`Goal`) and the support posts each level needs. The
//! judging is `analyse::targets`.

use crate::domain::norms::Norms;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const DEFAULT_NORMS: &str = include_str!("../../schemas/norms.toml");
const DEFAULT_TARGETS: &str = include_str!("../../schemas/targets.toml");

/// What a rule measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    ShareTeachersMeetingStandard,
    ShareTeachersAboveStandard,
    ShareTeachersRatedPassOrBetter,
    ShareTeachersRatedFairOrBetter,
    ShareTeachersRatedGood,
    ShareManagersRatedPassOrBetter,
    ShareManagersRatedFairOrBetter,
    ShareManagersRatedGood,
    ShareManagersWithPoliticalTheory,
    ShareAssessedCompletedTraining,
    TeachersAgainstNorm,
    MissingSupportPosts,
    /// Over the whole staff (CBQL, GV, NV): the training standard of the school's level.
    ShareAllStaffMeetingStandard,
    ShareAllStaffAboveStandard,
    ShareAllStaffPartyMembers,
    ShareManagersAboveStandard,
    ShareManagersWithManagementTraining,
    ShareManagersWithStateManagement,
    /// Trung cấp lý luận chính trị or higher (cao cấp, cử nhân).
    ShareManagersWithIntermediatePoliticalTheory,
    ShareTeachersOnContract,
    /// Subjects of the level's programme (`[programme_subjects]`) no teacher teaches.
    SubjectsWithoutTeacher,
}

/// How a measure is compared with a rule's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Op {
    /// At least the threshold (most rules: "≥ 95% đạt chuẩn").
    #[serde(rename = ">=")]
    AtLeast,
    /// At most the threshold ("không thiếu quá …").
    #[serde(rename = "<=")]
    AtMost,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub id: String,
    pub criterion: String,
    pub level: u8,
    pub school_levels: Vec<String>,
    pub metric: Metric,
    pub op: Op,
    pub threshold: f64,
    #[serde(default)]
    pub threshold_disadvantaged: Option<f64>,
    pub wording: String,
    #[serde(default)]
    pub gap_unit: String,
    pub source: String,
    pub verified: bool,
    #[serde(default)]
    pub informative: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Goal {
    pub column: String,
    pub metric: Metric,
    pub wording: String,
    #[serde(default)]
    pub gap_unit: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Levels {
    pub max_level: u8,
    pub criteria: Vec<String>,
    /// National-standard level → accreditation level it needs.
    pub national_standard: BTreeMap<String, u8>,
}

/// `schemas/targets.toml` and `schemas/norms.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Targets {
    pub rules: Vec<Rule>,
    pub support_posts: BTreeMap<String, Vec<String>>,
    /// Subjects each level's programme needs a teacher for (codes of `[subject]`).
    pub programme_subjects: BTreeMap<String, Vec<String>>,
    pub levels: Levels,
    pub goals: Vec<Goal>,
    #[serde(skip)]
    pub norms: Norms,
}

impl Targets {
    /// The embedded defaults, each replaced by the office's text of it in `files`.
    pub fn load(files: &crate::domain::schema::SchemaFiles) -> Result<Targets> {
        let read = |name: &str, default: &str| -> Result<String> {
            Ok(files.read(name)?.unwrap_or_else(|| default.to_string()))
        };
        let mut targets: Targets = toml::from_str(&read("targets.toml", DEFAULT_TARGETS)?)
            .context("schemas/targets.toml")?;
        targets.norms =
            toml::from_str(&read("norms.toml", DEFAULT_NORMS)?).context("schemas/norms.toml")?;
        Ok(targets)
    }
}
