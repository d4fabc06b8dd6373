//! Uploaded files, checked the same way wherever they arrive (a PD activity's evidence, an
//! event's materials): a name without path separators, a type from the allowed list whose
//! first bytes the content confirms (a program renamed `.pdf` is refused), and a size
//! within the limit.

use crate::input::{FileName, InputError, Problem};

/// What one kind of upload accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRule {
    /// Media types accepted.
    pub types: &'static [&'static str],
    /// The most bytes one file may have.
    pub max_bytes: usize,
}

pub const PDF: &str = "application/pdf";
pub const PNG: &str = "image/png";
pub const JPEG: &str = "image/jpeg";
pub const TEXT: &str = "text/plain";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
pub const ODT: &str = "application/vnd.oasis.opendocument.text";
pub const ODP: &str = "application/vnd.oasis.opendocument.presentation";

/// Evidence of a PD activity: certificates and their scans, 5 MiB each.
pub const EVIDENCE: FileRule = FileRule {
    types: &[PDF, PNG, JPEG, TEXT],
    max_bytes: 5 * 1024 * 1024,
};

/// An event's materials: slides and good-practice descriptions, 10 MiB each.
pub const MATERIALS: FileRule = FileRule {
    types: &[PDF, PPTX, ODP, DOCX, ODT, PNG, JPEG, TEXT],
    max_bytes: 10 * 1024 * 1024,
};

impl FileRule {
    /// Checks one file sent as `content_type`; each refusal names `field` and the file.
    pub fn check(
        &self,
        field: &'static str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<FileName, InputError> {
        let file_name = FileName::parse(field, name)?;
        let shown = || name.chars().take(80).collect::<String>();
        if !self.types.contains(&content_type) {
            return Err(InputError::new(
                field,
                Problem::FileType {
                    name: shown(),
                    allowed: self.types.join(", "),
                },
            ));
        }
        if bytes.len() > self.max_bytes {
            return Err(InputError::new(
                field,
                Problem::FileTooLarge {
                    name: shown(),
                    max: self.max_bytes,
                },
            ));
        }
        if !content_is(content_type, bytes) {
            return Err(InputError::new(
                field,
                Problem::ContentMismatch {
                    name: shown(),
                    declared: content_type.chars().take(80).collect(),
                },
            ));
        }
        Ok(file_name)
    }
}

/// Whether `bytes` begin as a file of `content_type` does.
fn content_is(content_type: &str, bytes: &[u8]) -> bool {
    const ZIP: &[u8] = b"PK\x03\x04";
    match content_type {
        PDF => bytes.starts_with(b"%PDF"),
        PNG => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        JPEG => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        TEXT => !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok(),
        // OpenDocument keeps its media type, uncompressed, as the archive's first entry.
        ODT | ODP => {
            bytes.starts_with(ZIP)
                && bytes.get(30..38) == Some(b"mimetype".as_slice())
                && bytes[38..].starts_with(content_type.as_bytes())
        }
        DOCX | PPTX => bytes.starts_with(ZIP),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn odp() -> Vec<u8> {
        let mut b = b"PK\x03\x04".to_vec();
        b.resize(30, 0);
        b.extend_from_slice(b"mimetype");
        b.extend_from_slice(ODP.as_bytes());
        b
    }

    #[test]
    fn content_must_be_what_it_says() {
        let m = MATERIALS;
        assert!(m.check("file", "slides.pdf", PDF, b"%PDF-1.7 ...").is_ok());
        assert!(m.check("file", "slides.odp", ODP, &odp()).is_ok());
        assert!(m
            .check("file", "notes.txt", TEXT, "Šola, skole".as_bytes())
            .is_ok());
        let e = m
            .check("file", "slides.pdf", PDF, b"MZ\x90\x00")
            .unwrap_err();
        assert_eq!(e.field, "file");
        assert!(matches!(e.problem, Problem::ContentMismatch { .. }));
        // An OpenDocument text sent as a presentation is not one.
        let mut odt = odp();
        odt.truncate(38);
        odt.extend_from_slice(ODT.as_bytes());
        assert!(m.check("file", "x.odp", ODP, &odt).is_err());
        assert!(m.check("file", "x.txt", TEXT, b"a\x00b").is_err());
    }

    #[test]
    fn type_size_and_name_are_checked() {
        let small = FileRule {
            types: &[TEXT],
            max_bytes: 3,
        };
        assert!(matches!(
            small
                .check("f", "a.txt", TEXT, b"abcd")
                .unwrap_err()
                .problem,
            Problem::FileTooLarge { max: 3, .. }
        ));
        assert!(matches!(
            small
                .check("f", "a.exe", "application/x-msdownload", b"MZ")
                .unwrap_err()
                .problem,
            Problem::FileType { .. }
        ));
        assert!(matches!(
            small
                .check("f", "../a.txt", TEXT, b"a")
                .unwrap_err()
                .problem,
            Problem::PathSeparator
        ));
    }
}
