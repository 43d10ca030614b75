//! Time arithmetic for the countdown: reading RFC 3339 date-times and turning "now"
//! and an expiry into what the bar shows. Plain integer maths, tested natively.

/// Reads an RFC 3339 / ISO 8601 date-time with a zone (`2026-11-25T13:00:00Z`,
/// `2026-11-25T14:00:00.250+01:00`) into milliseconds since the Unix epoch.
/// Returns `None` for anything else, including out-of-range fields.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.trim().as_bytes();
    let mut reader = Digits { bytes, pos: 0 };
    let year = reader.number(4)?;
    reader.expect(b"-")?;
    let month = reader.number(2)?;
    reader.expect(b"-")?;
    let day = reader.number(2)?;
    reader.expect(b"Tt ")?;
    let hour = reader.number(2)?;
    reader.expect(b":")?;
    let minute = reader.number(2)?;
    reader.expect(b":")?;
    let second = reader.number(2)?;
    let mut millis = 0i64;
    if reader.peek() == Some(b'.') {
        reader.pos += 1;
        let start = reader.pos;
        let mut scale = 100;
        while let Some(digit @ b'0'..=b'9') = reader.peek() {
            millis += i64::from(digit - b'0') * scale;
            scale /= 10;
            reader.pos += 1;
        }
        if reader.pos == start {
            return None;
        }
    }
    let offset_minutes = match reader.peek()? {
        b'Z' | b'z' => {
            reader.pos += 1;
            0
        }
        sign @ (b'+' | b'-') => {
            reader.pos += 1;
            let hours = reader.number(2)?;
            if reader.peek() == Some(b':') {
                reader.pos += 1;
            }
            let minutes = reader.number(2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    if reader.pos != bytes.len() {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

struct Digits<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Digits<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn number(&mut self, width: usize) -> Option<i64> {
        let mut value = 0i64;
        for _ in 0..width {
            let digit = self.peek().filter(u8::is_ascii_digit)?;
            value = value * 10 + i64::from(digit - b'0');
            self.pos += 1;
        }
        Some(value)
    }

    fn expect(&mut self, any_of: &[u8]) -> Option<()> {
        self.peek().filter(|b| any_of.contains(b))?;
        self.pos += 1;
        Some(())
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian calendar).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_index = (month + 9) % 12; // March = 0
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
