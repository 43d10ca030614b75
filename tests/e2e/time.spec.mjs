// The bar tells the time (issue 24): when the impersonation ends, in the browser's own
// locale and time zone, and when it ended; a calm, stronger signal in the last two
// minutes; one screen-reader announcement at five minutes and one at one minute. On
// <staff-bar> in headless Chromium, under Playwright's clock.
import { test, expect } from "@playwright/test";
import { pageUrl, part, unique } from "./support.mjs";

const START = Date.parse("2026-11-25T12:00:00Z");

function session(expiresIn) {
  return JSON.stringify({
    user: { id: "user_01", email: "bob@acme.test" },
    impersonator: { email: "ada@support.test", reason: "Ticket 4521" },
    sessionId: unique("time"),
    expiresAt: new Date(START + expiresIn).toISOString(),
  });
}

/** Opens the bar for `session` with the page's clock at START, then stops the clock:
 * from there on time moves only by `page.clock.runFor`. */
async function open(page, text) {
  await page.clock.install({ time: START });
  await page.goto(pageUrl({ session: text }));
  await expect(part(page, "bar")).toBeAttached();
  await page.clock.pauseAt(START + 1_000);
}

for (const { timezoneId, locale, until, ended } of [
  // 12:32 UTC is 13:32 in Berlin in November, written the German way.
  { timezoneId: "Europe/Berlin", locale: "de-DE", until: /^until 13:32$/, ended: /^Ended at 13:32$/ },
  // And 7:32 in New York, the American way (a narrow space before AM).
  { timezoneId: "America/New_York", locale: "en-US", until: /^until 7:32\sAM$/, ended: /^Ended at 7:32\sAM$/ },
]) {
  test.describe(`in ${timezoneId}, ${locale}`, () => {
    test.use({ timezoneId, locale });

    test("it says until when, beside the time left, and when it ended", async ({ page }) => {
      await open(page, session(32 * 60_000));
      await expect(part(page, "time-left")).toHaveText("32 min left");
      await expect(part(page, "ends-at")).toHaveText(until);
      await page.clock.runFor(32 * 60_000);
      await expect(part(page, "ended")).toBeVisible();
      await expect(part(page, "ended-at")).toHaveText(ended);
    });
  });
}

test("the end is announced once at five minutes and once at one, never every second", async ({ page }) => {
  await open(page, session(10 * 60_000));
  await page.clock.runFor(200); // the one announcement of who is impersonated
  await expect(page.locator("staff-bar [role=status]")).toHaveText("You are impersonating bob@acme.test.");
  await page.locator("staff-bar").evaluate((host) => {
    window.__announced = [];
    const region = host.shadowRoot.querySelector("[role=status]");
    new MutationObserver(() => window.__announced.push(region.textContent)).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.clock.runFor(4 * 60_000);
  expect(await page.evaluate(() => window.__announced)).toEqual([]);
  await page.clock.runFor(60_000); // five minutes left
  await expect(page.locator("staff-bar [role=status]")).toHaveText("The impersonation ends in 5 min.");
  // Minimized, it still says the last one: the countdown wakes for it.
  await page.evaluate(() => window.__bar.minimize());
  await page.clock.runFor(4 * 60_000);
  await expect(page.locator("staff-bar [role=status]")).toHaveText("The impersonation ends in 1 min.");
  await page.clock.runFor(60_000);
  await expect(part(page, "ended")).toBeAttached();
  expect(await page.evaluate(() => window.__announced)).toEqual([
    "The impersonation ends in 5 min.",
    "The impersonation ends in 1 min.",
  ]);
});

test("the announcements follow the bar's language", async ({ page }) => {
  await page.clock.install({ time: START });
  await page.goto(pageUrl({ session: session(6 * 60_000), lang: "de" }));
  await expect(part(page, "bar")).toBeAttached();
  await page.clock.pauseAt(START + 1_000);
  await page.clock.runFor(60_000);
  await expect(page.locator("staff-bar [role=status]")).toHaveText("Der Identitätswechsel endet in 5 Min.");
});

test.describe("the last two minutes", () => {
  const urgent = (page) => page.locator("staff-bar").evaluate((host) => host.shadowRoot.querySelector(".staff-bar").hasAttribute("data-urgent"));
  const breathing = (page) =>
    page.locator("staff-bar").evaluate((host) => host.shadowRoot.getAnimations().some((animation) => animation.animationName === "sb-breathe"));

  test("a stronger but calm signal: the band breathes, the time left is underlined", async ({ page }) => {
    await open(page, session(3 * 60_000));
    expect(await urgent(page)).toBe(false);
    expect(await breathing(page)).toBe(false);
    await page.clock.runFor(59_000); // 2:00 left
    await expect.poll(() => urgent(page)).toBe(true);
    expect(await breathing(page)).toBe(true);
    await expect(part(page, "time-left")).toHaveCSS("text-decoration-line", "underline");
    await page.clock.runFor(2 * 60_000);
    await expect(part(page, "ended")).toBeVisible();
    expect(await urgent(page)).toBe(false);
  });

  test("with reduced motion, nothing moves", async ({ page }) => {
    await page.emulateMedia({ reducedMotion: "reduce" });
    await open(page, session(90_000));
    await expect.poll(() => urgent(page)).toBe(true);
    expect(await breathing(page)).toBe(false);
    await expect(part(page, "time-left")).toHaveCSS("text-decoration-line", "underline");
  });
});
