// The page acts on <staff-bar> and reads it (SPEC.md, "Methods and properties"): stop(),
// minimize(), restore(), the read-only properties, staff-bar:change, the `message`
// slot, `align` and `theme`, in headless Chromium against the sample site.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { pageUrl, part, unique } from "./support.mjs";

const START = Date.parse("2026-11-25T12:00:00Z");

/** An inline session JSON; `expiresIn` in milliseconds from `now`. */
function session({ sessionId = unique("control"), expiresIn, now = Date.now() } = {}) {
  return JSON.stringify({
    user: { id: "user_01", email: "bob@acme.test", firstName: "Bob" },
    impersonator: { email: "ada@support.test", reason: "Ticket 4521" },
    organization: { id: "org_01", name: "Acme" },
    sessionId,
    expiresAt: expiresIn === undefined ? null : new Date(now + expiresIn).toISOString(),
  });
}

const received = async (request, key) => (await request.get("/received?key=" + key)).json();

/** The element's properties, read from the page. */
const properties = (page) =>
  page.evaluate(() => {
    const bar = window.__bar;
    return { impersonating: bar.impersonating, ended: bar.ended, minimized: bar.minimized, timeLeft: bar.timeLeft };
  });

/** Records every staff-bar:change detail (its properties) and the event's flags. */
async function recordChanges(page) {
  await page.evaluate(() => {
    window.__changes = [];
    document.addEventListener("staff-bar:change", (event) => {
      const { impersonating, ended, minimized, timeLeft } = event.detail;
      window.__changes.push({ impersonating, ended, minimized, timeLeft, bubbles: event.bubbles, composed: event.composed });
    });
  });
}
const changes = (page) => page.evaluate(() => window.__changes);

test.describe("the page acts on the bar", () => {
  test("stop() from the page's own button sends the same sign-out as Stop, with the same events", async ({ page, request }) => {
    const key = unique("stop-method");
    await page.goto(pageUrl({ session: session(), "sign-out-url": "/sign-out/ok?key=" + key, "csrf-token": "t0k3n" }));
    await expect(part(page, "stop")).toBeVisible();
    await page.evaluate(() => {
      const menu = document.body.appendChild(document.createElement("button"));
      menu.textContent = "Stop impersonating (account menu)";
      menu.onclick = () => window.__bar.stop();
    });
    await page.getByRole("button", { name: "Stop impersonating (account menu)" }).click();
    await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
    const got = await received(request, key);
    expect(got.count).toBe(1);
    expect(got.method).toBe("POST");
    expect(got.headers["x-csrf-token"]).toBe("t0k3n");
    expect(JSON.parse(got.body)).toEqual({});
    const types = await page.evaluate(() => window.__events.map((event) => event.type));
    expect(types).toEqual(["staff-bar:stop", "staff-bar:signed-out"]);
  });

  test("a cancelled staff-bar:stop makes stop() send nothing", async ({ page, request }) => {
    const key = unique("stop-cancelled");
    await page.goto(pageUrl({ session: session(), "sign-out-url": "/sign-out/ok?key=" + key }, { "cancel-stop": "" }));
    await expect(part(page, "stop")).toBeVisible();
    await page.evaluate(() => window.__bar.stop());
    await expect.poll(() => page.evaluate(() => window.__events.length)).toBe(1);
    expect((await received(request, key)).count).toBe(0);
    await expect(part(page, "stop")).toHaveText("Stop");
    expect((await properties(page)).ended).toBe(false);
  });

  test("stop() while the request is in flight sends nothing more; a failure shows the alert", async ({ page, request }) => {
    const key = unique("stop-fails");
    await page.goto(pageUrl({ session: session(), "sign-out-url": "/sign-out/error?key=" + key }));
    await expect(part(page, "stop")).toBeVisible();
    await page.evaluate(() => {
      window.__bar.stop();
      window.__bar.stop();
    });
    await expect(part(page, "error")).toBeVisible();
    expect((await received(request, key)).count).toBe(1);
    await expect(page.getByRole("alert")).toContainText("Could not stop impersonating");
  });

  test("minimize() and restore() act as the buttons, and the properties and staff-bar:change follow", async ({ page }) => {
    await page.clock.install({ time: START });
    await page.goto(pageUrl({ session: session({ expiresIn: 10 * 60_000, now: START }) }));
    await expect(part(page, "stop")).toBeVisible();
    expect(await properties(page)).toEqual({ impersonating: true, ended: false, minimized: false, timeLeft: 600 });
    await recordChanges(page);
    await page.evaluate(() => window.__bar.minimize());
    await expect(part(page, "restore")).toBeVisible();
    expect((await properties(page)).minimized).toBe(true);
    await page.evaluate(() => window.__bar.restore());
    await expect(part(page, "restore")).toBeHidden();
    expect((await properties(page)).minimized).toBe(false);
    const seen = await changes(page);
    expect(seen.map((change) => change.minimized)).toEqual([true, false]);
    expect(seen.every((change) => change.bubbles && change.composed && change.impersonating)).toBe(true);
    const types = await page.evaluate(() => window.__events.map((event) => event.type));
    expect(types).toEqual(["staff-bar:minimize", "staff-bar:restore"]);
    // The session property, never set: the session the bar shows, in the JSON's shape.
    const shown = await page.evaluate(() => window.__bar.session);
    expect(shown).toMatchObject({
      user: { id: "user_01", email: "bob@acme.test", firstName: "Bob" },
      impersonator: { email: "ada@support.test", reason: "Ticket 4521" },
      organizationId: "org_01",
      organization: { id: "org_01", name: "Acme" },
      expiresAt: new Date(START + 10 * 60_000).toISOString(),
    });
  });

  test("timeLeft is whole seconds on the page's clock, even between the countdown's steps", async ({ page }) => {
    await page.clock.install({ time: START });
    await page.goto(pageUrl({ session: session({ expiresIn: 10 * 60_000, now: START }) }));
    await expect(part(page, "time-left")).toBeVisible();
    await page.clock.pauseAt(START + 1_000);
    expect((await properties(page)).timeLeft).toBe(599);
    await page.clock.runFor(12_300);
    expect((await properties(page)).timeLeft).toBe(587);
    await page.evaluate(() => window.__bar.minimize());
    await page.clock.runFor(7_000);
    expect((await properties(page)).timeLeft).toBe(580);
  });

  test("expiry: staff-bar:change says ended, and the properties agree", async ({ page }) => {
    await page.clock.install({ time: START });
    await page.goto(pageUrl({ session: session({ expiresIn: 90_000, now: START }) }));
    await expect(part(page, "stop")).toBeVisible();
    await page.clock.pauseAt(START + 1_000);
    await recordChanges(page);
    await page.clock.runFor(90_000);
    await expect(part(page, "ended")).toBeVisible();
    expect(await properties(page)).toEqual({ impersonating: false, ended: true, minimized: false, timeLeft: null });
    const last = (await changes(page)).at(-1);
    expect(last).toMatchObject({ impersonating: false, ended: true, timeLeft: null });
    expect(await page.evaluate(() => window.__bar.session)).toBeNull();
  });

  test("another tab's Stop: this tab's properties and staff-bar:change say ended", async ({ context }) => {
    const key = unique("control-tabs");
    const attributes = { session: session({ sessionId: unique("shared") }), "sign-out-url": "/sign-out/ok?key=" + key };
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto(pageUrl(attributes));
    await second.goto(pageUrl(attributes));
    await expect(part(second, "stop")).toBeVisible();
    await recordChanges(second);
    await first.evaluate(() => window.__bar.stop());
    await expect(part(second, "ended")).toBeVisible({ timeout: 2_000 });
    expect(await properties(second)).toMatchObject({ impersonating: false, ended: true });
    expect((await changes(second)).at(-1)).toMatchObject({ impersonating: false, ended: true });
  });

  test("the session property gives the session the bar shows when none was set", async ({ page }) => {
    await page.goto(pageUrl({ "session-url": "/session/impersonating" }));
    await expect(part(page, "stop")).toBeVisible();
    const shown = await page.evaluate(() => window.__bar.session);
    expect(shown.user.email).toBe("bob@acme.test");
    expect(shown.impersonator.email).toBeTruthy();
    // An ordinary visitor: nothing, and no core downloaded for the properties.
    await page.goto(pageUrl({ "session-url": "/session/not-impersonating" }));
    await page.waitForLoadState("networkidle");
    expect(await properties(page)).toEqual({ impersonating: false, ended: false, minimized: false, timeLeft: null });
    expect(await page.evaluate(() => window.__bar.session)).toBeNull();
    // The commands do nothing there, and throw nothing.
    await page.evaluate(() => [window.__bar.stop(), window.__bar.minimize(), window.__bar.restore()]);
    expect(await page.evaluate(() => performance.getEntriesByType("resource").some((entry) => entry.name.endsWith(".wasm")))).toBe(false);
  });
});

test.describe("the page's own message", () => {
  test("a child element replaces the sentence, inside the bar, and the region keeps its name", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }, { defer: "" }));
    await page.evaluate(() => {
      const own = document.createElement("span");
      own.innerHTML = "Acting for <b>Bob</b> on ticket 4521";
      window.__bar.append(own);
      document.body.append(window.__bar);
    });
    await expect(part(page, "stop")).toBeVisible();
    const own = page.locator("staff-bar > span");
    await expect(own).toBeVisible();
    expect(await own.getAttribute("slot")).toBe("message");
    // Rendered inside the bar's message area, not where the host element sits.
    const ownBox = await own.boundingBox();
    const barBox = await part(page, "bar").boundingBox();
    expect(ownBox.y).toBeGreaterThanOrEqual(barBox.y);
    expect(ownBox.y + ownBox.height).toBeLessThanOrEqual(barBox.y + barBox.height + 0.5);
    // The built-in sentence is not shown; the rest of the bar is.
    await expect(part(page, "user")).toBeHidden();
    await expect(part(page, "impersonator")).toBeVisible();
    await expect(page.getByRole("region", { name: "Impersonation" })).toHaveCount(1);
    // Announced once, by the bar's own live region, as without a slot.
    await expect(page.locator("staff-bar [role=status]")).toHaveText("You are impersonating bob@acme.test.");
  });

  test("slot=\"message\" works however the child is made, and the sentence comes back without it", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }));
    await expect(part(page, "user")).toBeVisible();
    await page.evaluate(() => {
      const own = document.createElement("em");
      own.slot = "message";
      own.textContent = "Custom text";
      window.__bar.append(own);
    });
    await expect(page.locator("staff-bar > em")).toBeVisible();
    await expect(part(page, "user")).toBeHidden();
    await page.evaluate(() => window.__bar.querySelector("em").remove());
    await expect(part(page, "user")).toBeVisible();
  });
});

test.describe("align", () => {
  for (const [align, dir] of [
    ["start", "ltr"],
    ["end", "ltr"],
    ["start", "rtl"],
    ["center", "ltr"],
  ]) {
    test(`align="${align}" on a ${dir} page puts the tab at that end of its edge`, async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(pageUrl({ session: session(), align }));
      await page.evaluate((value) => (document.documentElement.dir = value), dir);
      await expect(part(page, "stop")).toBeVisible();
      await page.locator("staff-bar").evaluate((host) => Promise.all(host.shadowRoot.getAnimations().map((a) => a.finished)));
      const box = await part(page, "bar").boundingBox();
      const left = box.x;
      const right = 1280 - (box.x + box.width);
      const atLeft = (align === "start") === (dir === "ltr");
      if (align === "center") expect(Math.abs(left - right)).toBeLessThan(2);
      else if (atLeft) expect(left).toBeLessThan(20);
      else expect(right).toBeLessThan(20);
      // Minimized and restored, it comes back to the same place.
      await part(page, "minimize").click();
      await part(page, "restore").click();
      await page.locator("staff-bar").evaluate((host) => Promise.all(host.shadowRoot.getAnimations().map((a) => a.finished)));
      expect((await part(page, "bar").boundingBox()).x).toBeCloseTo(box.x, 0);
    });
  }

  test("on a 360 px phone an aligned tab stays inside the viewport", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 640 });
    for (const align of ["start", "end"]) {
      await page.goto(pageUrl({ session: session(), align }));
      await expect(part(page, "stop")).toBeVisible();
      const box = await part(page, "bar").boundingBox();
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
  });

  test("an unknown align warns and keeps the centre", async ({ page }) => {
    const warning = page.waitForEvent("console", { predicate: (m) => m.type() === "warning" && m.text().includes("align") });
    await page.goto(pageUrl({ session: session(), align: "left" }));
    await warning;
    await expect(part(page, "stop")).toBeVisible();
    expect(await page.locator("staff-bar").evaluate((host) => host.shadowRoot.querySelector(".staff-bar").hasAttribute("data-align"))).toBe(false);
  });
});

test.describe("theme", () => {
  const background = (page) => part(page, "bar").evaluate((bar) => getComputedStyle(bar).backgroundColor);
  const LIGHT = "rgb(252, 230, 84)";
  const DARK = "rgb(43, 38, 0)";

  for (const [theme, scheme, expected] of [
    [undefined, "dark", LIGHT],
    ["light", "dark", LIGHT],
    ["dark", "light", DARK],
    ["auto", "light", LIGHT],
    ["auto", "dark", DARK],
  ]) {
    test(`theme=${theme ?? "(none)"} under prefers-color-scheme: ${scheme}: ${expected === DARK ? "dark" : "light"}, axe clean`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const attributes = { session: session({ expiresIn: 3 * 60_000 }) };
      if (theme) attributes.theme = theme;
      await page.goto(pageUrl(attributes));
      await expect(part(page, "stop")).toBeVisible();
      expect(await background(page)).toBe(expected);
      // Expanded with the reason and in the countdown's warning: every colour pair.
      await page.getByRole("button", { name: "Reason" }).click();
      const results = await new AxeBuilder({ page }).include("staff-bar").analyze();
      expect(results.violations).toEqual([]);
    });
  }

  test("the --workos-impersonation-* variables win over the dark theme", async ({ page }) => {
    await page.goto(pageUrl({ session: session(), theme: "dark" }));
    await page.addStyleTag({ content: "staff-bar { --workos-impersonation-background-color: #123456; }" });
    await expect(part(page, "bar")).toHaveCSS("background-color", "rgb(18, 52, 86)");
  });

  test("changing the theme attribute at run time takes effect", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }));
    await expect(part(page, "stop")).toBeVisible();
    expect(await background(page)).toBe(LIGHT);
    await page.evaluate(() => window.__bar.setAttribute("theme", "dark"));
    await expect.poll(() => background(page)).toBe(DARK);
  });
});

test.describe("it moves out of the way", () => {
  const box = (page, name) => part(page, name).boundingBox();
  const settled = (page) =>
    page.locator("staff-bar").evaluate((host) => Promise.all(host.shadowRoot.getAnimations().map((a) => a.finished)));

  /** Drags the tab by `dx` pixels with the mouse, holding it by its message. */
  async function drag(page, dx) {
    const from = await box(page, "message");
    const x = from.x + 10;
    const y = from.y + from.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(x + (dx * step) / 10, y);
    await page.mouse.up();
  }

  test("dragged along its edge, the frame stays; after a reload the tab is where it was left", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    const url = pageUrl({ session: session({ sessionId: unique("drag") }) });
    await page.goto(url);
    await expect(part(page, "stop")).toBeVisible();
    await settled(page);
    const frame = await box(page, "frame");
    const before = await box(page, "bar");
    await drag(page, -300);
    const after = await box(page, "bar");
    expect(after.x).toBeCloseTo(before.x - 300, -1);
    expect(after.y).toBeCloseTo(before.y, 0);
    expect(await box(page, "frame")).toEqual(frame);
    // Further than the edge, it stops at the edge, inside the band.
    await drag(page, -2_000);
    expect((await box(page, "bar")).x).toBeCloseTo(8, 0);
    await drag(page, 150);
    const left = await box(page, "bar");
    await page.reload();
    await expect(part(page, "stop")).toBeVisible();
    await settled(page);
    expect((await box(page, "bar")).x).toBeCloseTo(left.x, -1);
  });

  test("a click on the tab is not a drag, and its buttons still work", async ({ page }) => {
    await page.goto(pageUrl({ session: session() }));
    await expect(part(page, "stop")).toBeVisible();
    await settled(page);
    const before = await box(page, "bar");
    await part(page, "message").click();
    expect(await box(page, "bar")).toEqual(before);
    await part(page, "minimize").click();
    await expect(part(page, "restore")).toBeVisible();
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:place"))).toBeNull();
  });

  test("Alt+Shift+← and → move it a tenth of the way, and it stops at the ends", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(pageUrl({ session: session() }));
    await expect(part(page, "stop")).toBeVisible();
    await settled(page);
    const centre = await box(page, "bar");
    const travel = 1280 - 16 - centre.width;
    await page.keyboard.press("Alt+Shift+ArrowRight");
    await settled(page);
    expect((await box(page, "bar")).x).toBeCloseTo(centre.x + travel / 10, -1);
    for (let i = 0; i < 12; i++) await page.keyboard.press("Alt+Shift+ArrowRight");
    await settled(page);
    const end = await box(page, "bar");
    expect(1280 - (end.x + end.width)).toBeCloseTo(8, 0);
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:place"))).toMatch(/^1 /);
  });

  test("moved to an end, it comes back inside when the window shrinks to 360 px, and goes back", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(pageUrl({ session: session() }));
    await expect(part(page, "stop")).toBeVisible();
    await settled(page);
    await drag(page, 2_000);
    await page.setViewportSize({ width: 360, height: 640 });
    await settled(page);
    const narrow = await box(page, "bar");
    expect(narrow.x).toBeGreaterThanOrEqual(0);
    expect(narrow.x + narrow.width).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 720 });
    await settled(page);
    const wide = await box(page, "bar");
    expect(1280 - (wide.x + wide.width)).toBeCloseTo(8, 0);
  });

  test("the place belongs to one impersonation: a new one starts where align puts it, an ended one forgets it", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    const first = { session: session({ sessionId: unique("first") }), "sign-out-url": "/sign-out/ok?key=" + unique("drag-end"), align: "start" };
    await page.goto(pageUrl(first));
    await expect(part(page, "stop")).toBeVisible();
    await settled(page);
    await drag(page, 400);
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:place"))).not.toBeNull();
    // Another impersonation: where align puts it, the first one's place untouched.
    await page.goto(pageUrl({ session: session({ sessionId: unique("second") }), align: "start" }));
    await expect(part(page, "stop")).toBeVisible();
    await settled(page);
    expect((await box(page, "bar")).x).toBeCloseTo(8, 0);
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:place"))).not.toBeNull();
    // Back to the first, moved; its Stop forgets the place with the impersonation.
    await page.goto(pageUrl(first));
    await expect(part(page, "stop")).toBeVisible();
    await settled(page);
    expect((await box(page, "bar")).x).toBeGreaterThan(300);
    await part(page, "stop").click();
    await expect(page).toHaveURL(/#signed-out-/);
    expect(await page.evaluate(() => localStorage.getItem("staff-bar:place"))).toBeNull();
  });
});
