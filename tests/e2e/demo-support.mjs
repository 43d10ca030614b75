// The demo server as the end-to-end tests run it: the real binary of `make demo`
// (the `serve` profile: a debug build that aborts on a panic), started on a free
// port (PORT=0), and the walk from the stand-in's dashboard into an impersonation.
import { expect } from "@playwright/test";
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const binary = path.join(root, "target/serve/staff-bar-demo");
export const STAFF = "ada@support.test";

/** Starts the demo binary with `env`; resolves once it printed its address. */
export function startDemo(env = {}) {
  const child = spawn(binary, [], {
    cwd: root,
    env: { ...process.env, PORT: "0", RUST_LOG: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs = [];
  child.stderr.on("data", (chunk) => logs.push(String(chunk)));
  child.stdout.on("data", (chunk) => logs.push(String(chunk)));
  const started = new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("the demo did not start:\n" + logs.join(""))), 20_000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/staff-bar demo: (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${logs.join("")}`));
    });
  });
  return started.then((base) => ({
    base,
    logs,
    /** Whether the process is still running (a panic aborts it). */
    alive: () => child.exitCode === null && child.signalCode === null,
    stop() {
      child.removeAllListeners("exit");
      child.kill("SIGTERM");
    },
  }));
}

export const part = (page, name) => page.locator(`staff-bar [part="${name}"]`);

export async function session(page, base) {
  const response = await page.request.get(base + "/auth/session");
  return { status: response.status(), json: await response.json() };
}

/** The stand-in dashboard's staff account, shown and filled in on its sign-in page. */
export const STAFF_PASSWORD = "staff-bar-demo";

/**
 * On the stand-in dashboard's sign-in page (where a signed-out browser is sent), signs
 * in with the demo's staff account, which the page fills in; elsewhere does nothing.
 */
export async function staffSignIn(page) {
  if (!new URL(page.url()).pathname.startsWith("/workos/login")) return;
  await expect(page.locator("#demo-credentials")).toContainText(STAFF);
  await expect(page.locator("#demo-credentials")).toContainText(STAFF_PASSWORD);
  await expect(page.getByLabel("Email")).toHaveValue(STAFF);
  await expect(page.getByLabel("Password")).toHaveValue(STAFF_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Home → Dashboard (signing in as staff if asked) → Impersonate `name` with `reason` (and `org`) → back on Acme. */
export async function impersonate(page, base, { name, reason, org }) {
  await page.goto(base + "/");
  await page.getByRole("navigation", { name: "Acme" }).getByRole("link", { name: "Dashboard" }).click();
  await page.waitForURL((url) => url.pathname === "/workos/dashboard" || url.pathname === "/workos/login");
  await staffSignIn(page);
  await expect(page).toHaveURL(base + "/workos/dashboard");
  await enableImpersonationIfOff(page, base);
  await page.getByRole("link", { name: `Impersonate ${name}` }).click();
  await page.getByLabel("Reason").fill(reason);
  if (org) await page.getByLabel("Organization").selectOption({ label: org });
  await page.getByRole("button", { name: "Impersonate user" }).click();
  await expect(page).toHaveURL(base + "/");
}

/**
 * On the stand-in's users list: when it says User Impersonation is off (a new
 * environment), follows its link to Configure and turns it on as the Admin, as the
 * home page's first step says; lands back on the users list.
 */
export async function enableImpersonationIfOff(page, base) {
  const off = page.locator("#impersonation-off");
  if ((await off.count()) === 0) return;
  await off.getByRole("link", { name: /User Impersonation/ }).click();
  await expect(page.locator("#feature-status")).toContainText("User Impersonation is off");
  await page.getByRole("button", { name: "Turn on User Impersonation" }).click();
  await expect(page).toHaveURL(base + "/workos/dashboard");
  await expect(page.locator("#impersonation-off")).toHaveCount(0);
}

/** Runs a build step; its output is shown only when it fails. */
export function build(command, args) {
  try {
    execFileSync(command, args, { cwd: root, stdio: "pipe", encoding: "utf8" });
  } catch (error) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
}


/**
 * Builds what the demo serves and runs: the /leptos pages' wasm and the server in
 * the `serve` profile (scripts/build-demo.sh; seconds when nothing changed, minutes
 * the first time). The <staff-bar> bundle comes from `make bundle`.
 */
export function buildDemo() {
  build("bash", ["scripts/build-demo.sh"]);
  if (!existsSync(path.join(root, "dist/staff-bar.js"))) {
    throw new Error("dist/staff-bar.js is missing: run `make bundle` first");
  }
}

/** Collects console warnings and errors and page errors from `page`. */
export function complaints(page) {
  const found = [];
  page.on("console", (message) => {
    if (message.type() === "warning" || message.type() === "error") found.push(message.text());
  });
  page.on("pageerror", (error) => found.push(String(error)));
  return found;
}
