//! A synthetic district for demos, tests and benchmarks: a registry and school workbooks in
//! the layouts schools really use (title blocks, two-row headers, group labels, totals,
//! footers, one or two workbooks per school), with a few problems planted on purpose.
//! Deterministic: the same seed gives the same files. Values come from `schemas/` so the
//! sample always speaks the reader's vocabulary.

use crate::domain::schema::Schemas;
use crate::output::write_atomic;
use crate::output::xlsx::new_workbook;
use anyhow::Result;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet};
use std::path::Path;

const SURNAMES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE_MALE: [&str; 8] = [
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công", "Xuân",
];
const MIDDLE_FEMALE: [&str; 8] = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng"];
const GIVEN_MALE: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn", "Thắng",
    "Tuấn", "Việt", "Hải", "Trung",
];
const GIVEN_FEMALE: [&str; 16] = [
    "Anh", "Ánh", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Oanh",
    "Phương", "Thảo", "Trang", "Yến",
];
const ETHNIC_MINORITIES: [&str; 6] = ["Tày", "Thái", "Mường", "Nùng", "Dao", "H'Mông"];
const SCHOOL_NAMES: [&str; 20] = [
    "Kim Đồng",
    "Lê Lợi",
    "Nguyễn Trãi",
    "Trần Phú",
    "Lý Tự Trọng",
    "Võ Thị Sáu",
    "Chu Văn An",
    "Quang Trung",
    "Hoàng Hoa Thám",
    "Phan Bội Châu",
    "Nguyễn Du",
    "Lê Quý Đôn",
    "Tô Hiệu",
    "Hùng Vương",
    "Ngô Quyền",
    "Trần Quốc Toản",
    "Nguyễn Huệ",
    "Bế Văn Đàn",
    "Cao Bá Quát",
    "Đinh Tiên Hoàng",
];
const COMMUNES: [&str; 8] = [
    "Xã Yên Hòa",
    "Xã Tân Lập",
    "Xã Đông Phong",
    "Thị trấn Phú Mỹ",
    "Xã Hòa Bình",
    "Xã Thanh Sơn",
    "Xã Minh Đức",
    "Xã An Khánh",
];
const SUBJECTS_TH: [&str; 5] = ["Tiểu học", "Tiếng Anh", "Tin học", "Âm nhạc", "Mĩ thuật"];
/// The subjects of each level's programme that need a teacher (schemas/targets.toml
/// `[programme_subjects]`), as schools write them.
const PROGRAMME_TH: [&str; 6] = [
    "Tiểu học",
    "Tiếng Anh",
    "Tin học",
    "Âm nhạc",
    "Mĩ thuật",
    "Thể dục",
];
const PROGRAMME_THCS: [&str; 11] = [
    "Ngữ văn",
    "Toán",
    "Tiếng Anh",
    "GDCD",
    "Lịch sử",
    "Vật lí",
    "Công nghệ",
    "Tin học",
    "Thể dục",
    "Âm nhạc",
    "Mĩ thuật",
];
const SUBJECTS_THCS: [&str; 8] = [
    "Toán",
    "Ngữ văn",
    "Tiếng Anh",
    "Vật lí",
    "Hóa học",
    "Sinh học",
    "Lịch sử",
    "Địa lí",
];

/// What to generate.
pub struct SampleOptions {
    pub schools: usize,
    pub seed: u64,
    pub school_year: String,
    /// Plant the demonstration problems (needs at least 8 schools).
    pub plant_problems: bool,
}

/// A generated school, as the registry lists it.
#[derive(Clone)]
struct SchoolPlan {
    index: usize,
    code: String,
    name: String,
    level: &'static str,
    commune: &'static str,
    classes: u32,
    sessions: u32,
}

/// One generated person.
#[derive(Clone)]
struct Member {
    name: String,
    female: bool,
    birth: (u32, u32, i32),
    ethnicity: &'static str,
    party: bool,
    category: &'static str,
    role: String,
    subject: String,
    qualification: String,
    political: String,
    it: String,
    language: String,
    standard: String,
    civil: String,
}

/// Writes the sample district into `out` and returns the number of files written.
pub fn generate(opts: &SampleOptions, out: &Path, schemas: &Schemas) -> Result<usize> {
    let plans: Vec<SchoolPlan> = (0..opts.schools)
        .map(|i| plan_school(i, opts.seed))
        .collect();
    write_atomic(
        &out.join("danh_muc_truong.xlsx"),
        &registry_workbook(&plans, opts, schemas)?,
    )?;
    let plant = opts.plant_problems && opts.schools >= 8;
    let submitting: Vec<&SchoolPlan> = plans
        .iter()
        .filter(|p| !(plant && p.index == opts.schools - 1))
        .collect();
    let counts: Vec<usize> = submitting
        .par_iter()
        .map(|p| write_school(p, opts, plant, out, schemas))
        .collect::<Result<Vec<usize>>>()?;
    let mut files = 1 + counts.iter().sum::<usize>();
    if plant {
        write_atomic(
            &out.join("ghi_chu.txt"),
            "Hạn nộp: 17/5. Liên hệ bộ phận tổ chức cán bộ.\n".as_bytes(),
        )?;
        write_atomic(&out.join("~$danh_muc_truong.xlsx"), b"lock")?;
        let stray = stray_workbook(opts, schemas)?;
        write_atomic(&out.join("bang_tong_hop_cu.xlsx"), &stray)?;
        files += 3;
    }
    Ok(files)
}

fn rng_for(seed: u64, index: usize, salt: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(
        seed.wrapping_mul(1_000_003)
            .wrapping_add(index as u64 * 7919)
            .wrapping_add(salt),
    )
}

fn plan_school(index: usize, seed: u64) -> SchoolPlan {
    let mut rng = rng_for(seed, index, 1);
    let primary = index % 3 != 2;
    let level = if primary { "tieu_hoc" } else { "thcs" };
    let base = SCHOOL_NAMES[index % SCHOOL_NAMES.len()];
    let round = index / SCHOOL_NAMES.len();
    let core = if round == 0 {
        base.to_string()
    } else {
        format!("{base} {}", roman(round + 1))
    };
    let number = index + 1;
    SchoolPlan {
        index,
        code: if primary {
            format!("TH{number:03}")
        } else {
            format!("THCS{number:03}")
        },
        name: core,
        level,
        commune: COMMUNES[index % COMMUNES.len()],
        classes: rng.random_range(if primary { 10..=28 } else { 8..=24 }),
        sessions: if primary && rng.random_bool(0.25) {
            1
        } else {
            2
        },
    }
}

fn roman(n: usize) -> String {
    const DIGITS: [(usize, &str); 7] = [
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut s = String::new();
    for (v, d) in DIGITS {
        while n >= v {
            s.push_str(d);
            n -= v;
        }
    }
    s
}

fn level_label(level: &str, s: &Schemas) -> String {
    s.vocab["school_level"].label(level)
}

fn full_name(plan: &SchoolPlan, s: &Schemas) -> String {
    format!("Trường {} {}", level_label(plan.level, s), plan.name)
}

fn registry_workbook(plans: &[SchoolPlan], opts: &SampleOptions, s: &Schemas) -> Result<Vec<u8>> {
    let mut wb = new_workbook(&opts.school_year)?;
    let ws = wb.add_worksheet().set_name("Danh mục")?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, "DANH MỤC TRƯỜNG HỌC", &bold)?;
    let keys = [
        "code",
        "name",
        "level",
        "commune",
        "classes",
        "students",
        "sessions",
        "disadvantaged",
        "accreditation_current",
        "national_standard_current",
        "accreditation_target",
        "national_standard_target",
        "target_year",
        "goal_above_standard_pct",
        "goal_training_pct",
    ];
    ws.write_string_with_format(2, 0, "STT", &bold)?;
    for (c, k) in keys.iter().enumerate() {
        ws.write_string_with_format(2, c as u16 + 1, s.registry.label_of(k), &bold)?;
    }
    for (i, p) in plans.iter().enumerate() {
        let r = 3 + i as u32;
        let mut rng = rng_for(0, p.index, 2);
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, &p.code)?;
        ws.write_string(r, 2, full_name(p, s))?;
        ws.write_string(r, 3, level_label(p.level, s))?;
        ws.write_string(r, 4, p.commune)?;
        ws.write_number(r, 5, p.classes as f64)?;
        ws.write_number(r, 6, (p.classes * rng.random_range(26..=34)) as f64)?;
        if p.level == "tieu_hoc" {
            ws.write_number(r, 7, p.sessions as f64)?;
        }
        if p.index % 5 == 4 {
            ws.write_string(r, 8, "x")?;
        }
        // Current level, and a target one step up by 2027 (as in the schools' plans).
        let current = rng.random_range(0..=2u32);
        ws.write_number(r, 9, current as f64)?;
        ws.write_number(r, 10, current.saturating_sub(1) as f64)?;
        ws.write_number(r, 11, (current + 1) as f64)?;
        ws.write_number(r, 12, current as f64)?;
        ws.write_number(r, 13, 2027.0)?;
        ws.write_number(r, 14, [10.0, 15.0, 20.0][p.index % 3])?;
        ws.write_number(r, 15, 95.0)?;
    }
    ws.set_column_width(2, 36)?;
    issuer_sheet(wb.add_worksheet(), opts)?;
    Ok(wb.save_to_buffer()?)
}

/// The registry's "Thông tin đơn vị" sheet: who issues the reports. Until 30/6/2025 the
/// district's Phòng GD&ĐT consolidated; from the 2025-2026 school year the province's Sở does
/// (Luật Tổ chức chính quyền địa phương 2025). Number and signer are left for the office.
fn issuer_sheet(ws: &mut Worksheet, opts: &SampleOptions) -> Result<()> {
    let first_year: i32 = opts
        .school_year
        .split('-')
        .next()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or(2024);
    let (level, area, recipients) = if first_year < 2025 {
        (
            "Huyện",
            "Yên Hòa",
            "UBND huyện Yên Hòa (để báo cáo); Sở GD&ĐT (để báo cáo); Lưu: VT",
        )
    } else {
        (
            "Tỉnh",
            "Ninh Bình",
            "Bộ GD&ĐT (để báo cáo); UBND tỉnh (để báo cáo); Lưu: VT, TCCB",
        )
    };
    ws.set_name("Thông tin đơn vị")?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, "Mục", &bold)?;
    ws.write_string_with_format(0, 1, "Nội dung", &bold)?;
    let rows = [
        ("Cấp", level),
        ("Địa bàn", area),
        ("Số, ký hiệu", ""),
        ("Người ký", ""),
        ("Nơi nhận", recipients),
    ];
    for (i, (label, value)) in rows.into_iter().enumerate() {
        ws.write_string(1 + i as u32, 0, label)?;
        ws.write_string(1 + i as u32, 1, value)?;
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 70)?;
    Ok(())
}

/// A value drawn from a vocabulary entry: its label, or sometimes one of its variants.
fn variant(s: &Schemas, vocab: &str, code: &str, rng: &mut ChaCha8Rng) -> String {
    let Some(e) = s.vocab[vocab].entry(code) else {
        return String::new();
    };
    if rng.random_bool(0.7) {
        e.label.clone()
    } else {
        e.aliases
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| e.label.clone())
    }
}

fn pick<'a>(rng: &mut ChaCha8Rng, weighted: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = weighted.iter().map(|w| w.1).sum();
    let mut x = rng.random_range(0..total);
    for (v, w) in weighted {
        if x < *w {
            return v;
        }
        x -= w;
    }
    weighted[0].0
}

fn make_member(
    plan: &SchoolPlan,
    category: &'static str,
    role_code: &str,
    rng: &mut ChaCha8Rng,
    s: &Schemas,
) -> Member {
    let female = rng.random_bool(if category == "teacher" { 0.78 } else { 0.55 });
    let (middles, givens) = if female {
        (&MIDDLE_FEMALE, &GIVEN_FEMALE)
    } else {
        (&MIDDLE_MALE, &GIVEN_MALE)
    };
    let name = format!(
        "{} {} {}",
        SURNAMES.choose(rng).unwrap_or(&"Lê"),
        middles.choose(rng).unwrap_or(&"Văn"),
        givens.choose(rng).unwrap_or(&"An")
    );
    let year = if category == "manager" {
        rng.random_range(1966..=1985)
    } else {
        rng.random_range(1965..=2001)
    };
    let subject = match (category, plan.level) {
        ("support", _) => String::new(),
        (_, "tieu_hoc") => SUBJECTS_TH.choose(rng).unwrap_or(&"").to_string(),
        _ => SUBJECTS_THCS.choose(rng).unwrap_or(&"").to_string(),
    };
    let qualification_code = match category {
        "support" => pick(rng, &[("bachelor", 3), ("college", 3), ("intermediate", 4)]),
        "manager" => pick(rng, &[("master", 3), ("bachelor", 7)]),
        _ => pick(
            rng,
            &[
                ("master", 8),
                ("bachelor", 70),
                ("college", 15),
                ("intermediate", 7),
            ],
        ),
    };
    let mut qualification = variant(s, "qualification", qualification_code, rng);
    if category == "teacher" && rng.random_bool(0.3) && qualification_code != "master" {
        qualification = format!("{qualification} {subject}");
    }
    let role = if role_code == "teacher" && rng.random_bool(0.4) {
        format!("{} {}", variant(s, "role", "teacher", rng), subject)
    } else {
        variant(s, "role", role_code, rng)
    };
    let political = if category == "manager" {
        pick(rng, &[("intermediate", 6), ("basic", 3), ("advanced", 1)])
    } else {
        pick(rng, &[("basic", 4), ("none", 6)])
    };
    Member {
        name,
        female,
        birth: (rng.random_range(1..=28), rng.random_range(1..=12), year),
        ethnicity: if rng.random_bool(0.9) {
            "Kinh"
        } else {
            ETHNIC_MINORITIES.choose(rng).unwrap_or(&"Tày")
        },
        party: rng.random_bool(if category == "manager" { 0.95 } else { 0.4 }),
        category,
        role,
        subject,
        qualification,
        political: variant(s, "political_theory", political, rng),
        it: variant(
            s,
            "it_level",
            pick(
                rng,
                &[("basic", 6), ("advanced", 1), ("cert_a", 2), ("cert_b", 1)],
            ),
            rng,
        ),
        language: variant(
            s,
            "language_level",
            pick(rng, &[("A2", 3), ("B1", 4), ("B2", 1), ("cert_b", 2)]),
            rng,
        ),
        standard: if category == "support" {
            String::new()
        } else {
            variant(
                s,
                "standard_rating",
                pick(
                    rng,
                    &[("good", 35), ("fair", 45), ("pass", 17), ("fail", 3)],
                ),
                rng,
            )
        },
        civil: variant(
            s,
            "civil_servant_rating",
            pick(
                rng,
                &[("excellent", 15), ("good", 60), ("done", 23), ("fail", 2)],
            ),
            rng,
        ),
    }
}

fn staff_of(plan: &SchoolPlan, rng: &mut ChaCha8Rng, s: &Schemas) -> Vec<Member> {
    let ratio = match (plan.level, plan.sessions) {
        ("thcs", _) => 1.9,
        (_, 1) => 1.2,
        _ => 1.5,
    };
    let norm = (plan.classes as f64 * ratio).ceil() as i64;
    let teachers = (norm + rng.random_range(-2..=3)).max(4) as usize;
    let mut staff = vec![make_member(plan, "manager", "principal", rng, s)];
    for _ in 0..rng.random_range(1..=2) {
        staff.push(make_member(plan, "manager", "vice_principal", rng, s));
    }
    for i in 0..teachers {
        let role = if i == 0 { "pioneer_leader" } else { "teacher" };
        let mut member = make_member(plan, "teacher", role, rng, s);
        // As in real schools, every subject of the programme has a teacher: the first
        // teachers after the Tổng phụ trách take them in turn (no draw, so the rest of the
        // district is the same as before).
        let programme = match plan.level {
            "tieu_hoc" => &PROGRAMME_TH[..],
            _ => &PROGRAMME_THCS[..],
        };
        if let Some(subject) = i.checked_sub(1).and_then(|k| programme.get(k)) {
            let old = std::mem::replace(&mut member.subject, subject.to_string());
            member.role = member.role.replace(&old, subject);
            member.qualification = member.qualification.replace(&old, subject);
        }
        staff.push(member);
    }
    for role in ["accountant", "clerk", "medical", "library", "security"] {
        if rng.random_bool(0.85) {
            let mut member = make_member(plan, "support", role, rng, s);
            // A THCS school's librarian keeps the equipment too, as most do.
            if role == "library" && plan.level == "thcs" {
                member.role.push_str(" kiêm thiết bị");
            }
            staff.push(member);
        }
    }
    staff
}

/// Writes one school's workbook(s); returns how many files.
/// Someone still listed after reaching retirement age is a problem too: a sample without
/// problems lists nobody born before (school year's end − 56) for women, (− 60) for men.
fn keep_below_retirement_age(staff: &mut [Member], school_year: &str) {
    let end: i32 = school_year
        .rsplit('-')
        .next()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or(2025);
    for m in staff {
        let oldest = if m.female { end - 56 } else { end - 60 };
        m.birth.2 = m.birth.2.max(oldest);
    }
}

fn write_school(
    plan: &SchoolPlan,
    opts: &SampleOptions,
    plant: bool,
    out: &Path,
    s: &Schemas,
) -> Result<usize> {
    let mut rng = rng_for(opts.seed, plan.index, 3);
    let mut staff = staff_of(plan, &mut rng, s);
    if !opts.plant_problems {
        keep_below_retirement_age(&mut staff, &opts.school_year);
    }
    let planted = if plant { plan.index } else { usize::MAX };
    let slug = crate::domain::text::fold(&plan.name).replace(' ', "_");
    let folder = out.join(format!("{}_{}", plan.code, slug));
    if planted == 3 {
        let copy = staff[5].clone();
        staff.push(copy); // the same person listed twice
    }
    if planted == 1 {
        staff[6].qualification = "Chứng chỉ nghề".into();
    }
    if planted == 6 {
        staff[7].role = "Hợp đồng 68".into();
    }
    let layout = plan.index % 4;
    let mut staff_wb = new_workbook(&opts.school_year)?;
    let two_files = layout == 1 || layout == 3;
    if !two_files {
        info_sheet(staff_wb.add_worksheet(), plan, s)?;
    }
    staff_sheet(
        staff_wb.add_worksheet().set_name("Đội ngũ")?,
        plan,
        &staff,
        layout,
        planted == 0,
        opts,
        s,
    )?;
    let mut training_rows = training_of(&staff, &mut rng);
    if planted == 4 {
        training_rows.push((
            None,
            format!("{} Văn Ngoại", SURNAMES[(plan.index + 3) % SURNAMES.len()]),
            [8.0, 7.5, 9.0],
        ));
    }
    if two_files {
        write_atomic(
            &folder.join(format!("{slug}_doi_ngu.xlsx")),
            &staff_wb.save_to_buffer()?,
        )?;
        let mut wb = new_workbook(&opts.school_year)?;
        training_sheet(
            wb.add_worksheet().set_name("Kết quả BDTX")?,
            plan,
            &staff,
            &training_rows,
            planted,
            opts,
            s,
        )?;
        write_atomic(
            &folder.join(format!("{slug}_bdtx.xlsx")),
            &wb.save_to_buffer()?,
        )?;
        Ok(2)
    } else {
        training_sheet(
            staff_wb.add_worksheet().set_name("BDTX")?,
            plan,
            &staff,
            &training_rows,
            planted,
            opts,
            s,
        )?;
        write_atomic(
            &folder.join(format!("{}_{}.xlsx", plan.code, slug)),
            &staff_wb.save_to_buffer()?,
        )?;
        Ok(1)
    }
}

fn info_sheet(ws: &mut Worksheet, plan: &SchoolPlan, s: &Schemas) -> Result<()> {
    ws.set_name(
        s.rules
            .school_match
            .info_sheet_names
            .first()
            .map(String::as_str)
            .unwrap_or("Info"),
    )?;
    ws.write_string(0, 0, s.registry.label_of("code"))?;
    ws.write_string(0, 1, &plan.code)?;
    ws.write_string(1, 0, s.registry.label_of("name"))?;
    ws.write_string(1, 1, full_name(plan, s))?;
    ws.set_column_width(1, 36)?;
    Ok(())
}

fn title_block(
    ws: &mut Worksheet,
    plan: &SchoolPlan,
    title: &str,
    opts: &SampleOptions,
    s: &Schemas,
) -> Result<u32> {
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", &bold)?;
    ws.write_string_with_format(1, 0, full_name(plan, s).to_uppercase(), &bold)?;
    ws.write_string_with_format(
        3,
        2,
        format!("{} NĂM HỌC {}", title.to_uppercase(), opts.school_year),
        &bold,
    )?;
    Ok(5)
}

fn footer(ws: &mut Worksheet, row: u32, col: u16) -> Result<()> {
    ws.write_string(row + 1, col, "…, ngày 20 tháng 5 năm 2025")?;
    ws.write_string(row + 2, 1, "Người lập biểu")?;
    ws.write_string(row + 2, col, "HIỆU TRƯỞNG")?;
    ws.write_string(row + 6, col, "(Ký tên, đóng dấu)")?;
    Ok(())
}

fn date_text(b: (u32, u32, i32)) -> String {
    format!("{:02}/{:02}/{}", b.0, b.1, b.2)
}

fn staff_sheet(
    ws: &mut Worksheet,
    plan: &SchoolPlan,
    staff: &[Member],
    layout: usize,
    plant_no_name: bool,
    opts: &SampleOptions,
    s: &Schemas,
) -> Result<()> {
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let top = title_block(ws, plan, &s.staff.label, opts, s)?;
    let female_column = layout >= 2;
    let keys: Vec<&str> = if female_column {
        vec![
            "seq",
            "name",
            "birth_date",
            "female_mark",
            "ethnicity",
            "party_member",
            "role",
            "qualification",
            "political_theory",
            "it_level",
            "language_level",
            "standard_rating",
            "civil_servant_rating",
            "management_training",
        ]
    } else {
        vec![
            "seq",
            "name",
            "birth_date",
            "gender",
            "ethnicity",
            "party_member",
            "role",
            "subject",
            "qualification",
            "political_theory",
            "it_level",
            "language_level",
            "standard_rating",
            "civil_servant_rating",
            "management_training",
        ]
    };
    // Layouts 2 and 3 merge a parent header over its children (schemas: [[staff.groups]]).
    let two_row = layout >= 2;
    let group = s.staff.groups.first().filter(|_| two_row);
    let child = |k: &str| {
        group
            .and_then(|g| g.columns.iter().find(|(key, _)| key == k))
            .map(|(_, c)| c.clone())
    };
    for (c, k) in keys.iter().enumerate() {
        let c = c as u16;
        match child(k) {
            Some(short) => ws.write_string_with_format(top + 1, c, short, &bold)?,
            None => ws.write_string_with_format(top, c, s.staff.label_of(k), &bold)?,
        };
    }
    if let Some(g) = group {
        let cols: Vec<u16> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| child(k).is_some())
            .map(|(c, _)| c as u16)
            .collect();
        if let (Some(&first), Some(&last)) = (cols.first(), cols.last()) {
            ws.merge_range(top, first, top, last, &g.label, &bold)?;
        }
    }
    let mut r = top + if two_row { 2 } else { 1 };
    let groups = [
        ("manager", "I. CÁN BỘ QUẢN LÝ"),
        ("teacher", "II. GIÁO VIÊN"),
        ("support", "III. NHÂN VIÊN"),
    ];
    let mut seq = 0;
    for (category, label) in groups {
        if layout.is_multiple_of(2) {
            ws.write_string_with_format(r, 1, label, &Format::new().set_bold())?;
            r += 1;
        }
        for m in staff.iter().filter(|m| m.category == category) {
            seq += 1;
            for (c, k) in keys.iter().enumerate() {
                let c = c as u16;
                let text = match *k {
                    "seq" => {
                        ws.write_number(r, c, seq as f64)?;
                        continue;
                    }
                    "name" => m.name.clone(),
                    "birth_date" => date_text(m.birth),
                    "gender" => if m.female { "Nữ" } else { "Nam" }.to_string(),
                    "female_mark" => if m.female { "x" } else { "" }.to_string(),
                    "ethnicity" => m.ethnicity.to_string(),
                    "party_member" => if m.party { "x" } else { "" }.to_string(),
                    "role" => m.role.clone(),
                    "subject" => m.subject.clone(),
                    "qualification" => m.qualification.clone(),
                    "political_theory" => m.political.clone(),
                    "it_level" => m.it.clone(),
                    "language_level" => m.language.clone(),
                    "standard_rating" => m.standard.clone(),
                    // Managers hold the education-management certificate (TT 18/2018 2.1).
                    "management_training" => match m.category {
                        "manager" => "x".to_string(),
                        _ => String::new(),
                    },
                    _ => m.civil.clone(),
                };
                if !text.is_empty() {
                    ws.write_string(r, c, &text)?;
                }
            }
            r += 1;
        }
    }
    if plant_no_name {
        // A row with data but no name: the school forgot to type it.
        ws.write_number(r, 0, (seq + 1) as f64)?;
        ws.write_string(r, 2, "12/03/1990")?;
        ws.write_string(r, 6, s.vocab["role"].label("teacher"))?;
        r += 1;
    }
    ws.write_string_with_format(r, 1, "Tổng cộng", &Format::new().set_bold())?;
    ws.write_number(r, 2, seq as f64)?;
    footer(ws, r + 1, 6)?;
    ws.set_column_width(1, 24)?;
    Ok(())
}

/// BDTX rows for managers and teachers; a few people have no row, a few fail a content.
fn training_of(staff: &[Member], rng: &mut ChaCha8Rng) -> Vec<(Option<usize>, String, [f64; 3])> {
    let mut rows = Vec::new();
    for (i, m) in staff
        .iter()
        .enumerate()
        .filter(|(_, m)| m.category != "support")
    {
        if rng.random_bool(0.03) {
            continue;
        }
        let mut score = || (rng.random_range(12..=20) as f64) / 2.0;
        let mut scores = [score(), score(), score()];
        if rng.random_bool(0.05) {
            scores[rng.random_range(0..3)] = rng.random_range(4..=9) as f64 / 2.0;
        }
        rows.push((Some(i), m.name.clone(), scores));
    }
    rows
}

fn training_sheet(
    ws: &mut Worksheet,
    plan: &SchoolPlan,
    staff: &[Member],
    rows: &[(Option<usize>, String, [f64; 3])],
    planted: usize,
    opts: &SampleOptions,
    s: &Schemas,
) -> Result<()> {
    let bold = Format::new().set_bold().set_text_wrap();
    let top = title_block(ws, plan, &s.training.label, opts, s)?;
    let keys = [
        "seq",
        "name",
        "birth_date",
        "role",
        "score_1",
        "score_2",
        "score_3",
        "modules",
        "result",
    ];
    for (c, k) in keys.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, s.training.label_of(k), &bold)?;
    }
    let pass = s.rules.training.pass_score;
    let prefix = if plan.level == "thcs" {
        "GVTHCS"
    } else {
        "GVTH"
    };
    let mut rng = rng_for(opts.seed, plan.index, 4);
    for (i, (member, name, scores)) in rows.iter().enumerate() {
        let r = top + 1 + i as u32;
        let person = member.and_then(|m| staff.get(m));
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, name)?;
        if let Some(p) = person {
            ws.write_string(r, 2, date_text(p.birth))?;
            ws.write_string(r, 3, &p.role)?;
        }
        let mut scores = *scores;
        if planted == 2 && i == 2 {
            scores[1] = 11.0;
        }
        for (j, sc) in scores.iter().enumerate() {
            if rng.random_bool(0.2) {
                ws.write_string(r, 4 + j as u16, format!("{sc}").replace('.', ","))?;
            } else {
                ws.write_number(r, 4 + j as u16, *sc)?;
            }
        }
        let modules: Vec<String> = (0..3)
            .map(|_| format!("{prefix}{:02}", rng.random_range(1..=20)))
            .collect();
        ws.write_string(r, 7, modules.join(", "))?;
        let mut completed = scores.iter().all(|x| *x >= pass && *x <= 10.0);
        if planted == 5 && i == 1 {
            completed = !completed; // the school's result contradicts the scores
        }
        let code = if completed {
            "completed"
        } else {
            "not_completed"
        };
        ws.write_string(r, 8, s.vocab["training_result"].label(code))?;
    }
    footer(ws, top + rows.len() as u32 + 1, 7)?;
    ws.set_column_width(1, 24)?;
    Ok(())
}

/// An old consolidated list with no school named anywhere: bdtx must report it, not guess.
fn stray_workbook(opts: &SampleOptions, s: &Schemas) -> Result<Vec<u8>> {
    let mut wb = new_workbook(&opts.school_year)?;
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, format!("DANH SÁCH NĂM HỌC {}", opts.school_year))?;
    for (c, k) in ["seq", "name", "role"].iter().enumerate() {
        ws.write_string(2, c as u16, s.staff.label_of(k))?;
    }
    ws.write_number(3, 0, 1.0)?;
    ws.write_string(3, 1, "Lê Thị Hoa")?;
    ws.write_string(3, 2, s.vocab["role"].label("teacher"))?;
    Ok(wb.save_to_buffer()?)
}
