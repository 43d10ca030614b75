//! The words the bar says: English, German, French, Spanish and Japanese built in,
//! chosen by a language tag; a host replaces any single string.

use std::borrow::Cow;

use crate::session::push_decimal;
use crate::time::Countdown;

type Text = Cow<'static, str>;

/// The one list of the strings: each field, its kebab-case key (the `text-<key>`
/// attribute of `<staff-bar>`) and its documentation. The struct, [`Strings::set`] and
/// [`Strings::KEYS`] are all written from it, so they cannot drift apart; the loader's
/// `observedAttributes` is held to `KEYS` by `tests/contract.rs`.
macro_rules! strings {
    ($($(#[doc = $doc:literal])* $field:ident = $key:literal,)*) => {
        /// Every user-visible string of the bar.
        ///
        /// The message reads `{impersonating}<user>{within}<organization>{organization_suffix}`,
        /// with the organization clause only when a name is known. Strings with `{n}` take a
        /// number (minutes or seconds).
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Strings {
            $($(#[doc = $doc])* pub $field: Text,)*
        }

        impl Strings {
            /// Replaces the string named `key` (the field name, or its kebab-case form as
            /// in the `text-<key>` attributes of `<staff-bar>`). Returns false for unknown
            /// keys.
            pub fn set(&mut self, key: &str, value: String) -> bool {
                // Where the field name and the key are the same word, the second
                // pattern repeats the first.
                #[allow(unreachable_patterns)]
                let slot = match key {
                    $(stringify!($field) | $key => &mut self.$field,)*
                    _ => return false,
                };
                *slot = Cow::Owned(value);
                true
            }

            /// The keys [`Strings::set`] accepts, in kebab-case.
            pub const KEYS: [&'static str; 0 $(+ strings!(@one $key))*] = [$($key),*];
        }
    };
    (@one $key:literal) => {
        1
    };
}

strings! {
    /// The label of the bar's landmark region.
    region = "region",
    /// The message's start, before the user's email ("You are impersonating ").
    impersonating = "impersonating",
    /// Between the user and the organization's name (" within the ").
    within = "within",
    /// After the organization's name (" organization").
    organization_suffix = "organization-suffix",
    /// Before the staff member's email.
    impersonator = "impersonator",
    /// The Stop button; its accessible name must begin with "Stop" in English.
    stop = "stop",
    /// The Stop button while the sign-out request is in flight.
    stopping = "stopping",
    /// The button that shows the reason, and the label before it.
    reason = "reason",
    /// The minimize control's name; it must contain "Minimize" in English.
    minimize = "minimize",
    /// The restore control's name; it must contain "Restore" in English.
    restore = "restore",
    /// Time left, more than a minute: `{n}` minutes.
    minutes_left = "minutes-left",
    /// Time left, the last minute: `{n}` seconds.
    seconds_left = "seconds-left",
    /// Beside the time left: when it ends, `{time}` in the page's locale and zone.
    ends_at = "ends-at",
    /// Announced to screen readers five minutes and one minute before the end: `{n}`
    /// minutes.
    ending_soon = "ending-soon",
    /// Beside the ended notice: when it ended, `{time}` as above.
    ended_at = "ended-at",
    /// Shown instead of the message once the impersonation is over.
    ended = "ended",
    /// The button that reloads the page after the end.
    reload = "reload",
    /// Announced once to screen readers when the bar appears: `{user}` is replaced.
    announcement = "announcement",
    /// Shown when the session could not be refreshed (the bar stays).
    stale = "stale",
    /// Marks the dev preview.
    preview = "preview",
}

macro_rules! table {
    ($($field:ident: $text:expr),* $(,)?) => {
        Strings { $($field: Cow::Borrowed($text)),* }
    };
}

impl Strings {
    /// The built-in English words, authkit-nextjs's where it has them.
    pub const ENGLISH: Strings = table! {
        region: "Impersonation",
        impersonating: "You are impersonating ",
        within: " within the ",
        organization_suffix: " organization",
        impersonator: "Signed in by ",
        stop: "Stop",
        stopping: "Stopping…",
        reason: "Reason",
        minimize: "Minimize impersonation bar",
        restore: "Restore impersonation bar",
        minutes_left: "{n} min left",
        seconds_left: "{n} s left",
        ends_at: "until {time}",
        ending_soon: "The impersonation ends in {n} min.",
        ended_at: "Ended at {time}",
        ended: "The impersonation has ended.",
        reload: "Reload",
        announcement: "You are impersonating {user}.",
        stale: "Could not refresh",
        preview: "Preview",
    };

    /// The built-in German words.
    pub const GERMAN: Strings = table! {
        region: "Identitätswechsel",
        impersonating: "Sie handeln als ",
        within: " in der Organisation ",
        organization_suffix: "",
        impersonator: "Angemeldet von ",
        stop: "Beenden",
        stopping: "Wird beendet…",
        reason: "Grund",
        minimize: "Leiste minimieren",
        restore: "Leiste wiederherstellen",
        minutes_left: "noch {n} Min.",
        seconds_left: "noch {n} s",
        ends_at: "bis {time}",
        ending_soon: "Der Identitätswechsel endet in {n} Min.",
        ended_at: "Beendet um {time}",
        ended: "Der Identitätswechsel ist beendet.",
        reload: "Neu laden",
        announcement: "Sie handeln als {user}.",
        stale: "Aktualisierung fehlgeschlagen",
        preview: "Vorschau",
    };

    /// The built-in French words.
    pub const FRENCH: Strings = table! {
        region: "Usurpation d’identité",
        impersonating: "Vous agissez en tant que ",
        within: " dans l’organisation ",
        organization_suffix: "",
        impersonator: "Connecté par ",
        stop: "Arrêter",
        stopping: "Arrêt…",
        reason: "Motif",
        minimize: "Réduire la barre",
        restore: "Rétablir la barre",
        minutes_left: "{n} min restantes",
        seconds_left: "{n} s restantes",
        ends_at: "jusqu’à {time}",
        ending_soon: "L’usurpation d’identité se termine dans {n} min.",
        ended_at: "Terminée à {time}",
        ended: "L’usurpation d’identité est terminée.",
        reload: "Recharger",
        announcement: "Vous agissez en tant que {user}.",
        stale: "Actualisation impossible",
        preview: "Aperçu",
    };

    /// The built-in Spanish words.
    pub const SPANISH: Strings = table! {
        region: "Suplantación",
        impersonating: "Estás suplantando a ",
        within: " en la organización ",
        organization_suffix: "",
        impersonator: "Sesión iniciada por ",
        stop: "Detener",
        stopping: "Deteniendo…",
        reason: "Motivo",
        minimize: "Minimizar la barra",
        restore: "Restaurar la barra",
        minutes_left: "quedan {n} min",
        seconds_left: "quedan {n} s",
        ends_at: "hasta las {time}",
        ending_soon: "La suplantación termina en {n} min.",
        ended_at: "Terminó a las {time}",
        ended: "La suplantación ha terminado.",
        reload: "Recargar",
        announcement: "Estás suplantando a {user}.",
        stale: "No se pudo actualizar",
        preview: "Vista previa",
    };

    /// The built-in Japanese words.
    pub const JAPANESE: Strings = table! {
        region: "なりすまし",
        impersonating: "なりすまし中: ",
        within: "（組織: ",
        organization_suffix: "）",
        impersonator: "操作者: ",
        stop: "終了",
        stopping: "終了中…",
        reason: "理由",
        minimize: "バーを最小化",
        restore: "バーを元に戻す",
        minutes_left: "残り{n}分",
        seconds_left: "残り{n}秒",
        ends_at: "{time}まで",
        ending_soon: "なりすましはあと{n}分で終了します。",
        ended_at: "{time}に終了",
        ended: "なりすましは終了しました。",
        reload: "再読み込み",
        announcement: "{user} としてなりすまし中です。",
        stale: "更新できませんでした",
        preview: "プレビュー",
    };

    /// The built-in strings for a BCP 47 language tag (`de`, `fr-CA`, `ja-JP`…);
    /// English for languages without a table.
    pub fn for_lang(lang: &str) -> Strings {
        let primary = lang.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("de") {
            Strings::GERMAN
        } else if primary.eq_ignore_ascii_case("fr") {
            Strings::FRENCH
        } else if primary.eq_ignore_ascii_case("es") {
            Strings::SPANISH
        } else if primary.eq_ignore_ascii_case("ja") {
            Strings::JAPANESE
        } else {
            Strings::ENGLISH
        }
    }
}

impl Strings {
    /// The time-left text for `countdown`; `None` once it has ended.
    pub fn time_left(&self, countdown: Countdown) -> Option<String> {
        let (template, n) = match countdown {
            Countdown::Minutes { minutes, .. } => (&self.minutes_left, minutes),
            Countdown::Seconds { seconds, .. } => (&self.seconds_left, seconds),
            Countdown::Ended => return None,
        };
        let mut digits = String::new();
        push_decimal(&mut digits, u64::from(n));
        Some(fill(template, "n", &digits))
    }
}

impl Default for Strings {
    fn default() -> Self {
        Strings::ENGLISH
    }
}

/// Replaces `{name}` in `template` with `value`, without `format!`. It splits at each
/// `{` rather than calling `str::replace` or slicing by index: the substring search
/// and the slicing panic (which formats characters with Unicode tables) would cost
/// the wasm bundle kilobytes for a template of a few words.
#[doc(hidden)]
pub fn fill(template: &str, name: &str, value: &str) -> String {
    let mut out = String::with_capacity(template.len() + value.len());
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        match after.strip_prefix(name).and_then(|tail| tail.strip_prefix('}')) {
            Some(tail) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
