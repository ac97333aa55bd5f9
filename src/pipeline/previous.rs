//! Last year's key figures, for the year-over-year columns of the staffing report: read from
//! last year's `summary.json` or computed by running the job on last year's input folder.

use crate::analyse::aggregate::Stats;
use crate::domain::schema::Schemas;
use crate::pipeline::{run_job, JobConfig};
use anyhow::{Context, Result};
use serde::Deserialize;
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
                .figures
                .schools
                .iter()
                .map(|s| (s.school.code.clone(), Indicators::of(&s.measures.stats)))
                .collect();
            return Ok(Previous { schools });
        }
        let text =
            read_summary(path).with_context(|| format!("không đọc được {}", path.display()))?;
        Previous::from_summary(&text)
            .with_context(|| format!("{} không phải summary.json", path.display()))
    }

    /// From the text of a `summary.json`: each school's STATS read back as this year's are
    /// made, the indicators computed from them as this year's are. A school whose STATS are
    /// not all there (a file of another program) has none.
    fn from_summary(text: &str) -> Result<Previous> {
        let json: serde_json::Value = serde_json::from_str(text)?;
        let mut schools = BTreeMap::new();
        for s in json["schools"].as_array().into_iter().flatten() {
            let Some(code) = s["code"].as_str() else {
                continue;
            };
            if let Ok(stats) = Stats::deserialize(s) {
                schools.insert(code.to_string(), Indicators::of(&stats));
            }
        }
        Ok(Previous { schools })
    }
}

/// Largest summary.json read: a country's (45,000 schools) is about 0.7 GB.
const MAX_SUMMARY_BYTES: u64 = 1 << 30;

/// The text of a summary.json, refused without reading further when it does not begin as
/// one (a JSON object) or passes `MAX_SUMMARY_BYTES`: a device or a wrong file of gigabytes
/// would fill the memory.
fn read_summary(path: &Path) -> std::io::Result<String> {
    use std::io::{BufRead, Read};
    let mut file = std::io::BufReader::new(std::fs::File::open(path)?);
    let head = file.fill_buf()?;
    if head.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "tệp không phải summary.json do bdtx ghi",
        ));
    }
    let mut text = String::new();
    file.take(MAX_SUMMARY_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_SUMMARY_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("tệp lớn hơn {} MB", MAX_SUMMARY_BYTES >> 20),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_years_summary_gives_the_indicators_this_year_computes() {
        let stats = Stats {
            staff: crate::analyse::aggregate::StaffCounts {
                total: 6,
                managers: 1,
                teachers: 4,
                support: 1,
                ..Default::default()
            },
            teachers_meeting_standard: 3,
            training: crate::analyse::aggregate::TrainingCounts {
                completed: 4,
                not_completed: 1,
                no_result: 0,
            },
            ..Default::default()
        };
        let mut school = serde_json::to_value(&stats).unwrap();
        school["code"] = "TH001".into();
        // A school that sent no BDTX results: no completion rate, not 0%.
        let mut silent = school.clone();
        silent["code"] = "TH002".into();
        silent["training"]["completed"] = 0.into();
        silent["training"]["not_completed"] = 0.into();
        // STATS cut short: no indicators rather than made-up ones.
        let mut partial = school.clone();
        partial["code"] = "TH003".into();
        partial.as_object_mut().unwrap().remove("training");
        let summary = serde_json::json!({ "schools": [school, silent, partial] });
        let previous = Previous::from_summary(&summary.to_string()).unwrap();
        assert_eq!(previous.schools["TH001"], Indicators::of(&stats));
        assert_eq!(
            previous.schools["TH001"],
            Indicators {
                staff: Some(6.0),
                teachers: Some(4.0),
                meeting_pct: Some(75.0),
                completion_pct: Some(80.0),
            }
        );
        assert_eq!(previous.schools["TH002"].completion_pct, None);
        assert!(!previous.schools.contains_key("TH003"));
    }
}
