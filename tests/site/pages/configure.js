// Test helper of the sample site: creates <staff-bar> with the attributes named in
// the query string (`?attr.session-url=/session/impersonating&attr.side=top`), so one
// page covers every combination. `?defer` leaves the element out until a test adds it.
const params = new URLSearchParams(location.search);
const bar = document.createElement("staff-bar");
for (const [key, value] of params) {
  if (key.startsWith("attr.")) bar.setAttribute(key.slice(5), value);
}
if (params.has("base")) {
  // A <base href> on another origin (a CDN setup, or injected HTML).
  const base = document.createElement("base");
  base.href = params.get("base");
  document.head.prepend(base);
}
if (params.has("csrf-meta")) {
  const meta = document.createElement("meta");
  meta.name = "csrf-token";
  meta.content = params.get("csrf-meta");
  document.head.append(meta);
}
window.__events = [];
for (const type of ["stop", "signed-out", "error", "minimize", "restore", "expired"]) {
  document.addEventListener("staff-bar:" + type, (event) => {
    window.__events.push({ type: event.type, detail: event.detail, bubbles: event.bubbles, composed: event.composed, cancelable: event.cancelable });
    if (type === "stop" && params.has("cancel-stop")) event.preventDefault();
  });
}
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
window.__pwned = undefined;
window.__rejections = [];
window.addEventListener("unhandledrejection", (event) => {
  window.__rejections.push(String(event.reason?.message ?? event.reason));
});
if (!params.has("defer")) document.body.append(bar);
window.__bar = bar;
await import(params.get("bundle") ?? "/vendor/staff-bar/staff-bar.js");
