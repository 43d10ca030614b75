// staff-bar-fallback.js: the plain notice <staff-bar> shows while someone is
// impersonated and its WebAssembly core cannot be loaded (a network failure, a CDN
// error, a content blocker, a CSP without 'wasm-unsafe-eval'). The loader imports it
// only then, so neither ordinary visitors nor a working bar download it, and removes
// the notice once a retry has brought the core. It keeps what the bar must never stop
// doing: saying who is impersonated, and Stop, with the real bar's sign-out request
// (SPEC.md, core/src/sign_out.rs). Session text is only ever set as textContent.

const LINE = "var(--workos-impersonation-color,#1a1600)";
const BAND = "var(--workos-impersonation-background-color,#fce654)";
const EDGE = "var(--workos-impersonation-border-width,1px) solid var(--workos-impersonation-border-color,#e0c36c)";

// The real bar's colours and variables (style/staff-bar.css): #1a1600 on #fce654 is a
// contrast of about 15:1, and Stop is the band's colour on the text colour, as there.
const STYLE = {
  fallback:
    "position:fixed;inset:auto 0 0;z-index:9999;display:flex;flex-wrap:wrap;align-items:center;" +
    "justify-content:center;gap:4px 12px;box-sizing:border-box;width:auto;height:auto;max-width:none;" +
    "max-height:none;overflow:visible;margin:0;border:0;" +
    "padding:6px 12px calc(6px + env(safe-area-inset-bottom,0px));" +
    "font:400 14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;text-align:center;" +
    `overflow-wrap:anywhere;background:${BAND};color:${LINE};border-top:${EDGE}`,
  "fallback-stop":
    `margin:0;padding:2px 10px;font:inherit;line-height:1.2;border:0;border-radius:4px;background:${LINE};` +
    `color:${BAND};cursor:pointer`,
  "fallback-error": "flex-basis:100%;margin:0;font-weight:600",
};
const FOCUS = `[part~=fallback-stop]:focus-visible{outline:2px solid ${LINE};outline-offset:2px}`;

let sheet; // one constructed stylesheet for every notice; null where there is none

/** Styles `root` with the constructed stylesheet; false where the browser has none. */
function adopt(root) {
  try {
    if (sheet === undefined) {
      sheet = new CSSStyleSheet();
      // The host page's rules, even `* { all: unset !important }`, stop at the root.
      let text = ":host{all:initial!important;display:contents!important}" + FOCUS;
      for (const [part, rules] of Object.entries(STYLE)) text += `[part~=${part}]{${rules}}`;
      sheet.replaceSync(text);
    }
    if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    sheet = null;
  }
  return !!sheet;
}

/** A new `tag` element named by `part`, in `parent`. Without the stylesheet its rules
 * go on it through the CSSOM, which a CSP without 'unsafe-inline' allows too. */
function add(parent, tag, part, styled) {
  const element = parent.appendChild(document.createElement(tag));
  if (part) element.setAttribute("part", part);
  if (!styled && STYLE[part]) {
    for (const rule of STYLE[part].split(";")) {
      const at = rule.indexOf(":");
      element.style.setProperty(rule.slice(0, at), rule.slice(at + 1));
    }
  }
  return element;
}

/**
 * Shows the notice for `who` (an email, or true for an unnamed user) in `host`'s open
 * shadow root, or updates `notice`, the one shown before; returns it. `emit(type,
 * detail, cancelable)` dispatches `staff-bar:<type>` on the host, as the real bar does.
 */
export function show(host, who, emit, notice) {
  const text = (key, fallback) => host.getAttribute("text-" + key) ?? fallback;
  if (!notice?.isConnected) {
    const root = host.shadowRoot;
    const styled = adopt(root);
    notice = add(root, "div", "fallback", styled);
    notice.setAttribute("role", "region");
    add(notice, "span", "fallback-message");
    if (host.getAttribute("sign-out-url")) {
      const stop = add(notice, "button", "fallback-stop", styled);
      stop.type = "button";
      stop.textContent = text("stop", "Stop");
      stop.onclick = () => signOut(host, emit, notice, stop, styled);
      // The element's stop() while the notice stands in for the bar.
      notice.stop = () => stop.isConnected && stop.click();
    }
    raise(notice);
  }
  notice.setAttribute("aria-label", text("region", "") || "Impersonation");
  // On the bar's edge: `side="top"` puts it at the top, as it does the real tab.
  const top = host.getAttribute("side")?.trim() === "top";
  Object.assign(notice.style, {
    inset: top ? "0 0 auto" : "auto 0 0",
    padding: top ? "calc(6px + env(safe-area-inset-top,0px)) 12px 6px" : "6px 12px calc(6px + env(safe-area-inset-bottom,0px))",
    borderTop: top ? "0" : EDGE,
    borderBottom: top ? EDGE : "0",
  });
  const zIndex = host.getAttribute("z-index")?.trim();
  notice.style.zIndex = /^-?\d+$/.test(zIndex) ? zIndex : sheet ? "" : "9999";
  // Rewritten only when it changes, not on every retry.
  const message = notice.firstChild;
  const prefix = text("impersonating", "You are impersonating ");
  const name = who === true ? undefined : shown(who, 80);
  if (message.textContent === prefix + (name ?? "a user") + ".") return notice;
  if (name === undefined) {
    message.replaceChildren(prefix + "a user.");
  } else {
    // The email isolated from the sentence around it, as the real bar shows it, and
    // whole in a tooltip when cut.
    const user = document.createElement("bdi");
    user.setAttribute("part", "fallback-user");
    user.textContent = name;
    if (name !== shown(who, Infinity)) user.title = shown(who, 1_000);
    message.replaceChildren(prefix, user, ".");
  }
  return notice;
}

/** Puts the notice in the top layer as the real bar does (src/dom/mod.rs, `raise`): a
 * manual popover, above every z-index of the page and outside clipping ancestors,
 * trapping no focus. Where there are no popovers it stays fixed, at its z-index. */
function raise(notice) {
  if (typeof notice.showPopover !== "function") return;
  notice.setAttribute("popover", "manual");
  try {
    notice.showPopover();
  } catch {
    notice.removeAttribute("popover");
  }
}

/** An email as the real bar shows it (core/src/display.rs): without bidi controls,
 * which could reorder it, or invisible characters, which could hide in it; longer than
 * `limit` characters, cut to that and "…". */
function shown(email, limit) {
  const chars = [...email.replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/g, "")];
  return chars.length > limit ? chars.slice(0, limit).join("").trimEnd() + "…" : chars.join("");
}

/** What the real bar says when Stop fails (core/src/sign_out.rs, `SignOutError`). */
const FAILED = "Could not stop impersonating: ";
const AGAIN = ". Try again.";

/** Stop: signs out as the real bar would, then navigates; on failure an alert, and
 * Stop works again. A second click while one is in flight does nothing. */
async function signOut(host, emit, notice, stop, styled) {
  if (stop.getAttribute("aria-disabled") || !emit("stop", null, true)) return;
  const attr = (name) => host.getAttribute(name);
  const label = stop.textContent;
  // aria-disabled rather than disabled, so focus stays on the button.
  stop.setAttribute("aria-disabled", "true");
  stop.textContent = attr("text-stopping") ?? "Stopping…";
  notice.querySelector("[part~=fallback-error]")?.remove();
  let error;
  try {
    const returnTo = checkedReturnTo(attr("return-to"));
    // Against the page's own location, never a <base href>, and only to http(s).
    error = FAILED + "the sign-out URL is not a web address.";
    const endpoint = new URL(attr("sign-out-url"), location.href).href;
    if (!/^https?:/.test(endpoint)) throw 0;
    // The page's meta-tag token goes only to the page's own origin.
    const meta = new URL(endpoint).origin === location.origin && document.querySelector('meta[name="csrf-token"]')?.content;
    const token = attr("csrf-token") ?? (meta || null);
    if (attr("sign-out-mode") === "form") {
      error = FAILED + "the sign-out form could not be sent" + AGAIN;
      const form = document.createElement("form");
      form.method = "post";
      form.action = endpoint;
      form.hidden = true;
      for (const [name, value] of [["return_to", returnTo], [attr("csrf-field") ?? "csrf_token", token]]) {
        if (value != null) Object.assign(add(form, "input"), { type: "hidden", name, value });
      }
      document.body.append(form);
      form.submit();
      // A page still here after 30 s was not led away (a 204, a cancelled navigation,
      // a form-action policy): Stop works again.
      error = FAILED + "the sign-out form did not lead away from this page" + AGAIN;
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      throw 0;
    }
    error = FAILED + "the server could not be reached" + AGAIN;
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token != null) headers[attr("csrf-header") ?? "X-CSRF-Token"] = token;
    // A request that never answers counts as failed after 30 s.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 30_000);
    let response, body;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        redirect: "error",
        headers,
        body: JSON.stringify(returnTo == null ? {} : { returnTo }),
        signal: abort.signal,
      });
      body = await response.text();
    } finally {
      clearTimeout(timer);
    }
    const to = destination(response.status, body, returnTo);
    if (to.error) {
      error = to.error;
      throw 0;
    }
    ended(notice, attr);
    emit("signed-out", { redirectTo: to.url });
    // Relative destinations are taken against the page itself, not a <base href>.
    location.assign(new URL(to.url, location.href).href);
  } catch {
    if (!notice.isConnected) return;
    stop.removeAttribute("aria-disabled");
    stop.textContent = label;
    const alert = add(notice, "p", "fallback-error", styled);
    alert.setAttribute("role", "alert");
    alert.textContent = error;
    emit("error", { message: error });
  }
}

/** The impersonation has ended: the notice says so and offers no Stop. */
function ended(notice, attr) {
  notice.firstChild.textContent = attr("text-ended") ?? "The impersonation has ended.";
  notice.querySelector("[part~=fallback-stop]")?.remove();
}

/**
 * Where the browser goes after the sign-out endpoint answered `status` with `body`
 * (core/src/sign_out.rs, `destination`): 204 goes to `returnTo` or "/"; another 2xx
 * must name an http(s) URL (or a relative one) as `redirectTo` or `logoutUrl`.
 */
function destination(status, body, returnTo) {
  if (status === 204) return { url: returnTo ?? "/" };
  if (status < 200 || status > 299) return { error: FAILED + "the server answered HTTP " + status + AGAIN };
  let url;
  try {
    const answer = JSON.parse(body);
    url = answer.redirectTo ?? answer.logoutUrl ?? answer.redirect_to ?? answer.logout_url;
  } catch {}
  if (typeof url !== "string") return { error: FAILED + "the server's answer was not understood" + AGAIN };
  let target;
  try {
    target = new URL(url, location.href);
  } catch {}
  if (!/^https?:$/.test(target?.protocol)) return { error: FAILED + "the server asked for an unsafe redirect." };
  return { url };
}

/**
 * `returnTo` when it is a path on this origin, else undefined with a console error, as
 * the real bar does (core/src/sign_out.rs, `validate_return_to`): one leading "/", no
 * backslash, whitespace or control character, and still so once percent-decoded (three
 * rounds, for double encoding).
 */
function checkedReturnTo(returnTo) {
  if (returnTo == null) return undefined;
  let refusal = pathRefusal(returnTo);
  let current = returnTo;
  for (let round = 0; !refusal; round++) {
    const decoded = percentDecode(current);
    if (decoded === current) return returnTo;
    if (round === 3 || pathRefusal(decoded)) refusal = "must not encode a path to another origin";
    current = decoded;
  }
  console.error("staff-bar: return-to " + refusal);
  return undefined;
}

function pathRefusal(path) {
  if (/[\s\0-\x1f\x7f-\x9f]/.test(path)) return "must not contain whitespace or control characters";
  if (path.includes("\\")) return "must not contain a backslash";
  if (path[0] !== "/" || path[1] === "/") return "must be a same-origin path starting with a single /";
}

/** Decodes %XX sequences as UTF-8 (a malformed one is kept, bytes that are not UTF-8
 * become U+FFFD). */
function percentDecode(text) {
  const bytes = [];
  const raw = new TextEncoder().encode(text);
  for (let i = 0; i < raw.length; i++) {
    const hex = raw[i] === 37 && String.fromCharCode(raw[i + 1], raw[i + 2]);
    if (hex && /^[\da-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(raw[i]);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
