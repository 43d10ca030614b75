// The demo's /leptos pages as users run a Leptos app: built by `cargo leptos build
// --release --split`, rendered by leptos_axum on the demo server's multi-threaded
// tokio runtime (the `serve` profile, panic = "abort", so a panic during a render ends
// the process), hydrated in Chromium. The session comes from a server function
// through a Resource under <Transition>; Stop is a StopAction calling another server
// function; the bar sits outside <Routes>, and its code is a split chunk that only an
// impersonated page fetches.
import { test, expect } from "@playwright/test";
import { startDemo, session, impersonate, buildDemo, complaints } from "./demo-support.mjs";

const USER = "bob@northwind.test";
/** How the server functions' own client posts (no arguments). */
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const bar = (page, name) => page.locator(`.staff-bar-host [part="${name}"]`);
/** The bar's own chunk (and any chunk it shares code through). */
const CHUNK = /\/leptos\/pkg\/(split|chunk)_[^/]*\.wasm$/;

test.beforeAll(() => {
  test.setTimeout(900_000); // a first build of the server and the Leptos pages takes minutes
  buildDemo();
});

test.describe("a Leptos SSR + hydrate app with <Impersonation/>", () => {
  test.describe.configure({ timeout: 90_000 });
  let demo;
  test.beforeAll(async () => {
    demo = await startDemo();
  });
  test.afterAll(() => demo?.stop());
  test.afterEach(() => {
    expect(demo.alive(), "the server is still running").toBe(true);
    expect(demo.logs.join("")).not.toMatch(/panicked/);
  });


  /**
   * Opens `url` with the page's wasm held back until the server's markup has been
   * marked, then lets hydration run; resolves once it is done. What the server sent
   * can then be compared with what hydration left.
   */
  async function loadAndHydrate(page, url) {
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route("**/leptos/pkg/app.wasm", async (route) => {
      await held;
      await route.continue();
    });
    // Asked for early: the server's page, having rendered a bar, preloads its chunk.
    const chunk = page.waitForResponse((response) => CHUNK.test(new URL(response.url()).pathname));
    await page.goto(url);
    await expect(bar(page, "stop")).toBeVisible();
    await page.evaluate(() => {
      window.serverStop = document.querySelector('.staff-bar-host [part="stop"]');
      window.serverRoot = document.querySelector('.staff-bar-host [part="bar"]');
    });
    expect(await page.locator("html").getAttribute("data-hydrated")).toBeNull();
    release();
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "");
    await page.unroute("**/leptos/pkg/app.wasm");
    // The bar's code arrives after the app's: it is live once it announces itself.
    expect((await chunk).status()).toBe(200);
    await live(page);
  }

  /** Resolves once the bar's code runs (it speaks in its live region a moment after). */
  async function live(page) {
    await expect(page.locator('.staff-bar-host [role="status"]')).toHaveText(/\S/);
  }

  const sameNodes = (page) =>
    page.evaluate(() => ({
      stop: window.serverStop === document.querySelector('.staff-bar-host [part="stop"]'),
      root: window.serverRoot === document.querySelector('.staff-bar-host [part="bar"]'),
      bars: document.querySelectorAll('[part="bar"]').length,
    }));

  test("the server's HTML carries the bar, the disabled control and data-impersonating", async ({ page }) => {
    const { base } = demo;
    await impersonate(page, base, { name: "Bob Ng", reason: "SSR check" });
    const response = await page.request.get(base + "/leptos");
    expect(response.status()).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<html lang="en" data-impersonating/);
    // Written by the server once the session's server function answered.
    expect(html).toContain('part="stop"');
    expect(html).toContain(USER);
    expect(html).toContain("Northwind Traders");
    expect(html).toContain("SSR check");
    // use_impersonation() already knew on the server.
    expect(html).toMatch(/<button id="change-password" disabled/);
    expect(html).toContain("Disabled while a staff member is impersonating.");

    // Without an impersonation: no bar, the control enabled.
    const anonymous = await page.context().browser().newContext();
    const plain = await (await anonymous.request.get(base + "/leptos")).text();
    await anonymous.close();
    expect(plain).not.toContain('part="stop"');
    expect(plain).not.toMatch(/data-impersonating/);
    expect(plain).toMatch(/<button id="change-password">/);
  });

  test("hydration takes the server's bar over in place, with no console warning", async ({ page }) => {
    const { base } = demo;
    const found = complaints(page);
    await impersonate(page, base, { name: "Bob Ng", reason: "Hydration check" });
    found.length = 0; // the Acme pages' own loading is not what this checks
    await loadAndHydrate(page, base + "/leptos");
    expect(await sameNodes(page)).toEqual({ stop: true, root: true, bars: 1 });
    await expect(bar(page, "user")).toHaveText(USER);
    await expect(page.locator("#change-password")).toBeDisabled();
    await expect(page.locator("html")).toHaveAttribute("data-impersonating", /.*/);
    // Alive: minimize works on the hydrated markup.
    await bar(page, "minimize").click();
    await expect(bar(page, "restore")).toBeVisible();
    await bar(page, "restore").click();
    await expect(bar(page, "stop")).toBeVisible();
    expect(found).toEqual([]);
  });

  test("an ordinary visitor's page fetches none of the bar's code", async ({ browser }) => {
    const { base } = demo;
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    const fetched = [];
    page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    await page.goto(base + "/leptos");
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "");
    await page.waitForLoadState("networkidle");
    expect(fetched).toContain("/leptos/pkg/app.wasm");
    expect(fetched.filter((path) => CHUNK.test(path))).toEqual([]);
    await expect(page.locator(".staff-bar-host")).toHaveCount(1);
    await expect(page.locator('.staff-bar-host [part="bar"]')).toHaveCount(0);
    await visitor.close();
  });

  test("a chunk that fails to load leaves the server's bar on screen and is fetched again", async ({ page }) => {
    const { base } = demo;
    const found = complaints(page);
    await impersonate(page, base, { name: "Bob Ng", reason: "Chunk check" });
    found.length = 0;
    await page.clock.install();
    let refused = 0;
    await page.route(CHUNK, async (route) => {
      if (refused++ === 0) return route.abort("connectionrefused");
      return route.continue();
    });
    const fetched = page.waitForResponse((response) => CHUNK.test(new URL(response.url()).pathname));
    await page.goto(base + "/leptos");
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "");
    await expect.poll(() => refused).toBe(1);
    // The app lives on (no panic ended its wasm), and the server's bar stays.
    await expect(bar(page, "stop")).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("data-impersonating", "");
    await page.evaluate(() => (window.serverStop = document.querySelector('.staff-bar-host [part="stop"]')));
    // The retry, a second later on the page's clock, takes the same nodes over.
    await page.clock.runFor(1_000);
    expect((await fetched).status()).toBe(200);
    await page.clock.runFor(500);
    await live(page);
    expect(await page.evaluate(() => window.serverStop === document.querySelector('.staff-bar-host [part="stop"]'))).toBe(true);
    await bar(page, "minimize").click();
    await expect(bar(page, "restore")).toBeVisible();
    // Only the refused request itself is reported: by the browser, by the split loader
    // (which logs the failed fetch) and by the bar, which says it tries again.
    const expected = /did not load|Failed to load resource|ERR_CONNECTION_REFUSED|Failed to fetch/;
    expect(found.filter((text) => !expected.test(text))).toEqual([]);
  });

  test("one bar across router navigations, following the page's language", async ({ page }) => {
    const { base } = demo;
    await impersonate(page, base, { name: "Bob Ng", reason: "Router check" });
    await loadAndHydrate(page, base + "/leptos");
    await page.evaluate(() => (window.notReloaded = true));

    await page.getByRole("navigation", { name: "Acme" }).getByRole("link", { name: "Leptos settings" }).click();
    await expect(page).toHaveURL(base + "/leptos/settings");
    await expect(page.locator("#leptos-settings")).toBeVisible();
    await expect(page.locator("#change-password")).toBeDisabled();
    expect(await page.evaluate(() => window.notReloaded)).toBe(true);
    expect((await sameNodes(page)).root).toBe(true);
    expect((await sameNodes(page)).bars).toBe(1);

    // Minimized stays minimized across the navigation: it is the same bar.
    await bar(page, "minimize").click();
    await page.getByRole("navigation", { name: "Acme" }).getByRole("link", { name: "Deutsch" }).click();
    await expect(page.locator("#leptos-de")).toBeVisible();
    await expect(bar(page, "restore")).toBeVisible();
    await bar(page, "restore").click();
    await expect(bar(page, "stop")).toHaveText(/Beenden/);
    expect(await page.evaluate(() => window.notReloaded)).toBe(true);
    expect((await sameNodes(page)).bars).toBe(1);
  });

  test("the guard and the masked fields hydrate as the server decided, and the router keeps to them", async ({ page }) => {
    const { base } = demo;
    const found = complaints(page);
    await impersonate(page, base, { name: "Bob Ng", reason: "Guard check" });
    found.length = 0;
    // The server's HTML: masked values, the refusal in place of the password settings.
    const account = await page.request.get(base + "/leptos/account");
    const html = await account.text();
    expect(html).toContain("•••• •••• •••• 4242");
    expect(html).not.toContain("4242 4242 4242 4242");
    expect(html).not.toContain("123-45-6789");
    await loadAndHydrate(page, base + "/leptos/account");
    await expect(page.locator("#leptos-card")).toHaveText("•••• •••• •••• 4242");
    await expect(page.locator("#leptos-tax-id")).toHaveText("•••-••-6789");
    // A router navigation decides in the browser, the same way.
    await page.locator("#leptos-account").getByRole("link", { name: "Password" }).click();
    await expect(page).toHaveURL(base + "/leptos/password");
    await expect(page.locator("#leptos-password")).toContainText("Not available while impersonating.");
    await expect(page.locator("#password-settings")).toHaveCount(0);
    // Loaded directly, hydration keeps the server's refusal.
    await loadAndHydrate(page, base + "/leptos/password");
    await expect(page.locator("#leptos-password")).toContainText("Not available while impersonating.");
    await expect(page.locator("#password-settings")).toHaveCount(0);
    expect(found).toEqual([]);

    // The user, signed in as themselves, gets both.
    const own = await page.context().browser().newPage();
    await own.goto(base + "/auth/sign-in");
    await own.getByRole("button", { name: "Sign in as Bob Ng" }).click();
    await own.goto(base + "/leptos/account");
    await expect(own.locator("html")).toHaveAttribute("data-hydrated", "");
    await expect(own.locator("#leptos-card")).toHaveText("4242 4242 4242 4242");
    await own.locator("#leptos-account").getByRole("link", { name: "Password" }).click();
    await expect(own.locator("#password-settings")).toContainText("Passwords are kept by WorkOS");
    await own.close();
  });

  test("a German page hydrates in place", async ({ page }) => {
    const { base } = demo;
    const found = complaints(page);
    await impersonate(page, base, { name: "Bob Ng", reason: "Sprache" });
    found.length = 0;
    await loadAndHydrate(page, base + "/leptos/de");
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(bar(page, "stop")).toHaveText(/Beenden/);
    expect(await sameNodes(page)).toEqual({ stop: true, root: true, bars: 1 });
    expect(found).toEqual([]);
  });

  test("Stop runs the StopAction's server function and lands signed out", async ({ page }) => {
    const { base } = demo;
    await impersonate(page, base, { name: "Bob Ng", reason: "Stop check" });
    await loadAndHydrate(page, base + "/leptos");
    const posts = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(new URL(request.url()).pathname);
    });
    await bar(page, "stop").click();
    await expect(page).toHaveURL(base + "/");
    expect(posts.some((path) => path.startsWith("/api/stop_impersonating"))).toBe(true);
    expect(posts).not.toContain("/auth/sign-out");
    expect((await session(page, base)).status).toBe(401);
    await expect(page.locator(".who")).toContainText("Not signed in");
  });

  test("the server function refuses a Stop from another site", async ({ page }) => {
    const { base } = demo;
    await impersonate(page, base, { name: "Bob Ng", reason: "Forged stop" });
    const own = await page.evaluate(
      async (headers) => (await fetch("/api/stop_impersonating", { method: "POST", headers })).status,
      FORM,
    );
    expect(own).toBe(200); // its own pages may
    await impersonate(page, base, { name: "Bob Ng", reason: "Forged stop 2" });
    const forged = await page.request.post(base + "/api/stop_impersonating", {
      headers: { ...FORM, Origin: "http://evil.test", "Sec-Fetch-Site": "cross-site" },
    });
    expect(forged.status()).toBe(500);
    expect(await forged.text()).toContain("own pages");
    expect((await session(page, base)).status).toBe(200);
  });

  test("36 loads by Chromium over keep-alive, three at a time, leave the server alive and panic-free", async ({
    browser,
  }) => {
    const { base } = demo;
    const staff = await browser.newContext();
    const setup = await staff.newPage();
    await impersonate(setup, base, { name: "Bob Ng", reason: "Load check" });
    const visitor = await browser.newContext();
    const loads = [];
    const worker = async (context, impersonated, times) => {
      const page = await context.newPage();
      for (let i = 0; i < times; i++) {
        const path = ["/leptos", "/leptos/settings", "/leptos/de"][i % 3];
        const response = await page.goto(base + path);
        expect(response.status()).toBe(200);
        await expect(page.locator("html")).toHaveAttribute("data-hydrated", "");
        await expect(page.locator('.staff-bar-host [part="stop"]')).toHaveCount(impersonated ? 1 : 0);
        loads.push(path);
      }
      await page.close();
    };
    await Promise.all([worker(staff, true, 12), worker(staff, true, 12), worker(visitor, false, 12)]);
    expect(loads).toHaveLength(36);
    // Server functions too, concurrently.
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        setup.evaluate(
          (headers) => fetch("/api/current_impersonation", { method: "POST", headers }).then((r) => r.json()),
          FORM,
        ),
      ),
    );
    for (const answer of answers) expect(answer.user.email).toBe(USER);
    expect(demo.alive()).toBe(true);
    expect((await setup.request.get(base + "/")).status()).toBe(200);
    await staff.close();
    await visitor.close();
  });
});
