//! The analysis behind the annual staffing report (báo cáo đội ngũ): teachers against the norm,
//! managers and support posts, age bands, retirements by the Labour Code schedule and the
//! shortage they leave, and the qualification roadmap. Norms and ages come from
//! `schemas/norms.toml`.

#[cfg(feature = "batch")]
use crate::analyse::aggregate::Measures;
use crate::domain::issue::{Issue, Severity};
use crate::domain::model::{Category, Gender, Person, School};
use crate::domain::norms::retirement_month;
use crate::domain::schema::Schemas;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Whole years of age on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    (on.year() - birth.year() - before_birthday as i32).max(0) as u32
}

/// Index of the age band (`limits` are exclusive upper bounds; the last band is open).
pub fn band(age: u32, limits: &[u32]) -> usize {
    limits.iter().position(|&l| age < l).unwrap_or(limits.len())
}

/// One person reaching retirement age within the forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retiree {
    pub school: String,
    pub name: crate::domain::model::Text,
    pub role: crate::domain::model::Text,
    pub category: Category,
    pub birth_date: NaiveDate,
    /// A birth year alone gives the retirement year, not its month.
    pub birth_precision: crate::domain::model::Precision,
    pub year: i32,
    pub month: u32,
    /// Public-school teachers with a doctorate may stay up to 5 more years (Luật Nhà giáo 2025 Đ27).
    pub may_extend: bool,
}

/// The staffing figures of one school.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SchoolStaffing {
    pub teachers: u32,
    pub required_teachers: Option<u32>,
    /// From the registry's Số học sinh, Số lớp and the teachers listed (one decimal).
    pub students_per_class: Option<f64>,
    pub students_per_teacher: Option<f64>,
    /// teachers − required: negative is a shortage (thiếu), positive a surplus (thừa).
    pub balance: Option<i64>,
    pub principals: u32,
    pub vice_principals: u32,
    /// Support posts of `[support_posts]` with nobody in them (role labels).
    pub missing_posts: Vec<String>,
    /// Staff per age band.
    pub age_bands: Vec<u32>,
    /// Already past retirement age on the first day of the forecast (all staff, teachers).
    pub past_retirement: u32,
    pub teachers_past_retirement: u32,
    /// People reaching retirement age in each forecast year (all staff, then teachers only).
    pub retiring: Vec<u32>,
    pub teachers_retiring: Vec<u32>,
    /// Teacher balance at the end of each forecast year if nobody is hired: the first year
    /// also loses the teachers already past retirement age.
    pub forecast_balance: Vec<Option<i64>>,
    pub below_standard: u32,
    /// Of those, the ones NĐ 71/2020 requires to upgrade, and the ones it does not (too
    /// little service left on 01/7/2020).
    pub must_upgrade: u32,
    pub exempt_from_upgrading: u32,
    pub upgrading: u32,
    /// Counts of each code, by field: standard_rating (teachers), civil_servant_rating (all),
    /// political_theory / it_level / language_level (managers).
    pub distributions: BTreeMap<String, BTreeMap<String, u32>>,
}

/// The whole staffing analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Staffing {
    /// The reference date: ages are taken on it, the forecast counts from the day after.
    pub as_of: NaiveDate,
    pub years: Vec<i32>,
    pub schools: BTreeMap<String, SchoolStaffing>,
    /// "category/gender" → staff per age band, for the district.
    pub age_bands: BTreeMap<String, Vec<u32>>,
    /// People reaching retirement age in the forecast years, after the reference date.
    pub retirees: Vec<Retiree>,
    /// People still listed whose retirement fell on or before the reference date.
    pub reached_retirement: Vec<Retiree>,
    /// A warning on the row of each of `reached_retirement`.
    #[serde(skip)]
    pub issues: Vec<Issue>,
    /// People whose birth date or gender is missing, so no retirement can be forecast.
    pub unknown_retirement: u32,
}

/// Analyses `people` for `schools`: ages, retirements and distributions, read from the records;
/// `add_measures` adds the headcounts and balances. The forecast starts in the school year's
/// second year.
pub fn analyse(people: &[Person], schools: &[School], school_year: &str, s: &Schemas) -> Staffing {
    let norms = &s.targets.norms;
    let first = school_year
        .rsplit('-')
        .next()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or(2025);
    let years: Vec<i32> = (0..norms.retirement.forecast_years as i32)
        .map(|i| first + i)
        .collect();
    let r = &norms.retirement;
    let as_of =
        NaiveDate::from_ymd_opt(first, r.reference_month, r.reference_day).unwrap_or_default();
    // Retirement falls at the end of its month: on or before the reference date when its
    // month is the reference month or earlier. A birth year alone is 1 January of that year
    // (NĐ 135/2020 Art. 3), so its month is known too.
    let reached = |year: i32, month: u32| (year, month) <= (first, r.reference_month);
    let limits = &norms.age_bands.limits;
    let mut out = Staffing {
        as_of,
        years: years.clone(),
        ..Staffing::default()
    };
    let mut by_school: BTreeMap<&str, Vec<&Person>> = BTreeMap::new();
    for p in people {
        by_school.entry(p.school.as_str()).or_default().push(p);
    }
    for school in schools {
        let mine = by_school.remove(school.code.as_str()).unwrap_or_default();
        let mut st = SchoolStaffing {
            age_bands: vec![0; limits.len() + 1],
            retiring: vec![0; years.len()],
            teachers_retiring: vec![0; years.len()],
            ..SchoolStaffing::default()
        };
        for p in &mine {
            let teacher = p.category == Category::Teacher;
            count_codes(&mut st, p);
            let Some(birth) = p.birth_date else {
                out.unknown_retirement += 1;
                continue;
            };
            let b = band(age_on(birth, as_of), limits);
            st.age_bands[b] += 1;
            let key = format!(
                "{}/{}",
                p.category.code(),
                p.gender.map_or("unknown", Gender::code)
            );
            out.age_bands
                .entry(key)
                .or_insert_with(|| vec![0; limits.len() + 1])[b] += 1;
            let Some(gender) = p.gender else {
                out.unknown_retirement += 1;
                continue;
            };
            let (year, month) =
                retirement_month(birth, gender == Gender::Female, &norms.retirement);
            let retiree = Retiree {
                school: school.code.clone(),
                name: p.name.clone(),
                role: p.role.clone(),
                category: p.category,
                birth_date: birth,
                birth_precision: p.birth_precision,
                year,
                month,
                may_extend: teacher && p.qualification.as_deref() == Some("doctorate"),
            };
            if reached(year, month) {
                st.past_retirement += 1;
                st.teachers_past_retirement += teacher as u32;
                out.issues.push(reached_issue(&retiree, p, as_of));
                out.reached_retirement.push(retiree);
            } else if let Some(i) = years.iter().position(|&y| y == year) {
                st.retiring[i] += 1;
                st.teachers_retiring[i] += teacher as u32;
                out.retirees.push(retiree);
            }
        }
        out.schools.insert(school.code.clone(), st);
    }
    for list in [&mut out.retirees, &mut out.reached_retirement] {
        list.sort_by(|a, b| {
            (&a.school, a.year, a.month, &a.name).cmp(&(&b.school, b.year, b.month, &b.name))
        });
    }
    out
}

/// The warning on the row of someone listed after their retirement date.
fn reached_issue(r: &Retiree, p: &Person, as_of: NaiveDate) -> Issue {
    let when = format!("tháng {:02}/{}", r.month, r.year);
    let born = r.birth_precision.format(r.birth_date);
    let date = as_of.format("%d/%m/%Y").to_string();
    Issue::new(
        Severity::Warning,
        "reached_retirement",
        &p.loc,
        &[
            ("value", &r.name),
            ("detail", &born),
            ("when", &when),
            ("date", &date),
        ],
    )
    .for_school(Some(&r.school))
}

/// Adds what the school's measures give: its teachers, managers and teachers below the
/// standard, and so the teacher balance now and in each forecast year.
#[cfg(feature = "batch")]
pub fn add_measures(
    staffing: &mut Staffing,
    schools: &[School],
    measures: &BTreeMap<String, Measures>,
    s: &Schemas,
) {
    let norms = &s.targets.norms;
    let nobody = Measures::default();
    for school in schools {
        let Some(st) = staffing.schools.get_mut(&school.code) else {
            continue;
        };
        let m = measures.get(&school.code).unwrap_or(&nobody);
        st.teachers = m.stats.staff.teachers;
        st.principals = m.principals;
        st.vice_principals = m.vice_principals;
        st.below_standard = m.teachers_below_standard();
        st.must_upgrade = m.teachers_must_upgrade;
        st.exempt_from_upgrading = st.below_standard - m.teachers_must_upgrade;
        st.upgrading = m.teachers_upgrading;
        st.required_teachers = norms.teachers_per_class.required(school).ok();
        let per = |n: f64| {
            (n > 0.0)
                .then_some(())
                .and(school.students)
                .map(|s| (s / n * 10.0).round() / 10.0)
        };
        st.students_per_class = school.classes.and_then(per);
        st.students_per_teacher = per(st.teachers as f64);
        // Posts nobody fills, on staff or concurrently; the same test as tiêu chí 2.3.
        let posts = s
            .targets
            .support_posts
            .get(&school.level)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let role_label = |code: &str| s.vocab["role"].label(code);
        st.missing_posts = crate::analyse::targets::unfilled(posts, &m.roles)
            .into_iter()
            .map(|p| p.split('|').map(role_label).collect::<Vec<_>>().join(" / "))
            .collect();
        // A school that sent no staff list has no balance to report, only a missing list.
        let submitted = m.stats.staff.total > 0;
        if !submitted {
            st.missing_posts.clear();
        }
        let required = st.required_teachers.filter(|_| submitted);
        st.balance = required.map(|r| st.teachers as i64 - r as i64);
        // Those already past retirement age leave in the first forecast year.
        let mut left = st.teachers as i64 - st.teachers_past_retirement as i64;
        st.forecast_balance.clear();
        for retiring in &st.teachers_retiring {
            left -= *retiring as i64;
            st.forecast_balance.push(required.map(|r| left - r as i64));
        }
    }
}

/// Adds one person's ratings and manager levels to the school's distributions.
fn count_codes(st: &mut SchoolStaffing, p: &Person) {
    let mut add = |field: &str, code: &Option<crate::domain::model::Text>| {
        if let Some(c) = code {
            *st.distributions
                .entry(field.to_string())
                .or_default()
                .entry(c.to_string())
                .or_default() += 1;
        }
    };
    add("civil_servant_rating", &p.civil_servant_rating);
    if p.category == Category::Teacher {
        add("standard_rating", &p.standard_rating);
    }
    if p.category == Category::Manager {
        add("political_theory", &p.political_theory);
        add("it_level", &p.it_level);
        add("language_level", &p.language_level);
    }
}
