//! PDF documents of text: A4 pages in DejaVu Sans (embedded and subset by krilla, so every
//! letter of the four languages prints), lines broken at spaces, a new page when one is full.
//! The certificate and the guidance case report are written with it.

use crate::http::error::{AppError, AppResult};
use krilla::color::rgb;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;

/// A4 in points.
pub const WIDTH: f32 = 595.0;
pub const HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 64.0;

/// Breaks `text` into lines of at most `max` characters, at spaces.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The document's two faces.
pub fn fonts() -> AppResult<(Font, Font)> {
    let load = |data: &'static [u8]| {
        Font::new(data.into(), 0).ok_or_else(|| AppError::internal("the PDF font does not load"))
    };
    Ok((load(dejavu::sans::regular())?, load(dejavu::sans::bold())?))
}

/// The colour text is drawn in.
pub fn ink(r: u8, g: u8, b: u8) -> Option<Fill> {
    Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    })
}

/// A text in lines, headings and paragraphs, over as many pages as it takes.
pub struct TextPdf {
    regular: Font,
    bold: Font,
    /// Each page's lines: `(y, bold, size, text)`.
    pages: Vec<Vec<(f32, bool, f32, String)>>,
    y: f32,
}

impl TextPdf {
    pub fn new() -> AppResult<Self> {
        let (regular, bold) = fonts()?;
        Ok(Self {
            regular,
            bold,
            pages: vec![vec![]],
            y: MARGIN + 16.0,
        })
    }

    fn line(&mut self, bold: bool, size: f32, text: String, gap: f32) {
        if self.y + gap > HEIGHT - MARGIN {
            self.pages.push(vec![]);
            self.y = MARGIN + 16.0;
        }
        if let Some(p) = self.pages.last_mut() {
            p.push((self.y, bold, size, text));
        }
        self.y += gap;
    }

    pub fn title(&mut self, text: &str) {
        for l in wrap(text, 48) {
            self.line(true, 20.0, l, 28.0);
        }
        self.y += 8.0;
    }

    pub fn heading(&mut self, text: &str) {
        self.y += 10.0;
        for l in wrap(text, 64) {
            self.line(true, 13.0, l, 20.0);
        }
    }

    pub fn para(&mut self, text: &str) {
        for part in text.lines() {
            for l in wrap(part, 88) {
                self.line(false, 10.0, l, 14.0);
            }
        }
        self.y += 4.0;
    }

    /// The document, titled `title` in language `lang`.
    pub fn finish(self, title: &str, lang: &str) -> AppResult<Vec<u8>> {
        let mut doc = Document::new();
        doc.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .language(lang.to_owned())
                .creator("Headway".into()),
        );
        let settings =
            PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| AppError::internal("page size"))?;
        for lines in &self.pages {
            let mut page = doc.start_page_with(settings.clone());
            let mut s = page.surface();
            s.set_fill(ink(20, 20, 20));
            for (y, bold, size, text) in lines {
                let font = if *bold { &self.bold } else { &self.regular };
                s.draw_text(
                    Point::from_xy(MARGIN, *y),
                    font.clone(),
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            s.finish();
            page.finish();
        }
        doc.finish()
            .map_err(|e| AppError::internal(format!("writing the PDF: {e:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_breaks_into_lines_and_pages() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        let mut p = TextPdf::new().unwrap();
        p.title("Report");
        for _ in 0..120 {
            p.para("Reading lags in grade five at four of the eleven schools.");
        }
        assert!(p.pages.len() >= 3, "{}", p.pages.len());
        let pdf = p.finish("Report", "en").unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
