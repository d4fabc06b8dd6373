//! Coordinates, distances and the conversion from Slovenia's national grid.

use serde::{Deserialize, Serialize};

/// A WGS84 position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    /// Accepts only a position on the globe.
    pub fn new(lat: f64, lon: f64) -> Option<Self> {
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) && lat.is_finite())
            .then_some(Self { lat, lon })
    }

    /// Great-circle distance in kilometres.
    #[inline]
    pub fn distance_km(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6371.0088 * a.sqrt().asin()
    }
}

/// Converts D96/TM (EPSG:3794, the grid of Slovenia's GURS registers) easting and
/// northing in metres to WGS84. D96 is ETRS89-based, so the datum shift is below a metre
/// and only the inverse transverse Mercator projection (GRS80, λ0 = 15°, k0 = 0.9999,
/// false easting 500 000 m, false northing −5 000 000 m) is needed.
pub fn d96tm_to_wgs84(easting: f64, northing: f64) -> LatLon {
    let a = 6_378_137.0_f64;
    let f: f64 = 1.0 / 298.257_222_101;
    let k0: f64 = 0.9999;
    let lon0 = 15.0_f64.to_radians();
    let e2 = f * (2.0 - f);
    let ep2 = e2 / (1.0 - e2);
    let x = easting - 500_000.0;
    let y = northing + 5_000_000.0;
    let m = y / k0;
    let mu = m / (a * (1.0 - e2 / 4.0 - 3.0 * e2 * e2 / 64.0 - 5.0 * e2.powi(3) / 256.0));
    let e1 = (1.0 - (1.0 - e2).sqrt()) / (1.0 + (1.0 - e2).sqrt());
    let phi1 = mu
        + (3.0 * e1 / 2.0 - 27.0 * e1.powi(3) / 32.0) * (2.0 * mu).sin()
        + (21.0 * e1 * e1 / 16.0 - 55.0 * e1.powi(4) / 32.0) * (4.0 * mu).sin()
        + (151.0 * e1.powi(3) / 96.0) * (6.0 * mu).sin()
        + (1097.0 * e1.powi(4) / 512.0) * (8.0 * mu).sin();
    let (s, c, t) = (phi1.sin(), phi1.cos(), phi1.tan());
    let n1 = a / (1.0 - e2 * s * s).sqrt();
    let t1 = t * t;
    let c1 = ep2 * c * c;
    let r1 = a * (1.0 - e2) / (1.0 - e2 * s * s).powf(1.5);
    let d = x / (n1 * k0);
    let lat = phi1
        - (n1 * t / r1)
            * (d * d / 2.0
                - (5.0 + 3.0 * t1 + 10.0 * c1 - 4.0 * c1 * c1 - 9.0 * ep2) * d.powi(4) / 24.0
                + (61.0 + 90.0 * t1 + 298.0 * c1 + 45.0 * t1 * t1 - 252.0 * ep2 - 3.0 * c1 * c1)
                    * d.powi(6)
                    / 720.0);
    let lon = lon0
        + (d - (1.0 + 2.0 * t1 + c1) * d.powi(3) / 6.0
            + (5.0 - 2.0 * c1 + 28.0 * t1 - 3.0 * c1 * c1 + 8.0 * ep2 + 24.0 * t1 * t1)
                * d.powi(5)
                / 120.0)
            / c;
    LatLon {
        lat: lat.to_degrees(),
        lon: lon.to_degrees(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_ajdovscina_centroid() {
        // GURS centroid of Ajdovščina (E 414738, N 83647); reference from PROJ
        // (EPSG:3794 → EPSG:4326): 45.8873824 N, 13.9014385 E.
        let p = d96tm_to_wgs84(414_738.0, 83_647.0);
        assert!((p.lat - 45.887_382_4).abs() < 1e-6, "{p:?}");
        assert!((p.lon - 13.901_438_5).abs() < 1e-6, "{p:?}");
    }

    #[test]
    fn distance_oslo_ljubljana() {
        let oslo = LatLon::new(59.9139, 10.7522).unwrap();
        let lj = LatLon::new(46.0569, 14.5058).unwrap();
        let d = oslo.distance_km(lj);
        assert!((1560.0..1575.0).contains(&d), "{d}");
        assert!(LatLon::new(91.0, 0.0).is_none());
    }
}
