// Playwright drives Debian's Chromium (its own browser download is not reachable
// here). The test site server (tests/site/server.mjs, Node) serves the sample
// non-Rust pages and the built bundle under /vendor/staff-bar/.
import { defineConfig } from "@playwright/test";

const sitePort = Number(process.env.STAFF_BAR_SITE_PORT ?? 4918);

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.mjs$/,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "../../target/e2e-results",
  use: {
    baseURL: `http://127.0.0.1:${sitePort}`,
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `node ../site/server.mjs ${sitePort}`,
    url: `http://127.0.0.1:${sitePort}/received`,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
