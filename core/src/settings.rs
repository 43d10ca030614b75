//! The settings shared by the `<Impersonation/>` component and the `<staff-bar>`
//! element: the edge, the sign-out mode, the shortcuts and [`Settings`].

use crate::strings::Strings;

/// Which edge of the viewport the tab is attached to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Side {
    /// The bottom edge, as in authkit-nextjs.
    #[default]
    Bottom,
    /// The top edge.
    Top,
}

impl Side {
    /// Reads the `side` attribute; anything but `top` is the default, `bottom`.
    pub fn parse(value: &str) -> Side {
        if value.trim().eq_ignore_ascii_case("top") {
            Side::Top
        } else {
            Side::Bottom
        }
    }

    /// The attribute's value for this side.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Bottom => "bottom",
            Side::Top => "top",
        }
    }
}

/// Where along its edge the tab stands. authkit-nextjs centres it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Align {
    /// At the start of the edge: the left, or the right on a right-to-left page.
    Start,
    /// In the middle of the edge, as in authkit-nextjs.
    #[default]
    Center,
    /// At the end of the edge: the right, or the left on a right-to-left page.
    End,
}

impl Align {
    /// Reads the `align` attribute; `None` for a value it does not know.
    pub fn parse(value: &str) -> Option<Align> {
        const ALL: [Align; 3] = [Align::Start, Align::Center, Align::End];
        ALL.get(one_of(value, &["start", "center", "end"])?).copied()
    }

    /// The attribute's value for this alignment.
    pub fn as_str(self) -> &'static str {
        match self {
            Align::Start => "start",
            Align::Center => "center",
            Align::End => "end",
        }
    }
}

/// The bar's colours. `--workos-impersonation-*` variables win over each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Theme {
    /// authkit-nextjs's yellow band with dark text.
    #[default]
    Light,
    /// A dark band with yellow text, for dark pages.
    Dark,
    /// Light or dark as the page's `prefers-color-scheme` says.
    Auto,
}

impl Theme {
    /// Reads the `theme` attribute; `None` for a value it does not know.
    pub fn parse(value: &str) -> Option<Theme> {
        const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Auto];
        ALL.get(one_of(value, &["light", "dark", "auto"])?).copied()
    }

    /// The attribute's value for this theme.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
}

/// Which of `names` an attribute's `value` is (trimmed, in any case): one function
/// for every such attribute, so the element's wasm has one copy.
fn one_of(value: &str, names: &[&str]) -> Option<usize> {
    let value = value.trim();
    names.iter().position(|name| value.eq_ignore_ascii_case(name))
}

/// How Stop reaches the sign-out endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignOutMode {
    /// POST JSON with `fetch`, expect JSON back; errors show in the bar.
    #[default]
    Fetch,
    /// Submit a real HTML form POST and let the server answer with a redirect.
    Form,
}

impl SignOutMode {
    /// Reads the `sign-out-mode` attribute; anything but `form` is `fetch`.
    pub fn parse(value: &str) -> SignOutMode {
        if value.trim().eq_ignore_ascii_case("form") {
            SignOutMode::Form
        } else {
            SignOutMode::Fetch
        }
    }
}

/// The keyboard shortcut that minimizes and restores the bar: Alt+Shift+I.
pub const MINIMIZE_SHORTCUT: &str = "Alt+Shift+I";
/// The keyboard shortcuts that move the tab along its edge, a tenth of the way each.
pub const MOVE_SHORTCUTS: &str = "Alt+Shift+ArrowLeft Alt+Shift+ArrowRight";
/// The keyboard shortcut that toggles the dev preview where it is allowed: Alt+Shift+P.
pub const PREVIEW_SHORTCUT: &str = "Alt+Shift+P";

/// How a bar is set up: everything but the session. The element reads it from its
/// attributes, the component from its props. The bar's insides, not part of the API.
#[doc(hidden)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub sign_out_url: Option<String>,
    pub sign_out_mode: SignOutMode,
    /// Checked when Stop is pressed: a same-origin path, anything else is refused.
    pub return_to: Option<String>,
    pub side: Side,
    pub align: Align,
    pub theme: Theme,
    /// Applied through the CSSOM; the stylesheet's 9999 otherwise.
    pub z_index: Option<i32>,
    pub csrf_token: Option<String>,
    pub csrf_header: Option<String>,
    pub csrf_field: Option<String>,
    pub strings: Strings,
    /// Classes added to the root's `staff-bar`.
    pub class: Option<String>,
    /// The root's style attribute (refused by a strict CSP; custom properties belong
    /// in the page's stylesheet there).
    pub style: Option<String>,
    /// Where to look up an organization's name when the session has only its id (as
    /// authkit-nextjs asks `getOrganization`): a GET answered with `{"id", "name"}`,
    /// `{id}` in the URL replaced by the id (else `?id=` is added). Asked once per id.
    pub organization_url: Option<String>,
    /// The dev preview where it is allowed: `Some(true)` shows the sample session,
    /// `Some(_)` enables the Alt+Shift+P shortcut, `None` allows neither.
    pub preview: Option<bool>,
}
