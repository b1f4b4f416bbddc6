//! The few JSON writers the fast path needs: escaped strings, integers, fixed-point
//! coordinates and dates, appended to a byte buffer without going through serde.

use chrono::{Datelike, NaiveDate};

/// Appends `text` as a JSON string, quoted and escaped.
pub(crate) fn string(out: &mut Vec<u8>, text: &[u8]) {
    out.push(b'"');
    if text.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.extend_from_slice(text);
    } else {
        for &b in text {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0..0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 15)]);
                }
                _ => out.push(b),
            }
        }
    }
    out.push(b'"');
}

/// Appends the decimal digits of `n`.
pub(crate) fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Appends `n` with exactly `width` digits (leading zeros; higher digits are dropped).
pub(crate) fn fixed(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut n = n;
    for slot in digits[..width].iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&digits[..width]);
}

/// Appends a coordinate given in ten-thousandths of a degree: `432380` → `43.2380`.
pub(crate) fn e4(out: &mut Vec<u8>, v: i32) {
    if v < 0 {
        out.push(b'-');
    }
    let a = u64::from(v.unsigned_abs());
    uint(out, a / 10_000);
    out.push(b'.');
    fixed(out, a % 10_000, 4);
}

/// Appends `YYYY-MM-DD` (years 0..=9999).
pub(crate) fn date(out: &mut Vec<u8>, d: NaiveDate) {
    fixed(out, d.year().clamp(0, 9_999) as u64, 4);
    out.push(b'-');
    fixed(out, u64::from(d.month()), 2);
    out.push(b'-');
    fixed(out, u64::from(d.day()), 2);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn strings_escape_what_json_requires() {
        let s = "Асанов \"Ерлан\"\\\n\u{1}";
        let written = text(|o| string(o, s.as_bytes()));
        let back: String = serde_json::from_str(&written).expect("valid JSON string");
        assert_eq!(back, s);
        assert_eq!(text(|o| string(o, "Қызы".as_bytes())), "\"Қызы\"");
    }

    #[test]
    fn numbers_and_dates_are_written_like_json() {
        assert_eq!(text(|o| uint(o, 0)), "0");
        assert_eq!(text(|o| uint(o, u64::MAX)), u64::MAX.to_string());
        assert_eq!(text(|o| fixed(o, 42, 6)), "000042");
        assert_eq!(text(|o| e4(o, 432_380)), "43.2380");
        assert_eq!(text(|o| e4(o, -5)), "-0.0005");
        let d = NaiveDate::from_ymd_opt(1990, 5, 4).expect("date");
        assert_eq!(text(|o| date(o, d)), "1990-05-04");
    }
}
