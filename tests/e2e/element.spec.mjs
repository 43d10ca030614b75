// <staff-bar> on a sample non-Rust site: the bundle served from a sub-path
// (/vendor/staff-bar/) by a Node server, driven in headless Chromium.
import { test, expect } from "@playwright/test";
import { pageUrl, part, trackRequests, unique } from "./support.mjs";

/** Records console errors and uncaught page errors. */
function trackErrors(page) {
  const errors = { console: [], page: [] };
  page.on("console", (message) => message.type() === "error" && errors.console.push(message.text()));
  page.on("pageerror", (error) => errors.page.push(String(error)));
  return errors;
}

async function received(request, key) {
  const response = await request.get("/received?key=" + encodeURIComponent(key));
  return response.json();
}

const bar = (page) => page.locator("staff-bar");

test.describe("rendering", () => {
  test("an impersonated session shows text, parts and names", async ({ page }) => {
    const errors = trackErrors(page);
    await page.goto(pageUrl({ "session-url": "/session/impersonating" }));
    await expect(part(page, "message")).toHaveText(
      "You are impersonating bob@acme.test within the Acme organization",
    );
    for (const name of ["frame", "bar", "message", "user", "organization", "stop", "minimize"]) {
      await expect(part(page, name)).toHaveCount(1);
    }
    await expect(part(page, "restore")).toBeHidden();
    await expect(page.getByRole("region", { name: "Impersonation" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Stop/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /Minimize/ })).toBeVisible();
    // The bar lives in an open shadow root.
    expect(await bar(page).evaluate((el) => el.shadowRoot?.mode)).toBe("open");
    expect(errors.page).toEqual([]);
  });

  test("snake_case sessions read the same", async ({ page }) => {
    await page.goto(pageUrl({ "session-url": "/session/snake" }));
    await expect(part(page, "user")).toHaveText("bob@acme.test");
    await expect(part(page, "organization")).toHaveText("Acme");
  });

  for (const name of ["not-impersonating", "unauthorized", "no-content"]) {
    test(`a ${name} session renders nothing and downloads no wasm`, async ({ page }) => {
      const urls = trackRequests(page);
      await page.goto(pageUrl({ "session-url": "/session/" + name }));
      await page.waitForLoadState("networkidle");
      await expect(part(page, "bar")).toHaveCount(0);
      expect(urls.filter((url) => url.endsWith(".wasm"))).toEqual([]);
      expect(urls.filter((url) => url.includes("staff-bar-core"))).toEqual([]);
      expect(urls.filter((url) => url.includes("/session/"))).toHaveLength(1);
      expect(await page.evaluate(() => document.documentElement.hasAttribute("data-impersonating"))).toBe(false);
    });
  }

  test("malformed session JSON warns and renders nothing", async ({ page }) => {
    const warnings = [];
    page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
    await page.goto(pageUrl({ "session-url": "/session/bad-json" }));
    await page.waitForLoadState("networkidle");
    await expect(part(page, "bar")).toHaveCount(0);
    expect(warnings.join("\n")).toContain("staff-bar");
  });

  test("an inline session attribute makes no request", async ({ page }) => {
    const urls = trackRequests(page);
    const session = JSON.stringify({
      user: { email: "inline@acme.test" },
      impersonator: { email: "ada@support.test", reason: null },
    });
    await page.goto(pageUrl({ session, "session-url": "/session/impersonating" }));
    await expect(part(page, "user")).toHaveText("inline@acme.test");
    expect(urls.filter((url) => url.includes("/session/"))).toEqual([]);
  });

  test("the session property takes an object and wins over session-url", async ({ page }) => {
    const urls = trackRequests(page);
    await page.goto(pageUrl({}, { defer: "1" }));
    await page.evaluate(() => {
      const element = window.__bar;
      element.setAttribute("session-url", "/session/impersonating");
      element.session = {
        user: { email: "property@acme.test" },
        impersonator: { email: "ada@support.test" },
        organization: { name: "Globex" },
      };
      document.body.append(element);
    });
    await expect(part(page, "message")).toHaveText(
      "You are impersonating property@acme.test within the Globex organization",
    );
    expect(urls.filter((url) => url.includes("/session/"))).toEqual([]);
    // Clearing the impersonation through the property hides the bar.
    await page.evaluate(() => (window.__bar.session = { user: { email: "p@acme.test" }, impersonator: null }));
    await expect(part(page, "bar")).toHaveCount(0);
  });

  test("side=top puts the tab on the top edge, and attribute changes apply live", async ({ page }) => {
    await page.goto(pageUrl({ "session-url": "/session/impersonating", side: "top" }));
    await expect(part(page, "bar")).toBeVisible();
    // The tab stands on the band's inner edge: 4 px in, by default.
    let box = await part(page, "bar").boundingBox();
    expect(Math.abs(box.y - 4)).toBeLessThan(1);
    await page.evaluate(() => window.__bar.setAttribute("side", "bottom"));
    await expect(async () => {
      box = await part(page, "bar").boundingBox();
      const height = page.viewportSize().height;
      expect(Math.abs(box.y + box.height - (height - 4))).toBeLessThan(1);
    }).toPass();
    await page.evaluate(() => window.__bar.setAttribute("z-index", "123"));
    await expect
      .poll(() => page.locator("staff-bar .staff-bar").evaluate((el) => getComputedStyle(el).zIndex))
      .toBe("123");
  });

  test("removed by a listener of its own event, it unmounts cleanly and can come back", async ({ page }) => {
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(pageUrl({ "session-url": "/session/impersonating" }));
    await expect(part(page, "bar")).toBeVisible();
    // An impersonation whose time is already up: the core dispatches staff-bar:expired
    // from inside the call that shows it, and the listener removes the element there.
    await page.evaluate(() => {
      const bar = window.__bar;
      bar.addEventListener("staff-bar:expired", () => bar.remove(), { once: true });
      bar.session = {
        user: { email: "bob@acme.test" },
        impersonator: { email: "ada@support.test" },
        sessionId: "expired-at-once",
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      };
    });
    await expect.poll(() => page.evaluate(() => window.__bar.isConnected)).toBe(false);
    // The core is freed in a microtask after the removal: done before the next task.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.hasAttribute("data-impersonating"))).toBe(false);
    expect(await page.evaluate(() => window.__bar.shadowRoot.querySelector("[part]"))).toBeNull();
    await page.evaluate(() => {
      window.__bar.session = null;
      document.body.append(window.__bar);
    });
    await expect(part(page, "bar")).toBeVisible();
    expect(errors).toEqual([]);
  });

  test("data-impersonating is set while shown and cleared when the element is removed", async ({ page }) => {
    await page.goto(pageUrl({ "session-url": "/session/impersonating" }));
    await expect(part(page, "bar")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.hasAttribute("data-impersonating"))).toBe(true);
    await expect(page.locator(".redact")).toHaveCSS("filter", "blur(6px)");
    await page.evaluate(() => window.__bar.remove());
    expect(await page.evaluate(() => document.documentElement.hasAttribute("data-impersonating"))).toBe(false);
    expect(await page.evaluate(() => window.__bar.shadowRoot.querySelector("[part]"))).toBeNull();
    // Adding it again works.
    await page.evaluate(() => document.body.append(window.__bar));
    await expect(part(page, "bar")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.hasAttribute("data-impersonating"))).toBe(true);
  });

  test("hostile names, orgs and reasons render as text and execute nothing", async ({ page }) => {
    const errors = trackErrors(page);
    await page.goto(pageUrl({ "session-url": "/session/hostile" }));
    await expect(part(page, "user")).toHaveText('<img src=x onerror="window.__pwned=1">@acme.test');
    await expect(part(page, "organization")).toContainText('<b onmouseover="window.__pwned=1">Evil</b>');
    const injected = await bar(page).evaluate((el) => el.shadowRoot.querySelectorAll("img, script, svg, b").length);
    expect(injected).toBe(0);
    await part(page, "organization").hover();
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(errors.page).toEqual([]);
  });
});

test.describe("stop", () => {
  test("fetch mode: one POST on a double click, CSRF header, JSON body, redirectTo", async ({ page, request }) => {
    const key = unique("ok");
    await page.goto(
      pageUrl({
        "session-url": "/session/impersonating",
        "sign-out-url": "/sign-out/ok?key=" + key,
        "return-to": "/pages/signed-out.html",
        "csrf-token": "attr-token",
      }),
    );
    await part(page, "stop").dblclick();
    await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
    const got = await received(request, key);
    expect(got.count).toBe(1);
    expect(got.method).toBe("POST");
    expect(JSON.parse(got.body)).toEqual({ returnTo: "/pages/signed-out.html" });
    expect(got.headers["x-csrf-token"]).toBe("attr-token");
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["accept"]).toBe("application/json");
    await expect(part(page, "ended")).toBeVisible();
    await expect(part(page, "stop")).toHaveCount(0);
    const events = await page.evaluate(() => window.__events.map((e) => e.type));
    expect(events).toEqual(["staff-bar:stop", "staff-bar:signed-out"]);
  });

  test("the CSRF token falls back to the meta tag, in a custom header", async ({ page, request }) => {
    const key = unique("meta");
    await page.goto(
      pageUrl(
        { "session-url": "/session/impersonating", "sign-out-url": "/sign-out/ok?key=" + key, "csrf-header": "X-Custom-CSRF" },
        { "csrf-meta": "meta-token" },
      ),
    );
    await part(page, "stop").click();
    await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
    expect((await received(request, key)).headers["x-custom-csrf"]).toBe("meta-token");
  });

  test("events bubble, are composed, and cancelling staff-bar:stop sends nothing", async ({ page, request }) => {
    const key = unique("cancel");
    await page.goto(
      pageUrl({ "session-url": "/session/impersonating", "sign-out-url": "/sign-out/ok?key=" + key }, { "cancel-stop": "1" }),
    );
    await expect(part(page, "stop")).toBeVisible();
    // A request would have turned the button into "Stopping…" within the click itself.
    const during = await page.evaluate(() => {
      const stop = window.__bar.shadowRoot.querySelector('[part="stop"]');
      stop.click();
      return stop.textContent;
    });
    expect(during).toBe("Stop");
    await part(page, "minimize").click();
    await part(page, "restore").click();
    expect((await received(request, key)).count).toBe(0);
    const events = await page.evaluate(() => window.__events);
    expect(events.map((e) => e.type)).toEqual(["staff-bar:stop", "staff-bar:minimize", "staff-bar:restore"]);
    for (const event of events) {
      expect(event.bubbles).toBe(true);
      expect(event.composed).toBe(true);
    }
    expect(events[0].cancelable).toBe(true);
    await expect(part(page, "stop")).toHaveText("Stop");
  });

  for (const [mode, expected] of [
    ["error", "500"],
    ["forbidden", "403"],
    ["bad-json", "not understood"],
    ["abort", "could not be reached"],
  ]) {
    test(`a ${mode} answer shows an alert and Stop can be retried`, async ({ page, request }) => {
      const key = unique(mode);
      const urls = trackRequests(page);
      await page.goto(pageUrl({ "session-url": "/session/impersonating", "sign-out-url": `/sign-out/${mode}?key=${key}` }));
      await part(page, "stop").click();
      const alert = page.locator("staff-bar [role=alert]");
      await expect(alert).toContainText(expected);
      await expect(alert).toHaveAttribute("part", "error");
      await expect(part(page, "stop")).toHaveText("Stop");
      const events = await page.evaluate(() => window.__events);
      expect(events.at(-1).type).toBe("staff-bar:error");
      expect(events.at(-1).detail.message).toContain(expected);
      // Retry: the endpoint now points at a working answer.
      const retryKey = unique("retry");
      await page.evaluate((url) => window.__bar.setAttribute("sign-out-url", url), "/sign-out/ok?key=" + retryKey);
      await part(page, "stop").click();
      await expect(page).toHaveURL(new RegExp("#signed-out-" + retryKey + "$"));
      // Counted in the page: for a dropped connection Chromium itself may resend the
      // POST below the fetch API, which the server would count again.
      expect(urls.filter((url) => url.includes("/sign-out/") && url.includes(key))).toHaveLength(1);
      expect((await received(request, key)).count).toBeGreaterThanOrEqual(1);
      expect((await received(request, retryKey)).count).toBe(1);
    });
  }

  test("form mode submits a real form POST with the CSRF field and follows the redirect", async ({ page, request }) => {
    const key = unique("form");
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
    await part(page, "stop").click();
    await expect(page).toHaveURL(/\/pages\/signed-out\.html/);
    const got = await received(request, key);
    expect(got.count).toBe(1);
    expect(got.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const fields = new URLSearchParams(got.body);
    expect(fields.get("return_to")).toBe("/pages/index.html");
    expect(fields.get("authenticity_token")).toBe("form-token");
  });

  test("a return-to on another origin is refused with a console error", async ({ page, request }) => {
    const errors = trackErrors(page);
    const key = unique("evil");
    await page.goto(
      pageUrl({
        "session-url": "/session/impersonating",
        "sign-out-url": "/sign-out/ok?key=" + key,
        "return-to": "https://evil.test/phish",
      }),
    );
    await part(page, "stop").click();
    await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
    expect(JSON.parse((await received(request, key)).body)).toEqual({});
    expect(errors.console.join("\n")).toContain("return-to");
  });
});

test.describe("isolation", () => {
  test("under a strict CSP the bar renders with no violation", async ({ page }) => {
    const errors = trackErrors(page);
    const response = await page.goto(
      "/pages/strict-csp.html?attr.session-url=/session/impersonating&attr.z-index=500&attr.sign-out-url=/sign-out/error",
    );
    expect(response.headers()["content-security-policy"]).toContain("script-src 'self' 'wasm-unsafe-eval'");
    await expect(part(page, "bar")).toBeVisible();
    await expect(part(page, "bar")).toHaveCSS("background-color", "rgb(252, 230, 84)");
    await part(page, "minimize").click();
    await part(page, "restore").click();
    await part(page, "stop").click();
    await expect(page.locator("staff-bar [role=alert]")).toBeVisible();
    expect(await page.evaluate(() => window.__violations)).toEqual([]);
    expect(errors.console.filter((text) => text.includes("Content Security Policy"))).toEqual([]);
  });

  test("hostile host CSS changes nothing about the bar", async ({ page }) => {
    const measure = () =>
      page.locator("staff-bar").evaluate((host) => {
        const read = (name, props) => {
          const el = host.shadowRoot.querySelector(`[part="${name}"]`);
          const style = getComputedStyle(el);
          const rect = el.getBoundingClientRect();
          return { rect: [rect.x, rect.y, rect.width, rect.height].map(Math.round), ...Object.fromEntries(props.map((p) => [p, style[p]])) };
        };
        return {
          bar: read("bar", ["backgroundColor", "color", "fontSize", "fontFamily", "letterSpacing"]),
          stop: read("stop", ["backgroundColor", "color", "fontSize"]),
          message: read("message", ["color", "fontSize", "lineHeight"]),
        };
      });
    await page.goto(pageUrl({ "session-url": "/session/impersonating" }));
    await expect(part(page, "bar")).toBeVisible();
    const plain = await measure();
    await page.goto("/pages/hostile-css.html?attr.session-url=/session/impersonating");
    await expect(part(page, "bar")).toBeVisible();
    const hostile = await measure();
    expect(hostile).toEqual(plain);
    // authkit-nextjs's size: 12px + half the band (4px by default).
    expect(plain.bar.fontSize).toBe("14px");
  });

  test("the host restyles it through the CSS variables and ::part()", async ({ page }) => {
    await page.goto(pageUrl({ "session-url": "/session/impersonating" }));
    await expect(part(page, "bar")).toBeVisible();
    await page.addStyleTag({
      content:
        "staff-bar { --workos-impersonation-background-color: rgb(10, 20, 30); --workos-impersonation-color: rgb(240, 240, 240); }" +
        "staff-bar::part(stop) { text-transform: uppercase; }",
    });
    await expect(part(page, "bar")).toHaveCSS("background-color", "rgb(10, 20, 30)");
    await expect(part(page, "message")).toHaveCSS("color", "rgb(240, 240, 240)");
    await expect(part(page, "stop")).toHaveCSS("text-transform", "uppercase");
  });

  test("the README's one-script-one-tag page works from the sub-path", async ({ page }) => {
    const urls = trackRequests(page);
    await page.goto("/pages/index.html");
    await expect(part(page, "user")).toHaveText("bob@acme.test");
    expect(urls.some((url) => url.includes("/vendor/staff-bar/staff-bar-core_bg.wasm"))).toBe(true);
  });

  test("the bundle works from another origin that sends CORS headers", async ({ page, baseURL }) => {
    // The page is on 127.0.0.1, the bundle on localhost: two origins, one server.
    const other = baseURL.replace("127.0.0.1", "localhost");
    const urls = trackRequests(page);
    await page.goto(pageUrl({ "session-url": "/session/impersonating" }, { bundle: other + "/vendor/staff-bar/staff-bar.js" }));
    await expect(part(page, "user")).toHaveText("bob@acme.test");
    expect(urls.some((url) => url.startsWith(other) && url.endsWith("staff-bar-core_bg.wasm"))).toBe(true);
    expect(urls.some((url) => url.startsWith(baseURL) && url.includes("staff-bar-core"))).toBe(false);
  });

  test("unknown attribute values warn and fall back to the defaults", async ({ page }) => {
    const warnings = [];
    page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
    await page.goto(pageUrl({ "session-url": "/session/impersonating", side: "left", "z-index": "high", "sign-out-mode": "ajax" }));
    await expect(part(page, "bar")).toBeVisible();
    const box = await part(page, "bar").boundingBox();
    expect(Math.abs(box.y + box.height - (page.viewportSize().height - 4))).toBeLessThan(1);
    await expect(page.locator("staff-bar .staff-bar")).toHaveCSS("z-index", "9999");
    const text = warnings.join("\n");
    for (const attribute of ["side", "z-index", "sign-out-mode"]) expect(text).toContain(attribute);
  });
});
