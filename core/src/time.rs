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

/// Writes `ms` (milliseconds since the Unix epoch) as an RFC 3339 date-time in UTC,
/// `2026-11-25T13:00:00Z`, with `.250` milliseconds only when there are some, so
/// [`parse_rfc3339`] reads back the same instant. Years outside 0000–9999 (which
/// RFC 3339 cannot write) are clamped to its range.
pub fn format_rfc3339(ms: i64) -> String {
    const FIRST: i64 = -62_167_219_200_000; // 0000-01-01T00:00:00Z
    const LAST: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    let ms = ms.clamp(FIRST, LAST);
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(24);
    push_padded(&mut out, year, 4);
    out.push('-');
    push_padded(&mut out, month, 2);
    out.push('-');
    push_padded(&mut out, day, 2);
    out.push('T');
    push_padded(&mut out, in_day / 3_600_000, 2);
    out.push(':');
    push_padded(&mut out, in_day / 60_000 % 60, 2);
    out.push(':');
    push_padded(&mut out, in_day / 1_000 % 60, 2);
    if in_day % 1_000 != 0 {
        out.push('.');
        push_padded(&mut out, in_day % 1_000, 3);
    }
    out.push('Z');
    out
}

/// Appends the non-negative `value` with at least `width` digits.
fn push_padded(out: &mut String, value: i64, width: u32) {
    let mut scale = 10i64.pow(width.saturating_sub(1));
    while scale > 1 && value < scale {
        out.push('0');
        scale /= 10;
    }
    crate::session::push_integer(out, value);
}

/// The civil date of a day counted from 1970-01-01: the inverse of `days_from_civil`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The last minutes, shown in seconds and with the warning look.
pub const WARNING_MS: i64 = 5 * 60 * 1000;

/// What the time-left display shows for `remaining_ms` and when it next changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Countdown {
    /// More than a minute left: `minutes` (rounded up). `warning` in the last 5 minutes.
    Minutes { minutes: u32, warning: bool, next_change_ms: u32 },
    /// The last minute: `seconds` (rounded up).
    Seconds { seconds: u32, next_change_ms: u32 },
    /// Time is up.
    Ended,
}

impl Countdown {
    /// Rounds up, so "1 min left" turns into seconds only when a minute truly remains,
    /// and `next_change_ms` is exactly when the shown number changes: the display ticks
    /// once per change and never in between.
    pub fn at(remaining_ms: i64) -> Countdown {
        if remaining_ms <= 0 {
            return Countdown::Ended;
        }
        let remaining = remaining_ms.min(i64::from(u32::MAX) * 1000) as u64;
        if remaining > 60_000 {
            let minutes = remaining.div_ceil(60_000);
            Countdown::Minutes {
                minutes: minutes as u32,
                warning: remaining_ms <= WARNING_MS,
                next_change_ms: (remaining - (minutes - 1) * 60_000) as u32,
            }
        } else {
            let seconds = remaining.div_ceil(1000);
            Countdown::Seconds {
                seconds: seconds as u32,
                next_change_ms: (remaining - (seconds - 1) * 1000) as u32,
            }
        }
    }

    pub fn is_warning(self) -> bool {
        matches!(self, Countdown::Minutes { warning: true, .. } | Countdown::Seconds { .. })
    }

    /// Milliseconds until the display changes; `None` once ended.
    pub fn next_change_ms(self) -> Option<u32> {
        match self {
            Countdown::Minutes { next_change_ms, .. } | Countdown::Seconds { next_change_ms, .. } => {
                Some(next_change_ms)
            }
            Countdown::Ended => None,
        }
    }
}

/// Milliseconds left until `expires_at`, on a client clock that runs `offset_ms`
/// behind the server's (`server_now - client_now` when the session was read).
pub fn remaining_ms(expires_at: i64, client_now: i64, offset_ms: i64) -> i64 {
    expires_at.saturating_sub(client_now.saturating_add(offset_ms))
}

/// Reads an HTTP `Date` header (IMF-fixdate, `Wed, 25 Nov 2026 14:46:28 GMT`) into
/// milliseconds since the Unix epoch, for correcting the client clock when the session
/// JSON carries no `serverTime`.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let mut words = text.trim().split_ascii_whitespace();
    let _weekday = words.next()?.strip_suffix(',')?;
    let day = words.next()?;
    let month = match words.next()? {
        "Jan" => "01",
        "Feb" => "02",
        "Mar" => "03",
        "Apr" => "04",
        "May" => "05",
        "Jun" => "06",
        "Jul" => "07",
        "Aug" => "08",
        "Sep" => "09",
        "Oct" => "10",
        "Nov" => "11",
        "Dec" => "12",
        _ => return None,
    };
    let year = words.next()?;
    let clock = words.next()?;
    if words.next()? != "GMT"
        || words.next().is_some()
        || day.len() != 2
        || year.len() != 4
        || clock.len() != 8
    {
        return None;
    }
    let mut iso = String::with_capacity(20);
    for piece in [year, "-", month, "-", day, "T", clock, "Z"] {
        iso.push_str(piece);
    }
    parse_rfc3339(&iso)
}
