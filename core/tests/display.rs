//! What the bar shows of tenant text: never reordered, never hiding characters in an
//! address, never so long that Stop leaves the screen.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use staff_bar_core::display::{self, NAME_CHARS, REASON_CHARS, TOOLTIP_CHARS};

#[test]
fn a_bidi_override_cannot_turn_an_address_around() {
    let spoofed = "\u{202E}tset.emca@bob";
    let shown = display::email(spoofed);
    assert_eq!(shown.text, "tset.emca@bob");
    assert_ne!(shown.text, "bob@acme.test");
    for control in [
        '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}',
        '\u{2067}', '\u{2068}', '\u{2069}',
    ] {
        let text = format!("ada{control}@support.test");
        assert_eq!(display::email(&text).text, "ada@support.test", "{:?}", control);
        assert_eq!(display::name(&text).text, "ada@support.test", "{:?}", control);
        assert_eq!(display::reason(&text).text, "ada@support.test", "{:?}", control);
    }
}

#[test]
fn invisible_characters_leave_addresses_but_joiners_stay_in_names() {
    let hidden = "bob\u{200B}@ac\u{200D}me\u{FEFF}.te\u{00AD}st\u{2060}";
    assert_eq!(display::email(hidden).text, "bob@acme.test");
    // A family emoji and a Persian name keep their joiners.
    let family =
        "Team 👩\u{200D}👩\u{200D}👧 and \u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}";
    assert_eq!(display::name(family).text, family);
}

#[test]
fn long_text_is_cut_and_kept_whole_in_the_tooltip() {
    let short = "Acme".repeat(20);
    assert_eq!(display::name(&short), display::Shown { text: short.clone(), title: None });

    let long = "Session expired — re-verify at https://evil.example/login ".repeat(400);
    let shown = display::name(&long);
    assert_eq!(shown.text.chars().count(), shown.text.trim_end_matches('…').chars().count() + 1);
    assert!(shown.text.chars().count() <= NAME_CHARS + 1);
    assert!(shown.text.ends_with('…') && !shown.text.ends_with(" …"));
    let title = shown.title.expect("a tooltip");
    assert_eq!(title.chars().count(), TOOLTIP_CHARS + 1);
    assert!(long.starts_with(title.trim_end_matches('…')));

    let email = format!("{}@acme.test", "a".repeat(20_000));
    assert_eq!(display::email(&email).text.chars().count(), NAME_CHARS + 1);
    let reason = "why ".repeat(5_000);
    assert!(display::reason(&reason).text.chars().count() <= REASON_CHARS + 1);
    // Exactly at the limit: shown whole.
    let exact = "x".repeat(NAME_CHARS);
    assert_eq!(display::email(&exact).text, exact);
}
