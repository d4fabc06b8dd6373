//! Text folding for search: diacritic-, case- and spacing-insensitive keys.

use unicode_normalization::UnicodeNormalization;

/// Folds `s` to a search key: lower case, diacritics removed (`Šercer` → `sercer`),
/// letters without a decomposition mapped by hand (`ø` → `o`, `æ` → `ae`, `ß` → `ss`),
/// punctuation turned into spaces and runs of spaces collapsed.
///
/// The same function builds the stored key and the query, so both sides always agree.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    // Lower case first: a capital whose small letter is mapped below (`ẞ` → `ß` → `ss`)
    // then folds in one pass, as folding twice would.
    for c in s.to_lowercase().nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let mapped: &str = match c {
            'ø' | 'Ø' => "o",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            'đ' | 'Đ' => "d",
            'ł' | 'Ł' => "l",
            'œ' | 'Œ' => "oe",
            'þ' | 'Þ' => "th",
            _ => "",
        };
        if !mapped.is_empty() {
            out.push_str(mapped);
            last_space = false;
            continue;
        }
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(l);
            }
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Splits a query into folded terms, dropping empties; at most `max` terms are kept
/// so that a pasted paragraph cannot make a query of unbounded size.
pub fn terms(query: &str, max: usize) -> Vec<String> {
    fold(query)
        .split(' ')
        .filter(|t| !t.is_empty())
        .take(max)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_slovenian_and_norwegian_letters() {
        assert_eq!(fold("OŠ Ljubo Šercer Kočevje"), "os ljubo sercer kocevje");
        assert_eq!(fold("Ås – Lørenskog"), "as lorenskog");
        assert_eq!(fold("Sør-Aurdal"), "sor aurdal");
        assert_eq!(fold("  Ærøy  Straße "), "aeroy strasse");
        assert_eq!(fold("GROẞE İSTANBUL"), "grosse istanbul");
    }

    #[test]
    fn terms_are_folded_and_bounded() {
        assert_eq!(terms("Šercer  KOČEVJE", 8), vec!["sercer", "kocevje"]);
        assert_eq!(terms("a b c d", 2), vec!["a", "b"]);
        assert!(terms(" ,; ", 8).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once.clone());
        }
    }
}

/// How a query term must match a word of the register's search: the same word, a word
/// it begins, or a word within a few typos. Searches try them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Exact,
    Prefix,
    Fuzzy,
}

/// Levenshtein distance, for ranking fuzzy matches (short words only; O(a·b)).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// How well a query term matches a word of a record: 1 for the same word, 0.9 for a
/// prefix, then falling with edit distance; 0 when too different to count.
pub fn term_score(term: &str, word: &str) -> f64 {
    if term == word {
        return 1.0;
    }
    if word.starts_with(term) {
        return 0.9;
    }
    if word.contains(term) {
        return 0.7;
    }
    let allowed = match term.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    };
    let d = edit_distance(term, word);
    if d <= allowed {
        0.8 - 0.1 * d as f64
    } else {
        0.0
    }
}

#[cfg(test)]
mod fuzzy_tests {
    use super::*;

    #[test]
    fn typos_still_match() {
        assert_eq!(edit_distance("sercr", "sercer"), 1);
        assert!(term_score("sercr", "sercer") > 0.0);
        assert!(term_score("sercer", "sercer") > term_score("serc", "sercer"));
        assert_eq!(
            term_score("abc", "abd"),
            0.0,
            "short terms must match exactly"
        );
    }
}
