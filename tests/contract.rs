//! The loader (`element/js/staff-bar.js`) against the Rust core, run in Node.
//!
//! The loader repeats a few of the core's decisions in JavaScript, so that an ordinary
//! visitor never downloads the WebAssembly: the `text-*` attributes it observes, the
//! retry backoff and the request timeout of its first session request, and whether a
//! session JSON may show a bar at all. This test copies the loader into a temporary
//! folder beside a stand-in for the wasm core that only records what it is asked, runs
//! it in Node under a tiny DOM shim (`HTMLElement`, `customElements`, a fake clock and
//! a fake `fetch`) and compares what it does with `staff_bar_core`:
//! - its `observedAttributes` hold `text-<key>` for exactly `Strings::KEYS`;
//! - a failing first `session-url` request arms the timeout `refresh::TIMEOUT_MS` and
//!   retries after `refresh::backoff_ms(1, 2, …)`, capped at `refresh::REFRESH_MS`;
//! - for a corpus of session JSON texts (token cases included), what the page ends up
//!   doing agrees with `Session::read_json`: where the loader hands the text to the core
//!   the core decides; where it stops early, its answer (nothing, or a console warning)
//!   must be the core's (not impersonating, or an error), and it never loads the core
//!   for a session the core reads as nobody impersonated. The disagreements that exist
//!   today are pinned one by one in `KNOWN`, so a fix or a new one fails the test;
//! - over about 3,000 sessions made by rule (`generated`: every kind of value in every
//!   field, both casings, nulls beside values, tokens in every padding, alphabet and
//!   segment count), the loader loads the core for every one the core would show: it
//!   may load it for more, never for fewer.
//!
//! Behaviour, not text: the loader is run, never pattern-matched, so reformatting or
//! minifying it does not break the test. Run by `cargo test -p staff-bar --features serde`.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use staff_bar_core::json::{self, Json};
use staff_bar_core::refresh::{backoff_ms, REFRESH_MS, TIMEOUT_MS};
use staff_bar_core::{Session, Strings};

/// The stand-in for `staff-bar-core.js`: records every bar made and every call on it.
const FAKE_CORE: &str = r#"
export default async function init() {}
export class StaffBar {
  constructor(host) { this.host = host; globalThis.__calls.push(["new"]); }
  set_session(text) { globalThis.__calls.push(["set_session", text]); }
  watch(url, text) { globalThis.__calls.push(["watch", url, text]); }
  retry(url) { globalThis.__calls.push(["retry", url]); }
  sync() {}
  unmount() {}
  free() {}
}
"#;

/// The DOM shim and the three experiments; prints one JSON object.
const HARNESS: &str = r#"
import { readFileSync } from "node:fs";

globalThis.__calls = [];
const warnings = [];
console.warn = (message) => warnings.push(String(message));

// A fake clock: timers run only when the harness says so.
let timers = [];
let timerId = 0;
const delays = [];
globalThis.setTimeout = (fn, delay) => {
  timers.push({ id: ++timerId, fn, delay });
  delays.push(delay);
  return timerId;
};
globalThis.clearTimeout = (id) => { timers = timers.filter((timer) => timer.id !== id); };
const settle = () => new Promise((resolve) => setImmediate(resolve));
const settleLong = async () => { for (let i = 0; i < 50; i++) await settle(); };

globalThis.HTMLElement = class {
  #attributes = new Map();
  shadowRoot = null;
  isConnected = false;
  children = [];
  getAttribute(name) { return this.#attributes.has(name) ? this.#attributes.get(name) : null; }
  hasAttribute(name) { return this.#attributes.has(name); }
  setAttribute(name, value) { this.#attributes.set(name, String(value)); }
  attachShadow() { return (this.shadowRoot = {}); }
  dispatchEvent() { return true; }
};
const registry = new Map();
globalThis.customElements = { get: (name) => registry.get(name), define: (name, type) => registry.set(name, type) };
globalThis.document = { baseURI: "https://cdn.test/base/", documentElement: { dataset: {}, removeAttribute() {}, setAttribute() {} } };
globalThis.location = { href: "https://app.test/page", origin: "https://app.test" };
globalThis.CustomEvent = class { constructor(type, init) { this.type = type; Object.assign(this, init); } };
globalThis.fetch = () => Promise.reject(new TypeError("offline"));

await import("./staff-bar.js");
// Loaded once here, so the loader's own import of it is answered from the module cache
// within the turns the harness waits.
await import("./staff-bar-core.js");
const Element = registry.get("staff-bar");

function connect(element) {
  element.isConnected = true;
  element.connectedCallback();
}

// 1. The observed attributes.
const observed = [...Element.observedAttributes];

// 2. A failing first request: its timeout, then each retry's delay.
const failing = new Element();
failing.setAttribute("session-url", "/auth/session");
connect(failing);
await settleLong();
for (let i = 0; i < 8; i++) {
  const retry = timers.find((timer) => timer.delay !== undefined);
  if (!retry) break;
  timers = timers.filter((timer) => timer !== retry);
  retry.fn();
  await settleLong();
}
failing.isConnected = false;
failing.disconnectedCallback();
const backoff = delays.slice();

// 3. The session corpus: for each text, did the loader hand it to the core, warn, or
// do nothing?
// First a bar that loads the core, waited for however long the first import takes:
// after it, the loader's `loadCore()` answers from its settled promise.
{
  const element = new Element();
  element.setAttribute("session", JSON.stringify({ user: { email: "b@x" }, impersonator: { email: "a@x" } }));
  connect(element);
  for (let i = 0; i < 5000 && !globalThis.__calls.some((call) => call[0] === "set_session"); i++) await settle();
  if (!globalThis.__calls.some((call) => call[0] === "set_session")) throw new Error("the core never loaded");
  element.isConnected = false;
  element.disconnectedCallback();
}
const corpus = JSON.parse(readFileSync("./corpus.json", "utf8"));
const outcomes = [];
for (const text of corpus) {
  globalThis.__calls = [];
  warnings.length = 0;
  const element = new Element();
  element.setAttribute("session", text);
  connect(element);
  await settleLong();
  const handed = globalThis.__calls.some((call) => call[0] === "set_session" && call[1] === text);
  outcomes.push(handed ? "core" : warnings.length > 0 ? "error" : "not");
  element.isConnected = false;
  element.disconnectedCallback();
}

console.log(JSON.stringify({ observed, backoff, outcomes }));
"#;

/// What the loader did with a session text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loader {
    /// Loaded the core and handed it the text: the core decides.
    Core,
    /// Stopped with a console warning.
    Error,
    /// Stopped silently: nobody is impersonated.
    Not,
}

/// What the core makes of a session text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Core {
    Impersonating,
    Not,
    Error,
}

fn core_reads(text: &str) -> Core {
    match Session::read_json(text) {
        Ok(reading) if reading.session.is_some() => Core::Impersonating,
        Ok(_) => Core::Not,
        Err(_) => Core::Error,
    }
}

/// What the page ends up showing: the core's answer once the loader handed it over.
fn page(loader: Loader, core: Core) -> Core {
    match loader {
        Loader::Core => core,
        Loader::Error => Core::Error,
        Loader::Not => Core::Not,
    }
}

struct Run {
    observed: Vec<String>,
    backoff: Vec<u32>,
    outcomes: Vec<Loader>,
}

fn run_loader(corpus: &[String]) -> Run {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch_dir();
    std::fs::copy(root.join("element/js/staff-bar.js"), dir.join("staff-bar.js")).unwrap();
    // The loader is an ES module, as element/js/package.json declares for it.
    std::fs::write(dir.join("package.json"), r#"{"type":"module"}"#).unwrap();
    std::fs::write(dir.join("staff-bar-core.js"), FAKE_CORE).unwrap();
    std::fs::write(dir.join("harness.js"), HARNESS).unwrap();
    let mut list = String::from("[");
    for (i, text) in corpus.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        json::write_string(&mut list, text);
    }
    list.push(']');
    std::fs::write(dir.join("corpus.json"), list).unwrap();

    let output = Command::new("node")
        .arg("harness.js")
        .current_dir(&dir)
        .output()
        .expect("node is needed for this test (make test installs it)");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "node failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let _ = std::fs::remove_dir_all(&dir);

    let answer = json::parse(stdout.trim()).unwrap();
    let strings = |value: &Json| -> Vec<String> {
        let Json::Array(items) = value else { panic!("not an array: {value:?}") };
        items.iter().map(|item| item.as_str().unwrap().to_owned()).collect()
    };
    let Some(Json::Array(backoff)) = answer.get("backoff") else { panic!("no backoff in {stdout}") };
    Run {
        observed: strings(answer.get("observed").unwrap()),
        backoff: backoff
            .iter()
            .map(|delay| match delay {
                Json::Number(n) => n.parse().unwrap(),
                other => panic!("a delay that is not a number: {other:?}"),
            })
            .collect(),
        outcomes: strings(answer.get("outcomes").unwrap())
            .iter()
            .map(|outcome| match outcome.as_str() {
                "core" => Loader::Core,
                "error" => Loader::Error,
                "not" => Loader::Not,
                other => panic!("unknown outcome {other}"),
            })
            .collect(),
    }
}

/// A folder of its own for each run: the tests run side by side.
fn scratch_dir() -> PathBuf {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("staff-bar-contract-{}-{run}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Base64url without padding, written out here so the corpus does not trust the
/// decoder under test.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

const HEADER: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

fn jwt(payload: &str) -> String {
    format!("{}.{}.c2lnbmF0dXJl", base64url(HEADER.as_bytes()), base64url(payload.as_bytes()))
}

const USER: &str = r#"{"id":"user_01","email":"bob@acme.test"}"#;
const ADA: &str = r#"{"email":"ada@support.test","reason":"Ticket 4521"}"#;
const ACT: &str = r#"{"sub":"user_01","sid":"session_01","act":{"sub":"ada@support.test"}}"#;
const NO_ACT: &str = r#"{"sub":"user_01","sid":"session_01"}"#;

/// `{"user": USER, <rest>}`.
fn with_user(rest: &str) -> String {
    if rest.is_empty() {
        format!(r#"{{"user":{USER}}}"#)
    } else {
        format!(r#"{{"user":{USER},{rest}}}"#)
    }
}

fn token_member(token: &str) -> String {
    let mut out = String::from("\"accessToken\":");
    json::write_string(&mut out, token);
    out
}

/// The corpus: (name, session text).
fn corpus() -> Vec<(&'static str, String)> {
    let act = jwt(ACT);
    let mut cases: Vec<(&'static str, String)> = vec![
        ("full camelCase", format!(r#"{{"user":{USER},"impersonator":{ADA},"organizationId":"org_01","sessionId":"s","expiresAt":"2026-11-25T13:00:00Z"}}"#)),
        ("snake_case", r#"{"user":{"email":"bob@acme.test","first_name":"Bob"},"impersonator":{"email":"ada@support.test","reason":null},"session_id":"s","expires_at":"2026-11-25T13:00:00Z"}"#.into()),
        ("impersonator null", with_user(r#""impersonator":null"#)),
        ("user null", format!(r#"{{"user":null,"impersonator":{ADA}}}"#)),
        ("no user", format!(r#"{{"impersonator":{ADA}}}"#)),
        ("user only", with_user("")),
        ("empty object", "{}".into()),
        ("withAuth signed out", r#"{"user":null}"#.into()),
        ("not JSON", "{user:".into()),
        ("empty text", "".into()),
        ("trailing comma", format!(r#"{{"user":{USER},"impersonator":{ADA},}}"#)),
        ("a string", r#""hello""#.into()),
        ("a number", "42".into()),
        ("null", "null".into()),
        ("an array", format!(r#"[{{"user":{USER},"impersonator":{ADA}}}]"#)),
        ("impersonator without email", with_user(r#""impersonator":{}"#)),
        ("impersonator a string", with_user(r#""impersonator":"ada@support.test""#)),
        ("impersonator false", with_user(r#""impersonator":false"#)),
        ("impersonator email a number", with_user(r#""impersonator":{"email":7}"#)),
        ("user a string", format!(r#"{{"user":"bob","impersonator":{ADA}}}"#)),
        ("user email missing", format!(r#"{{"user":{{"id":"u"}},"impersonator":{ADA}}}"#)),
        ("user 0", format!(r#"{{"user":0,"impersonator":{ADA}}}"#)),
        ("user email a number, impersonator null", r#"{"user":{"email":5},"impersonator":null}"#.into()),
        ("bad optional field", format!(r#"{{"user":{USER},"impersonator":{ADA},"expiresAt":"tomorrow","organization":"Acme"}}"#)),
        ("duplicate impersonator, last null", format!(r#"{{"user":{USER},"impersonator":{ADA},"impersonator":null}}"#)),
        ("duplicate impersonator, last set", format!(r#"{{"user":{USER},"impersonator":null,"impersonator":{ADA}}}"#)),
        ("lone surrogate", format!(r#"{{"user":{{"email":"b\ud83d@acme.test"}},"impersonator":{ADA}}}"#)),
        ("whitespace around", format!(" \n\t{{\"user\":{USER},\"impersonator\":{ADA}}}\r\n ")),
        ("deep optional field", format!(r#"{{"user":{USER},"impersonator":{ADA},"extra":{}1{}}}"#, "[".repeat(70), "]".repeat(70))),
        ("deep, not impersonating", format!(r#"{{"user":{USER},"impersonator":null,"extra":{}1{}}}"#, "[".repeat(70), "]".repeat(70))),
        // Tokens.
        ("token with act", with_user(&token_member(&act))),
        ("token without act", with_user(&token_member(&jwt(NO_ACT)))),
        ("token with act, snake_case", with_user(&format!(r#""access_token":"{act}""#))),
        ("token with act, no user", format!("{{{}}}", token_member(&act))),
        ("token with act, impersonator null", with_user(&format!(r#""impersonator":null,{}"#, token_member(&act)))),
        ("token and impersonator", with_user(&format!(r#""impersonator":{ADA},{}"#, token_member(&act)))),
        ("token garbage", with_user(&token_member("not-a-token"))),
        ("token garbage, impersonator set", with_user(&format!(r#""impersonator":{ADA},{}"#, token_member("x")))),
        ("token two segments", with_user(&token_member(act.rsplit_once('.').unwrap().0))),
        ("token four segments", with_user(&token_member(&format!("{act}.x")))),
        ("token a number", with_user(r#""accessToken":5"#)),
        ("token empty", with_user(r#""accessToken":"""#)),
        ("token null", with_user(r#""accessToken":null"#)),
        ("token act.sub a number", with_user(&token_member(&jwt(r#"{"sub":"u","act":{"sub":5}}"#)))),
        // `"ada".sub` is String.prototype.sub, a function: the loader takes it for an
        // actor and hands the text over, and the core refuses it.
        ("token act a string", with_user(&token_member(&jwt(r#"{"sub":"u","act":"ada"}"#)))),
        ("token act.sub empty", with_user(&token_member(&jwt(r#"{"sub":"u","act":{"sub":""}}"#)))),
        ("token act null", with_user(&token_member(&jwt(r#"{"sub":"u","act":null}"#)))),
        ("token payload not JSON", with_user(&token_member(&format!("{}.{}.c2ln", base64url(HEADER.as_bytes()), base64url(b"{act")) ))),
        ("token payload null", with_user(&token_member(&jwt("null")))),
        ("token payload an array", with_user(&token_member(&jwt("[1]")))),
        ("token payload not UTF-8", with_user(&token_member(&format!("{}.{}.c2ln", base64url(HEADER.as_bytes()), base64url(b"{\"act\":{\"sub\":\"\xff\"}}"))))),
        ("token payload UTF-8 actor", with_user(&token_member(&jwt(r#"{"act":{"sub":"zoë@support.test"}}"#)))),
        ("token header not JSON", with_user(&token_member(&format!("{}.{}.c2ln", base64url(b"{alg"), base64url(ACT.as_bytes()))))),
        ("token header not JSON, no act", with_user(&token_member(&format!("{}.{}.c2ln", base64url(b"{alg"), base64url(NO_ACT.as_bytes()))))),
        ("token signature not base64url", with_user(&token_member(&format!("{}.{}.sig!", base64url(HEADER.as_bytes()), base64url(ACT.as_bytes()))))),
        ("token claim sid a number", with_user(&token_member(&jwt(r#"{"sid":1,"act":{"sub":"ada@support.test"}}"#)))),
        ("token standard alphabet", with_user(&token_member(&act.replace('-', "+").replace('_', "/")))),
        ("token padded", {
            let (head, rest) = act.split_once('.').unwrap();
            let (payload, sig) = rest.split_once('.').unwrap();
            let pad = "=".repeat((4 - payload.len() % 4) % 4);
            with_user(&token_member(&format!("{head}.{payload}{pad}.{sig}")))
        }),
        ("token over-padded", {
            let (head, rest) = act.split_once('.').unwrap();
            let (payload, sig) = rest.split_once('.').unwrap();
            with_user(&token_member(&format!("{head}.{payload}====.{sig}")))
        }),
        ("token with spaces around", with_user(&token_member(&format!("  {act}  ")))),
        ("accessToken null, access_token with act", with_user(&format!(r#""accessToken":null,"access_token":"{act}""#))),
        ("accessToken empty, access_token with act", with_user(&format!(r#""accessToken":"","access_token":"{act}""#))),
    ];
    // A payload whose length leaves one base64 symbol over is never valid.
    cases.push((
        "token payload length 4n+1",
        with_user(&token_member(&format!(
            "{}.{}A.c2ln",
            base64url(HEADER.as_bytes()),
            base64url(ACT.as_bytes())
        ))),
    ));
    cases
}

/// Every kind of JSON value, as a member's value.
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1.5e3",
    r#""""#,
    r#""x""#,
    r#""ada@support.test""#,
    "[]",
    r#"["ada@support.test"]"#,
    "{}",
    r#"{"email":"ada@support.test"}"#,
    r#"{"sub":"ada@support.test"}"#,
];

/// A JSON object as its members in order, duplicates allowed.
fn object(members: &[(&str, String)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_string(&mut out, key);
        out.push(':');
        out.push_str(value);
    }
    out.push('}');
    out
}

fn string(text: &str) -> String {
    let mut out = String::new();
    json::write_string(&mut out, text);
    out
}

/// A token around `payload` (JSON text), encoded as the variant says.
#[derive(Clone, Copy)]
struct Encoding {
    /// `=` after the payload: `None` for the right amount, `Some(n)` for exactly n.
    padding: Option<usize>,
    standard_alphabet: bool,
    /// 0: header and signature valid; 1: header not JSON; 2: empty header; 3: empty
    /// signature; 4: signature not base64url; 5: two segments; 6: four segments.
    segments: u8,
    spaces: bool,
}

const PLAIN: Encoding = Encoding { padding: Some(0), standard_alphabet: false, segments: 0, spaces: false };

fn token(payload: &str, encoding: Encoding) -> String {
    let mut body = base64url(payload.as_bytes());
    let right = (4 - body.len() % 4) % 4;
    body.push_str(&"=".repeat(encoding.padding.unwrap_or(right)));
    if encoding.standard_alphabet {
        body = body.replace('-', "+").replace('_', "/");
    }
    let header = base64url(HEADER.as_bytes());
    let token = match encoding.segments {
        0 => format!("{header}.{body}.c2lnbmF0dXJl"),
        1 => format!("{}.{body}.c2ln", base64url(b"{alg")),
        2 => format!(".{body}.c2ln"),
        3 => format!("{header}.{body}."),
        4 => format!("{header}.{body}.sig!"),
        5 => format!("{header}.{body}"),
        _ => format!("{header}.{body}.c2ln.c2ln"),
    };
    if encoding.spaces {
        format!(" {token} ")
    } else {
        token
    }
}

/// Token payloads: the actor claim in every shape, and payloads that are no claims.
fn payloads() -> Vec<String> {
    let mut out: Vec<String> =
        VALUES.iter().map(|value| format!(r#"{{"sub":"user_01","act":{{"sub":{value}}}}}"#)).collect();
    out.extend(VALUES.iter().map(|value| format!(r#"{{"sub":"user_01","act":{value}}}"#)));
    out.extend(VALUES.iter().map(|value| value.to_string()));
    out.push(NO_ACT.into());
    out.push(r#"{"act":{"sub":"zoë@support.test"},"email":"bob@acme.test"}"#.into());
    out.push(r#"{"act":{"sub":"ada@support.test"},"act":null}"#.into());
    out.push(r#"{"act":null,"act":{"sub":"ada@support.test"}}"#.into());
    out
}

/// Sessions made by a rule rather than by hand: every kind of value in every field of
/// the sessions that show a bar and of those that do not, in both casings, with nulls
/// beside values, and tokens with every padding, alphabet, segment count and actor
/// claim, under either key, beside every kind of `impersonator`.
fn generated() -> Vec<String> {
    let user = || USER.to_string();
    let ada = || ADA.to_string();
    let act = || string(&jwt(ACT));
    // The sessions varied: two that show a bar, two that do not.
    let bases: Vec<Vec<(&str, String)>> = vec![
        vec![
            ("user", user()),
            ("impersonator", ada()),
            ("organizationId", string("org_01")),
            ("expiresAt", string("2026-11-25T13:00:00Z")),
        ],
        vec![("user", user()), ("accessToken", act())],
        vec![("user", user()), ("access_token", act()), ("session_id", string("s"))],
        vec![("user", user()), ("impersonator", "null".into())],
    ];
    let fields = [
        "user",
        "impersonator",
        "accessToken",
        "access_token",
        "organizationId",
        "organization_id",
        "sessionId",
        "session_id",
        "expiresAt",
        "expires_at",
        "organization",
        "somethingElse",
    ];
    let mut out = Vec::new();
    for base in &bases {
        for field in fields {
            for value in VALUES {
                // Replaced where the base has it, added where it does not.
                let mut members = base.clone();
                match members.iter_mut().find(|(key, _)| *key == field) {
                    Some(member) => member.1 = value.to_string(),
                    None => members.push((field, value.to_string())),
                }
                out.push(object(&members));
            }
            // A null beside the value, before it and after it, and in the other casing.
            if let Some((_, value)) = base.iter().find(|(key, _)| *key == field) {
                let others: Vec<(&str, String)> =
                    base.iter().filter(|(key, _)| *key != field).cloned().collect();
                for pair in [
                    [(field, "null".to_string()), (field, value.clone())],
                    [(field, value.clone()), (field, "null".to_string())],
                ] {
                    let mut members = others.clone();
                    members.extend(pair);
                    out.push(object(&members));
                }
                let other = match field {
                    "accessToken" => Some("access_token"),
                    "access_token" => Some("accessToken"),
                    "organizationId" => Some("organization_id"),
                    "session_id" => Some("sessionId"),
                    "expiresAt" => Some("expires_at"),
                    _ => None,
                };
                if let Some(other) = other {
                    for pair in [
                        [(other, "null".to_string()), (field, value.clone())],
                        [(field, value.clone()), (other, "null".to_string())],
                    ] {
                        let mut members = others.clone();
                        members.extend(pair);
                        out.push(object(&members));
                    }
                }
            }
        }
        // Every kind of value in the user's and the impersonator's own fields.
        for (outer, inner) in [
            ("user", "email"),
            ("user", "id"),
            ("user", "firstName"),
            ("user", "first_name"),
            ("impersonator", "email"),
            ("impersonator", "reason"),
        ] {
            for value in VALUES {
                let mut members = base.clone();
                let inner_members = vec![("email", string("x@acme.test")), (inner, value.to_string())];
                match members.iter_mut().find(|(key, _)| *key == outer) {
                    Some(member) => member.1 = object(&inner_members),
                    None => members.push((outer, object(&inner_members))),
                }
                out.push(object(&members));
            }
        }
    }
    // Tokens: every actor claim in every encoding, then the token cases under either
    // key beside every kind of impersonator.
    let mut encodings = Vec::new();
    for padding in [None, Some(0), Some(1), Some(2), Some(3), Some(4), Some(7)] {
        for standard_alphabet in [false, true] {
            for segments in 0..=6 {
                for spaces in [false, true] {
                    encodings.push(Encoding { padding, standard_alphabet, segments, spaces });
                }
            }
        }
    }
    let payloads = payloads();
    for payload in &payloads {
        for &encoding in &encodings {
            if encoding.segments == 0 || payload.contains(r#""act":{"sub":"ada"#) {
                out.push(object(&[("user", user()), ("accessToken", string(&token(payload, encoding)))]));
            }
        }
        for key in ["accessToken", "access_token"] {
            for impersonator in [None, Some("null"), Some(ADA), Some("{}"), Some("false"), Some(r#""ada""#)] {
                let mut members = vec![("user", user())];
                if let Some(impersonator) = impersonator {
                    members.push(("impersonator", impersonator.to_string()));
                }
                members.push((key, string(&token(payload, PLAIN))));
                out.push(object(&members));
            }
        }
    }
    out
}

/// Where the page and the core disagree today, each with what the loader does and
/// what the core says. None of these shows a bar the core would refuse, and none
/// misses a bar the core would show (`generated` proves the second over every case).
const KNOWN: &[(&str, Loader, Core)] = &[
    // The loader stops silently where the core would warn: the page is the same (no
    // bar), only the console warning is missing.
    ("a string", Loader::Not, Core::Error),
    ("a number", Loader::Not, Core::Error),
    ("null", Loader::Not, Core::Error),
    ("an array", Loader::Not, Core::Error),
    ("user 0", Loader::Not, Core::Error),
    ("impersonator false", Loader::Not, Core::Error),
    ("user email a number, impersonator null", Loader::Not, Core::Error),
    ("token empty", Loader::Not, Core::Error),
    ("token payload null", Loader::Not, Core::Error),
    ("token payload an array", Loader::Not, Core::Error),
    ("token payload not JSON", Loader::Not, Core::Error),
    ("token header not JSON, no act", Loader::Not, Core::Error),
    ("accessToken empty, access_token with act", Loader::Not, Core::Error),
    ("token payload length 4n+1", Loader::Not, Core::Error),
    // The loader reads `accessToken ?? access_token`, the core the first spelling
    // present (`accessToken`, even when null): the wasm is downloaded and shows nothing.
    ("accessToken null, access_token with act", Loader::Core, Core::Not),
];

#[test]
fn the_loader_agrees_with_the_core() {
    let cases = corpus();
    let texts: Vec<String> = cases.iter().map(|(_, text)| text.clone()).collect();
    let run = run_loader(&texts);

    // The text-* attributes.
    let mut observed: Vec<&str> = run.observed.iter().filter_map(|name| name.strip_prefix("text-")).collect();
    let mut keys = Strings::KEYS.to_vec();
    observed.sort_unstable();
    keys.sort_unstable();
    assert_eq!(observed, keys, "the loader's text-* attributes are not Strings::KEYS");
    let mut strings = Strings::ENGLISH;
    for key in Strings::KEYS {
        assert!(strings.set(key, "x".into()), "Strings::set refuses its own key {key}");
    }

    // The first request: its timeout, then the retry after each failure.
    let mut expected = Vec::new();
    for failures in 1..=9 {
        expected.push(TIMEOUT_MS);
        expected.push(backoff_ms(failures));
    }
    assert_eq!(run.backoff, expected, "the loader's timeout and backoff are not the core's");
    assert_eq!(
        run.backoff.iter().copied().max(),
        Some(REFRESH_MS),
        "the backoff is not capped at REFRESH_MS"
    );

    // The session corpus.
    assert_eq!(run.outcomes.len(), cases.len());
    let mut failures = Vec::new();
    for ((name, text), &loader) in cases.iter().zip(&run.outcomes) {
        let core = core_reads(text);
        let known = KNOWN.iter().find(|(known, ..)| known == name);
        match known {
            Some(&(_, want_loader, want_core)) if (loader, core) != (want_loader, want_core) => {
                failures.push(format!(
                    "{name}: pinned as loader {want_loader:?} / core {want_core:?}, now loader {loader:?} / core {core:?}"
                ));
            }
            Some(_) => {}
            None if page(loader, core) != core => {
                failures.push(format!("{name}: loader {loader:?}, core {core:?}\n  {text}"));
            }
            // The spec: a page view without an impersonation downloads no wasm.
            None if loader == Loader::Core && core == Core::Not => {
                failures.push(format!("{name}: the core is loaded for nobody\n  {text}"));
            }
            None => {}
        }
    }
    for (name, ..) in KNOWN {
        assert!(cases.iter().any(|(case, _)| case == name), "KNOWN names a case that is gone: {name}");
    }
    assert!(failures.is_empty(), "the loader and the core disagree:\n{}", failures.join("\n"));
}

/// The rule between the two: the loader may load the core for more sessions than the
/// core shows (a download for nothing), never for fewer (a missing bar).
#[test]
fn the_loader_never_misses_a_bar_the_core_would_show() {
    let cases = generated();
    let run = run_loader(&cases);
    assert_eq!(run.outcomes.len(), cases.len());
    let mut shown = 0;
    let mut extra = 0;
    let mut missed = Vec::new();
    for (text, &loader) in cases.iter().zip(&run.outcomes) {
        let core = core_reads(text);
        if core == Core::Impersonating {
            shown += 1;
            if loader != Loader::Core {
                missed.push(format!("loader {loader:?}: {text}"));
            }
        } else if loader == Loader::Core {
            extra += 1;
        }
    }
    // The corpus is worth something only if it holds many bars and many non-bars.
    assert!(shown * 5 > cases.len(), "only {shown} of {} generated sessions show a bar", cases.len());
    assert!(shown * 5 < cases.len() * 4, "{shown} of {} generated sessions show a bar", cases.len());
    assert!(
        missed.is_empty(),
        "{} of {shown} bars the core would show are never loaded:\n{}",
        missed.len(),
        missed.join("\n")
    );
    println!("{} generated sessions: {shown} bars, all loaded; {extra} loads for nothing", cases.len());
}
