//! Building the matrix from what is known about the items: weighted Gower-style
//! dissimilarity over categorical and numeric attributes, or travel distance.

/// An attribute value; missing values leave the attribute out for that pair.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Cat(String),
    Num(f64),
    Missing,
}

/// Whether groups should mix an attribute or share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Diverse,
    Similar,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttrSpec {
    pub name: String,
    pub weight: f64,
    pub direction: Direction,
}

/// The range of each numeric attribute (1 where there is none, or all values are equal).
pub fn ranges(rows: &[Vec<Value>], attrs: usize) -> Vec<f64> {
    (0..attrs)
        .map(|a| {
            let nums = rows.iter().filter_map(|r| match r.get(a) {
                Some(Value::Num(x)) => Some(*x),
                _ => None,
            });
            let (lo, hi) = nums.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                (l.min(x), h.max(x))
            });
            if hi > lo {
                hi - lo
            } else {
                1.0
            }
        })
        .collect()
}

/// `d[i][j] = Σ_a ±w_a·δ_a(i,j) / Σ_a w_a` over the attributes both items have, with
/// δ = 0/1 for categories and |x−y|/range for numbers; `+` for diverse attributes, `−`
/// for similar ones. `rows[i][a]` is item i's value of attribute a.
pub fn gower_matrix(rows: &[Vec<Value>], specs: &[AttrSpec]) -> Vec<f64> {
    let n = rows.len();
    let ranges = ranges(rows, specs.len());
    let mut d = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let (mut num, mut den) = (0.0, 0.0);
            for (a, spec) in specs.iter().enumerate() {
                let delta = match (rows[i].get(a), rows[j].get(a)) {
                    (Some(Value::Cat(x)), Some(Value::Cat(y))) => f64::from(u8::from(x != y)),
                    (Some(Value::Num(x)), Some(Value::Num(y))) => (x - y).abs() / ranges[a],
                    _ => continue,
                };
                let sign = if spec.direction == Direction::Diverse {
                    1.0
                } else {
                    -1.0
                };
                num += sign * spec.weight * delta;
                den += spec.weight;
            }
            let v = if den > 0.0 { num / den } else { 0.0 };
            d[i * n + j] = v;
            d[j * n + i] = v;
        }
    }
    d
}

/// Great-circle distance in km between two (lat, lon) points
/// ([`headway_domain::geo::LatLon::distance_km`]).
#[inline]
pub fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    use headway_domain::geo::LatLon;
    LatLon { lat: a.0, lon: a.1 }.distance_km(LatLon { lat: b.0, lon: b.1 })
}

/// Benefit of sharing a group = minus the travel distance (km).
pub fn proximity_matrix(points: &[(f64, f64)]) -> Vec<f64> {
    let n = points.len();
    let mut d = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let v = -km(points[i], points[j]);
            d[i * n + j] = v;
            d[j * n + i] = v;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gower_weights_and_directions() {
        let rows = vec![
            vec![Value::Cat("north".into()), Value::Num(100.0)],
            vec![Value::Cat("south".into()), Value::Num(300.0)],
            vec![Value::Cat("north".into()), Value::Missing],
        ];
        let specs = [
            AttrSpec {
                name: "region".into(),
                weight: 3.0,
                direction: Direction::Diverse,
            },
            AttrSpec {
                name: "pupils".into(),
                weight: 1.0,
                direction: Direction::Similar,
            },
        ];
        let d = gower_matrix(&rows, &specs);
        assert!((d[1] - (3.0 - 1.0) / 4.0).abs() < 1e-12);
        assert_eq!(d[2], 0.0, "same region, pupils missing");
        assert_eq!(d[3], d[1], "symmetric");
        assert!(
            (km((52.37, 4.90), (51.92, 4.48)) - 57.0).abs() < 2.0,
            "Amsterdam–Rotterdam"
        );
    }
}
