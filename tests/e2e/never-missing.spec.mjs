// Issue 22, "the bar must not go missing": when the WebAssembly core cannot be loaded
// (a network blip, a CDN error, a content blocker, a CSP without 'wasm-unsafe-eval'),
// <staff-bar> shows a plain fallback notice with Stop (dist/staff-bar-fallback.js) and
// sets <html data-impersonating> at once, retries the core with backoff, and hands over
// to the real bar when it arrives. The core's files are failed with page.route.
import { test, expect } from "@playwright/test";
import { pageUrl, part, unique } from "./support.mjs";

const CORE_JS = "**/vendor/staff-bar/staff-bar-core.js";
const CORE_WASM = "**/vendor/staff-bar/staff-bar-core_bg.wasm";

/** Fails the first `failures` requests to `pattern` (all of them by default); returns
 * the number of requests so far. */
async function failCore(page, pattern, failures = Infinity) {
  let count = 0;
  await page.route(pattern, (route) => (count++ < failures ? route.abort() : route.continue()));
  return () => count;
}

const fallback = (page) => part(page, "fallback");
const flagged = (page) => page.evaluate(() => document.documentElement.hasAttribute("data-impersonating"));

/** Records uncaught page errors and dialogs (an injected `alert(1)` would open one). */
function trackTrouble(page) {
  const trouble = { errors: [], dialogs: [] };
  page.on("pageerror", (error) => trouble.errors.push(String(error)));
  page.on("dialog", (dialog) => {
    trouble.dialogs.push(dialog.message());
    dialog.dismiss();
  });
  return trouble;
}

const impersonating = (email, extra = {}) =>
  JSON.stringify({ user: { id: "user_01", email }, impersonator: { email: "ada@support.test" }, ...extra });

/** An unsigned JWT with this payload: the loader only reads it for display. */
const token = (payload) =>
  ["{\"alg\":\"none\"}", JSON.stringify(payload)].map((part) => Buffer.from(part).toString("base64url")).join(".") + ".sig";

for (const [file, pattern] of [
  ["wasm", CORE_WASM],
  ["glue JavaScript", CORE_JS],
]) {
  test(`the core's ${file} fails once: the fallback at once, the real bar after the retry`, async ({ page }) => {
    const trouble = trackTrouble(page);
    const requests = await failCore(page, pattern, 1);
    await page.clock.install();
    await page.goto(pageUrl({ "session-url": "/session/impersonating", "sign-out-url": "/sign-out/ok?key=" + unique("retry") }));
    await expect(part(page, "fallback-message")).toHaveText("You are impersonating bob@acme.test.");
    const region = page.getByRole("region", { name: "Impersonation" });
    await expect(region).toHaveCount(1);
    await expect(region).toContainText("You are impersonating bob@acme.test.");
    await expect(region.getByRole("button", { name: "Stop" })).toBeVisible();
    expect(await flagged(page)).toBe(true);
    await expect(page.locator(".redact")).toHaveCSS("filter", "blur(6px)");
    // From here on the page's time moves only when the test moves it.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
    expect(requests()).toBe(1);
    await expect(part(page, "bar")).toHaveCount(0);
    await page.clock.runFor(2_000);
    await expect.poll(requests).toBe(2);
    await page.clock.resume();
    // The real bar replaces the notice: one bar, its own parts, the flag kept.
    await expect(part(page, "message")).toHaveText("You are impersonating bob@acme.test within the Acme organization");
    await expect(part(page, "stop")).toBeVisible();
    await expect(fallback(page)).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Impersonation" })).toHaveCount(1);
    await expect(page.getByRole("button", { name: /^Stop/ })).toHaveCount(1);
    expect(await flagged(page)).toBe(true);
    expect(trouble.errors).toEqual([]);
  });
}

test("the retries back off: 2 s, then 4 s, then 8 s", async ({ page }) => {
  const requests = await failCore(page, CORE_WASM);
  await page.clock.install();
  await page.goto(pageUrl({ "session-url": "/session/impersonating" }));
  await expect(fallback(page)).toBeVisible();
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
  expect(requests()).toBe(1);
  await page.clock.runFor(2_000);
  await expect.poll(requests).toBe(2);
  // The second retry is 4 s after the second failure: not after 3 s, by 4.5 s.
  await page.clock.runFor(3_000);
  expect(requests()).toBe(2);
  await page.clock.runFor(1_500);
  await expect.poll(requests).toBe(3);
  await page.clock.runFor(7_000);
  expect(requests()).toBe(3);
  await page.clock.runFor(1_500);
  await expect.poll(requests).toBe(4);
  // The notice stays throughout, once.
  await expect(fallback(page)).toHaveCount(1);
});

test("Stop on the fallback POSTs the real bar's sign-out and follows the redirect", async ({ page }) => {
  const trouble = trackTrouble(page);
  await failCore(page, CORE_WASM);
  const posts = [];
  await page.route("**/sign-out/intercepted**", (route) => {
    posts.push(route.request());
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ redirectTo: "/pages/signed-out.html?from=fallback" }) });
  });
  await page.goto(
    pageUrl({
      "session-url": "/session/impersonating",
      "sign-out-url": "/sign-out/intercepted",
      "return-to": "/pages/index.html",
      "csrf-token": "attr-token",
    }),
  );
  const stop = fallback(page).getByRole("button", { name: "Stop" });
  await stop.dblclick();
  await expect(page).toHaveURL(/\/pages\/signed-out\.html\?from=fallback$/);
  expect(posts).toHaveLength(1);
  const [post] = posts;
  expect(post.method()).toBe("POST");
  expect(new URL(post.url()).pathname).toBe("/sign-out/intercepted");
  expect(JSON.parse(post.postData())).toEqual({ returnTo: "/pages/index.html" });
  const headers = await post.allHeaders();
  expect(headers["content-type"]).toBe("application/json");
  expect(headers["accept"]).toBe("application/json");
  expect(headers["x-csrf-token"]).toBe("attr-token");
  expect(trouble.errors).toEqual([]);
});

test("fallback Stop: the meta-tag token in a custom header, logoutUrl, and staff-bar events", async ({ page, request }) => {
  await failCore(page, CORE_JS);
  const key = unique("fallback-logout");
  await page.goto(
    pageUrl(
      { "session-url": "/session/impersonating", "sign-out-url": "/sign-out/logout-url?key=" + key, "csrf-header": "X-Custom-CSRF" },
      { "csrf-meta": "meta-token" },
    ),
  );
  await fallback(page).getByRole("button", { name: "Stop" }).click();
  await expect(page).toHaveURL(new RegExp("#logged-out-" + key + "$"));
  const got = await (await request.get("/received?key=" + encodeURIComponent(key))).json();
  expect(got.count).toBe(1);
  expect(got.headers["x-custom-csrf"]).toBe("meta-token");
  expect(JSON.parse(got.body)).toEqual({});
  expect(await page.evaluate(() => window.__events.map((event) => event.type))).toEqual(["staff-bar:stop", "staff-bar:signed-out"]);
  await expect(fallback(page)).toContainText("The impersonation has ended.");
  await expect(part(page, "fallback-stop")).toHaveCount(0);
});

test("fallback Stop never sends the page's meta-tag token to another origin", async ({ page, baseURL }) => {
  await failCore(page, CORE_WASM);
  const other = baseURL.replace("127.0.0.1", "localhost");
  const posts = [];
  await page.route(other + "/sign-out/**", (route) => {
    posts.push(route.request());
    route.fulfill({ status: 204, headers: { "Access-Control-Allow-Origin": "*" } });
  });
  await page.goto(
    pageUrl({ "session-url": "/session/impersonating", "sign-out-url": other + "/sign-out/elsewhere" }, { "csrf-meta": "meta-token" }),
  );
  await fallback(page).getByRole("button", { name: "Stop" }).click();
  await expect.poll(() => posts.length).toBe(1);
  expect((await posts[0].allHeaders())["x-csrf-token"]).toBeUndefined();
  // 204 without a return-to: the page's own "/".
  await expect(page).toHaveURL(baseURL + "/");
});

test("a failed fallback Stop shows an alert and Stop can be tried again", async ({ page, request }) => {
  await failCore(page, CORE_WASM);
  const key = unique("fallback-fail-once");
  await page.goto(pageUrl({ "session-url": "/session/impersonating", "sign-out-url": "/sign-out/fail-once?key=" + key }));
  const stop = fallback(page).getByRole("button", { name: "Stop" });
  await stop.click();
  const alert = fallback(page).getByRole("alert");
  await expect(alert).toHaveText("Could not stop impersonating: the server answered HTTP 500. Try again.");
  await expect(stop).toHaveText("Stop");
  await expect(stop).not.toHaveAttribute("aria-disabled", /.*/);
  const events = await page.evaluate(() => window.__events);
  expect(events.map((event) => event.type)).toEqual(["staff-bar:stop", "staff-bar:error"]);
  expect(events[1].detail.message).toContain("HTTP 500");
  await stop.click();
  await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
  expect((await (await request.get("/received?key=" + encodeURIComponent(key))).json()).count).toBe(2);
});

test("a server redirect to javascript: is refused by the fallback", async ({ page }) => {
  const trouble = trackTrouble(page);
  await failCore(page, CORE_WASM);
  await page.route("**/sign-out/evil", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ redirectTo: "javascript:alert(1)" }) }),
  );
  await page.goto(pageUrl({ "session-url": "/session/impersonating", "sign-out-url": "/sign-out/evil" }));
  const before = page.url();
  await fallback(page).getByRole("button", { name: "Stop" }).click();
  await expect(fallback(page).getByRole("alert")).toHaveText("Could not stop impersonating: the server asked for an unsafe redirect.");
  expect(page.url()).toBe(before);
  expect(trouble.dialogs).toEqual([]);
});

test("form mode: the fallback submits a real form POST with the CSRF field", async ({ page, request }) => {
  await failCore(page, CORE_WASM);
  const key = unique("fallback-form");
  await page.goto(
    pageUrl({
      "session-url": "/session/impersonating",
      "sign-out-url": "/sign-out/form?key=" + key,
      "sign-out-mode": "form",
      "return-to": "/pages/index.html",
      "csrf-token": "form-token",
      "csrf-field": "authenticity_token",
    }),
  );
  await fallback(page).getByRole("button", { name: "Stop" }).click();
  await expect(page).toHaveURL(/\/pages\/signed-out\.html/);
  const got = await (await request.get("/received?key=" + encodeURIComponent(key))).json();
  expect(got.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  const fields = new URLSearchParams(got.body);
  expect(fields.get("return_to")).toBe("/pages/index.html");
  expect(fields.get("authenticity_token")).toBe("form-token");
});

test("a hostile email is shown as text in the fallback, and nothing is injected", async ({ page }) => {
  const trouble = trackTrouble(page);
  await failCore(page, CORE_WASM);
  const email = "<img src=x onerror=alert(1)>";
  await page.goto(pageUrl({ session: impersonating(email), "sign-out-url": "/sign-out/ok", "text-region": "<b>Acting</b>" }));
  await expect(part(page, "fallback-message")).toHaveText(`You are impersonating ${email}.`);
  await expect(page.getByRole("region", { name: "<b>Acting</b>" })).toBeVisible();
  const injected = await page.locator("staff-bar").evaluate((host) => host.shadowRoot.querySelectorAll("img, b, script").length);
  expect(injected).toBe(0);
  expect(await page.evaluate(() => document.querySelectorAll("img").length)).toBe(0);
  expect(trouble.dialogs).toEqual([]);
  expect(trouble.errors).toEqual([]);
});

test("the fallback shows an email without bidi controls or invisible characters, cut to 80 characters", async ({ page }) => {
  await failCore(page, CORE_WASM);
  await page.goto(pageUrl({}, { defer: "1" }));
  await page.evaluate(() => document.body.append(window.__bar));
  const show = (email) => page.evaluate((value) => (window.__bar.session = { user: { email: value }, impersonator: { email: "a@b.test" } }), email);
  const user = part(page, "fallback-user");
  await show("\u202etset.emca@bob\u200b");
  await expect(user).toHaveText("tset.emca@bob");
  await expect(user).not.toHaveAttribute("title", /.*/);
  const long = "x".repeat(5_000) + "@acme.test";
  await show(long);
  await expect(user).toHaveText("x".repeat(80) + "…");
  await expect(user).toHaveAttribute("title", "x".repeat(1_000) + "…");
  // The sentence stays whole, and Stop-less (no sign-out-url) it still fits the screen.
  await expect(part(page, "fallback-message")).toHaveText("You are impersonating " + "x".repeat(80) + "….");
  const box = await fallback(page).boundingBox();
  expect(box.width).toBeLessThanOrEqual(page.viewportSize().width);
});

test("a full-screen overlay at the highest z-index does not cover the fallback", async ({ page, request }) => {
  await failCore(page, CORE_WASM);
  const key = unique("fallback-overlay");
  await page.goto(pageUrl({ "session-url": "/session/impersonating", "sign-out-url": "/sign-out/ok?key=" + key }));
  await expect(fallback(page)).toBeVisible();
  await page.evaluate(() => {
    const overlay = document.body.appendChild(document.createElement("div"));
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.5)";
  });
  // A click lands on Stop only if nothing covers it.
  await fallback(page).getByRole("button", { name: "Stop" }).click({ timeout: 2_000 });
  await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
  expect((await (await request.get("/received?key=" + encodeURIComponent(key))).json()).count).toBe(1);
});

test("side=\"top\" puts the fallback at the top edge, and back at the bottom without it", async ({ page }) => {
  await failCore(page, CORE_WASM);
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(pageUrl({ session: impersonating("bob@acme.test"), side: "top", "sign-out-url": "/sign-out/ok" }));
  await expect(fallback(page)).toBeVisible();
  const top = await fallback(page).boundingBox();
  expect(top.y).toBe(0);
  expect(top.width).toBe(800);
  await page.evaluate(() => window.__bar.removeAttribute("side"));
  // The notice follows on its next update: the retry, or a new session.
  await page.evaluate(() => (window.__bar.session = { user: { email: "eve@acme.test" }, impersonator: { email: "a@b.test" } }));
  await expect(part(page, "fallback-message")).toHaveText("You are impersonating eve@acme.test.");
  const bottom = await fallback(page).boundingBox();
  expect(bottom.y + bottom.height).toBe(600);
});

test("while the fallback stands in, impersonating is true and stop() is its Stop", async ({ page, request }) => {
  await failCore(page, CORE_WASM);
  const key = unique("fallback-method");
  await page.goto(pageUrl({ "session-url": "/session/impersonating", "sign-out-url": "/sign-out/ok?key=" + key }));
  await expect(fallback(page)).toBeVisible();
  expect(await page.evaluate(() => [window.__bar.impersonating, window.__bar.ended, window.__bar.minimized, window.__bar.timeLeft])).toEqual([true, false, false, null]);
  // Nothing to fold: minimize() and restore() do nothing and throw nothing.
  await page.evaluate(() => [window.__bar.minimize(), window.__bar.restore()]);
  await expect(fallback(page)).toBeVisible();
  await page.evaluate(() => window.__bar.stop());
  await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
  expect((await (await request.get("/received?key=" + encodeURIComponent(key))).json()).count).toBe(1);
});

test("a token-only session names the token's email, or its subject, or a user", async ({ page }) => {
  await failCore(page, CORE_WASM);
  const show = (session) => page.evaluate((value) => (window.__bar.session = value), session);
  await page.goto(pageUrl({}, { defer: "1" }));
  await page.evaluate(() => document.body.append(window.__bar));
  const message = part(page, "fallback-message");
  await show({ user: { id: "user_01" }, accessToken: token({ sub: "user_01", email: "jwt@acme.test", act: { sub: "staff_01" } }) });
  await expect(message).toHaveText("You are impersonating jwt@acme.test.");
  await show({ user: { id: "user_01" }, accessToken: token({ sub: "user_01", act: { sub: "staff_01" } }) });
  await expect(message).toHaveText("You are impersonating user_01.");
  await show({ user: { id: "user_01" }, accessToken: token({ act: { sub: "staff_01" } }) });
  await expect(message).toHaveText("You are impersonating a user.");
  await expect(fallback(page)).toHaveCount(1);
  // No sign-out-url: no Stop.
  await expect(part(page, "fallback-stop")).toHaveCount(0);
  // The session now says nobody is impersonated: the notice and the flag go.
  await show({ user: { id: "user_01" }, impersonator: null });
  await expect(fallback(page)).toHaveCount(0);
  expect(await flagged(page)).toBe(false);
});

test("an ordinary visitor with the core blocked sees no fallback and no data-impersonating", async ({ page }) => {
  const core = await failCore(page, CORE_JS);
  const wasm = await failCore(page, CORE_WASM);
  const fallbacks = [];
  page.on("request", (request) => request.url().includes("staff-bar-fallback") && fallbacks.push(request.url()));
  await page.goto(pageUrl({ "session-url": "/session/not-impersonating", "sign-out-url": "/sign-out/ok" }));
  await page.waitForLoadState("networkidle");
  await expect(fallback(page)).toHaveCount(0);
  expect(await flagged(page)).toBe(false);
  expect(core() + wasm()).toBe(0);
  expect(fallbacks).toEqual([]);
});

test("when the fallback's own download fails too, data-impersonating is set all the same", async ({ page }) => {
  await failCore(page, CORE_WASM);
  const fallbackRequests = await failCore(page, "**/vendor/staff-bar/staff-bar-fallback.js", 1);
  await page.clock.install();
  await page.goto(pageUrl({ "session-url": "/session/impersonating", "sign-out-url": "/sign-out/ok" }));
  await expect.poll(fallbackRequests).toBe(1);
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
  expect(await flagged(page)).toBe(true);
  await expect(fallback(page)).toHaveCount(0);
  // Tried again with the core: the notice comes.
  await page.clock.runFor(2_000);
  await expect(fallback(page)).toBeVisible();
  expect(fallbackRequests()).toBe(2);
  expect(await flagged(page)).toBe(true);
});

test("disconnecting the element while the fallback shows removes data-impersonating", async ({ page }) => {
  const requests = await failCore(page, CORE_WASM);
  await page.clock.install();
  await page.goto(pageUrl({ "session-url": "/session/impersonating", "sign-out-url": "/sign-out/ok" }));
  await expect(fallback(page)).toBeVisible();
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
  expect(await flagged(page)).toBe(true);
  await page.evaluate(() => window.__bar.remove());
  expect(await flagged(page)).toBe(false);
  expect(await page.evaluate(() => window.__bar.shadowRoot.querySelector("[part]"))).toBeNull();
  // No retry for a removed element.
  const before = requests();
  await page.clock.runFor(130_000);
  expect(requests()).toBe(before);
  // Added again, it tries again and shows the notice again.
  await page.evaluate(() => document.body.append(window.__bar));
  await expect(fallback(page)).toHaveCount(1);
  expect(await flagged(page)).toBe(true);
  expect(requests()).toBe(before + 1);
});

for (const sheets of ["a constructed stylesheet", "the CSSOM, where there are no constructed stylesheets"]) {
  test(`under a CSP without 'wasm-unsafe-eval' the fallback shows, styled by ${sheets}, with no style violation`, async ({ page }) => {
    const trouble = trackTrouble(page);
    if (sheets.startsWith("the CSSOM")) await page.addInitScript(() => delete window.CSSStyleSheet);
    // The strict page's policy, minus 'wasm-unsafe-eval': the core cannot compile.
    await page.route(/\/pages\/strict-csp\.html/, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers(), "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'" };
      await route.fulfill({ response, headers });
    });
    await page.goto("/pages/strict-csp.html?attr.session-url=/session/impersonating&attr.sign-out-url=/sign-out/error");
    await expect(fallback(page)).toBeVisible();
    await expect(fallback(page)).toHaveCSS("position", "fixed");
    await expect(fallback(page)).toHaveCSS("background-color", "rgb(252, 230, 84)");
    await expect(fallback(page)).toHaveCSS("color", "rgb(26, 22, 0)");
    const inline = await fallback(page).evaluate((notice) => notice.style.position);
    expect(inline).toBe(sheets.startsWith("the CSSOM") ? "fixed" : "");
    const box = await fallback(page).boundingBox();
    expect(Math.abs(box.y + box.height - page.viewportSize().height)).toBeLessThan(1);
    await fallback(page).getByRole("button", { name: "Stop" }).click();
    await expect(fallback(page).getByRole("alert")).toContainText("HTTP 500");
    const violations = await page.evaluate(() => window.__violations);
    expect(violations.filter((violation) => !violation.startsWith("script-src"))).toEqual([]);
    expect(violations.some((violation) => violation.startsWith("script-src"))).toBe(true);
    expect(trouble.errors).toEqual([]);
  });
}
