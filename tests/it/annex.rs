//! A list longer than one sheet (issue 30): a country's completers pass Excel's last row.
//! With the sheet's room lowered to 10 rows, the sample's lists go on over numbered sheets
//! and hold, in order, exactly the rows of the one-sheet annex.

use crate::common::{repo_path, run};
use bdtx::domain::schema::Schemas;
use bdtx::output::annex::{annex, annex_with};
use bdtx::output::official::Letterhead;
use bdtx::output::xlsx::Formats;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// Each sheet's name and its rows from the header on (row 5 in Excel), as text.
fn sheets(bytes: Vec<u8>) -> Vec<(String, String, Vec<Vec<String>>)> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let heading = range
                .get_value((0, 0))
                .map(|d| d.to_string())
                .unwrap_or_default();
            let rows = range
                .rows()
                .skip(4)
                .map(|r| {
                    r.iter()
                        .map(|d| match d {
                            Data::Empty => String::new(),
                            d => d.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, heading, rows)
        })
        .collect()
}

#[test]
fn a_list_longer_than_a_sheet_goes_on_over_numbered_sheets() {
    let job = run(&repo_path("input"));
    let s = Schemas::load(None).unwrap();
    let lh = Letterhead::resolve(&job.issuer, &job.registry_title, &s);
    let formats = || Formats::new().naming(&s);
    let whole = sheets(annex(&job.figures, formats(), &s, &lh).unwrap());
    let parts = sheets(annex_with(&job.figures, formats(), &s, &lh, 10).unwrap());
    // The sample: 276 completers on 28 sheets; the other lists on 3, 17 and 6.
    let named: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(named.len(), 54, "{named:?}");
    assert_eq!(named[1], "PL1 Hoàn thành BDTX (2)");
    assert_eq!(named[27], "PL1 Hoàn thành BDTX (28)");
    assert_eq!(named[28], "PL2 Chưa hoàn thành BDTX");
    assert_eq!(parts[1].1, "Phụ lục 1 (tiếp theo, phần 2)");
    assert_eq!(parts[28].1, "Phụ lục 2");
    assert_eq!(whole[0].2.len(), 1 + 276);
    assert!(parts[..27].iter().all(|p| p.2.len() == 11));
    assert_eq!(parts[27].2.len(), 7);
    // Every part repeats its list's header; joined, the parts are the whole list, in order,
    // its notes under the last part.
    for (name, _, rows) in &whole {
        let mine: Vec<_> = parts
            .iter()
            .filter(|p| p.0 == *name || p.0.starts_with(&format!("{name} (")))
            .collect();
        let mut joined = vec![rows[0].clone()];
        for (_, _, part) in &mine {
            assert_eq!(part[0], rows[0], "{name}");
            joined.extend(part[1..].iter().cloned());
        }
        assert_eq!(&joined, rows, "{name}");
    }
}
