// staff-bar.js: defines <staff-bar>. This file is all an ordinary visitor downloads:
// it reads the session (inline, or one GET to session-url) and fetches the
// WebAssembly core only when someone is actually being impersonated.
// Everything else is found relative to this module's URL, so the folder can live
// anywhere (/vendor/staff-bar/, a CDN with CORS). When the core cannot be loaded while
// someone is impersonated, staff-bar-fallback.js shows a plain notice with Stop until
// a retry brings the core.

const core = new URL("./staff-bar-core.js", import.meta.url);
const wasm = new URL("./staff-bar-core_bg.wasm", import.meta.url);
const fallback = new URL("./staff-bar-fallback.js", import.meta.url);
let loading;

/** Loads and starts the WebAssembly core once per page. A failed load is forgotten, so
 * the next attempt downloads again (the glue forgets a failed start the same way). */
function loadCore() {
  return (loading ??= import(core)
    .then(async (module) => {
      await module.default({ module_or_path: wasm });
      return module;
    })
    .catch((error) => {
      loading = undefined;
      throw error;
    }));
}

const warn = (message) => console.warn("staff-bar: " + message);

/** A thrown value as text, whatever it is (an Error, a Symbol, an object whose
 * `toString` throws). */
function describe(error) {
  try {
    return String(error?.message ?? error);
  } catch {
    return "an unreadable error";
  }
}

/** What the session request gives when it did not get a definite answer. */
const FAILED = Symbol("failed");

/**
 * Whether a session JSON text may show a bar: a user and an impersonator (or a token
 * naming an actor). The core parses it again, strictly; this only spares ordinary
 * visitors the download. A yes names the user for the fallback notice: their email (a
 * token-only session: the token's `email` or `sub`; display only, never trusted), or
 * true when there is none.
 */
function impersonated(text) {
  if (text == null) return false;
  let session, claims;
  try {
    session = JSON.parse(text);
  } catch {
    warn("the session is not valid JSON; nothing is shown");
    return false;
  }
  if (!session || typeof session !== "object" || !session.user) return false;
  if (session.impersonator !== undefined) {
    if (!session.impersonator) return false;
  } else {
    const token = session.accessToken ?? session.access_token;
    if (!token) return false;
    if (typeof token !== "string") {
      warn("the access token is not a string; nothing is shown");
      return false;
    }
    try {
      // Padding of any length, or none, as the core takes it.
      claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "")));
    } catch {}
    if (claims?.act?.sub === undefined) {
      if (token.split(".").length !== 3) warn("the access token is malformed; nothing is shown");
      return false;
    }
  }
  const who = session.user.email ?? claims?.email ?? claims?.sub;
  return (typeof who === "string" && who) || true;
}

class StaffBarElement extends HTMLElement {
  static observedAttributes = [
    "session", "session-url", "sign-out-url", "sign-out-mode", "return-to", "side", "align", "theme",
    "z-index", "csrf-token", "csrf-header", "csrf-field", "lang", "preview", "organization-url",
    ...["region", "impersonating", "within", "organization-suffix", "impersonator", "stop",
      "stopping", "reason", "minimize", "restore", "minutes-left", "seconds-left", "ends-at",
      "ending-soon", "ended-at", "ended",
      "reload", "announcement", "stale", "preview"].map((key) => "text-" + key),
  ];

  #session; // the `session` property: an object, or undefined when unset
  #bar; // the core's StaffBar, once loaded
  #run = 0; // bumps on every refresh and removal, so stale answers are dropped
  #request; // the AbortController of the session request in flight
  #connected = false; // attribute callbacks before the first connect only set up state
  #retry; // the timer of the next attempt after a failed session request or core load
  #failures = 0; // failed attempts in a row, for the backoff
  #note; // the fallback notice, while shown
  #flagged = false; // whether the fallback set <html data-impersonating>
  #state = {}; // the detail of the last staff-bar:change: the properties below

  static {
    // Read-only properties, as the bar last reported them in staff-bar:change (the
    // fallback notice counts as impersonating), and the commands, which act as the
    // bar's own buttons: stop() as Stop, the cancelable staff-bar:stop first.
    for (const name of ["impersonating", "ended", "minimized"]) {
      Object.defineProperty(this.prototype, name, { get() { return !!this.#state[name]; } });
    }
    // The fallback notice has a stop() of its own, and nothing to minimize.
    for (const name of ["stop", "minimize", "restore"]) {
      this.prototype[name] = function () {
        (this.#bar ?? this.#note)?.[name]?.();
      };
    }
  }

  /** Whole seconds until `expiresAt` on the page's clock now, or null. */
  get timeLeft() {
    return this.#bar?.time_left() ?? null;
  }

  constructor() {
    super();
    // A `session` set on the element before this class was defined is an own data
    // property hiding the accessor: take it over.
    if (Object.hasOwn(this, "session")) {
      const value = this.session;
      delete this.session;
      this.#session = value ?? undefined;
    }
  }

  /** The session set on the element, else the one the bar shows, else null. */
  get session() {
    return this.#session ?? this.#state.session ?? null;
  }

  set session(value) {
    this.#session = value ?? undefined;
    if (this.#connected) this.#refresh();
  }

  connectedCallback() {
    if (!this.shadowRoot) this.attachShadow({ mode: "open" });
    // The page's own message: any child element it gives goes to the bar's slot.
    for (const child of this.children) child.slot ||= "message";
    this.#connected = true;
    this.#refresh();
  }

  disconnectedCallback() {
    this.#connected = false;
    clearTimeout(this.#retry);
    this.#run++;
    this.#request?.abort();
    // A listener of one of the bar's own events may remove the element while the core
    // is still dispatching it: unmount now, free once that call has returned.
    const bar = this.#bar;
    this.#bar = undefined;
    bar?.unmount();
    if (bar) queueMicrotask(() => bar.free());
    this.#fallback();
  }

  attributeChangedCallback(name, before, after) {
    if (!this.#connected || before === after) return;
    if (name === "session" || name === "session-url" || (name === "preview" && !this.#bar)) this.#refresh();
    else this.#bar?.sync();
  }

  /** Dispatches `staff-bar:<type>`; returns false when a listener cancelled it. */
  #emit = (type, detail, cancelable) => {
    if (type === "change") this.#state = detail;
    return this.dispatchEvent(
      new CustomEvent("staff-bar:" + type, { detail, bubbles: true, composed: true, cancelable }),
    );
  };

  /** Shows what the session source says now; nothing it is given can reject. */
  async #refresh() {
    const run = ++this.#run;
    clearTimeout(this.#retry);
    this.#request?.abort();
    try {
      await this.#load(run);
    } catch (error) {
      // A session property JSON cannot write (cyclic, a BigInt), a session-url that is
      // not a URL: a warning, and no bar, as for a malformed session.
      if (run !== this.#run) return;
      warn("the session could not be read (" + describe(error) + "); nothing is shown");
      this.#bar?.set_session(null);
      this.#fallback();
    }
  }

  async #load(run) {
    let text = null;
    let url;
    if (this.#session !== undefined) {
      text = JSON.stringify(this.#session);
    } else if (this.hasAttribute("session")) {
      text = this.getAttribute("session");
    } else if (this.getAttribute("session-url")) {
      // Against the page's own location, never a <base href>, and only to http(s).
      url = new URL(this.getAttribute("session-url"), location.href).href;
      if (!/^https?:/.test(url)) throw "session-url is not a web address";
      text = await this.#fetchSession(url, run);
      if (text === undefined) return; // superseded
      if (text === FAILED) {
        // No definite answer: a bar already shown keeps showing (the core marks it
        // stale and retries); without one, ask again later, backing off to a minute.
        return this.#bar ? this.#bar.retry(url) : this.#later();
      }
    }
    if (run !== this.#run) return;
    const who = !this.#bar && impersonated(text);
    // The dev preview needs the core even without a session; only the attribute asks.
    if (!this.#bar && !who && !this.hasAttribute("preview")) return this.#fallback((this.#failures = 0));
    const module = await loadCore().catch((error) => {
      // A failed download (the network, a CDN, a content blocker, a CSP without
      // 'wasm-unsafe-eval'): the fallback stands in for the bar until a retry loads it.
      if (run !== this.#run) return;
      warn("could not load its core (" + describe(error) + "); trying again");
      this.#fallback(who, run);
      this.#later();
    });
    if (!module || run !== this.#run || !this.isConnected) return;
    this.#fallback((this.#failures = 0));
    this.#bar ??= new module.StaffBar(this, this.shadowRoot, this.#emit);
    // With a session-url the core keeps refreshing it; an inline session is shown as is.
    if (url) this.#bar.watch(url, text);
    else this.#bar.set_session(text);
  }

  /** Tries again after 2 s, 4 s, 8 s… up to a minute. */
  #later() {
    this.#retry = setTimeout(() => this.#refresh(), Math.min(60_000, 2_000 * 2 ** this.#failures++));
  }

  /**
   * While the core is missing and `who` (what `impersonated` gave) is impersonated:
   * `<html data-impersonating>` at once, and the fallback notice once its module is
   * here. Without `who`: removes both.
   */
  #fallback(who, run) {
    if (!who !== !this.#flagged) {
      document.documentElement.toggleAttribute("data-impersonating", (this.#flagged = !!who));
      this.#emit("change", { impersonating: this.#flagged });
    }
    if (!who) return this.#note?.remove(), (this.#note = undefined);
    import(fallback).then(
      (module) => run === this.#run && (this.#note = module.show(this, who, this.#emit, this.#note)),
      (error) => warn("could not load its fallback (" + describe(error) + ")"),
    );
  }

  async #fetchSession(url, run) {
    const request = (this.#request = new AbortController());
    // Gives up after 10 s, as the core's refreshes do.
    const timeout = setTimeout(() => request.abort(), 10_000);
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: request.signal,
      });
      if (run !== this.#run) return undefined;
      if (response.status === 204 || response.status === 401) return null;
      if (!response.ok) {
        warn("the session request was answered with HTTP " + response.status);
        return FAILED;
      }
      return await response.text();
    } catch (error) {
      if (run !== this.#run) return undefined;
      warn("the session request failed: " + error);
      return FAILED;
    } finally {
      clearTimeout(timeout);
    }
  }
}

if (!customElements.get("staff-bar")) customElements.define("staff-bar", StaffBarElement);

export { StaffBarElement };
