// Security and robustness, round two, on <staff-bar> in headless Chromium: a <base href>
// on another origin, a form-mode Stop that never leaves the page, text JSON.parse
// accepts, tokens whose header is broken, values the loader cannot read, and what the
// browser keeps after an impersonation ends. Each test fails against the code before
// its fix (see docs/security.md).
import { test, expect } from "@playwright/test";
import { pageUrl, part, unique } from "./support.mjs";

const received = async (request, key) => (await request.get("/received?key=" + key)).json();

const SESSION = {
  user: { id: "user_01", email: "bob@acme.test" },
  impersonator: { email: "ada@support.test", reason: "Ticket 4521" },
  sessionId: "session_sec",
};

/** Collects the page's console warnings and errors. */
function consoleOf(page) {
  const lines = [];
  page.on("console", (message) => {
    if (message.type() === "warning" || message.type() === "error") lines.push(message.text());
  });
  return lines;
}

/** Waits for a console warning that contains `text`. */
const warned = (page, text) =>
  page.waitForEvent("console", { predicate: (m) => m.type() === "warning" && m.text().includes(text), timeout: 5_000 });

/** A JWT with the given header and payload texts (never verified by the bar). */
function jwt(header, payload) {
  const b64 = (text) => Buffer.from(text).toString("base64url");
  return b64(header) + "." + b64(payload) + ".c2lnbmF0dXJl";
}

test.describe("a <base href> on another origin", () => {
  /** Every request URL the page makes, as it leaves. */
  function requestsOf(page) {
    const urls = [];
    page.on("request", (request) => urls.push(request.url()));
    return urls;
  }

  test("the sign-out goes to the page's own origin, with the page's token, and the redirect stays on the page", async ({ page, request, baseURL }) => {
    const other = baseURL.replace("127.0.0.1", "localhost") + "/";
    const key = unique("base");
    const urls = requestsOf(page);
    await page.goto(
      pageUrl(
        { session: JSON.stringify(SESSION), "sign-out-url": "/sign-out/ok?key=" + key },
        { base: other, "csrf-meta": "page-secret" },
      ),
    );
    expect(await page.evaluate(() => document.baseURI)).toBe(other);
    await part(page, "stop").click();
    await expect.poll(async () => (await received(request, key)).count).toBe(1);
    const got = await received(request, key);
    // Resolved against the page, not the base: the same origin, so the token goes too.
    expect(got.headers.host).toBe(new URL(baseURL).host);
    expect(got.headers["x-csrf-token"]).toBe("page-secret");
    await expect(page).toHaveURL(new RegExp("^" + baseURL + "/pages/configurable\\.html\\?.*#signed-out-" + key + "$"));
    // Nothing the page asked for went to the base's origin.
    expect(urls.filter((url) => url.startsWith(other))).toEqual([]);
  });

  test("the session URL and the organization URL are asked on the page's own origin", async ({ page, request, baseURL }) => {
    const other = baseURL.replace("127.0.0.1", "localhost") + "/";
    const key = unique("base-session");
    const urls = requestsOf(page);
    await page.goto(pageUrl({ "session-url": "/session/switch?key=" + key }, { base: other }));
    await expect(part(page, "stop")).toBeVisible();
    expect((await received(request, "session:" + key)).count).toBeGreaterThan(0);
    expect(urls.some((url) => url.startsWith(baseURL + "/session/switch"))).toBe(true);

    const session = { ...SESSION, organizationId: "org_9" };
    await page.goto(
      pageUrl({ session: JSON.stringify(session), "organization-url": "/organization?key=" + key }, { base: other }),
    );
    await expect.poll(async () => (await received(request, "organization:" + key)).count).toBe(1);
    await expect(part(page, "organization")).toContainText("Org org_9");
    expect(urls.filter((url) => url.startsWith(other))).toEqual([]);
  });

  test("a same-origin endpoint gets the token, and return-to lands on the page's own origin", async ({ page, request, baseURL }) => {
    const other = baseURL.replace("127.0.0.1", "localhost") + "/";
    const key = unique("base-own");
    await page.goto(
      pageUrl(
        {
          session: JSON.stringify(SESSION),
          "sign-out-url": baseURL + "/sign-out/no-content?key=" + key,
          "return-to": "/pages/signed-out.html",
        },
        { base: other, "csrf-meta": "page-secret" },
      ),
    );
    await part(page, "stop").click();
    await expect(page).toHaveURL(baseURL + "/pages/signed-out.html");
    const got = await received(request, key);
    expect(got.count).toBe(1);
    expect(got.headers["x-csrf-token"]).toBe("page-secret");
  });

  test("an explicit endpoint on another origin gets no page token", async ({ page, request, baseURL }) => {
    const other = baseURL.replace("127.0.0.1", "localhost");
    const key = unique("base-foreign");
    await page.goto(
      pageUrl(
        { session: JSON.stringify(SESSION), "sign-out-url": other + "/sign-out/ok?key=" + key },
        { "csrf-meta": "page-secret" },
      ),
    );
    await part(page, "stop").click();
    await expect.poll(async () => (await received(request, key)).count).toBe(1);
    expect((await received(request, key)).headers["x-csrf-token"]).toBeUndefined();
  });

  test("form mode posts to the page's own origin, never the base's", async ({ page, request, baseURL }) => {
    const other = baseURL.replace("127.0.0.1", "localhost");
    const key = unique("base-form");
    await page.goto(
      pageUrl(
        { session: JSON.stringify(SESSION), "sign-out-url": "/sign-out/form?key=" + key, "sign-out-mode": "form" },
        { base: other + "/", "csrf-meta": "page-secret" },
      ),
    );
    await part(page, "stop").click();
    await expect(page).toHaveURL(new RegExp("^" + baseURL + "/pages/signed-out\\.html"));
    const got = await received(request, key);
    expect(got.count).toBe(1);
    expect(got.headers.host).toBe(new URL(baseURL).host);
    expect(new URLSearchParams(got.body).get("csrf_token")).toBe("page-secret");
  });
});

test.describe("only web addresses", () => {
  test("a javascript: sign-out URL sends nothing and never becomes a form action, in either mode", async ({ page }) => {
    for (const mode of ["fetch", "form"]) {
      await page.goto(
        pageUrl({ session: JSON.stringify(SESSION), "sign-out-url": "javascript:window.__pwned=1", "sign-out-mode": mode }),
      );
      await part(page, "stop").click();
      await expect(part(page, "error")).toContainText("not a web address");
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      expect(await page.evaluate(() => document.querySelectorAll("form[action^='javascript']").length)).toBe(0);
    }
  });

  test("a sign-out answered with a redirect is not followed: Stop fails and can be tried again", async ({ page, request }) => {
    const key = unique("redirected");
    await page.goto(pageUrl({ session: JSON.stringify(SESSION), "sign-out-url": "/sign-out/form?key=" + key }));
    await part(page, "stop").click();
    await expect(part(page, "error")).toContainText("could not be reached");
    expect((await received(request, key)).count).toBe(1);
    await expect(part(page, "stop")).toBeEnabled();
  });
});

test.describe("form-mode Stop always finishes", () => {
  test("a form answered with 204 leaves the page here: after the timeout, an alert and Stop again", async ({ page, request }) => {
    const key = unique("form-204");
    await page.clock.install();
    await page.goto(
      pageUrl({
        session: JSON.stringify(SESSION),
        "sign-out-url": "/sign-out/no-content?key=" + key,
        "sign-out-mode": "form",
      }),
    );
    await part(page, "stop").click();
    await expect.poll(async () => (await received(request, key)).count).toBe(1);
    await expect(part(page, "stop")).toHaveText(/Stopping/);
    await page.clock.runFor(29_000);
    await expect(part(page, "error")).toHaveCount(0);
    await page.clock.runFor(1_500);
    await expect(part(page, "error")).toContainText("did not lead away from this page");
    await expect(part(page, "error")).toHaveAttribute("role", "alert");
    await expect(part(page, "stop")).toBeEnabled();
    expect(await page.evaluate(() => window.__events.map((e) => e.type))).toContain("staff-bar:error");
    // Stop can be tried again, and sends a second form.
    await part(page, "stop").click();
    await expect.poll(async () => (await received(request, key)).count).toBe(2);
  });

  test("with no <body> to hold the form, Stop fails at once instead of waiting", async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify(SESSION), "sign-out-url": "/sign-out/form", "sign-out-mode": "form" }, { defer: "" }));
    // The element lives in <head>, and the page has no body.
    const message = await page.evaluate(async () => {
      const bar = window.__bar;
      document.head.append(bar);
      document.body.remove();
      const stop = await new Promise((resolve) => {
        const poll = () => {
          const found = bar.shadowRoot?.querySelector('[part="stop"]');
          if (found) resolve(found);
          else requestAnimationFrame(poll);
        };
        poll();
      });
      const error = new Promise((resolve) => bar.addEventListener("staff-bar:error", (e) => resolve(e.detail.message)));
      stop.click();
      return error;
    });
    expect(message).toContain("the sign-out form could not be sent");
  });
});

test.describe("what JSON.parse accepts, the bar accepts", () => {
  test("half an emoji in a reason keeps the bar, shown as U+FFFD", async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify(SESSION) }));
    await expect(part(page, "user")).toHaveText("bob@acme.test");
    // A reason cut in the middle of a surrogate pair, as `.slice(0, 1)` does.
    await page.evaluate((session) => {
      window.__bar.session = { ...session, impersonator: { ...session.impersonator, reason: "🙂".slice(0, 1) + " cut" } };
    }, SESSION);
    await page.getByRole("button", { name: "Reason" }).click();
    await expect(part(page, "reason")).toContainText("\uFFFD cut");
    await expect(part(page, "user")).toHaveText("bob@acme.test");
  });

  test("an expiresAt without a zone is dropped with a warning; the bar stays", async ({ page }) => {
    const lines = consoleOf(page);
    const warning = warned(page, "a session field was ignored: expiresAt");
    await page.goto(pageUrl({ session: JSON.stringify({ ...SESSION, expiresAt: "2026-11-25T13:00:00", serverTime: "now" }) }));
    await warning;
    await expect(part(page, "user")).toHaveText("bob@acme.test");
    await expect(part(page, "time-left")).toHaveCount(0);
    expect(lines.join("\n")).toContain("a session field was ignored: serverTime");
  });

  test("a token whose header is not JSON shows nothing, with a warning", async ({ page }) => {
    const token = jwt("not json", JSON.stringify({ sub: "user_01", sid: "session_x", act: { sub: "ada@support.test" } }));
    const warning = warned(page, "header");
    await page.goto(pageUrl({ session: JSON.stringify({ user: SESSION.user, accessToken: token }) }));
    await warning;
    await expect(part(page, "bar")).toHaveCount(0);
    // The same payload under a JSON header does show the bar.
    const good = jwt('{"alg":"RS256"}', JSON.stringify({ sub: "user_01", sid: "session_x", act: { sub: "ada@support.test" } }));
    await page.evaluate((session) => (window.__bar.session = session), { user: SESSION.user, accessToken: good });
    await expect(part(page, "impersonator")).toContainText("ada@support.test");
  });
});

test.describe("values the loader cannot read", () => {
  const cases = {
    "a number as the access token": () => ({ user: { email: "bob@acme.test" }, accessToken: 1 }),
    "a cyclic session object": () => {
      const session = { user: { email: "bob@acme.test" }, impersonator: { email: "ada@support.test" } };
      session.self = session;
      return session;
    },
    "a BigInt in the session": () => ({ user: { email: "bob@acme.test" }, impersonator: { email: "ada@support.test" }, n: 1n }),
  };
  for (const [name, make] of Object.entries(cases)) {
    test(`${name}: a warning, no bar, no unhandled rejection`, async ({ page }) => {
      // Before any bar: the loader's own check reads it.
      await page.goto(pageUrl({}, { defer: "" }));
      let warning = warned(page, "staff-bar: ");
      await page.evaluate(`window.__bar.session = (${make.toString()})(); document.body.append(window.__bar)`);
      await warning;
      await expect(part(page, "bar")).toHaveCount(0);
      // With a bar showing: it goes.
      await page.evaluate((session) => (window.__bar.session = session), SESSION);
      await expect(part(page, "user")).toHaveText("bob@acme.test");
      warning = warned(page, "staff-bar: ");
      await page.evaluate(`window.__bar.session = (${make.toString()})()`);
      await warning;
      await expect(part(page, "bar")).toHaveCount(0);
      expect(await page.evaluate(() => window.__rejections)).toEqual([]);
    });
  }

  test('session-url="http://[": a warning, no bar, no unhandled rejection', async ({ page }) => {
    const warning = warned(page, "could not be read");
    await page.goto(pageUrl({ "session-url": "http://[" }));
    await warning;
    await expect(part(page, "bar")).toHaveCount(0);
    expect(await page.evaluate(() => window.__rejections)).toEqual([]);
  });
});

test.describe("nothing outlives the impersonation", () => {
  test("the minimized flag is forgotten when the impersonation expires", async ({ page }) => {
    await page.clock.install();
    await page.goto(pageUrl({ session: "{}" }, { defer: "" }));
    const expiresAt = new Date((await page.evaluate(() => Date.now())) + 60_000).toISOString();
    await page.evaluate((session) => {
      window.__bar.setAttribute("session", JSON.stringify(session));
      document.body.append(window.__bar);
    }, { ...SESSION, expiresAt });
    await part(page, "minimize").click();
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:minimized"))).toBe("session_sec");
    await page.clock.runFor(61_000);
    await expect(part(page, "ended")).toBeAttached();
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:minimized"))).toBeNull();
  });

  test("the minimized flag is forgotten when the server says the impersonation is over", async ({ page, request }) => {
    const key = unique("forget");
    await request.post(`/switch?key=${key}&mode=impersonating`);
    await page.goto(pageUrl({ "session-url": "/session/switch?key=" + key }));
    await part(page, "minimize").click();
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:minimized"))).toBe("switch-" + key);
    await request.post(`/switch?key=${key}&mode=unauthorized`);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await expect(part(page, "ended")).toBeAttached();
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:minimized"))).toBeNull();
  });
});

test.describe("tenant text cannot crowd out or spoof the bar", () => {
  for (const width of [360, 1280]) {
    test(`a 20,000-character organization name keeps Stop and Minimize on screen at ${width} px`, async ({ page, request }) => {
      await page.setViewportSize({ width, height: 720 });
      const key = unique("long-" + width);
      const name = "Session expired — re-verify at https://evil.example/login ".repeat(340).slice(0, 20_000);
      const session = { ...SESSION, user: { email: "x".repeat(5_000) + "@acme.test" }, organization: { name } };
      // Too long for a URL: a short session first, then the long one as the attribute.
      await page.goto(pageUrl({ session: JSON.stringify(SESSION), "sign-out-url": "/sign-out/ok?key=" + key }));
      await expect(part(page, "stop")).toBeVisible();
      await page.evaluate((text) => document.querySelector("staff-bar").setAttribute("session", text), JSON.stringify(session));
      const organization = part(page, "organization");
      await expect(organization).toHaveAttribute("title", /^Session expired/);
      // Cut, with the whole name in its tooltip.
      expect((await organization.textContent()).length).toBeLessThanOrEqual(81);
      expect(await organization.getAttribute("title")).toBe(name.slice(0, 1_000).trimEnd() + "…");
      for (const control of ["stop", "minimize"]) {
        const box = await part(page, control).boundingBox();
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(720);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      }
      await part(page, "stop").click();
      await expect.poll(async () => (await received(request, key)).count).toBe(1);
    });
  }

  test("a bidi-spoofed or zero-width-padded address is not shown as another address", async ({ page }) => {
    const session = {
      user: { email: "\u202Etset.emca@bob" },
      impersonator: { email: "ada\u200B@support\u2060.test" },
    };
    await page.goto(pageUrl({ session: JSON.stringify(session) }));
    const user = part(page, "user");
    await expect(user).toHaveText("tset.emca@bob");
    // No override left in the text to turn it around on screen.
    expect(await user.textContent()).toBe("tset.emca@bob");
    await expect(part(page, "impersonator")).toHaveText("ada@support.test");
    expect(await part(page, "impersonator").textContent()).toBe("ada@support.test");
  });
});

test.describe("host page layers", () => {
  /** What the page has at the centre of `locator`'s box (shadow content reads as its host). */
  const topmostAt = (page, locator) =>
    locator.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const found = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return found?.localName + (found?.id ? "#" + found.id : "");
    });

  test("a modal overlay and a fixed header at the highest z-index do not cover the bar", async ({ page, request }) => {
    const key = unique("layers");
    await page.goto(pageUrl({ session: JSON.stringify(SESSION), "sign-out-url": "/sign-out/ok?key=" + key }));
    await expect(part(page, "stop")).toBeVisible();
    await page.evaluate(() => {
      const layer = (id, css) => {
        const el = document.createElement("div");
        el.id = id;
        el.style.cssText = css + ";z-index:2147483647;background:rgba(0,0,0,.6)";
        document.body.append(el);
      };
      layer("overlay", "position:fixed;inset:0");
      layer("header", "position:fixed;top:0;left:0;right:0;height:80px");
      layer("toast", "position:fixed;bottom:0;left:0;right:0;height:120px");
    });
    await expect(part(page, "stop")).toBeVisible();
    expect(await topmostAt(page, part(page, "stop"))).toBe("staff-bar");
    expect(await topmostAt(page, part(page, "minimize"))).toBe("staff-bar");
    await part(page, "stop").click();
    await expect.poll(async () => (await received(request, key)).count).toBe(1);
  });

  test("inside a transformed, clipping container the bar still covers the viewport", async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify(SESSION) }));
    await expect(part(page, "stop")).toBeVisible();
    await page.evaluate(() => {
      const box = document.createElement("div");
      box.style.cssText = "transform:scale(.5);overflow:hidden;width:40px;height:40px;contain:paint";
      document.body.append(box);
      box.append(window.__bar);
    });
    await expect(part(page, "stop")).toBeVisible();
    const frame = await part(page, "frame").boundingBox();
    const viewport = page.viewportSize();
    expect(frame.width).toBe(viewport.width);
    expect(frame.height).toBe(viewport.height);
    expect(await topmostAt(page, part(page, "stop"))).toBe("staff-bar");
  });

  test("the page's own modal dialog still opens above, takes focus and closes; the bar traps nothing", async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify(SESSION) }));
    await expect(part(page, "stop")).toBeVisible();
    await page.evaluate(() => {
      const dialog = document.createElement("dialog");
      dialog.id = "own";
      dialog.innerHTML = '<input id="field" autofocus><button id="close">Close</button>';
      document.body.append(dialog);
      dialog.querySelector("#close").addEventListener("click", () => dialog.close());
      dialog.showModal();
    });
    await expect(page.locator("#field")).toBeFocused();
    await page.keyboard.type("typed");
    await expect(page.locator("#field")).toHaveValue("typed");
    const centre = await page.evaluate(() => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.closest("dialog")?.id);
    expect(centre).toBe("own");
    await page.locator("#close").click();
    await expect(page.locator("#own")).not.toBeVisible();
    // Tab moves through the page and the bar alike: nothing holds focus.
    await page.evaluate(() => {
      const after = document.createElement("button");
      after.id = "after";
      after.textContent = "After";
      document.body.append(after);
    });
    const reached = new Set();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      reached.add(await page.evaluate(() => document.activeElement?.id || document.activeElement?.localName));
    }
    expect(reached.has("after")).toBe(true);
    expect(reached.has("staff-bar")).toBe(true);
  });
});
