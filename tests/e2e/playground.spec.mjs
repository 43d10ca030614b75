// The playground (`make playground`: trunk serve on index.html), built by Trunk and
// served at /playground/: the Leptos component in its dev preview, with controls.
import { test, expect } from "@playwright/test";
import { copyFileSync, mkdirSync } from "node:fs";

const part = (page, name) => page.locator(`.staff-bar [part="${name}"]`);

test("the playground previews the bar and its controls restyle it", async ({ page }) => {
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.setViewportSize({ width: 900, height: 640 });
  await page.goto("/playground/");
  await expect(part(page, "preview")).toBeVisible();
  await expect(part(page, "user")).toHaveText("bob@acme.test");
  await expect(part(page, "time-left")).toHaveText("42 min left");

  await page.getByRole("button", { name: "Warning (under 5 min)" }).click();
  await expect(part(page, "time-left")).toHaveAttribute("data-warning", "");
  await expect(part(page, "preview")).toHaveCount(0);

  await page.getByLabel("Side").selectOption("top");
  // The tab stands on the band's inner edge, 4 px from the top.
  await expect(async () => expect((await part(page, "bar").boundingBox()).y).toBeLessThan(4.5)).toPass();
  await page.getByLabel("Side").selectOption("bottom");

  await page.locator("fieldset", { hasText: "Language" }).locator("select").selectOption("de");
  await expect(page.getByRole("button", { name: "Beenden" })).toBeVisible();
  await page.locator("fieldset", { hasText: "Language" }).locator("select").selectOption("en");

  await page.getByRole("button", { name: "Preview (42 min)" }).click();
  await expect(part(page, "preview")).toBeVisible();
  // Stop in the preview ends it; Alt+Shift+P brings it back.
  await part(page, "stop").click();
  await expect(part(page, "bar")).toHaveCount(0);
  await page.keyboard.press("Alt+Shift+KeyP");
  await expect(part(page, "bar")).toBeVisible();
  expect(requests.filter((url) => !url.includes("/playground/"))).toEqual([]);

  mkdirSync(new URL("../../target/screenshots/", import.meta.url), { recursive: true });
  const file = new URL("../../target/screenshots/playground.png", import.meta.url).pathname;
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS) copyFileSync(file, new URL("../../docs/screenshots/playground.png", import.meta.url).pathname);
});
