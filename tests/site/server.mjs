// The test site: a small server that is not written in Rust, standing in for the
// Rails/Django/Express apps that embed staff-bar. It serves the sample pages and the
// built bundle under a sub-path, answers the session and sign-out contracts of
// SPEC.md in every way a real app might (success, errors, bad JSON, hangs), and
// records what it received so tests can assert on the requests the bar sent.
//
//   node tests/site/server.mjs [port]      (port 0 picks a free one; it is printed)

import http from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = normalize(join(here, "..", ".."));
const port = Number(process.argv[2] ?? process.env.PORT ?? 0);

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".d.ts": "text/plain; charset=utf-8",
};

// What each key's sign-out endpoint received: a count and the last request.
const received = new Map();

// Session answers a test can switch at run time: key -> mode (see /session/switch).
const switches = new Map();

// Answers held back until a test releases them: key -> callbacks (see /release).
const held = new Map();
const hold = (key, answer) => held.set(key, [...(held.get(key) ?? []), answer]);

function record(key, req, body) {
  const entry = received.get(key) ?? { count: 0 };
  entry.count += 1;
  entry.method = req.method;
  entry.headers = req.headers;
  entry.body = body;
  received.set(key, entry);
}

const sessions = {
  impersonating: {
    user: { id: "user_01", email: "bob@acme.test", firstName: "Bob", lastName: "Ng" },
    impersonator: { email: "ada@support.test", reason: "Ticket 4521" },
    organizationId: "org_01",
    organization: { id: "org_01", name: "Acme" },
    sessionId: "session_01",
  },
  snake: {
    user: { id: "user_01", email: "bob@acme.test", first_name: "Bob", last_name: "Ng" },
    impersonator: { email: "ada@support.test", reason: null },
    organization_id: "org_01",
    organization: { id: "org_01", name: "Acme" },
    session_id: "session_01",
  },
  "no-org": {
    user: { id: "user_01", email: "bob@acme.test" },
    impersonator: { email: "ada@support.test", reason: null },
  },
  "not-impersonating": {
    user: { id: "user_01", email: "bob@acme.test" },
    impersonator: null,
  },
  hostile: {
    user: { email: "<img src=x onerror=\"window.__pwned=1\">@acme.test" },
    impersonator: { email: "<script>window.__pwned=1</script>", reason: "<svg onload=\"window.__pwned=1\"></svg>" },
    organization: { name: "<b onmouseover=\"window.__pwned=1\">Evil</b> \u202e Corp" },
  },
};

function cors(res) {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Content-Type, Accept, X-CSRF-Token, X-Custom-CSRF");
}

function json(res, status, value) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(typeof value === "string" ? value : JSON.stringify(value));
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function signOut(req, res, mode, key) {
  const body = await readBody(req);
  record(key, req, body);
  switch (mode) {
    case "ok":
      return json(res, 200, { redirectTo: "#signed-out-" + key });
    case "logout-url":
      return json(res, 200, { logoutUrl: "#logged-out-" + key });
    case "no-content":
      res.writeHead(204);
      return res.end();
    case "error":
      return json(res, 500, { error: "boom" });
    case "forbidden":
      return json(res, 403, { error: "bad csrf" });
    case "bad-json":
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end("{not json");
    case "abort":
      return req.socket.destroy();
    case "fail-once": {
      // Fails the first time, succeeds after: a retry must work.
      if (received.get(key).count === 1) return json(res, 500, { error: "first try" });
      return json(res, 200, { redirectTo: "#signed-out-" + key });
    }
    case "form":
      // A server that answers a real form POST with a redirect.
      res.writeHead(303, { Location: "/pages/signed-out.html?key=" + encodeURIComponent(key) });
      return res.end();
    case "slow":
      return setTimeout(() => json(res, 200, { redirectTo: "#signed-out-" + key }), 400);
    case "end-once": {
      // A real app's sign-out: the first request ends the session (its /session/switch
      // answers 401 from then on) and is answered when the test releases it; any later
      // one finds no session and gets 401.
      if (received.get(key).count > 1) return json(res, 401, { error: "not signed in" });
      switches.set(key, "unauthorized");
      return hold(key, () => json(res, 200, { redirectTo: "#signed-out-" + key }));
    }
    case "held-unauthorized":
      return hold(key, () => json(res, 401, { error: "not signed in" }));
    default:
      return json(res, 404, { error: "unknown mode" });
  }
}

// The strict policy of SPEC.md, sent with the strict-CSP page.
const strictPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

async function serveFile(res, path) {
  const file = normalize(join(root, path));
  if (!file.startsWith(root)) return json(res, 403, { error: "outside" });
  try {
    const data = await readFile(file);
    const type = file.endsWith(".d.ts") ? types[".d.ts"] : types[extname(file)] ?? "application/octet-stream";
    if (file.endsWith("strict-csp.html")) res.setHeader("Content-Security-Policy", strictPolicy);
    res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" });
    res.end(data);
  } catch {
    json(res, 404, { error: "not found" });
  }
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  const key = url.searchParams.get("key") ?? "default";
  cors(res);
  if (req.method === "OPTIONS") {
    res.writeHead(204);
    return res.end();
  }
  const parts = url.pathname.split("/").filter(Boolean);
  try {
    if (parts[0] === "sign-out" && req.method === "POST") return await signOut(req, res, parts[1], key);
    if (parts[0] === "sign-out") return json(res, 405, { error: "POST only" });
    if (parts[0] === "received") return json(res, 200, received.get(key) ?? { count: 0 });
    if (parts[0] === "release" && req.method === "POST") {
      const answers = held.get(key) ?? [];
      held.delete(key);
      for (const answer of answers) answer();
      return json(res, 200, { released: answers.length });
    }
    if (parts[0] === "organization") {
      // authkit-nextjs's getOrganization, as an app would expose it: counted per key.
      const entry = received.get("organization:" + key) ?? { count: 0, ids: [] };
      entry.count += 1;
      entry.ids.push(url.searchParams.get("id"));
      received.set("organization:" + key, entry);
      const id = url.searchParams.get("id");
      return json(res, 200, { id, name: "Org " + id });
    }
    if (parts[0] === "switch" && req.method === "POST") {
      switches.set(key, url.searchParams.get("mode"));
      return json(res, 200, { key, mode: switches.get(key) });
    }
    if (parts[0] === "session" && parts[1] === "switch") {
      // The answer a test chose for this key; every request is counted.
      const entry = received.get("session:" + key) ?? { count: 0 };
      entry.count += 1;
      received.set("session:" + key, entry);
      const mode = switches.get(key) ?? "impersonating";
      if (mode === "hang") return; // never answers
      if (mode === "error") return json(res, 500, { error: "boom" });
      if (mode === "unauthorized") return json(res, 401, { user: null });
      if (mode === "bad-json") return json(res, 200, "{\"user\": ");
      if (mode === "slow") return setTimeout(() => json(res, 200, sessions.impersonating), 1500);
      return json(res, 200, { ...sessions.impersonating, sessionId: "switch-" + key });
    }
    if (parts[0] === "session") {
      const name = parts[1];
      if (name === "no-content") {
        res.writeHead(204);
        return res.end();
      }
      if (name === "unauthorized") return json(res, 401, { error: "signed out" });
      if (name === "bad-json") return json(res, 200, "{\"user\": ");
      if (name === "server-error") return json(res, 500, { error: "boom" });
      if (name in sessions) return json(res, 200, sessions[name]);
      return json(res, 404, { error: "unknown session" });
    }
    if (url.pathname === "/" || url.pathname === "/index.html") return await serveFile(res, "tests/site/pages/index.html");
    if (parts[0] === "pages") return await serveFile(res, join("tests/site", url.pathname));
    // The Trunk build of the playground (index.html), built with --public-url /playground/.
    if (parts[0] === "playground") {
      const rest = parts.slice(1);
      return await serveFile(res, join("target/playground-dist", ...(rest.length ? rest : ["index.html"])));
    }
    // authkit-nextjs's own <Impersonation/>, bundled by tests/e2e/peer/build.mjs.
    if (parts[0] === "peer") return await serveFile(res, join("target/peer", ...parts.slice(1)));
    // The npm package as a site installs it (tests/e2e/package.spec.mjs packs dist/ and
    // installs the tarball into target/npm-check/app/), pages and node_modules alike.
    if (parts[0] === "npm") return await serveFile(res, join("target/npm-check", ...parts.slice(1)));
    // The bundle is served from a sub-path, as a site would copy it into its static files.
    // STAFF_BAR_DIST=dist-nightly serves the optional nightly build instead.
    if (parts[0] === "vendor" && parts[1] === "staff-bar") {
      return await serveFile(res, join(process.env.STAFF_BAR_DIST ?? "dist", ...parts.slice(2)));
    }
    return json(res, 404, { error: "not found" });
  } catch (error) {
    json(res, 500, { error: String(error) });
  }
});

server.listen(port, "127.0.0.1", () => {
  console.log("test site listening on http://127.0.0.1:" + server.address().port);
});
