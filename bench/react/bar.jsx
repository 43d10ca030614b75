// The React 19 peer of <staff-bar>, written for the benchmark only (`make bench`).
//
// It is what a site would get from a React impersonation helper in the style of
// authkit-nextjs's <Impersonation/>: the viewport frame (4px #fce654 band, 1px #e0c36c
// inner line), a tab on the bottom edge that reads "You are impersonating <b>email</b>
// within the <b>Org</b> organization", Stop (POST with fetch, follow `redirectTo`), and
// minimize/restore. To compare like with like it also renders into an open shadow root
// and adopts the very same stylesheet as staff-bar (style/staff-bar.css, inlined into
// this bundle at build time, as staff-bar inlines it into its wasm), and carries the same
// `part` names, so one paint probe fits both.
//
// Mount point: any element with `data-staff-bar-react`; it reads
//   data-session        the session JSON of SPEC.md, inline (no request)
//   data-sign-out-url   the sign-out endpoint
//   data-return-to      where to land after sign-out
// React and ReactDOM are loaded on every page view, impersonated or not: a page that
// uses the peer pays for React even when it renders nothing. That is the peer's real
// cost on a non-React site, and the benchmark reports it as such.

import { useCallback, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import css from "../../style/staff-bar.css";

const STRINGS = {
  region: "Impersonation",
  impersonating: "You are impersonating ",
  within: " within the ",
  organizationSuffix: " organization",
  stop: "Stop",
  stopping: "Stopping…",
  minimize: "Minimize impersonation bar",
  restore: "Restore impersonation bar",
  ended: "The impersonation has ended.",
};

/** The session when someone is impersonated, else null (a warning for bad JSON). */
function readSession(text) {
  if (!text) return null;
  let session;
  try {
    session = JSON.parse(text);
  } catch {
    console.warn("staff-bar-react: the session is not valid JSON; nothing is shown");
    return null;
  }
  if (!session || typeof session !== "object") return null;
  const email = session.user?.email;
  if (typeof email !== "string" || !session.impersonator) return null;
  return { email, organization: session.organization?.name ?? null };
}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? null;
}

/** POSTs to the sign-out endpoint and resolves to where the browser goes next. */
async function signOut(url, returnTo) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const token = csrfToken();
  if (token) headers["X-CSRF-Token"] = token;
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers,
    body: JSON.stringify(returnTo ? { returnTo } : {}),
  });
  if (response.status === 204) return returnTo || "/";
  if (!response.ok) throw new Error("Sign-out failed (HTTP " + response.status + ")");
  let answer;
  try {
    answer = await response.json();
  } catch {
    throw new Error("Sign-out answered with invalid JSON");
  }
  const destination = answer?.redirectTo ?? answer?.logoutUrl;
  if (typeof destination !== "string") throw new Error("Sign-out answered without redirectTo");
  return destination;
}

function Impersonation({ session, signOutUrl, returnTo }) {
  const [minimized, setMinimized] = useState(false);
  const [state, setState] = useState("ready"); // ready | pending | failed | ended
  const [error, setError] = useState(null);
  const minimizeRef = useRef(null);
  const restoreRef = useRef(null);
  const pending = state === "pending";
  const ended = state === "ended";

  useEffect(() => {
    const html = document.documentElement;
    if (session && !ended) html.setAttribute("data-impersonating", "");
    else html.removeAttribute("data-impersonating");
    return () => html.removeAttribute("data-impersonating");
  }, [session, ended]);

  const stop = useCallback(async () => {
    if (pending || ended) return;
    setState("pending");
    setError(null);
    try {
      const destination = await signOut(signOutUrl, returnTo);
      setState("ended");
      location.assign(destination);
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure);
      console.error("staff-bar-react: " + message);
      setError(message);
      setState("failed");
    }
  }, [pending, ended, signOutUrl, returnTo]);

  const minimize = () => {
    setMinimized(true);
    requestAnimationFrame(() => restoreRef.current?.focus());
  };
  const restore = () => {
    setMinimized(false);
    requestAnimationFrame(() => minimizeRef.current?.focus());
  };

  if (!session) return null;
  return (
    <div
      className="staff-bar"
      role="region"
      aria-label={STRINGS.region}
      data-side="bottom"
      data-minimized={minimized ? "" : undefined}
      data-state={state}
    >
      <div part="frame" className="sb-frame" aria-hidden="true" />
      <div part="bar" className="sb-bar" inert={minimized}>
        {ended ? (
          <p part="ended" className="sb-message">
            {STRINGS.ended}
          </p>
        ) : (
          <>
            <p part="message" className="sb-message">
              {STRINGS.impersonating}
              <strong part="user" className="sb-strong">
                {session.email}
              </strong>
              {session.organization != null && (
                <>
                  {STRINGS.within}
                  <strong part="organization" className="sb-strong">
                    {session.organization}
                  </strong>
                  {STRINGS.organizationSuffix}
                </>
              )}
            </p>
            <button
              part="stop"
              type="button"
              className="sb-button sb-stop"
              aria-disabled={pending ? "true" : undefined}
              onClick={stop}
            >
              {pending ? STRINGS.stopping : STRINGS.stop}
            </button>
          </>
        )}
        <button
          ref={minimizeRef}
          part="minimize"
          type="button"
          className="sb-button sb-minimize"
          aria-label={STRINGS.minimize}
          title={STRINGS.minimize}
          onClick={minimize}
        >
          <span aria-hidden="true">{"\u2212"}</span>
        </button>
        {state === "failed" && (
          <p part="error" className="sb-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button
        ref={restoreRef}
        part="restore"
        type="button"
        className="sb-button sb-restore"
        aria-label={STRINGS.restore}
        title={STRINGS.restore}
        hidden={!minimized}
        onClick={restore}
      >
        <span aria-hidden="true">{"\u25B4"}</span>
      </button>
    </div>
  );
}

/** One stylesheet object for every mount, adopted (no inline style, CSP-friendly). */
let sheet;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

function mount(host) {
  const session = readSession(host.getAttribute("data-session"));
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  // Only an impersonated view needs the styles; React itself still ran to get here.
  if (session) shadow.adoptedStyleSheets = [styles()];
  createRoot(shadow).render(
    <Impersonation
      session={session}
      signOutUrl={host.getAttribute("data-sign-out-url") ?? ""}
      returnTo={host.getAttribute("data-return-to") ?? ""}
    />,
  );
}

for (const host of document.querySelectorAll("[data-staff-bar-react]")) mount(host);
