//! The one writer of spreadsheet exports (CSV and XLSX). Whatever is stored, the file is
//! safe to open: a text that a spreadsheet would run as a formula is written as text
//! ([`headway_domain::input::spreadsheet_text`]), characters XML cannot hold are dropped,
//! and an XLSX cell is cut at Excel's limit of 32,767 characters.

use crate::http::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use headway_domain::input::spreadsheet_text;

/// Excel's limit on the characters of a cell.
pub const XLSX_CELL_MAX: usize = 32_767;

/// One cell: numbers stay numbers (they cannot be formulas).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}

impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Number(f64::from(v))
    }
}

/// A header row and rows of cells, written as CSV or XLSX.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The text as it goes into a file: formula-safe, without characters XML 1.0 refuses
/// (controls other than tab and line breaks, noncharacters).
fn safe_text(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
        })
        .collect();
    spreadsheet_text(&kept).into_owned()
}

fn number_text(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

impl Table {
    pub fn new(header: Vec<&'static str>) -> Self {
        Self {
            header,
            rows: vec![],
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    pub fn to_csv(&self) -> Result<Vec<u8>, AppError> {
        let mut w = csv::Writer::from_writer(vec![]);
        w.write_record(&self.header).map_err(AppError::internal)?;
        for row in &self.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(s) => safe_text(s),
                Cell::Number(v) => number_text(*v),
            }))
            .map_err(AppError::internal)?;
        }
        w.into_inner().map_err(AppError::internal)
    }

    pub fn to_xlsx(&self) -> Result<Vec<u8>, AppError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in self.header.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(AppError::internal)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = (i + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Number(v) if v.is_finite() => {
                        sheet.write_number(r, c, *v).map_err(AppError::internal)?;
                    }
                    Cell::Number(_) => {}
                    Cell::Text(s) => {
                        let t: String = safe_text(s).chars().take(XLSX_CELL_MAX).collect();
                        sheet.write_string(r, c, t).map_err(AppError::internal)?;
                    }
                }
            }
        }
        book.save_to_buffer().map_err(AppError::internal)
    }

    /// The CSV as a download named `name.csv`.
    pub fn csv_response(&self, name: &str) -> Result<Response, AppError> {
        Ok(download(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            self.to_csv()?,
        ))
    }

    /// The workbook as a download named `name.xlsx`.
    pub fn xlsx_response(&self, name: &str) -> Result<Response, AppError> {
        Ok(download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{name}.xlsx"),
            self.to_xlsx()?,
        ))
    }
}

/// A spreadsheet format, as a type: one export handler serves both
/// (`h::get(export::<Csv>)`, `h::get(export::<Xlsx>)`).
pub trait Sheet {
    fn respond(t: &Table, name: &str) -> Result<Response, AppError>;
}

pub struct Csv;
pub struct Xlsx;

impl Sheet for Csv {
    fn respond(t: &Table, name: &str) -> Result<Response, AppError> {
        t.csv_response(name)
    }
}

impl Sheet for Xlsx {
    fn respond(t: &Table, name: &str) -> Result<Response, AppError> {
        t.xlsx_response(name)
    }
}

/// A file download. `file_name` is a name the application chose (ASCII).
fn download(content_type: &'static str, file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `Content-Disposition` for a download under a stored name, whatever the name holds: a
/// plain ASCII `filename` (quotes, backslashes, controls and non-ASCII as `_`) and the
/// exact name as RFC 6266's `filename*` (UTF-8, percent-encoded).
pub fn attachment(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).take(255).collect();
    let plain = headway_domain::input::ascii_file_name(&name);
    let exact = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{exact}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cell: &str) -> Table {
        let mut t = Table::new(vec!["name", "points"]);
        t.push(vec![cell.into(), Cell::Number(-3.0)]);
        t
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for f in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2",
            "@A1",
            "\t=1",
            "\r=1",
        ] {
            let csv = String::from_utf8(table(f).to_csv().unwrap()).unwrap();
            let cell = csv.lines().nth(1).unwrap();
            let first = cell.trim_start_matches('"');
            assert!(first.starts_with('\''), "{f:?} → {cell}");
        }
        let csv = String::from_utf8(table("Ana").to_csv().unwrap()).unwrap();
        assert_eq!(csv.lines().nth(1), Some("Ana,-3"), "numbers stay numbers");
    }

    #[test]
    fn attachment_names_are_valid_header_values() {
        for name in [
            "a\"b\\c.pdf",
            "evil\r\nSet-Cookie: x.pdf",
            "a\u{0}b.pdf",
            "Šola\u{202E}fdp.pdf",
        ] {
            let v = attachment(name);
            assert!(
                axum::http::HeaderValue::from_str(&v).is_ok(),
                "{name:?} → {v}"
            );
            assert!(!v.contains('\r') && !v.contains('\n'));
        }
        assert_eq!(
            attachment("Šola.pdf"),
            "attachment; filename=\"_ola.pdf\"; filename*=UTF-8''%C5%A0ola%2Epdf"
        );
    }

    #[test]
    fn xlsx_takes_any_stored_text() {
        let huge = "x".repeat(100_000);
        assert!(
            table(&huge).to_xlsx().is_ok(),
            "a cell over Excel's limit is cut"
        );
        assert!(table("a\u{0}b\u{1b}c\u{FFFF}").to_xlsx().is_ok());
        assert!(table("=1+1").to_xlsx().is_ok());
        assert_eq!(safe_text("=1+1"), "'=1+1");
        assert_eq!(safe_text("a\u{0}b"), "ab");
    }
}
