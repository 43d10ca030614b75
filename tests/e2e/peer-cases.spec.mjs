// authkit-nextjs's own expectations of its <Impersonation/> (impersonation.spec.tsx, 13
// cases) and <MinMaxButton/> (min-max-button.spec.tsx, 4), held against <staff-bar>.
// Each test names the case it stands for; the component's are in tests/browser.rs
// (`peer_case_*`). Beyond them: the countdown outside every live region, and Stop that
// ends the same way however many tabs press it or however it races the expiry.
import { test, expect } from "@playwright/test";
import { pageUrl, part, unique } from "./support.mjs";

const received = async (request, key) => (await request.get("/received?key=" + key)).json();
const organizationCalls = async (request, key) => (await received(request, "organization:" + key)).ids ?? [];

const USER = { id: "user_01", email: "bob@acme.test" };
const IMPERSONATOR = { email: "ada@support.test", reason: null };

/** A page whose element looks organizations up at the test site, counted under `key`. */
async function withOrganizations(page, key, session) {
  await page.goto(pageUrl({ session: JSON.stringify(session), "organization-url": "/organization?key=" + key }));
}

test.describe("impersonation.spec.tsx", () => {
  test("should return null if not impersonating", async ({ page }) => {
    for (const session of [{ user: USER, impersonator: null }, { user: null, impersonator: IMPERSONATOR }]) {
      await page.goto(pageUrl({ session: JSON.stringify(session) }));
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => window.__bar.shadowRoot.childElementCount)).toBe(0);
    }
  });

  test("should render impersonation banner when impersonating", async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }) }));
    await expect(part(page, "message")).toHaveText("You are impersonating bob@acme.test");
    await expect(page.locator("staff-bar [role=region]")).toHaveCount(1);
  });

  test("should render with organization info when organizationId is provided", async ({ page, request }) => {
    const key = unique("org");
    await withOrganizations(page, key, { user: USER, impersonator: IMPERSONATOR, organizationId: "org_123" });
    await expect(part(page, "message")).toHaveText("You are impersonating bob@acme.test within the Org org_123 organization");
    expect(await organizationCalls(request, key)).toEqual(["org_123"]);
  });

  test("should render at the bottom by default", async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }) }));
    const box = await part(page, "bar").boundingBox();
    expect(Math.abs(box.y + box.height - (page.viewportSize().height - 4))).toBeLessThan(1);
  });

  test('should render at the top when side prop is "top"', async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }), side: "top" }));
    const box = await part(page, "bar").boundingBox();
    expect(Math.abs(box.y - 4)).toBeLessThan(1);
  });

  test("should merge custom styles with default styles", async ({ page }) => {
    // The element's equivalent of a style prop: the host page's CSS variables and
    // ::part() rules, on top of the defaults.
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }) }, { defer: "" }));
    await page.evaluate(() => {
      const style = document.createElement("style");
      style.textContent = "staff-bar { --workos-impersonation-background-color: rgb(1, 2, 3); } staff-bar::part(bar) { outline: 3px solid rgb(9, 9, 9); }";
      document.head.append(style);
      document.body.append(window.__bar);
    });
    await expect(part(page, "bar")).toHaveCSS("background-color", "rgb(1, 2, 3)");
    await expect(part(page, "bar")).toHaveCSS("outline-width", "3px");
    // The defaults it did not override stay.
    await expect(part(page, "message")).toHaveCSS("color", "rgb(26, 22, 0)");
    await expect(page.locator("staff-bar .staff-bar")).toHaveCSS("z-index", "9999");
  });

  test("should should sign out when the Stop button is called", async ({ page, request }) => {
    const key = unique("stop");
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }), "sign-out-url": "/sign-out/ok?key=" + key }));
    await part(page, "stop").click();
    await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
    expect(JSON.parse((await received(request, key)).body)).toEqual({});
  });

  test("should pass returnTo prop to handleSignOutAction when provided", async ({ page, request }) => {
    const key = unique("return");
    await page.goto(
      pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }), "sign-out-url": "/sign-out/ok?key=" + key, "return-to": "/custom-return-path" }),
    );
    await part(page, "stop").click();
    await expect(page).toHaveURL(new RegExp("#signed-out-" + key + "$"));
    expect(JSON.parse((await received(request, key)).body)).toEqual({ returnTo: "/custom-return-path" });
  });

  for (const [name, session] of [
    ["should not call getOrganizationAction when organizationId is not provided", { user: USER, impersonator: IMPERSONATOR }],
    ["should not call getOrganizationAction when impersonator is not present", { user: USER, impersonator: null, organizationId: "org_123" }],
    ["should not call getOrganizationAction when user is not present", { user: null, impersonator: IMPERSONATOR, organizationId: "org_123" }],
  ]) {
    test(name, async ({ page, request }) => {
      const key = unique("no-org");
      await withOrganizations(page, key, session);
      // The element with a bar has drawn it; without one, the loader has settled.
      if (session.user && session.impersonator) await expect(part(page, "message")).toHaveText("You are impersonating bob@acme.test");
      await page.waitForLoadState("networkidle");
      expect(await organizationCalls(request, key)).toEqual([]);
    });
  }

  test("should not call getOrganizationAction again when organization is already loaded with same ID", async ({ page, request }) => {
    const key = unique("org-same");
    const session = { user: USER, impersonator: IMPERSONATOR, organizationId: "org_123" };
    await withOrganizations(page, key, session);
    await expect(part(page, "organization")).toHaveText("Org org_123");
    // A new session object with the same organization, and a re-read attribute.
    await page.evaluate((session) => (window.__bar.session = { ...session, impersonator: { ...session.impersonator, reason: "again" } }), session);
    await expect(page.getByRole("button", { name: "Reason" })).toBeVisible();
    await page.evaluate(() => window.__bar.setAttribute("side", "top"));
    await expect(part(page, "organization")).toHaveText("Org org_123");
    expect(await organizationCalls(request, key)).toEqual(["org_123"]);
  });

  test("should call getOrganizationAction again when organizationId changes", async ({ page, request }) => {
    const key = unique("org-change");
    const session = { user: USER, impersonator: IMPERSONATOR, organizationId: "org_123" };
    await withOrganizations(page, key, session);
    await expect(part(page, "organization")).toHaveText("Org org_123");
    await page.evaluate((session) => (window.__bar.session = { ...session, organizationId: "org_456" }), session);
    await expect(part(page, "organization")).toHaveText("Org org_456");
    expect(await organizationCalls(request, key)).toEqual(["org_123", "org_456"]);
  });
});

test.describe("min-max-button.spec.tsx", () => {
  test("sets minimized value when clicked", async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR, sessionId: unique("mm") }) }));
    await part(page, "minimize").click();
    await expect(page.locator("staff-bar .staff-bar")).toHaveAttribute("data-minimized", "");
    await part(page, "restore").click();
    await expect(page.locator("staff-bar .staff-bar")).not.toHaveAttribute("data-minimized", "");
  });

  test("does nothing if root is undefined", async ({ page }) => {
    // A minimize control held after its bar is gone does nothing, and throws nothing.
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }) }));
    await expect(part(page, "minimize")).toBeVisible();
    const count = await page.evaluate(() => {
      const minimize = window.__bar.shadowRoot.querySelector('[part="minimize"]');
      window.__bar.remove();
      minimize.click();
      return window.__events.filter((event) => event.type === "staff-bar:minimize").length;
    });
    expect(count).toBe(0);
    expect(errors).toEqual([]);
  });

  test("renders children correctly", async ({ page }) => {
    for (const [side, minimize, restore] of [["bottom", "↘", "↖"], ["top", "↗", "↙"]]) {
      await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }), side }));
      const arrow = (name) => part(page, name).locator(".sb-icon").evaluate((el) => getComputedStyle(el, "::before").content);
      expect(await arrow("minimize")).toBe(`"${minimize}"`);
      expect(await arrow("restore")).toBe(`"${restore}"`);
    }
  });

  test("applies correct default styling", async ({ page }) => {
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR }) }));
    const style = await part(page, "minimize").evaluate((el) => {
      const s = getComputedStyle(el);
      return { padding: s.padding, width: s.width, height: s.height, fontSize: s.fontSize };
    });
    expect(style.padding).toBe("0px");
    const em = parseFloat(style.fontSize);
    expect(Math.abs(parseFloat(style.width) - 1.714 * em)).toBeLessThan(0.05);
    expect(Math.abs(parseFloat(style.height) - 1.714 * em)).toBeLessThan(0.05);
  });
});

test.describe("beyond the original", () => {
  test("the ticking countdown is outside every live region of the accessibility tree", async ({ page }) => {
    const expiresAt = new Date(Date.now() + 30_000).toISOString();
    await page.goto(pageUrl({ session: JSON.stringify({ user: USER, impersonator: IMPERSONATOR, expiresAt }) }));
    await expect(part(page, "time-left")).toHaveText(/s left/);
    const client = await page.context().newCDPSession(page);
    const { nodes } = await client.send("Accessibility.getFullAXTree");
    const byId = new Map(nodes.map((node) => [node.nodeId, node]));
    const timer = nodes.find((node) => node.role?.value === "StaticText" && /\d+ s left/.test(node.name?.value ?? ""));
    expect(timer, "the countdown's text is in the tree").toBeDefined();
    const live = [];
    for (let node = timer; node; node = byId.get(node.parentId)) {
      const property = (node.properties ?? []).find((p) => p.name === "live");
      if (property && property.value.value !== "off") live.push(node.role?.value + " " + property.value.value);
      if (["status", "alert", "log", "timer", "marquee"].includes(node.role?.value)) live.push(node.role.value);
    }
    expect(live).toEqual([]);
  });

  test("two tabs pressing Stop at once both end in the ended state, with no error", async ({ context, request }) => {
    const key = unique("both-stop");
    const url = pageUrl({ "session-url": "/session/switch?key=" + key, "sign-out-url": "/sign-out/end-once?key=" + key });
    const [first, second] = [await context.newPage(), await context.newPage()];
    for (const page of [first, second]) {
      await page.goto(url);
      await expect(part(page, "stop")).toBeVisible();
    }
    // The first Stop ends the session at the server, whose answer is held back; the
    // second then finds no session (401) before the first tab can tell it anything.
    await part(first, "stop").click();
    await expect.poll(async () => (await received(request, key)).count).toBe(1);
    await part(second, "stop").click();
    await expect(part(second, "ended")).toBeVisible();
    await expect(part(second, "error")).toHaveCount(0);
    expect(await second.evaluate(() => window.__events.map((e) => e.type))).not.toContain("staff-bar:error");
    await request.post("/release?key=" + key);
    await expect(first).toHaveURL(new RegExp("#signed-out-" + key + "$"));
    await expect(part(first, "error")).toHaveCount(0);
  });

  test("a Stop that fails after the impersonation expired shows no error", async ({ page, request }) => {
    const key = unique("stop-expiry");
    await page.clock.install();
    await page.goto(pageUrl({ session: "{}" }, { defer: "" }));
    const expiresAt = new Date((await page.evaluate(() => Date.now())) + 10_000).toISOString();
    await page.evaluate(
      ([session, url]) => {
        window.__bar.setAttribute("session", JSON.stringify(session));
        window.__bar.setAttribute("sign-out-url", url);
        document.body.append(window.__bar);
      },
      [{ user: USER, impersonator: IMPERSONATOR, expiresAt }, "/sign-out/held-unauthorized?key=" + key],
    );
    await part(page, "stop").click();
    await expect.poll(async () => (await received(request, key)).count).toBe(1);
    await page.clock.runFor(11_000);
    await expect(part(page, "ended")).toBeVisible();
    // The 401 arrives now; once the page has had its tasks, no alert was shown.
    const finished = page.waitForEvent("requestfinished", (r) => r.url().includes("held-unauthorized"));
    await request.post("/release?key=" + key);
    await finished;
    await page.clock.resume();
    for (let i = 0; i < 2; i++) await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(await page.evaluate(() => window.__events.map((e) => e.type))).not.toContain("staff-bar:error");
    await expect(part(page, "error")).toHaveCount(0);
    await expect(part(page, "ended")).toBeVisible();
  });
});
