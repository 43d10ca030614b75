//! `staff-bar-load`: the load test of issue 8, run by `make load` (scripts/load.sh).
//!
//! A second process against a running demo server (`--url`). It signs in `--users`
//! simulated staff members, each with a cookie jar of its own, impersonating one of the
//! stand-in's three app users with a reason nobody else uses. Then, open loop, it sends
//! `--rate` requests a second for `--duration` seconds to `/auth/session` and
//! `/auth/sign-out`: a 1 ms tokio interval releases every request at its scheduled
//! time, whatever the earlier ones are doing, and hands it to the jar whose turn it is
//! (round robin). A jar runs its requests one after the other, as a tab would.
//!
//! * `GET /auth/session` must answer 200 with the jar's own session: the same
//!   `sessionId` on every answer, and the user, organization, impersonator and reason
//!   the jar chose when it impersonated.
//! * `POST /auth/sign-out` with the jar's CSRF token (`--sign-out-share` of the
//!   requests) must answer 200 with a `redirectTo` naming the jar's own `session_id`.
//!   The jar then does what the browser would: follows that URL to the stand-in's
//!   logout, impersonates again (new reason, new session) and reads the new CSRF token
//!   from a page. Those setup requests are counted and timed apart: they are not part
//!   of the rate.
//! * `POST /auth/sign-out` with a wrong token of the right length
//!   (`--bad-csrf-share`) must answer 403, and the jar's next request, always a
//!   session read, must find the session as it was.
//!
//! Every session id is registered with the jar (and round) it belongs to; one showing
//! up in a second jar, or in a sign-out answer of another jar, is a mix-up.
//!
//! It prints the achieved rate, the totals, the errors by kind and latency percentiles
//! per endpoint, and exits non-zero on any error or mix-up, or if the achieved rate is
//! under 95% of the target.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    load::main()
}

/// The demo is a server; there is nothing to run in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod load {
    use std::collections::HashMap;
    use std::process::ExitCode;
    use std::sync::{Arc, Mutex, MutexGuard};
    use std::time::{Duration, Instant};

    use clap::Parser;
    use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
    use reqwest::redirect::Policy;
    use reqwest::{Client, RequestBuilder, StatusCode};
    use serde_json::Value;
    use tokio::sync::mpsc;
    use tokio::time::MissedTickBehavior;

    /// The stand-in dashboard's staff account (each jar signs in with it once).
    const STAFF_EMAIL: &str = "ada@support.test";
    const STAFF_PASSWORD: &str = "staff-bar-demo";

    /// The stand-in's users (demo/src/stand_in.rs): id, display name, organizations.
    struct AppUser {
        id: &'static str,
        name: &'static str,
        orgs: &'static [&'static str],
    }

    const USERS: &[AppUser] = &[
        AppUser { id: "user_01BOBNG", name: "Bob Ng", orgs: &["org_01NORTHWIND"] },
        AppUser { id: "user_01CAROLDIAZ", name: "Carol Diaz", orgs: &["org_01GLOBEX", "org_01INITECH"] },
        AppUser { id: "user_01DANAITO", name: "Dana Ito", orgs: &["org_01NORTHWIND"] },
    ];

    // ------------------------------------------------------------------------------
    // Options

    /// The flags, as scripts/load.sh passes them (`--url "$url" "$@"`).
    #[derive(Parser, Debug)]
    #[command(
        name = "staff-bar-load",
        about = "The load test of issue 8: session reads and sign-outs at a fixed rate against a running demo server."
    )]
    struct Options {
        /// The demo server, e.g. http://127.0.0.1:8080.
        #[arg(long, value_parser = base_url)]
        url: String,
        /// Requests per second on /auth/session and /auth/sign-out.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
        rate: u64,
        /// Seconds the rate is held.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        duration: u64,
        /// Simulated staff members, each with a cookie jar of its own.
        #[arg(long, default_value_t = 50, value_parser = at_least_one)]
        users: usize,
        /// Share of the requests that sign out with the right CSRF token.
        #[arg(long, default_value_t = 0.10, value_parser = fraction)]
        sign_out_share: f64,
        /// Share of the requests that sign out with a wrong CSRF token (answered 403).
        #[arg(long, default_value_t = 0.02, value_parser = fraction)]
        bad_csrf_share: f64,
        /// Seconds the requests still in flight at the end may take.
        #[arg(long, default_value_t = 30)]
        grace: u64,
        /// Seed of the request mix.
        #[arg(long, default_value_t = 0x5eed_1234_abcd_ef01)]
        seed: u64,
    }

    fn base_url(text: &str) -> Result<String, String> {
        if text.starts_with("http://") {
            Ok(text.trim_end_matches('/').to_owned())
        } else {
            Err("the demo's address, http://127.0.0.1:PORT".to_owned())
        }
    }

    fn at_least_one(text: &str) -> Result<usize, String> {
        match text.parse() {
            Ok(count) if count >= 1 => Ok(count),
            _ => Err("a whole number, at least 1".to_owned()),
        }
    }

    fn fraction(text: &str) -> Result<f64, String> {
        match text.parse::<f64>() {
            Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
            _ => Err("a fraction between 0 and 1".to_owned()),
        }
    }

    /// The flags, checked together: the two sign-out shares leave room for reads.
    /// Wrong flags print clap's message and exit with status 2 (`--help`: 0).
    fn parse_options() -> Result<Options, String> {
        let options = Options::try_parse().unwrap_or_else(|error| error.exit());
        if options.sign_out_share + options.bad_csrf_share >= 1.0 {
            return Err("the sign-out shares must be fractions adding up to less than 1".into());
        }
        Ok(options)
    }

    // ------------------------------------------------------------------------------
    // Latency figures: an HdrHistogram of microseconds, 1 µs to 2^36 µs (19 hours,
    // far past any timeout), 3 significant digits (exact below 2048 µs, then within
    // 0.1%).

    const MAX_VALUE: u64 = (1 << 36) - 1;

    #[derive(Clone)]
    struct Histogram(hdrhistogram::Histogram<u64>);

    impl Histogram {
        fn new() -> Result<Histogram, String> {
            hdrhistogram::Histogram::new_with_bounds(1, MAX_VALUE, 3)
                .map(Histogram)
                .map_err(|error| format!("no histogram: {error:?}"))
        }

        /// Records `elapsed` (clamped to the histogram's range).
        fn record(&mut self, elapsed: Duration) {
            let micros = u64::try_from(elapsed.as_micros()).unwrap_or(MAX_VALUE);
            self.0.saturating_record(micros);
        }

        fn merge(&mut self, other: &Histogram) {
            // Both have the same bounds, so nothing can be out of range.
            if let Err(error) = self.0.add(&other.0) {
                eprintln!("staff-bar-load: a histogram could not be merged: {error:?}");
            }
        }

        /// How many values were recorded.
        fn total(&self) -> u64 {
            self.0.len()
        }

        /// The largest value recorded, in µs.
        fn max(&self) -> u64 {
            self.0.max()
        }

        /// The value at quantile `q` (0..=1), in µs, never above the largest value
        /// recorded; 0 when nothing was.
        fn quantile(&self, q: f64) -> u64 {
            if self.0.is_empty() {
                0
            } else {
                self.0.value_at_quantile(q).min(self.0.max())
            }
        }

        /// The mean, in µs.
        fn mean(&self) -> f64 {
            if self.0.is_empty() {
                0.0
            } else {
                self.0.mean()
            }
        }
    }

    fn ms(micros: u64) -> String {
        format!("{:.2}", micros as f64 / 1000.0)
    }

    // ------------------------------------------------------------------------------
    // What is measured

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Kind {
        Session,
        SignOut,
        BadCsrf,
    }

    #[derive(Clone, Copy)]
    enum Endpoint {
        Session = 0,
        SignOut,
        SignOutBadCsrf,
        Impersonate,
        Callback,
        Page,
        Logout,
        ImpersonateForm,
        StaffSignIn,
    }

    const ENDPOINTS: [(&str, bool); 9] = [
        ("GET  /auth/session", true),
        ("POST /auth/sign-out (right CSRF, 200)", true),
        ("POST /auth/sign-out (wrong CSRF, 403)", true),
        ("setup: POST dashboard …/impersonate", false),
        ("setup: GET  /auth/callback?code=…", false),
        ("setup: GET  / (CSRF token)", false),
        ("setup: GET  stand-in sessions/logout", false),
        ("setup: GET  dashboard form (token)", false),
        ("setup: POST stand-in staff sign-in", false),
    ];

    #[derive(Clone, Copy)]
    enum ErrorKind {
        Status = 0,
        MixUp,
        Transport,
        Body,
        Setup,
        Unfinished,
    }

    const ERROR_NAMES: [&str; 6] = ["status", "mix-up", "transport", "body", "setup", "unfinished"];
    const SAMPLES_PER_JAR: usize = 3;

    /// One jar's figures; merged at the end.
    struct Stats {
        latency: Vec<Histogram>,
        /// How late each request left against its schedule.
        lag: Histogram,
        errors: [u64; ERROR_NAMES.len()],
        samples: Vec<String>,
        /// Measured requests answered (whatever the answer), per second of the run.
        per_second: Vec<u64>,
        /// Measured requests that got an answer, or failed in transport.
        done: u64,
        /// Session answers whose identity was checked against the jar's.
        identity_checks: u64,
        last_done: Option<Instant>,
    }

    impl Stats {
        fn new() -> Result<Stats, String> {
            let histogram = Histogram::new()?;
            Ok(Stats {
                latency: vec![histogram.clone(); ENDPOINTS.len()],
                lag: histogram,
                errors: [0; ERROR_NAMES.len()],
                samples: Vec::new(),
                per_second: Vec::new(),
                done: 0,
                identity_checks: 0,
                last_done: None,
            })
        }

        fn error(&mut self, kind: ErrorKind, message: String) {
            self.errors[kind as usize] += 1;
            if self.samples.len() < SAMPLES_PER_JAR {
                self.samples.push(format!("{}: {message}", ERROR_NAMES[kind as usize]));
            }
        }

        fn finished(&mut self, start: Instant) {
            let now = Instant::now();
            let second = now.saturating_duration_since(start).as_secs() as usize;
            if self.per_second.len() <= second {
                self.per_second.resize(second + 1, 0);
            }
            self.per_second[second] += 1;
            self.done += 1;
            self.last_done = Some(now);
        }
    }

    fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
        mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Which jar (and which of its sign-ins) each session id was handed to.
    type Registry = Arc<Mutex<HashMap<String, (usize, u32)>>>;

    // ------------------------------------------------------------------------------
    // A simulated staff member

    /// What the jar impersonated, and what every session answer must show.
    struct Identity {
        user: &'static AppUser,
        org: &'static str,
        reason: String,
        csrf: String,
        /// Learned from the first session answer after the sign-in.
        session_id: Option<String>,
    }

    struct Jar {
        index: usize,
        base: String,
        client: Client,
        /// Sign-ins so far: part of the reason, so every session's reason is unique.
        round: u32,
        identity: Option<Identity>,
        /// A refused sign-out happened: the next session read must find the session.
        after_refusal: bool,
        registry: Registry,
        stats: Arc<Mutex<Stats>>,
        start: Instant,
    }

    /// An answer read to the end.
    struct Answer {
        status: StatusCode,
        location: Option<String>,
        cache_control: Option<String>,
        sets_session_cookie: bool,
        body: Vec<u8>,
    }

    impl Answer {
        fn text(&self) -> String {
            let text = String::from_utf8_lossy(&self.body);
            text.chars().take(200).collect()
        }
    }

    impl Jar {
        fn url(&self, path: &str) -> String {
            format!("{}{}", self.base, path)
        }

        fn stats(&self) -> MutexGuard<'_, Stats> {
            lock(&self.stats)
        }

        fn label(&self) -> String {
            format!("jar {} round {}", self.index, self.round)
        }

        /// Sends, reads the whole body and times both under `endpoint`. A transport
        /// failure is recorded as such and returned as `None`.
        async fn send(&self, endpoint: Endpoint, request: RequestBuilder, what: &str) -> Option<Answer> {
            let started = Instant::now();
            let failed = |error: reqwest::Error| {
                self.stats().error(ErrorKind::Transport, format!("{what} ({}): {error}", self.label()));
                None
            };
            let response = match request.send().await {
                Ok(response) => response,
                Err(error) => return failed(error),
            };
            let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let location = header(LOCATION);
            let cache_control = header(CACHE_CONTROL);
            let sets_session_cookie = response
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .any(|v| v.to_str().is_ok_and(|c| c.starts_with("acme_session=")));
            let status = response.status();
            let body = match response.bytes().await {
                Ok(body) => body.to_vec(),
                Err(error) => return failed(error),
            };
            self.stats().latency[endpoint as usize].record(started.elapsed());
            Some(Answer { status, location, cache_control, sets_session_cookie, body })
        }

        /// The impersonate form's token, signing in to the stand-in dashboard first
        /// when it asks for that (once per jar: the cookie lasts hours).
        async fn form_token(&mut self, form_path: &str) -> Result<String, String> {
            let label = self.label();
            for attempt in 0..2 {
                let request = self.client.get(self.url(form_path));
                let form = self
                    .send(Endpoint::ImpersonateForm, request, "impersonate form")
                    .await
                    .ok_or("transport")?;
                if form.status == StatusCode::SEE_OTHER && attempt == 0 {
                    let fields = [("email", STAFF_EMAIL), ("password", STAFF_PASSWORD), ("next", form_path)];
                    let request = self.client.post(self.url("/workos/login")).form(&fields);
                    let signed_in = self
                        .send(Endpoint::StaffSignIn, request, "staff sign-in")
                        .await
                        .ok_or("transport")?;
                    if signed_in.status != StatusCode::SEE_OTHER {
                        return Err(format!(
                            "staff sign-in ({label}): {} {}",
                            signed_in.status,
                            signed_in.text()
                        ));
                    }
                    continue;
                }
                let html = String::from_utf8_lossy(&form.body);
                let token = html
                    .find(&format!(r#"action="{form_path}""#))
                    .map(|at| &html[at..])
                    .and_then(|rest| rest.split(r#"name="csrf_token" value=""#).nth(1))
                    .and_then(|rest| rest.split('"').next());
                return match (form.status, token) {
                    (StatusCode::OK, Some(token)) if !token.is_empty() => Ok(token.to_owned()),
                    _ => Err(format!("impersonate form ({label}): {} without a token", form.status)),
                };
            }
            Err(format!("impersonate form ({label}): still asks for a sign-in"))
        }

        /// Dashboard → callback → a page: impersonates this jar's app user with a new
        /// reason, and reads the new session's CSRF token. Setup, not measured.
        async fn sign_in(&mut self) -> Result<(), String> {
            self.identity = None;
            self.round += 1;
            let user = &USERS[self.index % USERS.len()];
            let org = user.orgs[(self.index / USERS.len() + self.round as usize) % user.orgs.len()];
            let reason = format!(
                "Load test: jar {} round {}, ticket LT-{:03}-{}",
                self.index, self.round, self.index, self.round
            );
            let label = self.label();

            let form_path = format!("/workos/dashboard/users/{}/impersonate", user.id);
            let form_url = self.url(&form_path);
            let token = self.form_token(&form_path).await?;
            let mut fields = vec![("csrf_token", token.as_str()), ("reason", reason.as_str())];
            if user.orgs.len() > 1 {
                fields.push(("organization_id", org));
            }
            let request = self.client.post(&form_url).form(&fields);
            let submitted =
                self.send(Endpoint::Impersonate, request, "impersonate").await.ok_or("transport")?;
            let callback_prefix = self.url("/auth/callback?code=");
            let callback = match (&submitted.status, &submitted.location) {
                (&StatusCode::SEE_OTHER, Some(location)) if location.starts_with(&callback_prefix) => {
                    location.clone()
                }
                _ => {
                    return Err(format!(
                        "impersonate ({label}): {} {:?} {}",
                        submitted.status,
                        submitted.location,
                        submitted.text()
                    ))
                }
            };

            let request = self.client.get(&callback);
            let landed = self.send(Endpoint::Callback, request, "callback").await.ok_or("transport")?;
            if landed.status != StatusCode::SEE_OTHER
                || landed.location.as_deref() != Some("/")
                || !landed.sets_session_cookie
            {
                return Err(format!(
                    "callback ({label}): {} {:?} {}",
                    landed.status,
                    landed.location,
                    landed.text()
                ));
            }

            let request = self.client.get(self.url("/"));
            let page = self.send(Endpoint::Page, request, "page").await.ok_or("transport")?;
            let html = String::from_utf8_lossy(&page.body);
            if page.status != StatusCode::OK
                || !html.contains(&format!("Signed in as <strong>{}</strong>", user.name))
            {
                return Err(format!("page ({label}): {} not signed in as {}", page.status, user.name));
            }
            let meta = r#"<meta name="csrf-token" content=""#;
            let csrf = html
                .find(meta)
                .map(|at| &html[at + meta.len()..])
                .and_then(|rest| rest.find('"').map(|end| rest[..end].to_owned()))
                .filter(|token| !token.is_empty())
                .ok_or_else(|| format!("page ({label}): no CSRF token"))?;
            self.identity = Some(Identity { user, org, reason, csrf, session_id: None });
            Ok(())
        }

        async fn sign_in_or_record(&mut self) -> bool {
            match self.sign_in().await {
                Ok(()) => true,
                Err(message) => {
                    if message != "transport" {
                        self.stats().error(ErrorKind::Setup, message);
                    }
                    false
                }
            }
        }

        /// Is `session_id` this jar's? Registers it when the jar meets it first; a
        /// session id another jar (or another of this jar's sign-ins) holds is a mix-up.
        fn claim(&self, session_id: &str) -> Result<(), String> {
            let mut registry = lock(&self.registry);
            match registry.get(session_id) {
                Some(&(jar, round)) if (jar, round) != (self.index, self.round) => Err(format!(
                    "{session_id} belongs to jar {jar} round {round}, but {} got it",
                    self.label()
                )),
                Some(_) => Ok(()),
                None => {
                    registry.insert(session_id.to_owned(), (self.index, self.round));
                    Ok(())
                }
            }
        }

        async fn read_session(&mut self) {
            let request = self.client.get(self.url("/auth/session")).header(ACCEPT, "application/json");
            let answer = self.send(Endpoint::Session, request, "GET /auth/session").await;
            self.stats().finished(self.start);
            let Some(answer) = answer else { return };
            let label = self.label();
            let after = if self.after_refusal { " after a refused sign-out" } else { "" };
            self.after_refusal = false;
            if answer.status != StatusCode::OK {
                self.stats().error(
                    ErrorKind::Status,
                    format!("GET /auth/session ({label}){after}: {} {}", answer.status, answer.text()),
                );
                // The session is gone; the jar signs in again before its next request.
                self.identity = None;
                return;
            }
            if answer.cache_control.as_deref() != Some("no-store") {
                self.stats().error(
                    ErrorKind::Status,
                    format!("GET /auth/session ({label}): Cache-Control {:?}", answer.cache_control),
                );
            }
            let json: Value = match serde_json::from_slice(&answer.body) {
                Ok(json) => json,
                Err(error) => {
                    self.stats().error(ErrorKind::Body, format!("GET /auth/session ({label}): {error}"));
                    return;
                }
            };
            let Some(identity) = self.identity.as_ref() else { return };
            let got = |pointer: &str| json.pointer(pointer).and_then(Value::as_str).unwrap_or("");
            let mut wrong = Vec::new();
            for (field, expected) in [
                ("/user/id", identity.user.id),
                ("/organizationId", identity.org),
                ("/impersonator/email", STAFF_EMAIL),
                ("/impersonator/reason", identity.reason.as_str()),
            ] {
                if got(field) != expected {
                    wrong.push(format!("{field} {:?} (expected {expected:?})", got(field)));
                }
            }
            let session_id = got("/sessionId").to_owned();
            match &identity.session_id {
                Some(known) if *known != session_id => {
                    wrong.push(format!("sessionId {session_id:?} (expected {known:?})"));
                }
                Some(_) => {}
                None if !session_id.starts_with("session_") => {
                    wrong.push(format!("sessionId {session_id:?}"))
                }
                None => {
                    if let Err(message) = self.claim(&session_id) {
                        wrong.push(message);
                    }
                }
            }
            if let Some(identity) = self.identity.as_mut() {
                identity.session_id.get_or_insert(session_id);
            }
            let mut stats = self.stats();
            stats.identity_checks += 1;
            if !wrong.is_empty() {
                stats.error(
                    ErrorKind::MixUp,
                    format!("GET /auth/session ({label}){after}: {}", wrong.join(", ")),
                );
            }
        }

        fn sign_out_request(&self, token: &str) -> RequestBuilder {
            self.client
                .post(self.url("/auth/sign-out"))
                .header(CONTENT_TYPE, "application/json")
                .header(ACCEPT, "application/json")
                .header("X-CSRF-Token", token)
                .body(r#"{"returnTo":"/"}"#)
        }

        async fn sign_out(&mut self) {
            let Some(identity) = self.identity.as_ref() else { return };
            let known = identity.session_id.clone();
            let request = self.sign_out_request(&identity.csrf);
            let answer = self.send(Endpoint::SignOut, request, "POST /auth/sign-out").await;
            self.stats().finished(self.start);
            let Some(answer) = answer else { return };
            let label = self.label();
            if answer.status != StatusCode::OK {
                self.stats().error(
                    ErrorKind::Status,
                    format!("POST /auth/sign-out ({label}): {} {}", answer.status, answer.text()),
                );
                self.sign_in_or_record().await;
                return;
            }
            let redirect = serde_json::from_slice::<Value>(&answer.body)
                .ok()
                .and_then(|json| json.get("redirectTo").and_then(Value::as_str).map(str::to_owned));
            let Some(redirect) = redirect else {
                self.stats().error(
                    ErrorKind::Body,
                    format!("POST /auth/sign-out ({label}): no redirectTo in {}", answer.text()),
                );
                self.sign_in_or_record().await;
                return;
            };
            let query = |name: &str| {
                url::Url::parse(&redirect)
                    .ok()
                    .and_then(|url| {
                        url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
                    })
                    .unwrap_or_default()
            };
            let session_id = query("session_id");
            let mix_up = match &known {
                Some(known) if *known != session_id => {
                    Some(format!("redirectTo names {session_id:?}, the jar's session is {known:?}"))
                }
                Some(_) => None,
                None => self.claim(&session_id).err(),
            };
            if let Some(message) = mix_up {
                self.stats().error(ErrorKind::MixUp, format!("POST /auth/sign-out ({label}): {message}"));
            }
            if query("return_to") != self.url("/")
                || !redirect.starts_with(&self.url("/workos/user_management/sessions/logout?"))
            {
                self.stats()
                    .error(ErrorKind::Body, format!("POST /auth/sign-out ({label}): redirectTo {redirect}"));
            }
            if !answer.sets_session_cookie {
                self.stats().error(
                    ErrorKind::Status,
                    format!("POST /auth/sign-out ({label}): the cookie is not cleared"),
                );
            }
            self.identity = None;

            // As the browser would: on to the stand-in's logout, then back to work.
            let request = self.client.get(&redirect);
            if let Some(logout) = self.send(Endpoint::Logout, request, "stand-in logout").await {
                if logout.status != StatusCode::SEE_OTHER || logout.location != Some(self.url("/")) {
                    self.stats().error(
                        ErrorKind::Setup,
                        format!("stand-in logout ({label}): {} {:?}", logout.status, logout.location),
                    );
                }
            }
            self.sign_in_or_record().await;
        }

        async fn sign_out_with_wrong_token(&mut self) {
            let Some(identity) = self.identity.as_ref() else { return };
            // The right length, one character off: the comparison must look at all of it.
            let mut wrong = identity.csrf.clone();
            let last = if wrong.pop() == Some('0') { '1' } else { '0' };
            wrong.push(last);
            let request = self.sign_out_request(&wrong);
            let answer =
                self.send(Endpoint::SignOutBadCsrf, request, "POST /auth/sign-out (wrong CSRF)").await;
            self.stats().finished(self.start);
            let Some(answer) = answer else { return };
            if answer.status != StatusCode::FORBIDDEN {
                let label = self.label();
                self.stats().error(
                    ErrorKind::Status,
                    format!(
                        "POST /auth/sign-out with a wrong token ({label}): {} {}",
                        answer.status,
                        answer.text()
                    ),
                );
                if answer.status.is_success() {
                    self.sign_in_or_record().await;
                    return;
                }
            }
            if answer.sets_session_cookie {
                let label = self.label();
                self.stats()
                    .error(ErrorKind::Status, format!("a refused sign-out touched the cookie ({label})"));
            }
            self.after_refusal = true;
        }
    }

    struct Op {
        kind: Kind,
        scheduled: Instant,
    }

    /// One jar's requests, in order, until the schedule is done or the deadline passes.
    async fn work(mut jar: Jar, mut ops: mpsc::UnboundedReceiver<Op>, deadline: Instant) {
        while let Some(op) = ops.recv().await {
            let now = Instant::now();
            if now > deadline {
                let mut left = 1;
                while ops.try_recv().is_ok() {
                    left += 1;
                }
                jar.stats().errors[ErrorKind::Unfinished as usize] += left;
                return;
            }
            jar.stats().lag.record(now.saturating_duration_since(op.scheduled));
            if jar.identity.is_none() && !jar.sign_in_or_record().await {
                // Could not sign in again: this request is not sent.
                jar.stats()
                    .error(ErrorKind::Setup, format!("{}: request skipped, not signed in", jar.label()));
                continue;
            }
            match op.kind {
                Kind::Session => jar.read_session().await,
                Kind::SignOut => jar.sign_out().await,
                Kind::BadCsrf => jar.sign_out_with_wrong_token().await,
            }
        }
    }

    /// xorshift64*: the request mix, the same for the same seed.
    struct Random(u64);

    impl Random {
        fn next_f64(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    // ------------------------------------------------------------------------------
    // The run

    pub(crate) fn main() -> ExitCode {
        let options = match parse_options() {
            Ok(options) => options,
            Err(message) => {
                eprintln!("staff-bar-load: {message}");
                return ExitCode::from(2);
            }
        };
        let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
            Ok(runtime) => runtime,
            Err(error) => {
                eprintln!("staff-bar-load: no runtime: {error}");
                return ExitCode::FAILURE;
            }
        };
        runtime.block_on(run(options))
    }

    /// Signs in to the stand-in dashboard as its Admin and turns User Impersonation on
    /// (Authentication → Features → User Impersonation → Configure). Setup, not measured.
    async fn enable_impersonation(base: &str) -> Result<(), String> {
        const FEATURE: &str = "/workos/dashboard/authentication/features/user-impersonation";
        let client = Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|error| format!("no HTTP client: {error}"))?;
        let url = |path: &str| format!("{}{path}", base.trim_end_matches('/'));
        let fields = [("email", STAFF_EMAIL), ("password", STAFF_PASSWORD), ("next", FEATURE)];
        let signed_in = client.post(url("/workos/login")).form(&fields).send().await;
        let signed_in = signed_in.map_err(|error| format!("staff sign-in: {error}"))?;
        if signed_in.status() != StatusCode::SEE_OTHER {
            return Err(format!("staff sign-in: {}", signed_in.status()));
        }
        let page = client.get(url(FEATURE)).send().await.map_err(|error| format!("features: {error}"))?;
        let html = page.text().await.map_err(|error| format!("features: {error}"))?;
        let token = html
            .find(&format!(r#"action="{FEATURE}""#))
            .map(|at| &html[at..])
            .and_then(|form| form.split(r#"name="csrf_token" value=""#).nth(1))
            .and_then(|rest| rest.split('"').next())
            .ok_or("the User Impersonation page has no form token")?;
        let fields = [("csrf_token", token), ("enabled", "on")];
        let enabled = client.post(url(FEATURE)).form(&fields).send().await;
        match enabled.map_err(|error| format!("turning impersonation on: {error}"))?.status() {
            StatusCode::SEE_OTHER => Ok(()),
            status => Err(format!("turning impersonation on: {status}")),
        }
    }

    async fn run(options: Options) -> ExitCode {
        let total = options.rate * options.duration;
        println!(
            "staff-bar load: {} · {} users · target {} req/s for {} s = {total} requests on /auth/session and /auth/sign-out",
            options.url, options.users, options.rate, options.duration
        );
        println!(
            "mix: {:.0}% sign-out with the right CSRF token (then logout + impersonate again: setup, not in the rate), {:.0}% with a wrong one, the rest session reads",
            options.sign_out_share * 100.0,
            options.bad_csrf_share * 100.0
        );

        // As the Admin, turn User Impersonation on (a new stand-in has it off).
        if let Err(message) = enable_impersonation(&options.url).await {
            eprintln!("staff-bar-load: {message}");
            return ExitCode::FAILURE;
        }

        // Sign everyone in before the clock starts.
        let registry: Registry = Arc::new(Mutex::new(HashMap::new()));
        let placeholder = Instant::now();
        let mut jars = Vec::new();
        for index in 0..options.users {
            let stats = match Stats::new() {
                Ok(stats) => stats,
                Err(message) => {
                    eprintln!("staff-bar-load: {message}");
                    return ExitCode::FAILURE;
                }
            };
            let client = match Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
            {
                Ok(client) => client,
                Err(error) => {
                    eprintln!("staff-bar-load: no HTTP client: {error}");
                    return ExitCode::FAILURE;
                }
            };
            jars.push(Jar {
                index,
                base: options.url.clone(),
                client,
                round: 0,
                identity: None,
                after_refusal: false,
                registry: registry.clone(),
                stats: Arc::new(Mutex::new(stats)),
                start: placeholder,
            });
        }
        let mut sign_ins = tokio::task::JoinSet::new();
        for mut jar in jars {
            sign_ins.spawn(async move {
                let result = jar.sign_in().await;
                (jar, result)
            });
        }
        let mut jars = Vec::new();
        while let Some(joined) = sign_ins.join_next().await {
            match joined {
                Ok((jar, Ok(()))) => jars.push(jar),
                Ok((jar, Err(message))) => {
                    let samples = jar.stats().samples.join("; ");
                    eprintln!("staff-bar-load: jar {} could not sign in: {message} {samples}", jar.index);
                    return ExitCode::FAILURE;
                }
                Err(error) => {
                    eprintln!("staff-bar-load: a sign-in task failed: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
        jars.sort_by_key(|jar| jar.index);
        let initial_setup: u64 =
            jars.iter().map(|jar| jar.stats().latency.iter().map(Histogram::total).sum::<u64>()).sum();

        // The clock starts.
        let start = Instant::now();
        let deadline = start + Duration::from_secs(options.duration + options.grace);
        let mut senders = Vec::new();
        let mut all_stats = Vec::new();
        let mut workers = tokio::task::JoinSet::new();
        for mut jar in jars {
            jar.start = start;
            all_stats.push(jar.stats.clone());
            let (sender, receiver) = mpsc::unbounded_channel();
            senders.push(sender);
            workers.spawn(work(jar, receiver, deadline));
        }

        let mut random = Random(options.seed | 1);
        let mut last_kind = vec![Kind::Session; options.users];
        let mut ticks = tokio::time::interval(Duration::from_millis(1));
        ticks.set_missed_tick_behavior(MissedTickBehavior::Burst);
        let rate = options.rate as f64;
        let mut sent: u64 = 0;
        let mut counts = [0u64; 3];
        while sent < total {
            ticks.tick().await;
            let due = ((start.elapsed().as_secs_f64() * rate) as u64 + 1).min(total);
            while sent < due {
                let index = (sent % options.users as u64) as usize;
                // After any sign-out the jar's next request is a session read: it
                // checks the new session, or that a refused sign-out changed nothing.
                let kind = if last_kind[index] != Kind::Session {
                    Kind::Session
                } else {
                    let draw = random.next_f64();
                    if draw < options.sign_out_share {
                        Kind::SignOut
                    } else if draw < options.sign_out_share + options.bad_csrf_share {
                        Kind::BadCsrf
                    } else {
                        Kind::Session
                    }
                };
                last_kind[index] = kind;
                counts[kind as usize] += 1;
                let scheduled = start + Duration::from_secs_f64(sent as f64 / rate);
                let _ = senders[index].send(Op { kind, scheduled });
                sent += 1;
            }
        }
        let scheduled_for = start.elapsed();
        drop(senders);

        let finished = tokio::time::timeout_at(tokio::time::Instant::from_std(deadline), async {
            while workers.join_next().await.is_some() {}
        })
        .await
        .is_ok();
        workers.abort_all();

        // Figures.
        let mut merged = match Stats::new() {
            Ok(stats) => stats,
            Err(message) => {
                eprintln!("staff-bar-load: {message}");
                return ExitCode::FAILURE;
            }
        };
        let mut samples = Vec::new();
        let mut last_done = start;
        for stats in &all_stats {
            let stats = lock(stats);
            for (mine, theirs) in merged.latency.iter_mut().zip(&stats.latency) {
                mine.merge(theirs);
            }
            merged.lag.merge(&stats.lag);
            for (mine, theirs) in merged.errors.iter_mut().zip(stats.errors) {
                *mine += theirs;
            }
            if merged.per_second.len() < stats.per_second.len() {
                merged.per_second.resize(stats.per_second.len(), 0);
            }
            for (mine, theirs) in merged.per_second.iter_mut().zip(&stats.per_second) {
                *mine += theirs;
            }
            merged.done += stats.done;
            merged.identity_checks += stats.identity_checks;
            samples.extend(stats.samples.iter().cloned());
            if let Some(at) = stats.last_done {
                last_done = last_done.max(at);
            }
        }
        let unfinished = total.saturating_sub(merged.done);
        let recorded_unfinished = merged.errors[ErrorKind::Unfinished as usize];
        merged.errors[ErrorKind::Unfinished as usize] =
            recorded_unfinished.max(if finished { 0 } else { unfinished });

        let window = last_done.saturating_duration_since(start).as_secs_f64().max(1e-9);
        let achieved = merged.done as f64 / window;
        let measured: u64 =
            ENDPOINTS.iter().zip(&merged.latency).filter(|(e, _)| e.1).map(|(_, h)| h.total()).sum();
        let setup: u64 =
            ENDPOINTS.iter().zip(&merged.latency).filter(|(e, _)| !e.1).map(|(_, h)| h.total()).sum();
        let errors: u64 = merged.errors.iter().sum();
        let full_seconds = &merged.per_second[..merged.per_second.len().min(options.duration as usize)];
        let (slowest_second, fastest_second) = (
            full_seconds.iter().min().copied().unwrap_or(0),
            full_seconds.iter().max().copied().unwrap_or(0),
        );
        let sessions = lock(&registry).len();

        println!();
        println!(
            "achieved: {achieved:.1} req/s ({} requests answered in {window:.3} s; schedule released in {:.3} s; per second {slowest_second}..{fastest_second})",
            merged.done,
            scheduled_for.as_secs_f64()
        );
        println!(
            "requests: {measured} measured = {} GET /auth/session + {} POST /auth/sign-out ({} right CSRF, {} wrong CSRF)",
            merged.latency[Endpoint::Session as usize].total(),
            merged.latency[Endpoint::SignOut as usize].total() + merged.latency[Endpoint::SignOutBadCsrf as usize].total(),
            merged.latency[Endpoint::SignOut as usize].total(),
            merged.latency[Endpoint::SignOutBadCsrf as usize].total(),
        );
        println!(
            "scheduled: {} session reads, {} sign-outs, {} wrong-CSRF sign-outs",
            counts[Kind::Session as usize],
            counts[Kind::SignOut as usize],
            counts[Kind::BadCsrf as usize]
        );
        println!(
            "setup (not in the rate): {setup} requests, {initial_setup} of them before the clock started; plus 2 server-to-stand-in calls per callback (and a JWKS fetch every 10 minutes)"
        );
        println!(
            "mix-up checks: {} session answers matched their jar's sessionId, user, organization, impersonator and reason; {sessions} session ids, each seen by one jar only",
            merged.identity_checks
        );
        let by_kind: Vec<String> =
            ERROR_NAMES.iter().zip(merged.errors).map(|(name, count)| format!("{name} {count}")).collect();
        println!("errors: {errors} ({})", by_kind.join(", "));
        for sample in samples.iter().take(12) {
            println!("  {sample}");
        }
        println!(
            "start lag behind the schedule (ms): p50 {} p99 {} p99.9 {} max {}",
            ms(merged.lag.quantile(0.5)),
            ms(merged.lag.quantile(0.99)),
            ms(merged.lag.quantile(0.999)),
            ms(merged.lag.max())
        );
        println!();
        println!(
            "{:<40} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
            "latency (ms), send to last body byte", "count", "mean", "p50", "p90", "p99", "p99.9", "max"
        );
        for ((name, _), histogram) in ENDPOINTS.iter().zip(&merged.latency) {
            println!(
                "{:<40} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
                name,
                histogram.total(),
                format!("{:.2}", histogram.mean() / 1000.0),
                ms(histogram.quantile(0.5)),
                ms(histogram.quantile(0.9)),
                ms(histogram.quantile(0.99)),
                ms(histogram.quantile(0.999)),
                ms(histogram.max())
            );
        }
        println!();

        let mut failures = Vec::new();
        if errors > 0 {
            failures.push(format!("{errors} errors"));
        }
        if achieved < 0.95 * rate {
            failures.push(format!("{achieved:.1} req/s is under 95% of {}", options.rate));
        }
        if failures.is_empty() {
            println!("PASS: {} req/s held for {} s, no errors, no mix-ups", options.rate, options.duration);
            ExitCode::SUCCESS
        } else {
            println!("FAIL: {}", failures.join("; "));
            ExitCode::FAILURE
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_flags_load_sh_passes_are_read() {
            let parsed = Options::try_parse_from([
                "staff-bar-load",
                "--url",
                "http://127.0.0.1:4321/",
                "--rate",
                "500",
                "--duration",
                "10",
                "--users",
                "7",
                "--sign-out-share",
                "0.2",
                "--bad-csrf-share",
                "0",
                "--grace",
                "5",
                "--seed",
                "42",
            ]);
            let Ok(options) = parsed else { panic!("{parsed:?}") };
            assert_eq!(options.url, "http://127.0.0.1:4321");
            assert_eq!((options.rate, options.duration, options.users), (500, 10, 7));
            assert_eq!((options.sign_out_share, options.bad_csrf_share), (0.2, 0.0));
            assert_eq!((options.grace, options.seed), (5, 42));

            let defaults = Options::try_parse_from(["staff-bar-load", "--url", "http://127.0.0.1:1"]);
            let Ok(defaults) = defaults else { panic!("{defaults:?}") };
            assert_eq!(
                (defaults.rate, defaults.duration, defaults.users, defaults.grace),
                (1000, 30, 50, 30)
            );
            assert_eq!((defaults.sign_out_share, defaults.bad_csrf_share), (0.10, 0.02));

            for wrong in [
                &["--rate", "1000"][..],
                &["--url", "https://x"],
                &["--url", "http://x", "--rate", "0"],
                &["--url", "http://x", "--users", "0"],
                &["--url", "http://x", "--duration", "soon"],
                &["--url", "http://x", "--sign-out-share", "1.5"],
                &["--url", "http://x", "--nope", "1"],
            ] {
                let args = std::iter::once("staff-bar-load").chain(wrong.iter().copied());
                assert!(Options::try_parse_from(args).is_err(), "{wrong:?}");
            }
        }

        #[test]
        fn quantiles_come_from_the_recorded_values() {
            let Ok(mut histogram) = Histogram::new() else { panic!("a histogram") };
            for micros in 1..=1000 {
                histogram.record(Duration::from_micros(micros));
            }
            assert!((500..=501).contains(&histogram.quantile(0.5)), "{}", histogram.quantile(0.5));
            assert!((990..=998).contains(&histogram.quantile(0.99)), "{}", histogram.quantile(0.99));
            assert_eq!(histogram.quantile(1.0), 1000);
            assert_eq!(histogram.max(), 1000);
            assert_eq!(histogram.total(), 1000);
            assert!((histogram.mean() - 500.5).abs() < 0.5, "{}", histogram.mean());
            let Ok(mut other) = Histogram::new() else { panic!("a histogram") };
            other.record(Duration::from_secs(2));
            histogram.merge(&other);
            assert_eq!(histogram.total(), 1001);
            assert!(histogram.max().abs_diff(2_000_000) <= 2_000, "{}", histogram.max());
        }

        fn jar(index: usize, round: u32, registry: &Registry) -> Jar {
            Jar {
                index,
                base: "http://127.0.0.1:9".into(),
                client: Client::new(),
                round,
                identity: None,
                after_refusal: false,
                registry: registry.clone(),
                stats: Arc::new(Mutex::new(Stats::new().unwrap_or_else(|error| panic!("{error}")))),
                start: Instant::now(),
            }
        }

        #[test]
        fn a_session_id_belongs_to_one_sign_in_of_one_jar() {
            let registry: Registry = Arc::new(Mutex::new(HashMap::new()));
            let first = jar(1, 1, &registry);
            assert!(first.claim("session_01A").is_ok());
            assert!(first.claim("session_01A").is_ok(), "the same jar, the same sign-in");
            assert!(jar(2, 1, &registry).claim("session_01A").is_err(), "another jar");
            assert!(jar(1, 2, &registry).claim("session_01A").is_err(), "a later sign-in of the same jar");
            assert!(jar(2, 1, &registry).claim("session_01B").is_ok());
        }
    }
}
