//! A CSV file read whole, with columns found by name and every row's line number kept:
//! what the directory importers and the grouping CLI read, so a bad row is refused with
//! its file, line and field.

use csv::{ReaderBuilder, StringRecord};

/// A rejected import: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}, field `{field}`: {message}")]
pub struct ImportError {
    pub file: String,
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// A parsed CSV file: header names normalised (lower case, `_` for spaces and dashes).
pub struct CsvTable {
    pub file: String,
    headers: Vec<String>,
    rows: Vec<(u64, StringRecord)>,
}

/// One data row.
pub struct Row<'a> {
    pub table: &'a CsvTable,
    pub line: u64,
    rec: &'a StringRecord,
}

fn normalise(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

impl CsvTable {
    /// Reads the whole file. The delimiter (`,`, `;` or tab) is taken from the header line.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Self, ImportError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
        let count = |d: u8| first.iter().filter(|b| **b == d).count();
        let delim = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| count(*d))
            .unwrap_or(b',');
        let mut rdr = ReaderBuilder::new().delimiter(delim).from_reader(bytes);
        let err = |line: u64, field: &str, message: String| ImportError {
            file: file.to_owned(),
            line,
            field: field.to_owned(),
            message,
        };
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| err(1, "(header)", e.to_string()))?
            .iter()
            .map(normalise)
            .collect();
        if headers.iter().all(|h| h.is_empty()) {
            return Err(err(
                1,
                "(header)",
                "the file is empty or has no header line".into(),
            ));
        }
        // Line numbers come from byte offsets: the csv crate's own count skips blank lines.
        let mut counted = (0usize, 1u64);
        let mut line_at = |byte: u64| {
            let mut byte = (byte as usize).min(bytes.len());
            // A record's position is where reading began, before any blank lines it skipped.
            while byte < bytes.len() && matches!(bytes[byte], b'\n' | b'\r') {
                byte += 1;
            }
            let (from, n) = counted;
            let n = n + bytes[from.min(byte)..byte]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            counted = (byte.max(from), n);
            n
        };
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| line_at(p.byte())).unwrap_or(0);
                let msg = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("the row has {len} fields, the header {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_owned(),
                    _ => e.to_string(),
                };
                err(line, "(row)", msg)
            })?;
            let line = rec.position().map(|p| line_at(p.byte())).unwrap_or(0);
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            rows.push((line, rec));
        }
        Ok(Self {
            file: file.to_owned(),
            headers,
            rows,
        })
    }

    /// The index of the first column whose name is one of `names`.
    pub fn col(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.headers.iter().position(|h| h == &normalise(n)))
    }

    /// Like [`col`](Self::col), but a missing column is an error on line 1.
    pub fn require(&self, names: &[&str]) -> Result<usize, ImportError> {
        self.col(names).ok_or_else(|| ImportError {
            file: self.file.clone(),
            line: 1,
            field: names[0].to_owned(),
            message: format!("the header has no column `{}`", names.join("` or `")),
        })
    }

    /// The normalised header names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, rec)| Row {
            table: self,
            line: *line,
            rec,
        })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl<'a> Row<'a> {
    pub fn error(&self, field: &str, message: impl Into<String>) -> ImportError {
        ImportError {
            file: self.table.file.clone(),
            line: self.line,
            field: field.to_owned(),
            message: message.into(),
        }
    }

    fn field_name(&self, idx: usize) -> &str {
        &self.table.headers[idx]
    }

    /// The trimmed value, `None` when blank.
    pub fn opt(&self, idx: Option<usize>) -> Option<&'a str> {
        idx.and_then(|i| self.rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The trimmed value; blank is an error naming the field.
    pub fn req(&self, idx: usize) -> Result<&'a str, ImportError> {
        self.opt(Some(idx))
            .ok_or_else(|| self.error(self.field_name(idx), "a value is required"))
    }

    /// A decimal number (`,` accepted as decimal mark), or `None` when blank.
    pub fn f64_opt(&self, idx: Option<usize>) -> Result<Option<f64>, ImportError> {
        match self.opt(idx) {
            None => Ok(None),
            Some(v) => v
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    self.error(
                        self.field_name(idx.unwrap_or(0)),
                        format!("`{v}` is not a number"),
                    )
                }),
        }
    }

    /// A whole number (spaces as thousands separators allowed), or `None` when blank.
    pub fn i64_opt(&self, idx: Option<usize>) -> Result<Option<i64>, ImportError> {
        match self.opt(idx) {
            None => Ok(None),
            Some(v) => v
                .replace([' ', '\u{a0}'], "")
                .parse::<i64>()
                .map(Some)
                .map_err(|_| {
                    self.error(
                        self.field_name(idx.unwrap_or(0)),
                        format!("`{v}` is not a whole number"),
                    )
                }),
        }
    }

    /// A published count where small numbers may be suppressed (`<5` in DUO files, `*`
    /// in Udir files): suppressed and blank are both `None`, never a guessed value.
    pub fn count_opt(&self, idx: Option<usize>) -> Result<Option<i64>, ImportError> {
        match self.opt(idx) {
            Some(v) if v.starts_with('<') || v == "*" => Ok(None),
            _ => self.i64_opt(idx),
        }
    }

    /// A required whole number.
    pub fn i64_req(&self, idx: usize) -> Result<i64, ImportError> {
        self.req(idx)?;
        Ok(self.i64_opt(Some(idx))?.unwrap_or_default())
    }

    /// A latitude/longitude pair where both or neither are given, and inside the globe.
    pub fn latlon(
        &self,
        lat: Option<usize>,
        lon: Option<usize>,
    ) -> Result<Option<(f64, f64)>, ImportError> {
        match (self.f64_opt(lat)?, self.f64_opt(lon)?) {
            (Some(a), Some(o)) => crate::geo::LatLon::new(a, o)
                .map(|p| Some((p.lat, p.lon)))
                .ok_or_else(|| {
                    self.error("lat", format!("({a}, {o}) is not a position on the globe"))
                }),
            (None, None) => Ok(None),
            _ => Err(self.error("lat", "latitude and longitude must be given together")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_delimiter_and_finds_columns() {
        let t = CsvTable::parse(
            "x.csv",
            "\u{feff}A;BEVOEGD GEZAG NUMMER\n1;2\n\n3;4\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        let c = t.require(&["bevoegd_gezag_nummer"]).unwrap();
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows[1].req(c).unwrap(), "4");
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn errors_name_line_and_field() {
        let t = CsvTable::parse("x.csv", b"name,lat,lon\na,1.5,xx\n").unwrap();
        let r = t.rows().next().unwrap();
        let e = r.f64_opt(t.col(&["lon"])).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (2, "lon"));
        assert!(e.to_string().contains("x.csv, line 2, field `lon`"));
        let e = CsvTable::parse("y.csv", b"a,b\n1,2\n3\n").err().unwrap();
        assert_eq!(e.line, 3);
        assert!(t.require(&["missing"]).is_err());
    }
}
