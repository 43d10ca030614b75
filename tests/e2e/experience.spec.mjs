// The staff experience of SPEC.md "Behaviour beyond the anchors" and the dev preview,
// on <staff-bar> in headless Chromium (the Leptos component renders the same view).
import { test, expect } from "@playwright/test";
import { pageUrl, part, unique } from "./support.mjs";
import AxeBuilder from "@axe-core/playwright";

/** An inline session JSON; `expiresIn` in milliseconds from `now`. */
function session({ sessionId = unique("session"), expiresIn, reason = "Ticket 4521: invoices missing", org = "Acme", now = Date.now() } = {}) {
  return JSON.stringify({
    user: { id: "user_01", email: "bob@acme.test" },
    impersonator: { email: "ada@support.test", reason },
    organization: org ? { id: "org_01", name: org } : null,
    sessionId,
    expiresAt: expiresIn === undefined ? null : new Date(now + expiresIn).toISOString(),
  });
}

/** The page's fake clock starts here, and stands still from `PAUSED` on. */
const START = Date.parse("2026-11-25T12:00:00Z");
const PAUSED = START + 5_000;

/** Opens `url` under a fake clock that runs while the bar loads, then stops at
 * `PAUSED`: from there on, time moves only by `page.clock.runFor`. */
async function openPaused(page, url) {
  await page.clock.install({ time: START });
  await page.goto(url);
  await expect(part(page, "bar")).toBeAttached();
  await page.clock.pauseAt(PAUSED);
  // The one-time announcement (150 ms after the bar appeared) is out of the way.
  await page.clock.runFor(200);
  await expect(page.locator("staff-bar [role=status]")).not.toBeEmpty();
}

const events = (page) => page.evaluate(() => window.__events.map((event) => event.type));

test.describe("who, why and how long", () => {
  test("shows the impersonator, and the reason on demand", async ({ page }) => {
    await page.goto(pageUrl({ session: session({ expiresIn: 42 * 60_000 }) }));
    await expect(part(page, "impersonator")).toHaveText("ada@support.test");
    await expect(part(page, "reason")).toBeHidden();
    const toggle = page.getByRole("button", { name: "Reason" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await toggle.click();
    await expect(part(page, "reason")).toBeVisible();
    await expect(part(page, "reason")).toHaveText("Ticket 4521: invoices missing");
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(part(page, "time-left")).toHaveText("42 min left");
    await expect(part(page, "time-left")).not.toHaveAttribute("data-warning", "");
  });

  test("a long reason is shown whole, wrapped, never cut", async ({ page }) => {
    const reason = "Customer reports that every invoice from March is missing. ".repeat(6).trim();
    await page.goto(pageUrl({ session: session({ reason }) }));
    await page.getByRole("button", { name: "Reason" }).click();
    await expect(part(page, "reason")).toHaveText(reason);
    const overflow = await part(page, "reason").evaluate((el) => getComputedStyle(el).textOverflow);
    expect(overflow).not.toBe("ellipsis");
  });

  test("the last five minutes look different", async ({ page }) => {
    await page.goto(pageUrl({ session: session({ expiresIn: 4 * 60_000 + 30_000 }) }));
    await expect(part(page, "time-left")).toHaveText("5 min left");
    await expect(part(page, "time-left")).toHaveAttribute("data-warning", "");
    const normal = await part(page, "impersonator").evaluate((el) => getComputedStyle(el).color);
    const warning = await part(page, "time-left").evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(warning).toBe("rgb(26, 22, 0)");
    expect(normal).toBe("rgb(26, 22, 0)");
  });

  test("expiresAt three seconds ahead reaches the ended state by itself", async ({ page }) => {
    await openPaused(page, pageUrl({ session: session({ expiresIn: 3_200, now: PAUSED }) }));
    await expect(part(page, "time-left")).toHaveText("3 s left");
    await part(page, "stop").focus();
    await page.clock.runFor(2_700);
    await expect(part(page, "time-left")).toHaveText("1 s left");
    expect(await events(page)).not.toContain("staff-bar:expired");
    await page.clock.runFor(400);
    await expect(part(page, "ended")).toBeVisible();
    // A keyboard user on Stop lands on Reload, not on the page's body.
    await expect(page.getByRole("button", { name: "Reload" })).toBeFocused();
    await expect(part(page, "ended")).toHaveText("The impersonation has ended.");
    await expect(part(page, "stop")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Reload" })).toBeVisible();
    expect(await events(page)).toContain("staff-bar:expired");
    expect(await page.evaluate(() => document.documentElement.hasAttribute("data-impersonating"))).toBe(false);
  });

  test("the countdown changes one text node once per tick", async ({ page }) => {
    await openPaused(page, pageUrl({ session: session({ expiresIn: 30_100, now: PAUSED }) }));
    await expect(part(page, "time-left")).toHaveText("30 s left");
    await page.locator("staff-bar").evaluate((host) => {
      window.__records = [];
      const observer = new MutationObserver((list) => window.__records.push(...list));
      observer.observe(host.shadowRoot, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    // Three seconds in the last minute: three ticks, each a single text change.
    await page.clock.runFor(3_000);
    await expect(part(page, "time-left")).toHaveText("27 s left");
    const observed = await page.evaluate(() => ({
      kinds: window.__records.map((record) => record.type),
      targets: window.__records.map((record) => record.target.parentElement?.getAttribute("part")),
    }));
    expect(observed.kinds).toEqual(["characterData", "characterData", "characterData"]);
    expect(new Set(observed.targets)).toEqual(new Set(["time-left"]));
  });

  test("with minutes left, nothing changes for seconds at a time", async ({ page }) => {
    await openPaused(page, pageUrl({ session: session({ expiresIn: 30 * 60_000 - 100, now: PAUSED }) }));
    await expect(part(page, "time-left")).toHaveText("30 min left");
    await page.locator("staff-bar").evaluate((host) => {
      window.__changes = 0;
      const observer = new MutationObserver((list) => (window.__changes += list.length));
      observer.observe(host.shadowRoot, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.clock.runFor(59_000);
    expect(await page.evaluate(() => window.__changes)).toBe(0);
    // The minute turns: one change.
    await page.clock.runFor(1_500);
    await expect(part(page, "time-left")).toHaveText("29 min left");
    expect(await page.evaluate(() => window.__changes)).toBe(1);
  });
});

test.describe("minimize, remembered and everywhere", () => {
  test("minimized survives a reload and resets for a new session", async ({ page }) => {
    const sessionId = unique("kept");
    const url = pageUrl({ session: session({ sessionId }) });
    await page.goto(url);
    await part(page, "minimize").click();
    await expect(part(page, "restore")).toBeVisible();
    await page.reload();
    await expect(part(page, "restore")).toBeVisible();
    await expect(part(page, "bar")).toHaveAttribute("inert", "");
    // The band stays a hair visible: its box overhangs the edges by 1 px only.
    const inset = await part(page, "frame").evaluate((el) => getComputedStyle(el, "::before").top);
    expect(inset).toBe("-1px");
    // A new impersonation starts expanded.
    await page.goto(pageUrl({ session: session({ sessionId: unique("fresh") }) }));
    await expect(part(page, "stop")).toBeVisible();
    await expect(part(page, "restore")).toBeHidden();
  });

  test("the minimized bar is inert: nothing in it is clickable or focusable", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }));
    await part(page, "minimize").click();
    await expect(part(page, "restore")).toBeFocused();
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => document.querySelector("staff-bar").shadowRoot.activeElement?.getAttribute("part") ?? null);
      expect(["stop", "minimize", "reason-toggle"]).not.toContain(focused);
    }
  });

  test("Stop in one tab ends the other within a second; minimize follows too", async ({ context }) => {
    const key = unique("tabs");
    const attributes = { session: session({ sessionId: unique("shared") }), "sign-out-url": "/sign-out/ok?key=" + key };
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto(pageUrl(attributes));
    await second.goto(pageUrl(attributes));
    await expect(part(second, "stop")).toBeVisible();
    await part(first, "minimize").click();
    await expect(part(second, "restore")).toBeVisible({ timeout: 1_000 });
    await part(first, "restore").click();
    await expect(part(second, "stop")).toBeVisible({ timeout: 1_000 });
    await part(first, "stop").click();
    await expect(part(second, "ended")).toBeVisible({ timeout: 1_000 });
    await expect(part(second, "stop")).toHaveCount(0);
  });

  test("Alt+Shift+I minimizes and restores", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }));
    await expect(part(page, "stop")).toBeVisible();
    await page.keyboard.press("Alt+Shift+KeyI");
    await expect(part(page, "restore")).toBeVisible();
    await page.keyboard.press("Alt+Shift+KeyI");
    await expect(part(page, "restore")).toBeHidden();
    await expect(part(page, "stop")).toBeVisible();
    expect(await events(page)).toEqual(["staff-bar:minimize", "staff-bar:restore"]);
  });
});

test.describe("everyone can use it", () => {
  test("axe-core finds no violations, expanded and minimized", async ({ page }) => {
    await page.goto(pageUrl({ session: session({ expiresIn: 42 * 60_000 }) }));
    await expect(part(page, "stop")).toBeVisible();
    await page.getByRole("button", { name: "Reason" }).click();
    const expanded = await new AxeBuilder({ page }).include("staff-bar").analyze();
    expect(expanded.violations).toEqual([]);
    await part(page, "minimize").click();
    await expect(part(page, "restore")).toBeVisible();
    // The 500 ms minimize transition has finished.
    await page.locator("staff-bar").evaluate((host) => Promise.all(host.shadowRoot.getAnimations().map((a) => a.finished)));
    const minimized = await new AxeBuilder({ page }).include("staff-bar").analyze();
    expect(minimized.violations).toEqual([]);
  });

  test("axe-core finds no violations with dark colours from the variables", async ({ page }) => {
    await page.goto(pageUrl({ session: session({ expiresIn: 3 * 60_000 }) }));
    await page.addStyleTag({
      content:
        "staff-bar { --workos-impersonation-background-color: #1f2937; --workos-impersonation-color: #f9fafb; --workos-impersonation-border-color: #4b5563; }",
    });
    await expect(part(page, "bar")).toHaveCSS("background-color", "rgb(31, 41, 55)");
    const results = await new AxeBuilder({ page }).include("staff-bar").analyze();
    expect(results.violations).toEqual([]);
  });

  test("a labelled region, Tab order Stop → Reason → Minimize, visible focus", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }));
    await expect(page.getByRole("region", { name: "Impersonation" })).toBeVisible();
    await page.locator("h1").click();
    const order = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Tab");
      const info = await page.evaluate(() => {
        const el = document.querySelector("staff-bar").shadowRoot.activeElement;
        const style = el && getComputedStyle(el);
        return el && { part: el.getAttribute("part"), outline: style.outlineStyle, width: style.outlineWidth };
      });
      order.push(info?.part);
      expect(info?.outline).toBe("solid");
      expect(info?.width).toBe("2px");
    }
    expect(order).toEqual(["stop", "reason-toggle", "minimize"]);
  });

  test("the appearance is announced once through a polite live region", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }));
    const status = page.locator("staff-bar [role=status]");
    await expect(status).toHaveAttribute("aria-live", "polite");
    await expect(status).toHaveText("You are impersonating bob@acme.test.");
    await part(page, "minimize").click();
    await part(page, "restore").click();
    await expect(status).toHaveText("You are impersonating bob@acme.test.");
  });

  test("reduced motion turns the animations off", async ({ page }) => {
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(pageUrl({ session: session() }));
    await expect(part(page, "bar")).toBeVisible();
    for (const [name, pseudo] of [["frame", "::before"], ["bar", null]]) {
      const durations = await part(page, name).evaluate((el, pseudo) => getComputedStyle(el, pseudo).transitionDuration, pseudo);
      expect(durations.split(",").every((d) => d.trim() === "0s")).toBe(true);
    }
    await page.emulateMedia({ reducedMotion: "no-preference" });
    const animated = await part(page, "frame").evaluate((el) => getComputedStyle(el, "::before").transitionDuration);
    expect(animated).toBe("0.5s, 0.5s, 0.5s");
  });

  test("printing hides it", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }));
    await expect(part(page, "bar")).toBeVisible();
    await page.emulateMedia({ media: "print" });
    await expect(part(page, "bar")).toBeHidden();
    await expect(part(page, "frame")).toBeHidden();
  });
});

test.describe("every language and screen", () => {
  test("lang switches the strings, and any string can be overridden", async ({ page }) => {
    await page.goto(pageUrl({ session: session(), lang: "de" }));
    await expect(page.getByRole("button", { name: "Beenden" })).toBeVisible();
    await expect(part(page, "message")).toContainText("Sie handeln als bob@acme.test");
    await page.evaluate(() => window.__bar.setAttribute("lang", "ja"));
    await expect(page.getByRole("button", { name: "終了" })).toBeVisible();
    await page.evaluate(() => window.__bar.setAttribute("lang", "fr"));
    await expect(page.getByRole("button", { name: "Arrêter" })).toBeVisible();
    await page.evaluate(() => window.__bar.setAttribute("lang", "es"));
    await expect(page.getByRole("button", { name: "Detener" })).toBeVisible();
    await page.evaluate(() => window.__bar.setAttribute("text-stop", "Leave session"));
    await expect(page.getByRole("button", { name: "Leave session" })).toBeVisible();
  });

  test("the page's language is used when the element has none", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }, { defer: "1" }));
    await page.evaluate(() => {
      document.documentElement.lang = "es";
      document.body.append(window.__bar);
    });
    await expect(page.getByRole("button", { name: "Detener" })).toBeVisible();
  });

  for (const [label, viewport, dir] of [
    ["a 360×640 phone", { width: 360, height: 640 }, "ltr"],
    ["a right-to-left page", { width: 1024, height: 700 }, "rtl"],
    ["a right-to-left phone", { width: 360, height: 640 }, "rtl"],
  ]) {
    test(`the bar stays inside the viewport on ${label}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.goto(pageUrl({ session: session({ expiresIn: 42 * 60_000 }) }, { defer: "1" }));
      await page.evaluate((dir) => {
        document.documentElement.dir = dir;
        document.body.append(window.__bar);
      }, dir);
      for (const name of ["bar", "stop", "minimize", "message"]) {
        const box = await part(page, name).boundingBox();
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width + 0.5);
        expect(box.y + box.height).toBeLessThanOrEqual(viewport.height + 0.5);
      }
      await part(page, "stop").click({ trial: true });
      if (dir === "rtl") {
        // The restore control sits at the inline end, as the original's sits on the
        // right of a left-to-right page: here, the left edge.
        await part(page, "minimize").click();
        const box = await part(page, "restore").boundingBox();
        expect(box.x).toBeLessThan(60);
      }
    });
  }

  test("bidi controls in names cannot reorder the sentence around them", async ({ page }) => {
    const hostile = JSON.stringify({
      user: { email: "\u202Eevil@acme.test" },
      impersonator: { email: "ada@support.test" },
      organization: { name: "\u2067Acme\u200B" },
    });
    await page.goto(pageUrl({ session: hostile }));
    // The override is stripped (the address reads as it is written), and the name is
    // isolated besides.
    await expect(part(page, "user")).toHaveText("evil@acme.test");
    await expect(part(page, "organization")).toHaveText("Acme\u200B");
    const isolation = await part(page, "user").evaluate((el) => getComputedStyle(el).unicodeBidi);
    expect(isolation).toBe("isolate");
    // The sentence still starts where it should: the user's box lies after "You are impersonating".
    const message = await part(page, "message").boundingBox();
    const user = await part(page, "user").boundingBox();
    expect(user.x).toBeGreaterThan(message.x + 50);
  });
});

test.describe("dev preview", () => {
  test("preview shows the sample with no request at all", async ({ page }) => {
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pageUrl({ preview: "" }));
    await expect(part(page, "user")).toHaveText("bob@acme.test");
    await expect(part(page, "organization")).toHaveText("Acme");
    await expect(part(page, "impersonator")).toHaveText("ada@support.test");
    await expect(part(page, "time-left")).toHaveText("42 min left");
    await expect(part(page, "preview")).toBeVisible();
    expect(requests.filter((url) => url.includes("/session/") || url.includes("/sign-out/"))).toEqual([]);
  });

  test("Stop in preview sends nothing and ends the preview; the shortcut toggles it", async ({ page }) => {
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pageUrl({ preview: "", "sign-out-url": "/sign-out/ok?key=" + unique("preview") }));
    await expect(part(page, "stop")).toBeVisible();
    await part(page, "stop").click();
    await expect(part(page, "bar")).toHaveCount(0);
    await page.keyboard.press("Alt+Shift+KeyP");
    await expect(part(page, "bar")).toBeVisible();
    await page.keyboard.press("Alt+Shift+KeyP");
    await expect(part(page, "bar")).toHaveCount(0);
    expect(requests.filter((url) => url.includes("/sign-out/"))).toEqual([]);
  });

  test("a real impersonation wins over the preview", async ({ page }) => {
    await page.goto(pageUrl({ preview: "", "session-url": "/session/no-org" }));
    await expect(part(page, "message")).toHaveText("You are impersonating bob@acme.test");
    await expect(part(page, "preview")).toHaveCount(0);
    await page.keyboard.press("Alt+Shift+KeyP");
    await expect(part(page, "message")).toHaveText("You are impersonating bob@acme.test");
  });

  test("without preview and without a session nothing renders and no wasm loads", async ({ page }) => {
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pageUrl({}));
    await page.waitForLoadState("networkidle");
    await page.keyboard.press("Alt+Shift+KeyP");
    // Anything the key press started has had a task to begin in.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(await page.evaluate(() => document.querySelector("staff-bar").shadowRoot.childElementCount)).toBe(0);
    expect(requests.filter((url) => url.endsWith(".wasm"))).toEqual([]);
  });
});
