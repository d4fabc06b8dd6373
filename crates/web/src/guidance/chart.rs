//! A unit's indicator profile against the nation, as SVG from a template: one bar per
//! indicator from the national value, to the right where the unit does better, to the left
//! where it does worse, each labelled with both values.

use askama::Template;

/// One indicator's bar.
pub struct ProfileBar {
    pub label: String,
    /// The text after the label: the unit's value and the nation's.
    pub values: String,
    /// From the centre line, in pixels: positive is better than the nation.
    pub x: f64,
    pub width: f64,
    pub better: bool,
    pub y: f64,
}

#[derive(Template)]
#[template(path = "guidance/profile.svg", escape = "html")]
pub struct Profile {
    pub title: String,
    pub height: f64,
    pub bars: Vec<ProfileBar>,
}

/// Half the drawing width: the largest difference reaches it.
const HALF: f64 = 150.0;
const ROW: f64 = 34.0;

impl Profile {
    /// Bars for `(label, values text, difference towards better)`, scaled to the largest
    /// difference (at least `min_scale`, so that small differences look small).
    pub fn new(title: String, rows: Vec<(String, String, f64)>, min_scale: f64) -> Self {
        let scale = rows
            .iter()
            .map(|r| r.2.abs())
            .fold(min_scale, f64::max)
            .max(f64::EPSILON);
        let bars = rows
            .into_iter()
            .enumerate()
            .map(|(i, (label, values, d))| {
                let w = HALF * d.abs() / scale;
                ProfileBar {
                    label,
                    values,
                    x: if d >= 0.0 { 0.0 } else { -w },
                    width: w.max(1.0),
                    better: d >= 0.0,
                    y: 24.0 + ROW * i as f64,
                }
            })
            .collect::<Vec<_>>();
        Self {
            title,
            height: 34.0 + ROW * bars.len() as f64,
            bars,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_go_the_way_the_unit_differs_and_labels_are_escaped() {
        let p = Profile::new(
            "<b>".into(),
            vec![
                ("Reading".into(), "52 / 50".into(), 2.0),
                ("<i>".into(), "45 / 50".into(), -5.0),
            ],
            1.0,
        );
        assert_eq!(p.bars[0].x, 0.0);
        assert!((p.bars[1].width - HALF).abs() < 1e-9 && p.bars[1].x < 0.0);
        let svg = p.render().unwrap();
        assert!(!svg.contains("<i>") && !svg.contains("<b>"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 2);
    }
}
