//! The register's bar chart of first registrations per year, as SVG from a template (so
//! its label is escaped like any other text of a page).

use askama::Template;

/// One bar.
pub struct Bar {
    pub x: f64,
    pub height: f64,
    pub value: u64,
    pub year: i32,
}

#[derive(Template)]
#[template(path = "ui/chart.svg", escape = "html")]
pub struct Chart {
    pub label: String,
    pub width: f64,
    pub bars: Vec<Bar>,
}

impl Chart {
    /// Bars for `(year, count)`, scaled to the highest count.
    pub fn per_year(per_year: &[(i32, u64)], label: String) -> Self {
        let max = per_year.iter().map(|p| p.1).max().unwrap_or(1).max(1) as f64;
        let bars = per_year
            .iter()
            .enumerate()
            .map(|(i, (year, n))| Bar {
                x: 40.0 * i as f64 + 6.0,
                height: 100.0 * *n as f64 / max,
                value: *n,
                year: *year,
            })
            .collect();
        Self {
            label,
            width: 40.0 * per_year.len().max(1) as f64,
            bars,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_is_escaped() {
        let svg = Chart::per_year(&[(2024, 3), (2025, 6)], "<script>\"x\"</script>".into())
            .render()
            .unwrap();
        assert!(!svg.contains("<script") && !svg.contains("\"x\""), "{svg}");
        assert!(svg.contains("script"), "the label is kept, escaped");
        assert_eq!(svg.matches("<rect").count(), 2);
    }
}
