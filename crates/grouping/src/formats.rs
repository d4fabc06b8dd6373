//! Readers for the public benchmark files. Errors name the line.
//!
//! - MDGPLIB: `M G ss|ds a_1 b_1 … a_G b_G`, then `i j d_ij` for every pair (0-based).
//! - CCPLIB format A: `n p ds L_1 U_1 … L_p U_p W w_1 … w_n`, then `i j c_ij`.
//! - CCPLIB format B (handover): `n`, `p`, `U`, n weights, then the full n×n matrix.

use crate::model::{Bounds, Problem};

/// A reading error with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for FormatError {}

fn err(line: usize, message: impl Into<String>) -> FormatError {
    FormatError {
        line,
        message: message.into(),
    }
}

fn num<T: std::str::FromStr>(tok: &str, line: usize, what: &str) -> Result<T, FormatError> {
    tok.parse()
        .map_err(|_| err(line, format!("{what}: `{tok}` is not a number")))
}

/// Refuses a header whose item count the file cannot hold (`values` entries of at least
/// `min_bytes` each), before anything of that size is allocated.
fn fits(
    values: Option<usize>,
    min_bytes: usize,
    text: &str,
    what: &str,
) -> Result<(), FormatError> {
    match values.and_then(|v| v.checked_mul(min_bytes)) {
        Some(need) if need <= text.len() + 1 => Ok(()),
        _ => Err(err(
            1,
            format!("the file is too short for the {what} its first line announces"),
        )),
    }
}

/// The number of item pairs, `n(n−1)/2`, when it fits in memory arithmetic.
fn pair_count(n: usize) -> Option<usize> {
    n.checked_mul(n.saturating_sub(1)).map(|x| x / 2)
}

/// Reads the `i j value` pair lines after the header into a symmetric matrix; every
/// pair must appear exactly once.
fn pairs<'a>(
    n: usize,
    lines: impl Iterator<Item = (usize, &'a str)>,
) -> Result<Vec<f64>, FormatError> {
    let mut d = vec![0.0; n * n];
    let mut seen = vec![false; n * n];
    let mut count = 0usize;
    let mut last = 1;
    for (ln, line) in lines {
        last = ln;
        let mut it = line.split_whitespace();
        let Some(a) = it.next() else { continue };
        let (b, v) = match (it.next(), it.next()) {
            (Some(b), Some(v)) => (b, v),
            _ => return Err(err(ln, "expected `i j value`")),
        };
        let i: usize = num(a, ln, "i")?;
        let j: usize = num(b, ln, "j")?;
        let v: f64 = num(v, ln, "value")?;
        if i >= n || j >= n || i == j {
            return Err(err(
                ln,
                format!("pair ({i}, {j}) is out of range for {n} items"),
            ));
        }
        if !v.is_finite() {
            return Err(err(ln, "value is not finite"));
        }
        if seen[i * n + j] {
            return Err(err(ln, format!("pair ({i}, {j}) appears twice")));
        }
        seen[i * n + j] = true;
        seen[j * n + i] = true;
        d[i * n + j] = v;
        d[j * n + i] = v;
        count += 1;
    }
    let want = n * (n - 1) / 2;
    if count != want {
        return Err(err(
            last,
            format!("{count} pairs given, {n} items need {want}"),
        ));
    }
    Ok(d)
}

/// Reads an MDGPLIB instance.
pub fn read_mdgplib(text: &str) -> Result<Problem, FormatError> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let (ln, head) = lines.next().ok_or_else(|| err(1, "the file is empty"))?;
    let t: Vec<&str> = head.split_whitespace().collect();
    if t.len() < 3 {
        return Err(err(ln, "expected `M G ss|ds a_1 b_1 …`"));
    }
    let n: usize = num(t[0], ln, "M")?;
    let g: usize = num(t[1], ln, "G")?;
    if n < 2 || g == 0 {
        return Err(err(ln, "need at least 2 items and 1 group"));
    }
    if t[2] != "ss" && t[2] != "ds" {
        return Err(err(ln, format!("type `{}` is neither ss nor ds", t[2])));
    }
    // Every pair line is at least `i j v` and a newline.
    fits(pair_count(n), 6, text, "pairs of items")?;
    if g > t.len() || t.len() != 3 + 2 * g {
        return Err(err(
            ln,
            format!("{} bounds given for {g} groups", t.len() - 3),
        ));
    }
    let mut bounds = Vec::with_capacity(g);
    for k in 0..g {
        let lo: f64 = num(t[3 + 2 * k], ln, "a_g")?;
        let hi: f64 = num(t[4 + 2 * k], ln, "b_g")?;
        bounds.push(Bounds { lo, hi });
    }
    let d = pairs(n, lines)?;
    Ok(Problem::with_sizes(d, n, bounds))
}

/// Whether a benchmark file is CCPLIB rather than MDGPLIB, from its first line: format A
/// names node weights after a `W`, format B starts with `n` alone.
pub fn is_ccplib(text: &str) -> bool {
    text.lines().next().is_some_and(|l| {
        let mut t = l.split_whitespace();
        let first = t.next();
        first.is_some() && (t.clone().next().is_none() || t.any(|x| x == "W"))
    })
}

/// Reads a benchmark file of either library (`is_ccplib` tells which).
pub fn read_instance(text: &str) -> Result<Problem, FormatError> {
    if is_ccplib(text) {
        read_ccplib(text)
    } else {
        read_mdgplib(text)
    }
}

/// Reads a CCPLIB instance in format A or B (detected from the first line).
pub fn read_ccplib(text: &str) -> Result<Problem, FormatError> {
    let first = text.lines().next().unwrap_or("");
    if first.split_whitespace().count() > 1 {
        read_ccp_a(text)
    } else {
        read_ccp_b(text)
    }
}

fn read_ccp_a(text: &str) -> Result<Problem, FormatError> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let (ln, head) = lines.next().ok_or_else(|| err(1, "the file is empty"))?;
    let t: Vec<&str> = head.split_whitespace().collect();
    let n: usize = num(t[0], ln, "n")?;
    let p: usize = num(t.get(1).copied().unwrap_or(""), ln, "p")?;
    if n < 2 || p == 0 {
        return Err(err(ln, "need at least 2 items and 1 cluster"));
    }
    if t.get(2) != Some(&"ds") {
        return Err(err(ln, "the third token must be `ds`"));
    }
    fits(pair_count(n), 6, text, "pairs of items")?;
    if p > t.len() {
        return Err(err(ln, format!("expected {p} bound pairs")));
    }
    let wpos = 3 + 2 * p;
    if t.get(wpos) != Some(&"W") || t.len() != wpos + 1 + n {
        return Err(err(
            ln,
            format!("expected {p} bound pairs, `W` and {n} weights"),
        ));
    }
    let mut bounds = Vec::with_capacity(p);
    for k in 0..p {
        bounds.push(Bounds {
            lo: num(t[3 + 2 * k], ln, "L")?,
            hi: num(t[4 + 2 * k], ln, "U")?,
        });
    }
    let weights = t[wpos + 1..]
        .iter()
        .map(|w| num::<f64>(w, ln, "weight"))
        .collect::<Result<Vec<_>, _>>()?;
    let d = pairs(n, lines)?;
    Ok(Problem {
        weights,
        ..Problem::with_sizes(d, n, bounds)
    })
}

fn read_ccp_b(text: &str) -> Result<Problem, FormatError> {
    let mut toks = text
        .lines()
        .enumerate()
        .flat_map(|(i, l)| l.split_whitespace().map(move |t| (i + 1, t)));
    let mut next = |what: &str| {
        toks.next()
            .ok_or_else(|| err(0, format!("the file ends before {what}")))
    };
    let (ln, t) = next("n")?;
    let n: usize = num(t, ln, "n")?;
    let (ln, t) = next("p")?;
    let p: usize = num(t, ln, "p")?;
    let (ln, t) = next("U")?;
    let u: f64 = num(t, ln, "U")?;
    if n < 2 || p == 0 {
        return Err(err(ln, "need at least 2 items and 1 cluster"));
    }
    if p > n {
        return Err(err(ln, format!("{p} clusters for {n} items")));
    }
    // n weights and n² matrix entries, each at least a digit and a separator.
    fits(
        n.checked_mul(n).and_then(|m| m.checked_add(n)),
        2,
        text,
        "items",
    )?;
    let mut weights = Vec::with_capacity(n);
    for _ in 0..n {
        let (ln, t) = next("the weights")?;
        weights.push(num(t, ln, "weight")?);
    }
    let mut d = vec![0.0; n * n];
    for cell in d.iter_mut() {
        let (ln, t) = next("the matrix")?;
        *cell = num(t, ln, "c_ij")?;
    }
    Ok(Problem {
        weights,
        ..Problem::with_sizes(d, n, vec![Bounds { lo: 0.0, hi: u }; p])
    })
}

/// Parses one line of `bks_solutions_tpsdp.csv`-style text: groups of items 0..n-1.
pub fn read_assignment(text: &str, n: usize) -> Result<Vec<usize>, FormatError> {
    let a: Vec<usize> = text
        .split_whitespace()
        .map(|t| num(t, 1, "group"))
        .collect::<Result<_, _>>()?;
    if a.len() != n {
        return Err(err(1, format!("{} groups given for {n} items", a.len())));
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects() {
        let p = read_mdgplib("3 1 ss 3 3 \n0 1 1.5\n0 2 2\n1 2 3").unwrap();
        assert_eq!(p.n, 3);
        assert_eq!(p.dist(2, 1), 3.0);
        assert_eq!(p.evaluate(&[0, 0, 0]), 6.5);
        let e = read_mdgplib("3 1 ss 3 3\n0 1 1.5\n0 x 2\n1 2 3").unwrap_err();
        assert_eq!(e.line, 3);
        let e = read_mdgplib("3 1 ss 3 3\n0 1 1.5\n1 2 3").unwrap_err();
        assert!(e.message.contains("2 pairs given"), "{e}");
        let e = read_mdgplib("3 2 ss 3 3\n").unwrap_err();
        assert_eq!(e.line, 1);
        let c = read_ccplib("3 1 ds 0 10 W 1 2 3\n0 1 1\n0 2 1\n1 2 1\n").unwrap();
        assert_eq!(c.weights, vec![1.0, 2.0, 3.0]);
        let b = read_ccplib("2\n1\n5.5\n1\n2\n0 3\n3 0\n").unwrap();
        assert!(is_ccplib("3 1 ds 0 10 W 1 2 3\n") && is_ccplib("2\n1\n"));
        assert!(!is_ccplib("3 1 ss 3 3\n0 1 1\n") && !is_ccplib(""));
        assert_eq!((b.n, b.groups[0].hi, b.dist(0, 1)), (2, 5.5, 3.0));
    }

    /// Headers that announce more than the file holds are refused before the matrix is
    /// allocated (found by the `ccplib` fuzz target: a 9-digit `n` asked for terabytes).
    #[test]
    fn oversized_headers_are_refused_without_allocating() {
        for text in [
            "999999999 1 ss 1 999999999\n0 1 1\n",
            "4 18446744073709551615 ss 1 2\n",
        ] {
            let e = read_mdgplib(text).expect_err(text);
            assert_eq!(e.line, 1, "{text}: {e}");
        }
        for text in [
            "999999999 2 ds 0 1 0 1 W 1\n0 1 1\n",
            "3 9223372036854775807 ds 0 1 W 1 1 1\n0 1 1\n0 2 1\n1 2 1\n",
            "3\n999999999\n5\n1 1 1\n0 1 1 1 0 1 1 1 0\n",
        ] {
            let e = read_ccplib(text).expect_err(text);
            assert!(e.line <= 3, "{text}: {e}");
        }
        let e = read_ccplib("999999999\n1\n5\n1 2\n").unwrap_err();
        assert!(e.message.contains("too short"), "{e}");
    }
}
