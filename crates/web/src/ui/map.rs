//! Small SVG maps: a country outline with a pin, projected once at start-up.

use std::collections::HashMap;
use std::fmt::Write;

/// A projected country outline.
pub struct CountryMap {
    path: String,
    min_lon: f64,
    max_lat: f64,
    kx: f64,
    scale: f64,
    pub width: f64,
    pub height: f64,
}

/// Outlines by country code.
pub struct Maps(HashMap<String, CountryMap>);

const WIDTH: f64 = 320.0;

/// Drops overseas parts that would shrink the mainland to a dot: the Caribbean
/// Netherlands, Svalbard and Jan Mayen.
fn keep(code: &str, ring: &[(f64, f64)]) -> bool {
    let (lon, lat) = ring.first().copied().unwrap_or_default();
    match code {
        "NL" => lon > 0.0,
        "NO" => lat < 71.5 && lon > 0.0,
        _ => true,
    }
}

fn rings(geom: &serde_json::Value) -> Vec<Vec<(f64, f64)>> {
    let coords = &geom["coordinates"];
    let polys: Vec<&serde_json::Value> = match geom["type"].as_str() {
        Some("Polygon") => vec![coords],
        Some("MultiPolygon") => coords
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => vec![],
    };
    polys
        .into_iter()
        .filter_map(|p| p.get(0))
        .map(|ring| {
            ring.as_array()
                .map(|pts| {
                    pts.iter()
                        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect()
}

/// A group's places (lat, lon) and its host's place.
pub type PlacedGroup = (Vec<(f64, f64)>, Option<(f64, f64)>);

impl CountryMap {
    fn from_geojson(code: &str, src: &str) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_str(src).ok()?;
        let geoms: Vec<&serde_json::Value> = match v["type"].as_str() {
            Some("FeatureCollection") => v["features"]
                .as_array()?
                .iter()
                .map(|f| &f["geometry"])
                .collect(),
            Some("Feature") => vec![&v["geometry"]],
            _ => vec![&v],
        };
        let rings: Vec<Vec<(f64, f64)>> = geoms
            .into_iter()
            .flat_map(rings)
            .filter(|r| r.len() > 2 && keep(code, r))
            .collect();
        let pts = rings.iter().flatten();
        let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(lon, lat) in pts {
            min_lon = min_lon.min(lon);
            max_lon = max_lon.max(lon);
            min_lat = min_lat.min(lat);
            max_lat = max_lat.max(lat);
        }
        let kx = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let scale = WIDTH / ((max_lon - min_lon) * kx);
        let height = (max_lat - min_lat) * scale;
        let mut m = CountryMap {
            path: String::new(),
            min_lon,
            max_lat,
            kx,
            scale,
            width: WIDTH,
            height,
        };
        let mut path = String::new();
        for ring in &rings {
            let mut last: Option<(f64, f64)> = None;
            for (i, &(lon, lat)) in ring.iter().enumerate() {
                let (x, y) = m.project(lat, lon);
                // Points closer than half a pixel add bytes, not shape.
                if let Some((lx, ly)) = last {
                    if (x - lx).abs() + (y - ly).abs() < 0.5 && i + 1 != ring.len() {
                        continue;
                    }
                }
                let _ = write!(path, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x, y);
                last = Some((x, y));
            }
            path.push('Z');
        }
        m.path = path;
        Some(m)
    }

    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            (lon - self.min_lon) * self.kx * self.scale,
            (self.max_lat - lat) * self.scale,
        )
    }

    /// The map as inline SVG, with a pin where given. `label` must already be
    /// plain text; it is escaped here.
    pub fn svg(&self, pin: Option<(f64, f64)>, label: &str) -> String {
        let esc = label
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        let mut s = format!(
            r#"<svg class="map" viewBox="0 0 {:.0} {:.0}" role="img" aria-label="{esc}"><title>{esc}</title><path class="land" d="{}"/>"#,
            self.width, self.height, self.path
        );
        if let Some((lat, lon)) = pin {
            let (x, y) = self.project(lat, lon);
            let _ = write!(s, r#"<circle class="pin" cx="{x:.1}" cy="{y:.1}" r="5"/>"#);
        }
        s.push_str("</svg>");
        s
    }
}

impl CountryMap {
    /// The map as inline SVG with a pin per place; `true` marks a host, drawn larger.
    /// `label` must already be plain text; it is escaped here.
    pub fn svg_pins(&self, pins: &[((f64, f64), bool)], label: &str) -> String {
        let mut body = String::new();
        for &((lat, lon), host) in pins {
            let (x, y) = self.project(lat, lon);
            let (class, r) = if host { ("pin host", 7) } else { ("pin", 4) };
            let _ = write!(
                body,
                r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="{r}"/>"#
            );
        }
        let mut s = self.svg(None, label);
        s.insert_str(s.len() - "</svg>".len(), &body);
        s
    }

    /// Groups of places: each member joined by a line to its group's host (or, without one,
    /// to the group's centre), hosts drawn larger. `label` is plain text; escaped here.
    pub fn svg_groups(&self, groups: &[PlacedGroup], label: &str) -> String {
        let mut body = String::new();
        for (members, host) in groups {
            let hub = host.or_else(|| {
                let n = members.len().max(1) as f64;
                let (a, b) = members
                    .iter()
                    .fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
                (!members.is_empty()).then_some((a / n, b / n))
            });
            let Some((hlat, hlon)) = hub else { continue };
            let (hx, hy) = self.project(hlat, hlon);
            for &(lat, lon) in members {
                let (x, y) = self.project(lat, lon);
                let _ = write!(
                    body,
                    r#"<line class="tie" x1="{hx:.1}" y1="{hy:.1}" x2="{x:.1}" y2="{y:.1}"/><circle class="pin" cx="{x:.1}" cy="{y:.1}" r="3"/>"#
                );
            }
            if host.is_some() {
                let _ = write!(
                    body,
                    r#"<circle class="pin host" cx="{hx:.1}" cy="{hy:.1}" r="6"/>"#
                );
            }
        }
        let mut s = self.svg(None, label);
        s.insert_str(s.len() - "</svg>".len(), &body);
        s
    }

    /// The outline with any SVG drawn over it (already projected with [`project`](Self::project)).
    pub fn svg_with(&self, body: &str, title: &str) -> String {
        let esc = title.replace('&', "&amp;").replace('<', "&lt;");
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0} {:.0}" width="{:.0}" height="{:.0}"><title>{esc}</title><path d="{}" fill="#eef2f7" stroke="#7d8da3" stroke-width="0.6"/>{body}</svg>"##,
            self.width,
            self.height,
            self.width * 3.0,
            self.height * 3.0,
            self.path
        )
    }
}

impl Maps {
    pub fn load(sources: &[(&str, &str)]) -> Self {
        Maps(
            sources
                .iter()
                .filter_map(|(code, src)| {
                    CountryMap::from_geojson(code, src).map(|m| ((*code).to_owned(), m))
                })
                .collect(),
        )
    }

    pub fn get(&self, country: &str) -> Option<&CountryMap> {
        self.0.get(country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_inside_the_frame() {
        let maps = Maps::load(&headway_store::import::bundled::OUTLINES);
        let si = maps.get("SI").expect("Slovenia");
        // Kočevje lies in the south of Slovenia: inside the frame, in its lower half.
        let (x, y) = si.project(45.64, 14.86);
        assert!(
            x > 0.0 && x < si.width && y > si.height / 2.0 && y < si.height,
            "{x} {y}"
        );
        let svg = si.svg(Some((45.64, 14.86)), "OŠ <Šercer>");
        assert!(svg.contains("<circle") && svg.contains("&lt;Šercer>"));
        let no = maps.get("NO").expect("Norway");
        assert!(
            no.height > no.width,
            "mainland Norway is tall once Svalbard is dropped"
        );
    }
}
