// staff-bar against its React 19 peer, side by side in one headless Chromium run.
//
//   node bench/run.mjs        (after `make bundle` and `node bench/build-react.mjs`;
//                              `make bench` does all three)
//   BENCH_RUNS=15             measured runs (default 15); each run loads all four pages
//   BENCH_WARMUP=1            runs before those that are not counted
//   BENCH_PORT=0              port of the static server (0: any free one)
//
// It starts its own static server on 127.0.0.1 that serves bench/pages/ at /pages/,
// dist/ at /vendor/staff-bar/ and bench/dist-react/ at /react/, every response gzip -9
// compressed (compressed once, then served from memory, so compression never sits in
// the timings) with Cache-Control: no-store. Every page view gets a fresh browser
// context: a first visit, with a cold HTTP cache and no compiled-code cache.
//
// Per page view it records:
//   bytes      the encoded (gzip, as transferred) response body sizes Chromium reports
//              for each request (Playwright's request.sizes().responseBodySize; headers
//              not counted), summed by kind from the URL: html, js, wasm, css, other
//   painted    ms from navigation start (performance.timeOrigin) to the first frame
//              with the bar in it: an init script polls once per animation frame for
//              the `[part=bar]` element inside the open shadow root of <staff-bar> or
//              of the React host, and waits until it is styled (position: fixed and
//              the frame's box-shadow applied) and has a box; from that
//              requestAnimationFrame callback it posts a MessageChannel message, which
//              runs right after that frame's rendering update, and the time there is
//              the paint time. (Element Timing and LCP do not see into shadow roots
//              reliably, a MutationObserver does not see paint.)
//   load       ms to the load event (navigation timing), for every page
//   longtasks  PerformanceObserver 'longtask', registered before any page script: the
//              count and the longest
//   cls        PerformanceObserver 'layout-shift': the sum of values without recent input
//   heap       V8 heap in use after a forced GC: CDP HeapProfiler.collectGarbage, then
//              Runtime.getHeapUsage().usedSize; wasm linear memory is not in it
//   wasm       the byteLength of every exported WebAssembly.Memory: the init script
//              wraps WebAssembly.instantiate/instantiateStreaming and keeps the
//              instances, so the memory is read without touching the glue
// It prints medians with min–max, the staff-bar/React ratios and the targets,
// and writes everything (each sample included) to target/bench/results.json.

import http from "node:http";
import os from "node:os";
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright";

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = positive(process.env.BENCH_RUNS, 15);
const warmup = nonNegative(process.env.BENCH_WARMUP, 1);
const KB = 1024;

function positive(text, fallback) {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function nonNegative(text, fallback) {
  const value = Number(text);
  return text !== undefined && Number.isInteger(value) && value >= 0 ? value : fallback;
}

// ---------------------------------------------------------------- static server

const mounts = [
  ["/pages/", "bench/pages"],
  ["/vendor/staff-bar/", "dist"],
  ["/react/", "bench/dist-react"],
];

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

const cache = new Map(); // file -> { plain, gzip }

async function body(file) {
  let entry = cache.get(file);
  if (!entry) {
    const plain = await readFile(file);
    entry = { plain, gzip: gzipSync(plain, { level: 9 }) };
    cache.set(file, entry);
  }
  return entry;
}

function resolve(pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const base = normalize(join(root, dir));
    const file = normalize(join(base, decodeURIComponent(pathname.slice(prefix.length))));
    if (file.startsWith(base + sep)) return file;
  }
  return null;
}

function startServer(port) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    res.setHeader("Cache-Control", "no-store");
    if (url.pathname === "/sign-out") {
      if (req.method !== "POST") {
        res.writeHead(405);
        return res.end();
      }
      for await (const _ of req); // drain the JSON body
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ redirectTo: "/pages/signed-out.html" }));
    }
    const file = resolve(url.pathname);
    if (!file) {
      res.writeHead(404);
      return res.end();
    }
    try {
      const { plain, gzip } = await body(file);
      const gzipped = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
      const data = gzipped ? gzip : plain;
      const headers = {
        "Content-Type": types[extname(file)] ?? "application/octet-stream",
        "Content-Length": data.length,
        Vary: "Accept-Encoding",
      };
      if (gzipped) headers["Content-Encoding"] = "gzip";
      res.writeHead(200, headers);
      res.end(data);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((done) => server.listen(port, "127.0.0.1", () => done(server)));
}

// ---------------------------------------------------------------- in-page probe

// Runs in every page before its own scripts (context.addInitScript).
function probe() {
  const bench = (window.__bench = { painted: null, styled: null, longtasks: [], cls: 0, instances: [] });

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longtasks.push(entry.duration);
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) bench.cls += entry.value;
  }).observe({ type: "layout-shift", buffered: true });

  // Keep every instance the page creates, to read its linear memory later.
  const keep = (promise) =>
    promise.then((result) => {
      bench.instances.push(result instanceof WebAssembly.Instance ? result : result.instance);
      return result;
    });
  const { instantiate, instantiateStreaming } = WebAssembly;
  WebAssembly.instantiate = function (...args) {
    return keep(instantiate.apply(this, args));
  };
  if (instantiateStreaming) {
    WebAssembly.instantiateStreaming = function (...args) {
      return keep(instantiateStreaming.apply(this, args));
    };
  }
  bench.wasmMemory = () => {
    let bytes = 0;
    for (const instance of bench.instances) {
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory) bytes += value.buffer.byteLength;
      }
    }
    return bytes;
  };

  // The bar counts as painted in the first frame where it is in the DOM, styled by
  // its stylesheet and laid out.
  const styledBar = () => {
    for (const host of document.querySelectorAll("staff-bar, [data-staff-bar-react]")) {
      const shadow = host.shadowRoot;
      const bar = shadow?.querySelector('[part="bar"]');
      const frame = shadow?.querySelector('[part="frame"]');
      if (!bar || !frame) continue;
      if (getComputedStyle(bar).position !== "fixed") continue;
      // The band is drawn by the frame's ::before (the stylesheet's authkit-nextjs geometry).
      if (getComputedStyle(frame, "::before").boxShadow === "none") continue;
      if (bar.getBoundingClientRect().height > 0) return bar;
    }
    return null;
  };
  const tick = () => {
    if (!styledBar()) return requestAnimationFrame(tick);
    bench.styled = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (bench.painted = performance.now());
    channel.port2.postMessage(null);
  };
  requestAnimationFrame(tick);
}

// ---------------------------------------------------------------- one page view

const pages = {
  "staff-bar/impersonated": { path: "/pages/staff-bar-impersonated.html", bar: true },
  "react/impersonated": { path: "/pages/react-impersonated.html", bar: true },
  "staff-bar/not-impersonated": { path: "/pages/staff-bar-not-impersonated.html", bar: false },
  "react/not-impersonated": { path: "/pages/react-not-impersonated.html", bar: false },
};

function kindOf(url) {
  const path = new URL(url).pathname;
  if (path.endsWith(".html")) return "html";
  if (path.endsWith(".js") || path.endsWith(".mjs")) return "js";
  if (path.endsWith(".wasm")) return "wasm";
  if (path.endsWith(".css")) return "css";
  return "other";
}

async function view(browser, base, name) {
  const { path, bar } = pages[name];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(probe);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const sizes = [];
  page.on("requestfinished", (request) => {
    sizes.push(request.sizes().then((size) => ({ url: request.url(), body: size.responseBodySize })));
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));

  await page.goto(base + path, { waitUntil: "load" });
  if (bar) await page.waitForFunction(() => window.__bench.painted !== null, null, { timeout: 20_000 });
  await page.waitForLoadState("networkidle");

  const measured = await page.evaluate(() => {
    const [navigation] = performance.getEntriesByType("navigation");
    const bench = window.__bench;
    return {
      painted: bench.painted,
      load: navigation.loadEventEnd,
      longtasks: bench.longtasks,
      cls: bench.cls,
      wasm: bench.wasmMemory(),
      resources: performance.getEntriesByType("resource").map((entry) => ({
        file: new URL(entry.name).pathname.split("/").pop(),
        start: entry.startTime,
        end: entry.responseEnd,
      })),
    };
  });
  await cdp.send("HeapProfiler.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");

  const bytes = { html: 0, js: 0, wasm: 0, css: 0, other: 0, total: 0 };
  const files = [];
  for (const { url, body } of await Promise.all(sizes)) {
    bytes[kindOf(url)] += body;
    bytes.total += body;
    files.push({ path: new URL(url).pathname, gzip: body });
  }
  await context.close();
  if (errors.length) throw new Error(`${name}: page errors: ${errors.join("; ")}`);
  return {
    bytes,
    files,
    painted: measured.painted,
    load: measured.load,
    longtaskCount: measured.longtasks.length,
    longtaskMax: Math.max(0, ...measured.longtasks),
    cls: measured.cls,
    heap: heap.usedSize,
    wasmMemory: measured.wasm,
    resources: measured.resources,
  };
}

// ---------------------------------------------------------------- sanity check

const MESSAGE = "You are impersonating bob@acme.test within the Acme organization";

/** Both bars must do the same thing before their numbers mean anything. */
async function check(browser, base) {
  for (const name of ["staff-bar/impersonated", "react/impersonated"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base + pages[name].path);
    const part = (which) => page.locator(`[part="${which}"]`);
    await part("message").waitFor();
    const text = (await part("message").textContent()).trim();
    if (text !== MESSAGE) throw new Error(`${name}: message is "${text}"`);
    await part("minimize").click();
    await part("restore").waitFor({ state: "visible" });
    await part("restore").click();
    await part("restore").waitFor({ state: "hidden" });
    await Promise.all([page.waitForURL("**/pages/signed-out.html"), part("stop").click()]);
    await context.close();
  }
  for (const name of ["staff-bar/not-impersonated", "react/not-impersonated"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const urls = [];
    page.on("request", (request) => urls.push(request.url()));
    await page.goto(base + pages[name].path, { waitUntil: "networkidle" });
    if ((await page.locator('[part="bar"]').count()) !== 0) throw new Error(`${name}: a bar is shown`);
    if (urls.some((url) => url.endsWith(".wasm"))) throw new Error(`${name}: wasm was downloaded`);
    await context.close();
  }
}

// ---------------------------------------------------------------- statistics and output

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

const metrics = [
  ["bytes.html", "html (gzip)", "bytes"],
  ["bytes.js", "js (gzip)", "bytes"],
  ["bytes.wasm", "wasm (gzip)", "bytes"],
  ["bytes.css", "css (gzip)", "bytes"],
  ["bytes.total", "total transferred (gzip)", "bytes"],
  ["painted", "navigation → bar painted", "ms"],
  ["load", "navigation → load event", "ms"],
  ["longtaskCount", "long tasks (count)", "count"],
  ["longtaskMax", "longest long task", "ms"],
  ["cls", "CLS", "cls"],
  ["heap", "JS heap after GC", "bytes"],
  ["wasmMemory", "wasm memory", "bytes"],
];

const pick = (sample, key) => key.split(".").reduce((value, part) => value[part], sample);

function format(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (unit === "bytes") return value >= KB ? (value / KB).toFixed(1) + " KB" : value + " B";
  if (unit === "ms") return value.toFixed(1);
  if (unit === "cls") return value.toFixed(3);
  return String(value);
}

function cell(stats, unit) {
  if (!stats) return "–";
  const mid = format(stats.median, unit);
  if (stats.min === stats.max) return mid;
  return `${mid} (${format(stats.min, unit)}–${format(stats.max, unit)})`;
}

function ratio(a, b) {
  if (!a || !b || b.median === 0) return null;
  return a.median / b.median;
}

function table(results) {
  const head = ["metric (median, min–max)", "staff-bar", "React", "sb/React", "staff-bar", "React", "sb/React"];
  const rows = [];
  for (const [key, label, unit] of metrics) {
    const row = [label];
    for (const kind of ["impersonated", "not-impersonated"]) {
      const a = results[`staff-bar/${kind}`][key];
      const b = results[`react/${kind}`][key];
      const r = ratio(a, b);
      row.push(cell(a, unit), cell(b, unit), r === null ? "–" : r.toFixed(2) + "×");
    }
    rows.push(row);
  }
  const widths = head.map((_, i) => Math.max(head[i].length, ...rows.map((row) => row[i].length)));
  const line = (row) => row.map((text, i) => (i ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join("  ");
  const groups =
    " ".repeat(widths[0]) +
    "  " +
    "impersonated".padEnd(widths[1] + widths[2] + widths[3] + 4) +
    "  " +
    "not impersonated";
  return [groups, line(head), line(head.map((_, i) => "-".repeat(widths[i]))), ...rows.map(line)].join("\n");
}

function targets(results) {
  const sb = results["staff-bar/impersonated"];
  const react = results["react/impersonated"];
  const none = results["staff-bar/not-impersonated"];
  const all = Object.values(results);
  const sbTotal = sb["bytes.total"].median - sb["bytes.html"].median;
  const reactTotal = react["bytes.total"].median - react["bytes.html"].median;
  return [
    ["not impersonated: no wasm", none["bytes.wasm"].max === 0],
    [`not impersonated: staff-bar JS ${none["bytes.js"].max} B ≤ 2048 B gzip`, none["bytes.js"].max <= 2048],
    [`impersonated: staff-bar ${format(sbTotal, "bytes")} ≤ 60 KB gzip (stretch 45 KB)`, sbTotal <= 60 * KB],
    [
      `impersonated: staff-bar ≤ 0.9 × React (${(sbTotal / reactTotal).toFixed(2)}×, html excluded)`,
      sbTotal <= 0.9 * reactTotal,
    ],
    [
      `bar painted no slower than React (median ${format(sb.painted.median, "ms")} vs ${format(react.painted.median, "ms")} ms)`,
      sb.painted.median <= react.painted.median,
    ],
    ["CLS 0 on every view", all.every((page) => page.cls.max === 0)],
    ["no long task > 50 ms (staff-bar views)", [sb, none].every((page) => page.longtaskCount.max === 0)],
  ].map(([text, ok]) => ({ target: text, met: ok }));
}

function machine(browserVersion) {
  const cpu = os.cpus()[0]?.model ?? "unknown";
  let commit = null;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
  } catch {}
  return {
    nproc: os.availableParallelism(),
    cpu,
    memory: os.totalmem(),
    chromium: browserVersion,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    commit,
  };
}

// ---------------------------------------------------------------- main

const server = await startServer(Number(process.env.BENCH_PORT ?? 0));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});

try {
  await check(browser, base);
  const samples = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
  for (let run = 0; run < warmup + runs; run++) {
    // Alternate who goes first, so neither always gets the warmer machine.
    const order = run % 2 ? ["react", "staff-bar"] : ["staff-bar", "react"];
    for (const kind of ["impersonated", "not-impersonated"]) {
      for (const who of order) {
        const sample = await view(browser, base, `${who}/${kind}`);
        if (run >= warmup) samples[`${who}/${kind}`].push(sample);
      }
    }
    process.stderr.write(run < warmup ? "w" : ".");
  }
  process.stderr.write("\n");

  const results = {};
  for (const [name, list] of Object.entries(samples)) {
    results[name] = {};
    for (const [key] of metrics) {
      const values = list.map((sample) => pick(sample, key)).filter((value) => value !== null);
      results[name][key] = values.length ? summary(values) : null;
    }
  }
  const ratios = {};
  for (const kind of ["impersonated", "not-impersonated"]) {
    ratios[kind] = {};
    for (const [key] of metrics) {
      ratios[kind][key] = ratio(results[`staff-bar/${kind}`][key], results[`react/${kind}`][key]);
    }
  }
  const met = targets(results);
  const env = machine(browser.version());

  console.log(
    `staff-bar vs React 19 peer: ${runs} alternating runs (+${warmup} warm-up), fresh context per view, ` +
      `session inline; Chromium ${env.chromium}, ${env.nproc} × ${env.cpu}`,
  );
  console.log("bytes: gzip -9 response bodies as transferred (headers not counted); KB = 1024 B\n");
  console.log(table(results));
  console.log("\nfiles per view (gzip):");
  for (const name of Object.keys(pages)) {
    const files = samples[name][0].files.map((file) => `${file.path.split("/").pop()} ${file.gzip}`);
    console.log(`  ${name.padEnd(27)} ${files.join(", ")}`);
  }
  console.log("\nwhere the time goes, impersonated (median ms from navigation start: requested → last byte):");
  for (const who of ["staff-bar", "react"]) {
    const list = samples[`${who}/impersonated`];
    const steps = list[0].resources.map(({ file }) => {
      const start = median(list.map((sample) => sample.resources.find((entry) => entry.file === file)?.start ?? NaN));
      const end = median(list.map((sample) => sample.resources.find((entry) => entry.file === file)?.end ?? NaN));
      return `${file} ${start.toFixed(0)}→${end.toFixed(0)}`;
    });
    steps.push(`painted ${median(list.map((sample) => sample.painted)).toFixed(0)}`);
    console.log(`  ${who.padEnd(10)} ${steps.join(", ")}`);
  }
  console.log("\nissue 9 targets:");
  for (const { target, met: ok } of met) console.log(`  [${ok ? "met" : "NOT met"}] ${target}`);

  const out = join(root, "target", "bench");
  await mkdir(out, { recursive: true });
  await writeFile(
    join(out, "results.json"),
    JSON.stringify({ date: new Date().toISOString(), runs, warmup, machine: env, results, ratios, targets: met, samples }, null, 2) +
      "\n",
  );
  console.log("\nwrote target/bench/results.json");
} finally {
  await browser.close();
  server.close();
}
