//! What the bar shows of the tenant's text: names, emails and reasons come from the
//! app's users and customers, so before they are put inside the trusted bar they lose
//! what could make them lie (bidi controls that reorder `bob@acme.test` out of
//! `"\u{202E}tset.emca@bob"`, invisible characters inside an address) and are cut to
//! a length that keeps Stop and Minimize on screen. The session itself is untouched:
//! apps reading it get what the server sent.

/// The most characters of an email or a name the bar shows; longer ones end in `…`.
pub const NAME_CHARS: usize = 80;
/// The most characters of a reason the bar shows: a reason is shown whole, in a box
/// that scrolls (8 lines high), so only an absurd one is cut.
pub const REASON_CHARS: usize = 2_000;
/// The most characters of the tooltip that holds a cut name in full.
pub const TOOLTIP_CHARS: usize = 1_000;

/// A text as the bar shows it, and its tooltip when it had to be cut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    /// The text in full (up to [`TOOLTIP_CHARS`]), only when `text` was cut.
    pub title: Option<String>,
}

/// An email address as shown: no bidi controls, no invisible characters, capped.
pub fn email(text: &str) -> Shown {
    shown(text, NAME_CHARS, |c| is_bidi_control(c) || is_invisible(c))
}

/// A person's or an organization's name as shown: no bidi controls, capped. Zero-width
/// joiners stay: emoji sequences and several scripts need them.
pub fn name(text: &str) -> Shown {
    shown(text, NAME_CHARS, is_bidi_control)
}

/// A reason as shown: like a name, with more room.
pub fn reason(text: &str) -> Shown {
    shown(text, REASON_CHARS, is_bidi_control)
}

fn shown(full: &str, limit: usize, dropped: fn(char) -> bool) -> Shown {
    let (text, was_cut) = cut(full, limit, dropped);
    let title = was_cut.then(|| cut(full, TOOLTIP_CHARS, dropped).0);
    Shown { text, title }
}

/// `text` without the `dropped` characters, cut to `limit` characters and an
/// ellipsis; whether it was cut.
fn cut(text: &str, limit: usize, dropped: fn(char) -> bool) -> (String, bool) {
    let mut out = String::new();
    for (count, c) in text.chars().filter(|&c| !dropped(c)).enumerate() {
        if count == limit {
            // No dangling space before the ellipsis.
            let kept = out.trim_end().len();
            out.truncate(kept);
            out.push('…');
            return (out, true);
        }
        out.push(c);
    }
    (out, false)
}

/// The explicit directional marks, embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room, so an address can hide them: zero-width space and
/// joiners, word joiner, the byte-order mark, the soft hyphen, invisible operators.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}
