// The bar as a Leptos island (tests/islands, built by cargo-leptos with the `islands`
// feature): the page is server HTML with no hydration of its own; only the bar's
// island runs in the browser. Its session crosses in the bar's server HTML (server_session).
import { test, expect } from "@playwright/test";
import { spawn } from "node:child_process";
import path from "node:path";
import { build, complaints, root } from "./demo-support.mjs";

const bar = (page, name) => page.locator(`.staff-bar-host [part="${name}"]`);

/** Starts the islands server on a free port; resolves with its address and a stop. */
function startIslands() {
  const child = spawn(path.join(root, "target/serve/staff-bar-islands"), [], {
    cwd: root,
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs = [];
  child.stderr.on("data", (chunk) => logs.push(String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the islands app did not start:\n" + logs.join(""))), 20_000);
    child.stdout.on("data", (chunk) => {
      const match = String(chunk).match(/islands app: (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve({ base: match[1], logs, alive: () => child.exitCode === null, stop: () => child.kill() });
      }
    });
  });
}

test.describe("the bar as a Leptos island", () => {
  let app;
  test.beforeAll(async () => {
    test.setTimeout(900_000); // the first build takes minutes
    build("bash", ["scripts/build-islands.sh"]);
    app = await startIslands();
  });
  test.afterAll(() => app?.stop());
  test.afterEach(() => {
    expect(app.alive(), "the server is still running").toBe(true);
    expect(app.logs.join("")).not.toMatch(/panicked/);
  });

  test("a visitor's page has no bar, fetches none of its code and has no complaint", async ({ page }) => {
    const found = complaints(page);
    const wasm = [];
    page.on("request", (request) => request.url().endsWith(".wasm") && wasm.push(new URL(request.url()).pathname));
    await page.goto(app.base + "/");
    await expect(page.locator("#who")).toHaveText("Nobody is impersonated.");
    await page.waitForLoadState("networkidle");
    // The lazy island is placed only for an impersonated request: nothing of it here.
    await expect(page.locator("leptos-island")).toHaveCount(0);
    await expect(page.locator(".staff-bar-host")).toHaveCount(0);
    expect(wasm).toEqual(["/pkg/islands.wasm"]);
    expect(found).toEqual([]);
  });

  test("the island renders on the server, comes alive in place, and Stop ends it", async ({ page }) => {
    const found = complaints(page);
    const html = await (await page.request.get(app.base + "/start")).text();
    expect(html).toContain("<leptos-island");
    expect(html).toContain('part="stop"');
    expect(html).toContain("bob@islands.test");
    // The session crosses in the bar's host, not as the island's prop.
    expect(html).toMatch(/class="staff-bar-host"[^>]*data-session="\{&quot;user&quot;|data-session="\{&quot;user&quot;[^>]*class="staff-bar-host"/);
    const wasm = [];
    page.on("request", (request) => request.url().endsWith(".wasm") && wasm.push(new URL(request.url()).pathname));
    await page.goto(app.base + "/");
    await expect(bar(page, "user")).toHaveText("bob@islands.test");
    await page.evaluate(() => (window.serverStop = document.querySelector('[part="stop"]')));
    // Alive once it announces itself; the server's nodes were taken over in place.
    await expect(page.locator('.staff-bar-host [role="status"]')).toHaveText(/bob@islands\.test/);
    expect(await page.evaluate(() => window.serverStop === document.querySelector('[part="stop"]'))).toBe(true);
    // The island's code came as a chunk of its own, after the main bundle.
    expect(wasm).toHaveLength(2);
    expect(wasm[0]).toBe("/pkg/islands.wasm");
    expect(wasm[1]).toMatch(/^\/pkg\/split_staff_bar_loader_\d+\.wasm$/);
    await expect(page.locator("html")).toHaveAttribute("data-impersonating", "");
    await bar(page, "minimize").click();
    await expect(bar(page, "restore")).toBeVisible();
    await bar(page, "restore").click();
    const posts = [];
    page.on("request", (request) => request.method() === "POST" && posts.push(new URL(request.url()).pathname));
    await bar(page, "stop").click();
    await expect(page.locator("#who")).toHaveText("Nobody is impersonated.");
    expect(posts).toContain("/api/stop_impersonating");
    await expect(page.locator('[part="bar"]')).toHaveCount(0);
    expect(found).toEqual([]);
  });
});
