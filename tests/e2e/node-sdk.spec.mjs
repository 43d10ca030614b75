// The official Node SDK (@workos-inc/node 8, the one Node apps and authkit-nextjs use)
// against the demo's WorkOS stand-in, the way a Node app would talk to WorkOS: the code
// from a dashboard impersonation exchanged for a sealed session, that session
// authenticated (its token checked against the JWKS by the SDK's own jose) and
// refreshed, the user's sessions and the events listed, and the refresh refused once
// the session is signed out. The SDK takes a host, not a path, so a small proxy puts
// the stand-in's /workos/ at the root of a port of its own, as WorkOS's API host is.
import { test, expect } from "@playwright/test";
import http from "node:http";
import { WorkOS } from "@workos-inc/node";
import { startDemo, buildDemo, staffSignIn, enableImpersonationIfOff } from "./demo-support.mjs";

const API_KEY = "sk_test_staff_bar_demo";
const CLIENT_ID = "client_staff_bar_demo";
const COOKIE_PASSWORD = "a-cookie-password-of-at-least-32-characters";

test.beforeAll(() => {
  test.setTimeout(900_000); // a first build of the server takes minutes
  buildDemo();
});

/** Forwards every request to `base + "/workos" + path`; resolves to its port. */
function apiHost(base) {
  const server = http.createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const headers = { ...request.headers };
    delete headers.host;
    const answer = await fetch(base + "/workos" + request.url, {
      method: request.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      redirect: "manual",
    });
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test.describe("the official Node SDK against the stand-in", () => {
  test.describe.configure({ timeout: 60_000 });
  let demo;
  let proxy;
  test.beforeAll(async () => {
    demo = await startDemo();
    proxy = await apiHost(demo.base);
  });
  test.afterAll(() => {
    proxy?.close();
    demo?.stop();
  });

  test("sealed sessions, refresh, the session list and the events, as WorkOS answers them", async ({ page }) => {
    const { base } = demo;
    const workos = new WorkOS(API_KEY, {
      apiHostname: "127.0.0.1",
      port: proxy.address().port,
      https: false,
      clientId: CLIENT_ID,
    });

    // A dashboard impersonation; its code is taken from the redirect to the app (the
    // form's answer, before the browser follows it).
    let code;
    await page.route(
      (url) => url.pathname === "/workos/dashboard/users/user_01BOBNG/impersonate",
      async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        const answer = await route.fetch({ maxRedirects: 0 });
        code = new URL(answer.headers()["location"]).searchParams.get("code");
        return route.fulfill({ contentType: "text/plain", body: "code taken by the test" });
      },
    );
    await page.goto(base + "/workos/dashboard");
    await staffSignIn(page);
    await enableImpersonationIfOff(page, base);
    await page.getByRole("link", { name: "Impersonate Bob Ng" }).click();
    await page.getByLabel("Reason").fill("Ticket 77: Node SDK");
    await page.getByRole("button", { name: "Impersonate user" }).click();
    await expect(page.locator("body")).toHaveText("code taken by the test");
    expect(code).toBeTruthy();

    const auth = await workos.userManagement.authenticateWithCode({
      clientId: CLIENT_ID,
      code,
      session: { sealSession: true, cookiePassword: COOKIE_PASSWORD },
    });
    expect(auth.user.email).toBe("bob@northwind.test");
    expect(auth.impersonator).toEqual({ email: "ada@support.test", reason: "Ticket 77: Node SDK" });
    expect(auth.sealedSession).toBeTruthy();

    const session = workos.userManagement.loadSealedSession({
      sessionData: auth.sealedSession,
      cookiePassword: COOKIE_PASSWORD,
    });
    const verified = await session.authenticate();
    expect(verified.authenticated).toBe(true);
    expect(verified.organizationId).toBe("org_01NORTHWIND");
    expect(verified.impersonator.email).toBe("ada@support.test");
    const refreshed = await session.refresh();
    expect(refreshed.authenticated).toBe(true);
    expect(refreshed.sessionId).toBe(verified.sessionId);

    // The user's sessions, the impersonation marked; session.created on the events API.
    const sessions = await workos.userManagement.listSessions("user_01BOBNG");
    const listed = sessions.data.find((entry) => entry.id === verified.sessionId);
    expect(listed.impersonator).toEqual({ email: "ada@support.test", reason: "Ticket 77: Node SDK" });
    expect(listed.status).toBe("active");
    const events = await workos.events.listEvents({ events: ["session.created"] });
    const created = events.data.find((event) => event.data.id === verified.sessionId);
    expect(created.event).toBe("session.created");
    expect(created.data.impersonator.reason).toBe("Ticket 77: Node SDK");

    // Signed out at WorkOS (the SDK's logout URL), the session is refreshed no more,
    // and session.revoked follows.
    const logout = workos.userManagement.getLogoutUrl({ sessionId: verified.sessionId, returnTo: base + "/" });
    const left = await fetch(logout, { redirect: "manual" });
    expect(left.status).toBe(303);
    expect(left.headers.get("location")).toBe(base + "/");
    expect((await session.refresh()).reason).toBe("invalid_grant");
    const revoked = await workos.events.listEvents({ events: ["session.revoked"] });
    expect(revoked.data.map((event) => event.data.id)).toContain(verified.sessionId);
  });
});
