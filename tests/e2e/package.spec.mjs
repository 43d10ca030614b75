// The npm package: dist/ as `npm pack` packs it, installed from the tarball into a fresh
// project, checked against the Custom Elements Manifest schema and SPEC.md, and used in
// headless Chromium from a plain HTML page served from another path and from a fresh
// Vite app that imports it by name.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { root } from "./demo-support.mjs";
import { part, trackRequests, unique } from "./support.mjs";

const require = createRequire(import.meta.url);
const check = path.join(root, "target/npm-check");
const app = path.join(check, "app");
const vite = path.join(check, "vite");
const installed = path.join(app, "node_modules/staff-bar");

// SPEC.md's names, which the package's manifest must carry (SPEC.md, "Public surfaces").
const SPEC = {
  attributes: ["session-url", "session", "sign-out-url", "sign-out-mode", "return-to", "side", "z-index",
    "csrf-token", "csrf-header", "csrf-field", "lang", "preview", "align", "theme"],
  events: ["staff-bar:stop", "staff-bar:signed-out", "staff-bar:error", "staff-bar:minimize",
    "staff-bar:restore", "staff-bar:expired", "staff-bar:change"],
  parts: ["frame", "bar", "message", "user", "organization", "impersonator", "reason", "time-left", "stop",
    "minimize", "restore", "error", "ended"],
  members: ["stop", "minimize", "restore", "impersonating", "session", "timeLeft", "ended", "minimized"],
  slots: ["message"],
};

const SESSION = {
  user: { id: "user_01", email: "bob@npm.test" },
  impersonator: { email: "ada@support.test", reason: "Package check" },
  organization: { id: "org_01", name: "Npm Co" },
  expiresAt: "2999-01-01T00:00:00Z",
};

const page = (body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>npm check</title><link rel="icon" href="data:,">
<script type="module" src="./node_modules/staff-bar/staff-bar.js"></script></head>
<body><main>A page of a site that installed staff-bar from npm.</main>${body}</body></html>`;

const manifest = () => JSON.parse(readFileSync(path.join(installed, "custom-elements.json"), "utf8"));
const declaration = () => manifest().modules[0].declarations[0];

test.describe("the npm package", () => {
  test.beforeAll(() => {
    rmSync(check, { recursive: true, force: true });
    mkdirSync(app, { recursive: true });
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", check, path.join(root, "dist")], { encoding: "utf8" }));
    const tarball = path.join(check, packed[0].filename);
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "npm-check", private: true, type: "module" }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: app, stdio: "pipe" });
    writeFileSync(path.join(app, "index.html"), page(
      `<staff-bar session='${JSON.stringify(SESSION)}' sign-out-url="/sign-out/error?key=${unique("npm")}"></staff-bar>`));
    writeFileSync(path.join(app, "visitor.html"), page(`<staff-bar session-url="/session/not-impersonating"></staff-bar>`));
    // A fresh Vite app that installed the same tarball and imports the package by name.
    mkdirSync(vite, { recursive: true });
    writeFileSync(path.join(vite, "package.json"), JSON.stringify({ name: "vite-check", private: true, type: "module" }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: vite, stdio: "pipe" });
    writeFileSync(path.join(vite, "main.js"), 'import "staff-bar";\n');
    writeFileSync(path.join(vite, "index.html"), page(`<staff-bar session='${JSON.stringify({ ...SESSION, user: { email: "carol@vite.test" } })}'
      sign-out-url="/sign-out/ok?key=${unique("vite")}"></staff-bar>`).replace("./node_modules/staff-bar/staff-bar.js", "./main.js"));
    execFileSync(process.execPath, [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--base", "./", "--logLevel", "warn"], { cwd: vite, stdio: "pipe" });
  });

  test("packs what a site needs and nothing of the repository", () => {
    const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", path.join(root, "dist")], { encoding: "utf8" }));
    const files = packed[0].files.map((file) => file.path).sort();
    expect(files).toEqual([
      "LICENSE-APACHE", "LICENSE-MIT", "README.md", "custom-elements.json", "package.json", "staff-bar-core.js",
      "staff-bar-core_bg.wasm", "staff-bar-fallback.js", "staff-bar.d.ts", "staff-bar.js",
    ]);
    const meta = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8"));
    expect(meta.customElements).toBe("./custom-elements.json");
    expect(meta.jsdelivr).toBe("./staff-bar.js");
    expect(meta.unpkg).toBe("./staff-bar.js");
    expect(meta.exports["."].default).toBe("./staff-bar.js");
  });

  test("custom-elements.json is a valid manifest that names all of SPEC.md", () => {
    const Ajv = require("ajv");
    const validate = new Ajv({ strict: false, allErrors: true }).compile(require("custom-elements-manifest/schema.json"));
    expect(validate(manifest()), JSON.stringify(validate.errors)).toBe(true);
    // The validator refuses a broken manifest, so the check above can fail.
    const broken = manifest();
    delete broken.schemaVersion;
    broken.modules[0].declarations[0].events[0].name = 7;
    expect(validate(broken)).toBe(false);

    const element = declaration();
    expect(element.tagName).toBe("staff-bar");
    const names = (list) => list.map((item) => item.name);
    for (const name of SPEC.attributes) expect(names(element.attributes)).toContain(name);
    for (const name of SPEC.events) expect(names(element.events)).toContain(name);
    for (const name of SPEC.parts) expect(names(element.cssParts)).toContain(name);
    for (const name of SPEC.members) expect(names(element.members)).toContain(name);
    for (const name of SPEC.slots) expect(names(element.slots)).toContain(name);
    // Nothing it names is made up: the events are the typed ones of staff-bar.d.ts.
    const types = readFileSync(path.join(installed, "staff-bar.d.ts"), "utf8");
    const typed = [...types.matchAll(/"(staff-bar:[a-z-]+)": CustomEvent/g)].map((match) => match[1]).sort();
    expect(names(element.events).sort()).toEqual(typed);
  });

  test("installed from the tarball, it renders the bar on a page under another path", async ({ page: tab }) => {
    const errors = [];
    tab.on("pageerror", (error) => errors.push(String(error)));
    await tab.goto("/npm/app/index.html");
    await expect(part(tab, "user")).toHaveText("bob@npm.test");
    await expect(part(tab, "organization")).toHaveText("Npm Co");
    await expect(tab.locator("html")).toHaveAttribute("data-impersonating", "");
    // What the manifest says is what the element is: the loader observes exactly its
    // attributes, and every part it names is in the bar.
    const observed = await tab.evaluate(() => customElements.get("staff-bar").observedAttributes);
    expect([...observed].sort()).toEqual(declaration().attributes.map((attribute) => attribute.name).sort());
    const rendered = await tab.evaluate(() =>
      [...document.querySelector("staff-bar").shadowRoot.querySelectorAll("[part]")].map((node) => node.getAttribute("part")));
    await part(tab, "stop").click();
    await expect(part(tab, "error")).toBeVisible();
    const withError = await tab.evaluate(() =>
      [...document.querySelector("staff-bar").shadowRoot.querySelectorAll("[part]")].map((node) => node.getAttribute("part")));
    const shown = new Set([...rendered, ...withError]);
    const missing = declaration().cssParts.map((cssPart) => cssPart.name).filter((name) => !shown.has(name) && name !== "ended");
    expect(missing).toEqual([]);
    // The methods it names are there.
    for (const member of declaration().members.filter((member) => member.kind === "method")) {
      expect(await tab.evaluate((name) => typeof document.querySelector("staff-bar")[name], member.name)).toBe("function");
    }
    expect(errors).toEqual([]);
  });

  test("an ordinary visitor of that page downloads no WebAssembly", async ({ page: tab }) => {
    const urls = trackRequests(tab);
    await tab.goto("/npm/app/visitor.html");
    await tab.waitForLoadState("networkidle");
    await expect(tab.locator("staff-bar [part]")).toHaveCount(0);
    expect(urls.filter((url) => url.endsWith(".wasm"))).toEqual([]);
    expect(urls.some((url) => url.includes("/npm/app/node_modules/staff-bar/staff-bar.js"))).toBe(true);
  });

  test("a Vite app that installed the tarball bundles it and shows the bar", async ({ page: tab }) => {
    const urls = trackRequests(tab);
    const errors = [];
    tab.on("pageerror", (error) => errors.push(String(error)));
    await tab.goto("/npm/vite/dist/index.html");
    await expect(part(tab, "user")).toHaveText("carol@vite.test");
    // Vite took the loader's files as assets, with hashed (versioned) names.
    expect(urls.some((url) => /\/npm\/vite\/dist\/assets\/staff-bar-core_bg-[\w-]+\.wasm$/.test(url))).toBe(true);
    await part(tab, "stop").click();
    await expect(tab).toHaveURL(/#signed-out-vite-/);
    expect(errors).toEqual([]);
  });
});
