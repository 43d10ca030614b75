// Size budget of the <staff-bar> bundle (issue 9): what a page view really downloads
// from dist/, measured in headless Chromium on the sample site, each response body
// compressed with zlib at level 9 (gzip -9). Fails with the numbers when over budget.
//
// The impersonated budget is the size reached plus 2%, so it catches any regression;
// lower it when the bundle shrinks. The loader is held to the target. The
// issue's targets:
//   - impersonated view, everything from dist/ (loader, glue, wasm, styles): ≤ 60 KB
//     (61,440 B) gzip, stretch 45 KB (46,080 B; the optional nightly build, run with
//     STAFF_BAR_DIST=dist-nightly, is under it);
//   - ordinary visitor: no wasm at all, ≤ 2 KB (2,048 B) gzip of staff-bar JavaScript.
import { test, expect } from "@playwright/test";
import { gzipSync } from "node:zlib";

/** Everything an impersonated view loads from dist/, gzip -9 bytes: 54,985 B (1,656
 * loader + 5,009 glue + 48,320 wasm, as this test compresses them) + 2%. Raised from
 * 53,370 (session 5) for the bar as a pure state machine in staff-bar-core, its
 * effects carried out by the browser side (+2.7 KB), which puts every transition under
 * native tests. Raised by 220 from 56,100 (issue 22) for the loader's core retry and
 * fallback hand-off, 1,656 → 1,867 B; the fallback notice itself
 * (staff-bar-fallback.js) is downloaded only when the core cannot be, so it is not
 * counted here. Issue 24 brought it to the target itself, 61,440 B (61,200 today):
 * what the page can read and do (stop(), minimize(), restore(), the properties and
 * staff-bar:change with the session), `align`, `theme`, the `message` slot (58,231 B),
 * the time of day the impersonation ends and ended, the last two minutes' signal and
 * the two announcements before the end in five languages (59,748 B), and the tab
 * dragged or moved by keyboard along its edge, remembered per impersonation. The
 * pointer arithmetic, `Intl` and the change detail are a few lines of JavaScript
 * beside the glue, which cost less than the same through web-sys. No headroom is
 * left: the next feature of the element must first find its bytes
 * (docs/performance.md). */
const IMPERSONATED_BUDGET = 61_440;
const IMPERSONATED_TARGET = 60 * 1024;
/** The stretch: the optional nightly build (`make test-nightly`, which serves
 * dist-nightly/) is held to it. */
const IMPERSONATED_STRETCH = 45 * 1024;
const NIGHTLY = process.env.STAFF_BAR_DIST === "dist-nightly";

/** The staff-bar JavaScript an ordinary visitor loads, gzip -9 bytes: 2,037 B minified
 * with esbuild (1,656 before issue 22's core retry and fallback hand-off, 1,867 before
 * issue 24's methods, properties, slot and three more text-* attributes, now 2,037; the fallback notice is a separate file,
 * staff-bar-fallback.js, that only a failed core load fetches). The target,
 * 2,048 B, is the budget. */
const LOADER_BUDGET = 2_048;
const LOADER_TARGET = 2 * 1024;

const impersonated = JSON.stringify({
  user: { id: "user_01", email: "bob@acme.test", firstName: "Bob", lastName: "Ng" },
  impersonator: { email: "ada@support.test", reason: "Ticket 4521" },
  organization: { id: "org_01", name: "Acme" },
  sessionId: "session_01",
});

function pageUrl(attributes) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(attributes)) params.set("attr." + name, value);
  return "/pages/configurable.html?" + params;
}

/** Collects every response from the bundle's folder (/vendor/staff-bar/). */
function trackBundle(page) {
  const responses = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/vendor/staff-bar/")) responses.push(response);
  });
  return async () => {
    const files = [];
    for (const response of responses) {
      const body = await response.body();
      files.push({
        file: new URL(response.url()).pathname.split("/").pop(),
        bytes: body.length,
        gzip: gzipSync(body, { level: 9 }).length,
      });
    }
    return files;
  };
}

function report(title, files, budget, target) {
  const total = files.reduce((sum, file) => sum + file.gzip, 0);
  const lines = files.map(({ file, bytes, gzip }) => `  ${file.padEnd(26)} ${String(bytes).padStart(8)} B  ${String(gzip).padStart(7)} B gzip`);
  const text =
    `${title}\n${lines.join("\n")}\n` +
    `  total ${total} B gzip; budget ${budget} B (${total > budget ? "OVER by " + (total - budget) : "under by " + (budget - total)} B); ` +
    `issue 9 target ${target} B (${total > target ? "over by " + (total - target) : "met"})`;
  console.log(text);
  return { total, text };
}

test("an impersonated view loads at most the size budget from dist/", async ({ page }) => {
  const bundle = trackBundle(page);
  await page.goto(pageUrl({ session: impersonated }));
  await expect(page.locator('staff-bar [part="bar"]')).toBeVisible();
  await page.waitForLoadState("networkidle");
  const files = await bundle();
  const { total, text } = report("impersonated view, from dist/:", files, IMPERSONATED_BUDGET, IMPERSONATED_TARGET);
  const names = files.map((file) => file.file).sort();
  expect(names, text).toEqual(["staff-bar-core.js", "staff-bar-core_bg.wasm", "staff-bar.js"]);
  expect(total, `size budget exceeded:\n${text}`).toBeLessThanOrEqual(IMPERSONATED_BUDGET);
  if (NIGHTLY) {
    console.log(`  nightly build: ${total} B against the 45 KB stretch (${IMPERSONATED_STRETCH} B)`);
    expect(total, `the nightly build is over the stretch:\n${text}`).toBeLessThanOrEqual(IMPERSONATED_STRETCH);
  }
});

test("an ordinary visitor loads no wasm and only the small loader", async ({ page }) => {
  const urls = [];
  page.on("request", (request) => urls.push(request.url()));
  const bundle = trackBundle(page);
  await page.goto(pageUrl({ "session-url": "/session/not-impersonating" }));
  await page.waitForLoadState("networkidle");
  await expect(page.locator('staff-bar [part="bar"]')).toHaveCount(0);
  const files = await bundle();
  const scripts = files.filter((file) => file.file.endsWith(".js"));
  const { total, text } = report("not-impersonated view, JavaScript from dist/:", scripts, LOADER_BUDGET, LOADER_TARGET);
  expect(urls.filter((url) => new URL(url).pathname.endsWith(".wasm")), "an ordinary visitor downloaded wasm").toEqual([]);
  expect(files.map((file) => file.file), text).toEqual(["staff-bar.js"]);
  expect(total, `size budget exceeded:\n${text}`).toBeLessThanOrEqual(LOADER_BUDGET);
});
