//! Last year's key figures, for the year-over-year columns of the staffing report: read from
//! last year's `summary.json` or computed by running the job on last year's input folder.

use crate::analyse::aggregate::Stats;
use crate::domain::schema::Schemas;
use crate::pipeline::{run_job, JobConfig};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// The indicators compared between years.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Indicators {
    pub staff: Option<f64>,
    pub teachers: Option<f64>,
    pub meeting_pct: Option<f64>,
    pub completion_pct: Option<f64>,
}

impl Indicators {
    pub fn of(stats: &Stats) -> Indicators {
        let pct = |x: Option<f64>| x.map(|v| (v * 10000.0).round() / 100.0);
        Indicators {
            staff: Some(stats.staff.total as f64),
            teachers: Some(stats.staff.teachers as f64),
            meeting_pct: pct(stats.share_of_teachers(stats.teachers_meeting_standard)),
            completion_pct: pct(stats.completion_rate()),
        }
    }

    /// (report label key, value), in report order.
    pub fn named(&self) -> Vec<(&'static str, Option<f64>)> {
        vec![
            ("indicator_staff", self.staff),
            ("indicator_teachers", self.teachers),
            ("indicator_meeting_pct", self.meeting_pct),
            ("indicator_completion_pct", self.completion_pct),
        ]
    }
}

/// Last year's indicators per school code.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    pub schools: BTreeMap<String, Indicators>,
}

impl Previous {
    /// From a `summary.json` file, or from a folder of last year's inputs, read as this
    /// year's are (`config`: its registry file name and BDTX rules).
    pub fn load(path: &Path, config: &JobConfig, schemas: &Schemas) -> Result<Previous> {
        if path.is_dir() {
            let config = JobConfig {
                input: path.to_path_buf(),
                school_year: None,
                ..config.clone()
            };
            let job = run_job(&config, schemas)?;
            let schools = job
                .schools
                .iter()
                .map(|s| (s.school.code.clone(), Indicators::of(&s.measures.stats)))
                .collect();
            return Ok(Previous { schools });
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("không đọc được {}", path.display()))?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{} không phải summary.json", path.display()))?;
        let mut schools = BTreeMap::new();
        for s in json["schools"].as_array().into_iter().flatten() {
            let Some(code) = s["code"].as_str() else {
                continue;
            };
            let n = |v: &serde_json::Value| v.as_f64();
            let (teachers, meeting) = (
                n(&s["staff"]["teachers"]),
                n(&s["teachers_meeting_standard"]),
            );
            let assessed = n(&s["staff"]["managers"]).zip(teachers).map(|(m, t)| m + t);
            let ratio = |a: Option<f64>, b: Option<f64>| {
                a.zip(b)
                    .filter(|(_, b)| *b > 0.0)
                    .map(|(a, b)| (a / b * 10000.0).round() / 100.0)
            };
            schools.insert(
                code.to_string(),
                Indicators {
                    staff: n(&s["staff"]["total"]),
                    teachers,
                    meeting_pct: ratio(meeting, teachers),
                    completion_pct: ratio(n(&s["training"]["completed"]), assessed),
                },
            );
        }
        Ok(Previous { schools })
    }
}
