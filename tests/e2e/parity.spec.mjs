// The look of authkit-nextjs's own <Impersonation/> (4.3.2 from npm, React 19, bundled
// by tests/e2e/peer/build.mjs) and staff-bar's (the <staff-bar> element, and the Leptos
// component on the playground's `?twin` page), side by side on twin pages with the same
// session and the same --workos-impersonation-* variables, judged from the pixels of
// screenshots: the band on every edge (its width and both colours), the tab where it
// meets the band, and the text size (the Stop button is 1.714em tall in both).
import { test, expect } from "@playwright/test";
import { PNG } from "pngjs";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { buildPeer } from "./peer/build.mjs";

const VIEWPORT = { width: 900, height: 420 };

const THEMES = {
  defaults: {},
  themed: {
    "--workos-impersonation-size": "10px",
    "--workos-impersonation-background-color": "rgb(37, 99, 235)",
    "--workos-impersonation-color": "rgb(255, 255, 255)",
    "--workos-impersonation-border-color": "rgb(15, 23, 42)",
    "--workos-impersonation-border-width": "2px",
  },
  "size 40px (clamped)": { "--workos-impersonation-size": "40px" },
  "border width 0": { "--workos-impersonation-border-width": "0px" },
};

test.beforeAll(async () => {
  await buildPeer();
});

/** Opens the twin page of `impl` (`peer`, `element` or `component`) and waits for its
 * Stop button. */
async function openTwin(page, impl, vars, side) {
  await page.setViewportSize(VIEWPORT);
  const query = `side=${side}&vars=${encodeURIComponent(JSON.stringify(vars))}`;
  await page.goto(impl === "component" ? `/playground/?twin&${query}` : `/pages/twin.html?impl=${impl}&${query}`);
  const stop = page.getByRole("button", { name: "Stop" });
  await expect(stop).toBeVisible();
  return stop;
}

/** Waits until no transition is in flight, in the page or any <staff-bar>. */
const settled = (page) =>
  page.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll("staff-bar")].map((host) => host.shadowRoot)];
    return Promise.all(roots.flatMap((root) => root.getAnimations()).map((animation) => animation.finished));
  });

/** The twin page's screenshot, decoded, and where its tab and Stop button are. */
async function capture(page, impl, vars, side) {
  const stop = await openTwin(page, impl, vars, side);
  // The organization arrives after a server action in the peer: wait for the whole text.
  const tab = impl === "peer" ? page.locator("form") : page.locator('[part="bar"]');
  await expect(tab).toContainText("Acme");
  await settled(page);
  const shot = await page.screenshot();
  return { shot, png: PNG.sync.read(shot), tab: await tab.boundingBox(), stop: await stop.boundingBox() };
}

/** The README's side-by-side pair: in target/screenshots/, and with UPDATE_SCREENSHOTS=1
 * in docs/screenshots/ too. */
function keep(name, shot) {
  const out = new URL("../../target/screenshots/", import.meta.url).pathname;
  mkdirSync(out, { recursive: true });
  writeFileSync(out + name + ".png", shot);
  if (process.env.UPDATE_SCREENSHOTS) {
    const docs = new URL("../../docs/screenshots/", import.meta.url).pathname;
    mkdirSync(docs, { recursive: true });
    copyFileSync(out + name + ".png", docs + name + ".png");
  }
}

const pixel = (png, x, y) => {
  const at = (png.width * Math.round(y) + Math.round(x)) << 2;
  return [png.data[at], png.data[at + 1], png.data[at + 2]];
};
const same = (a, b, tolerance = 3) => a.every((value, i) => Math.abs(value - b[i]) <= tolerance);

/** From `edge` inwards along one line: how many pixels differ from the page's white,
 * the colour at the edge, and the colour of the innermost band pixel (the line). */
function band(png, edge, at) {
  const white = [255, 255, 255];
  const point = (depth) => {
    switch (edge) {
      case "top": return [at, depth];
      case "bottom": return [at, png.height - 1 - depth];
      case "left": return [depth, at];
      default: return [png.width - 1 - depth, at];
    }
  };
  let depth = 0;
  while (depth < 60 && !same(pixel(png, ...point(depth)), white)) depth++;
  return { width: depth, outer: pixel(png, ...point(0)), inner: pixel(png, ...point(Math.max(0, depth - 1))) };
}

/** The run of pixels of `colour` down the column `x`, within `box` (and a little
 * around it), from the first one met. */
function run(png, x, colour, box) {
  let y = Math.max(0, Math.floor(box.y) - 4);
  const end = Math.min(png.height, Math.ceil(box.y + box.height) + 4);
  while (y < end && !same(pixel(png, x, y), colour, 24)) y++;
  const start = y;
  while (y < end && same(pixel(png, x, y), colour, 24)) y++;
  return y - start;
}

/** The colour at `depth` from the attached edge, just inside the tab's side border. */
function tabAtEdge(png, tab, side, depth) {
  const x = tab.x + tab.width * 0.02 + 3;
  return pixel(png, x, side === "top" ? depth : png.height - 1 - depth);
}

for (const impl of ["element", "component"]) {
  for (const [theme, vars] of Object.entries(THEMES)) {
    for (const side of ["bottom", "top"]) {
      test(`${impl}, ${theme}, side ${side}: the band, the tab and the text match the original`, async ({ page }) => {
        const peer = await capture(page, "peer", vars, side);
        const ours = await capture(page, impl, vars, side);
        if (impl === "element" && side === "bottom" && theme !== "border width 0" && theme !== "size 40px (clamped)") {
          keep(`parity-${theme}-authkit`, peer.shot);
          keep(`parity-${theme}-staff-bar`, ours.shot);
        }
        // The band on every edge: as wide, the same colour outside, the same line inside.
        // Lines clear of the tab (which may span all but 2 × size on each side).
        for (const [edge, at] of [["top", 20], ["bottom", 20], ["left", VIEWPORT.height * 0.5], ["right", VIEWPORT.height * 0.5]]) {
          const theirs = band(peer.png, edge, at);
          const mine = band(ours.png, edge, at);
          expect(mine.width, `${edge} band width`).toBe(theirs.width);
          expect(same(mine.outer, theirs.outer), `${edge} band colour ${mine.outer} vs ${theirs.outer}`).toBe(true);
          expect(same(mine.inner, theirs.inner), `${edge} line colour ${mine.inner} vs ${theirs.inner}`).toBe(true);
        }
        // Where the tab meets the band, it covers the line: band colour all the way in.
        const depth = band(peer.png, side, 20).width;
        for (let d = 0; d <= depth + 1; d++) {
          const theirs = tabAtEdge(peer.png, peer.tab, side, d);
          const mine = tabAtEdge(ours.png, ours.tab, side, d);
          expect(same(mine, theirs), `tab at depth ${d}: ${mine} vs ${theirs}`).toBe(true);
        }
        // The text size: the Stop button, 1.714em tall, measured in pixels of its colour
        // down a column in its padding (clear of its rounded corners and of the word).
        const column = (stop) => stop.x + stop.height * 0.3;
        const colour = pixel(peer.png, column(peer.stop), peer.stop.y + peer.stop.height / 2);
        const theirs = run(peer.png, column(peer.stop), colour, peer.stop);
        const mine = run(ours.png, column(ours.stop), colour, ours.stop);
        expect(Math.abs(mine - theirs), `Stop height ${mine} px vs ${theirs} px`).toBeLessThanOrEqual(1);
        expect(theirs).toBeGreaterThan(10);
      });
    }
  }
}

/** The restore pill's box once minimized, and the frame part's box. */
async function minimized(page, impl, vars, side) {
  await openTwin(page, impl, vars, side);
  if (impl === "peer") {
    await page.locator("form button").last().click();
  } else {
    await page.locator('[part="minimize"]').click();
  }
  await settled(page);
  // The original's pill is the div around its restore button; ours is the button.
  const pill = impl === "peer" ? page.locator("[data-workos-impersonation-root] > div > div").last() : page.locator('[part="restore"]');
  const boxes = { pill: await pill.boundingBox(), frame: impl === "peer" ? null : await page.locator('[part="frame"]').boundingBox() };
  // The next twin page starts expanded: forget that this one was minimized.
  await page.evaluate(() => localStorage.clear());
  return boxes;
}

for (const impl of ["element", "component"]) {
  for (const [theme, vars] of Object.entries(THEMES)) {
    test(`${impl}, ${theme}: minimized, the restore pill is the original's, and part=frame spans the viewport`, async ({ page }) => {
      for (const side of ["bottom", "top"]) {
        const theirs = await minimized(page, "peer", vars, side);
        const mine = await minimized(page, impl, vars, side);
        for (const key of ["x", "y", "width", "height"]) {
          expect(Math.abs(mine.pill[key] - theirs.pill[key]), `${side} pill ${key}: ${mine.pill[key]} vs ${theirs.pill[key]}`).toBeLessThanOrEqual(1);
        }
        expect(mine.frame).toEqual({ x: 0, y: 0, width: VIEWPORT.width, height: VIEWPORT.height });
      }
    });
  }
}
