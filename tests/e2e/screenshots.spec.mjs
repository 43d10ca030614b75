// Screenshots for the README, taken in headless Chromium on the sample site. They land
// in target/screenshots/; with UPDATE_SCREENSHOTS=1 also in docs/screenshots/.
import { test, expect } from "@playwright/test";
import { copyFileSync, mkdirSync } from "node:fs";
import { pageUrl, part } from "./support.mjs";

const out = "../../target/screenshots";
const docs = "../../docs/screenshots";

const session = (expiresIn, sessionId) =>
  JSON.stringify({
    user: { email: "bob@acme.test" },
    impersonator: { email: "ada@support.test", reason: "Ticket 4521: the invoices page is empty" },
    organization: { name: "Acme" },
    sessionId,
    expiresAt: new Date(Date.now() + expiresIn).toISOString(),
  });

async function shoot(page, name) {
  mkdirSync(new URL(out + "/", import.meta.url), { recursive: true });
  const file = new URL(`${out}/${name}.png`, import.meta.url).pathname;
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS) {
    mkdirSync(new URL(docs + "/", import.meta.url), { recursive: true });
    copyFileSync(file, new URL(`${docs}/${name}.png`, import.meta.url).pathname);
  }
}


test.use({ viewport: { width: 900, height: 420 } });

test("README screenshots of every state", async ({ page }) => {
  await page.goto(pageUrl({ session: session(42 * 60_000, "shot-expanded") }));
  await page.getByRole("button", { name: "Reason" }).click();
  await expect(part(page, "reason")).toBeVisible();
  await shoot(page, "expanded");

  await part(page, "minimize").click();
  await expect(part(page, "restore")).toBeVisible();
  // The 500 ms minimize transition has finished.
  await page.locator("staff-bar").evaluate((host) => Promise.all(host.shadowRoot.getAnimations().map((a) => a.finished)));
  await shoot(page, "minimized");

  await page.goto(pageUrl({ session: session(4 * 60_000 + 20_000, "shot-warning") }));
  await expect(part(page, "time-left")).toHaveAttribute("data-warning", "");
  await shoot(page, "warning");

  await page.goto(pageUrl({ session: session(1_500, "shot-ended") }));
  await expect(part(page, "ended")).toBeVisible({ timeout: 5_000 });
  await shoot(page, "ended");

  await page.goto(pageUrl({ session: session(42 * 60_000, "shot-rtl"), lang: "ar" }));
  await page.evaluate(() => (document.documentElement.dir = "rtl"));
  await expect(part(page, "stop")).toBeVisible();
  await shoot(page, "right-to-left");

  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto(pageUrl({ session: session(42 * 60_000, "shot-phone") }));
  await expect(part(page, "stop")).toBeVisible();
  await shoot(page, "phone");

  await page.setViewportSize({ width: 900, height: 420 });
  await page.goto(pageUrl({ preview: "" }));
  await expect(part(page, "preview")).toBeVisible();
  await shoot(page, "preview");
});
