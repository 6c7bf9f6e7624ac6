//! Small text helpers that avoid `core::fmt` (it is heavy in a wasm binary).

/// Appends the decimal form of `n`.
pub(crate) fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        // `i` stays in bounds: a u64 has at most 20 decimal digits.
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &b in buf.get(i..).unwrap_or(&[]) {
        out.push(char::from(b));
    }
}

/// The number of characters (code points) in `s`: `s.chars().count()` without core's
/// word-at-a-time counter (more wasm).
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().fold(0, |n, b| n + usize::from((b as i8) >= -0x40))
}

/// Joins string pieces into one `String`.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// U+0000–U+001F and U+007F–U+009F.
pub(crate) fn is_control(c: char) -> bool {
    c <= '\u{1f}' || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// The edit (Levenshtein) distance between two short strings, compared ASCII-case-insensitively,
/// or `None` when it exceeds `limit`.
#[cfg(test)]
pub(crate) fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    edit_distance_bytes(a.as_bytes(), b.as_bytes(), limit)
}

/// [`edit_distance_within`] on bytes: the candidates are ASCII field names, so a non-ASCII key is
/// never within reach of one anyway; no `Vec<char>` and no UTF-8 decoding.
pub(crate) fn edit_distance_bytes(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit || b.len() > EDIT_DISTANCE_MAX {
        return None;
    }
    // Two rows on the stack (no Vec: less wasm), for `b` up to EDIT_DISTANCE_MAX bytes.
    let mut prev = [0usize; EDIT_DISTANCE_MAX + 1];
    let mut cur = [0usize; EDIT_DISTANCE_MAX + 1];
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let same = ca.eq_ignore_ascii_case(cb);
            let substitute = prev.get(j).copied().unwrap_or(usize::MAX).saturating_add(usize::from(!same));
            let delete = prev.get(j + 1).copied().unwrap_or(usize::MAX).saturating_add(1);
            let insert = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = substitute.min(delete).min(insert);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().filter(|d| *d <= limit)
}

/// The longest `b` [`edit_distance_bytes`] compares: `did_you_mean` folds keys and field names to
/// at most 64 bytes (no field name is longer); for a longer `b` it answers `None`.
const EDIT_DISTANCE_MAX: usize = 64;

/// `s` cut to at most `max` characters, with `…` when cut.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    // The byte offset of the char after the first `max` (counting char starts, no UTF-8 decoding).
    let mut starts = 0;
    let cut = s.bytes().position(|b| {
        let start = (b as i8) >= -0x40;
        starts += usize::from(start);
        start && starts > max
    });
    match cut {
        Some(at) => concat(&[s.get(..at).unwrap_or(""), "…"]),
        None => s.to_owned(),
    }
}

/// `s` split around the first `byte` (an ASCII delimiter), like `str::split_once` with a char but
/// without the generic pattern searcher (more wasm).
pub(crate) fn split_once_byte(s: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii(), "an ASCII delimiter, so the split is at a char boundary");
    let at = s.bytes().position(|b| b == byte)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// `s` split around the last `byte` (an ASCII delimiter).
pub(crate) fn rsplit_once_byte(s: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii(), "an ASCII delimiter, so the split is at a char boundary");
    let at = s.bytes().rposition(|b| b == byte)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// A seeded pseudo-random sequence (a 64-bit LCG, top 31 bits) for the crate's randomised tests.
#[cfg(test)]
pub(crate) fn seeded(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_u64_writes_decimal() {
        for (n, want) in [(0u64, "0"), (7, "7"), (1004, "1004"), (u64::MAX, "18446744073709551615")] {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, want);
        }
    }

    #[test]
    fn edit_distance() {
        assert_eq!(edit_distance_within("custmer_uid", "customer_uid", 2), Some(1));
        assert_eq!(edit_distance_within("customerUid", "customer_uid", 2), Some(1));
        assert_eq!(edit_distance_within("amout", "amount", 2), Some(1));
        assert_eq!(edit_distance_within("zzzzzz", "amount", 2), None);
        assert_eq!(edit_distance_within("", "", 2), Some(0));
        assert_eq!(edit_distance_within("ab", "b", 2), Some(1));
        assert_eq!(edit_distance_within("b", "ab", 2), Some(1));
        // Up to EDIT_DISTANCE_MAX bytes of `b`; longer is out of reach, whatever `a` is.
        let (max, over) = ("k".repeat(EDIT_DISTANCE_MAX), "k".repeat(EDIT_DISTANCE_MAX + 1));
        assert_eq!(edit_distance_within(&max, &max, 2), Some(0));
        assert_eq!(edit_distance_within(&over, &over, 2), None);
        assert_eq!(edit_distance_within(&max, &over, 2), None);
        // Against the textbook full-matrix Levenshtein on seeded random short strings.
        let reference = |a: &[u8], b: &[u8]| {
            let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for (i, row) in d.iter_mut().enumerate() {
                row[0] = i;
            }
            for (j, cell) in d[0].iter_mut().enumerate() {
                *cell = j;
            }
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let cost = usize::from(!a[i - 1].eq_ignore_ascii_case(&b[j - 1]));
                    d[i][j] = (d[i - 1][j - 1] + cost).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
                }
            }
            d[a.len()][b.len()]
        };
        let mut random = seeded(0x5eed);
        let mut next = || random() as usize;
        for _ in 0..20_000 {
            let (la, lb) = (next() % 6, next() % 6);
            let a: String = (0..la).map(|_| char::from(b"abAB_"[next() % 5])).collect();
            let b: String = (0..lb).map(|_| char::from(b"abAB_"[next() % 5])).collect();
            let want = Some(reference(a.as_bytes(), b.as_bytes())).filter(|d| *d <= 2);
            assert_eq!(edit_distance_within(&a, &b, 2), want, "{a:?} {b:?}");
        }
    }

    #[test]
    fn byte_splits_match_str_splits() {
        let pieces = ["", "a", "?", "&", "=", "@", ":", "]", "#", "가", "😀", "\u{80}", "é", "%3F", "a=b"];
        let mut inputs = vec![String::new()];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    inputs.push([a, b, c].concat());
                }
            }
        }
        for s in &inputs {
            for byte in [b'?', b'&', b'=', b'@', b':', b']', b'#'] {
                let c = char::from(byte);
                assert_eq!(split_once_byte(s, byte), s.split_once(c), "{s:?} {c}");
                assert_eq!(rsplit_once_byte(s, byte), s.rsplit_once(c), "{s:?} {c}");
            }
        }
    }

    #[test]
    fn truncate() {
        assert_eq!(truncate_chars("가나다라", 2), "가나…");
        assert_eq!(truncate_chars("ab", 2), "ab");
        let reference = |s: &str, max: usize| match s.char_indices().nth(max) {
            Some((at, _)) => format!("{}…", &s[..at]),
            None => s.to_owned(),
        };
        for s in ["", "a", "가", "a가😀b", "😀😀😀", "\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}", "abcdef"] {
            for max in 0..8 {
                assert_eq!(truncate_chars(s, max), reference(s, max), "{s:?} {max}");
            }
        }
    }
}
