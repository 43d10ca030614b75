// The demo (`make demo`) walked as a user in headless Chromium: the Acme sample app,
// the embedded WorkOS stand-in, the <staff-bar> bundle from dist/, and the /leptos
// page. The spec starts the real demo binary itself on a free port (PORT=0) and reads
// the address it prints. It needs dist/staff-bar.js (`make bundle`); it builds the
// demo server and the Leptos page itself.
import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { root, STAFF, startDemo, part, session, impersonate, staffSignIn, buildDemo } from "./demo-support.mjs";

test.beforeAll(() => {
  test.setTimeout(900_000); // a first build of the server and the Leptos pages takes minutes
  buildDemo();
});

test.describe("the demo with a 60-minute impersonation", () => {
  test.describe.configure({ timeout: 60_000 });
  let demo;
  test.beforeAll(async () => {
    demo = await startDemo();
  });
  test.afterAll(() => demo?.stop());

  test("impersonate, browse with the bar, redacted field, Stop through the WorkOS logout", async ({ page, context }) => {
    const { base } = demo;
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));

    await impersonate(page, base, { name: "Bob Ng", reason: "Ticket 4521: cannot see invoices" });
    await expect(part(page, "user")).toHaveText("bob@northwind.test");
    await expect(part(page, "organization")).toHaveText("Northwind Traders");
    await expect(part(page, "impersonator")).toContainText(STAFF);
    await expect(part(page, "stop")).toBeVisible();
    const { json } = await session(page, base);
    expect(json.impersonator).toEqual({ email: STAFF, reason: "Ticket 4521: cannot see invoices" });

    mkdirSync(path.join(root, "docs/screenshots"), { recursive: true });
    await page.screenshot({ path: path.join(root, "docs/screenshots/demo-acme.png") });

    // Between pages the bar stays.
    await page.getByRole("navigation", { name: "Acme" }).getByRole("link", { name: "Invoices" }).click();
    await expect(page).toHaveURL(base + "/invoices");
    await expect(page.getByRole("heading", { name: "Invoices" })).toBeVisible();
    await expect(part(page, "user")).toHaveText("bob@northwind.test");

    await page.getByRole("navigation", { name: "Acme" }).getByRole("link", { name: "Account" }).click();
    await expect(page).toHaveURL(base + "/account");
    await expect(part(page, "user")).toHaveText("bob@northwind.test");
    await expect(page.locator("html")).toHaveAttribute("data-impersonating", /.*/);
    const card = page.locator("#card-number");
    await expect(card).toHaveCSS("filter", "blur(6px)");
    await expect(page.locator("#tax-id")).toHaveCSS("filter", "blur(6px)");

    // Stop: the app signs out, WorkOS (the stand-in) ends its session and sends us back.
    await page.getByRole("button", { name: /^Stop/ }).click();
    await expect(page).toHaveURL(base + "/");
    expect(requests.some((url) => url.startsWith(base + "/workos/user_management/sessions/logout?"))).toBe(true);
    await expect(page.locator(".who")).toContainText("Not signed in");
    await expect(part(page, "frame")).toHaveCount(0);
    await expect(page.locator("html")).not.toHaveAttribute("data-impersonating", /.*/);
    const after = await session(page, base);
    expect(after.status).toBe(401);
    expect(after.json).toEqual({ user: null });
    expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain("acme_session");

    // Signed out, the account page shows nothing of Bob.
    await page.goto(base + "/account");
    await expect(page.locator("main")).not.toContainText("bob@northwind.test");
  });

  test("a multi-organization user is impersonated in the chosen organization", async ({ page }) => {
    const { base } = demo;
    await impersonate(page, base, { name: "Carol Diaz", reason: "Billing question", org: "Initech" });
    await expect(part(page, "user")).toHaveText("carol@consulting.test");
    await expect(part(page, "organization")).toHaveText("Initech");
    await expect(part(page, "impersonator")).toContainText(STAFF);
    const { json } = await session(page, base);
    expect(json.organization).toEqual({ id: "org_01INITECH", name: "Initech" });
  });

  test("an empty reason is refused and nothing starts", async ({ page }) => {
    const { base } = demo;
    await page.goto(base + "/workos/dashboard");
    await staffSignIn(page);
    await page.getByRole("link", { name: "Impersonate Bob Ng" }).click();
    const formUrl = page.url();
    const reason = page.getByLabel("Reason");

    // Empty: the browser itself will not send the required field.
    await page.getByRole("button", { name: "Impersonate user" }).click();
    expect(await reason.evaluate((el) => el.validity.valueMissing)).toBe(true);
    expect(page.url()).toBe(formUrl);

    // Blank: the server refuses it and shows the form again.
    await reason.fill("   ");
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      page.getByRole("button", { name: "Impersonate user" }).click(),
    ]);
    expect(answer.status()).toBe(422);
    await expect(page.getByRole("alert")).toContainText("Enter a reason");
    await expect(page.getByLabel("Reason")).toBeVisible();
    expect((await session(page, base)).status).toBe(401);
  });

  test("a forged CSRF token gets 403 and the impersonation goes on", async ({ page }) => {
    const { base } = demo;
    await impersonate(page, base, { name: "Bob Ng", reason: "CSRF check" });
    await expect(part(page, "user")).toHaveText("bob@northwind.test");
    const statuses = await page.evaluate(async () => {
      const attempt = (headers) =>
        fetch("/auth/sign-out", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
          body: JSON.stringify({ returnTo: "/" }),
        }).then((response) => response.status);
      return [await attempt({ "X-CSRF-Token": "forged" }), await attempt({})];
    });
    expect(statuses).toEqual([403, 403]);
    const { status, json } = await session(page, base);
    expect(status).toBe(200);
    expect(json.impersonator.email).toBe(STAFF);
    await page.reload();
    await expect(part(page, "user")).toHaveText("bob@northwind.test");
  });

  test("the dashboard asks staff to sign in, with the demo's account filled in", async ({ page }) => {
    const { base } = demo;
    await page.goto(base + "/workos/dashboard/users/user_01BOBNG/impersonate");
    await expect(page).toHaveURL(/\/workos\/login\?next=/);
    await expect(page.getByRole("heading", { name: "Sign in to the dashboard" })).toBeVisible();
    // A wrong password is refused and nothing is set.
    await page.getByLabel("Password").fill("guess");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("The email or the password is wrong.");
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain("workos_staff");
    // The page fills the demo's account in again: one click, and back to the form asked for.
    await staffSignIn(page);
    await expect(page).toHaveURL(base + "/workos/dashboard/users/user_01BOBNG/impersonate");
    await expect(page.getByRole("heading", { name: "Impersonate Bob Ng" })).toBeVisible();
    const cookie = (await page.context().cookies()).find((c) => c.name === "workos_staff");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/workos" });
    // Signing out of the dashboard sends the next visit to the sign-in page again.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(base + "/workos/login");
    await page.goto(base + "/workos/dashboard");
    await expect(page).toHaveURL(/\/workos\/login/);
  });

  test("another site cannot start an impersonation through the dashboard", async ({ page }) => {
    const { base } = demo;
    // The staff member is signed in to the dashboard in this browser...
    await page.goto(base + "/workos/dashboard");
    await staffSignIn(page);
    await expect(page).toHaveURL(base + "/workos/dashboard");
    // ...and visits pages that auto-submit the impersonate form: another site, and
    // another origin of the same site (whose requests carry the SameSite=Lax cookie).
    const action = base + "/workos/dashboard/users/user_01BOBNG/impersonate";
    const forged =
      `<!doctype html><form method="post" action="${action}">` +
      `<input name="reason" value="Forged by another site"></form>` +
      `<script>document.forms[0].submit()</script>`;
    for (const origin of ["http://evil.test", "http://127.0.0.1:9"]) {
      await page.route(origin + "/forge", (route) => route.fulfill({ contentType: "text/html", body: forged }));
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url() === action && response.request().method() === "POST"),
        page.goto(origin + "/forge"),
      ]);
      expect(answer.status(), origin).toBe(403);
      await expect(page.getByRole("alert")).toContainText("Dashboard forms work from the dashboard only.");
      expect(page.url()).toBe(action);
      const { status } = await session(page, base);
      expect(status, origin).toBe(401);
    }
    expect(demo.logs.join("")).not.toContain("Forged by another site");
  });

  test("the stand-in refuses an unknown return_to", async ({ page }) => {
    const { base } = demo;
    const target = new URL(base + "/workos/user_management/sessions/logout");
    target.searchParams.set("session_id", "session_01ANY");
    target.searchParams.set("return_to", "https://evil.test/");
    const response = await page.goto(target.href);
    expect(response.status()).toBe(400);
    await expect(page.getByRole("alert")).toContainText("not one of this environment's logout redirect URIs");
    expect(page.url()).toBe(target.href);
  });

  test("an ordinary sign-in shows no bar and downloads no WebAssembly", async ({ page }) => {
    const { base } = demo;
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(base + "/");
    await page.getByRole("link", { name: "Sign in as an ordinary user" }).click();
    await page.getByRole("button", { name: "Sign in as Dana Ito" }).click();
    await expect(page).toHaveURL(base + "/");
    await expect(page.locator(".who")).toContainText("Signed in as Dana Ito");
    const { status, json } = await session(page, base);
    expect(status).toBe(200);
    expect(json.impersonator).toBeNull();
    await page.waitForLoadState("networkidle");
    await expect(part(page, "frame")).toHaveCount(0);
    expect(requests.filter((url) => url.endsWith(".wasm"))).toEqual([]);

    // The header's Sign out is a plain form POST (form mode): 303 to the logout, then home.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(base + "/");
    await expect(page.locator(".who")).toContainText("Not signed in");
    expect((await session(page, base)).status).toBe(401);
  });

  test("the Leptos page renders the Impersonation component itself", async ({ page }) => {
    const { base } = demo;
    await impersonate(page, base, { name: "Bob Ng", reason: "Leptos check" });
    await page.goto(base + "/leptos");
    await expect(page.locator("#leptos-app")).toBeVisible();
    await expect(page.locator("staff-bar")).toHaveCount(0);
    await expect(page.locator('[part="user"]')).toHaveText("bob@northwind.test");
    await expect(page.locator('[part="organization"]')).toHaveText("Northwind Traders");
    // The server's bar paints first; Stop answers once the bar's code runs, which it
    // says in its live region (a click on the server's markup before that does nothing).
    await expect(page.locator('.staff-bar-host [role="status"]')).toHaveText(/\S/);
    await page.getByRole("button", { name: /^Stop/ }).click();
    await expect(page).toHaveURL(base + "/");
    expect((await session(page, base)).status).toBe(401);
  });
});

test.describe("the demo with IMPERSONATION_TTL=5", () => {
  test.describe.configure({ timeout: 60_000 });
  let demo;
  test.beforeAll(async () => {
    demo = await startDemo({ IMPERSONATION_TTL: "5" });
  });
  test.afterAll(() => demo?.stop());

  test("the bar reaches its ended state by itself", async ({ page }) => {
    const { base } = demo;
    await impersonate(page, base, { name: "Bob Ng", reason: "Short session" });
    await expect(part(page, "user")).toHaveText("bob@northwind.test");
    const { json } = await session(page, base);
    const left = (Date.parse(json.expiresAt) - Date.parse(json.serverTime)) / 1000;
    expect(left).toBeGreaterThan(2);
    expect(left).toBeLessThanOrEqual(6);

    await expect(part(page, "ended")).toBeVisible({ timeout: 15_000 });
    await expect(part(page, "stop")).toHaveCount(0);
    // WorkOS refuses the refresh at the end, so the app's next request ends it and logs it.
    expect((await session(page, base)).status).toBe(401);
    await expect.poll(() => demo.logs.join("")).toMatch(/impersonation ended.*ended_by="?expired/);
  });
});

test.describe("the demo's first run, in the order of WorkOS's guide", () => {
  test.describe.configure({ timeout: 60_000 });
  let demo;
  test.beforeAll(async () => {
    demo = await startDemo();
  });
  test.afterAll(() => demo?.stop());

  test("enable as the Admin (a Member is refused), impersonate through the deep link, redacted pages, audit", async ({ page }) => {
    const { base } = demo;
    // The home page's first step leads to the switch, through the staff sign-in.
    await page.goto(base + "/");
    const steps = page.locator("#first-run > li");
    await expect(steps).toHaveCount(5);
    await expect(steps.nth(0)).toContainText("Impersonation is off in a new environment");
    await steps.nth(0).getByRole("link", { name: "Authentication → Features → User Impersonation" }).click();
    await staffSignIn(page);
    await expect(page).toHaveURL(base + "/workos/dashboard/authentication/features/user-impersonation");
    await expect(page.locator("#feature-status")).toContainText("User Impersonation is off");

    // Meanwhile a Member, in another browser, cannot turn it on, and is told why.
    const member = await page.context().browser().newPage();
    await member.goto(base + "/workos/dashboard/authentication/features/user-impersonation");
    await member.getByLabel("Email").fill("max@support.test");
    await member.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(member.locator("#admin-only")).toContainText("you are a Member");
    const [refused] = await Promise.all([
      member.waitForResponse((response) => response.request().method() === "POST"),
      member.getByRole("button", { name: "Turn on User Impersonation" }).click(),
    ]);
    expect(refused.status()).toBe(403);
    await expect(member.getByRole("alert")).toContainText("Only a member with the Admin role");
    await expect(member.locator("#feature-status")).toContainText("User Impersonation is off");
    // ...nor impersonate while it is off: the dialog says where to turn it on.
    await member.goto(base + "/workos/environment_01STAFFBARDEMO/users/user_01BOBNG/details?dialog=impersonate");
    await expect(member.locator("dialog #impersonation-off")).toContainText("User Impersonation is off");
    await expect(member.getByRole("button", { name: "Impersonate user" })).toHaveCount(0);
    await member.close();

    // The Admin turns it on and lands on the users list.
    await page.getByRole("button", { name: "Turn on User Impersonation" }).click();
    await expect(page).toHaveURL(base + "/workos/dashboard");
    await expect(page.locator("#impersonation-off")).toHaveCount(0);

    // Deep link: Acme's support desk (an ordinary sign-in) opens the user's dialog.
    await page.goto(base + "/auth/sign-in");
    await page.getByRole("button", { name: "Sign in as Dana Ito" }).click();
    await page.goto(base + "/support");
    await page.getByRole("link", { name: "Impersonate Bob Ng in WorkOS" }).click();
    await expect(page).toHaveURL(/\/workos\/environment_01STAFFBARDEMO\/users\/user_01BOBNG\/details\?dialog=impersonate$/);
    await page.getByLabel("Reason").fill("Ticket 31: first run");
    await page.getByRole("button", { name: "Impersonate user" }).click();
    await expect(page).toHaveURL(base + "/");
    await expect(part(page, "user")).toHaveText("bob@northwind.test");

    // Redacted on the server, refused on the server.
    const account = await page.request.get(base + "/account");
    expect(await account.text()).not.toContain("4242 4242 4242 4242");
    await page.goto(base + "/account/password");
    await expect(page.locator("main")).toContainText("not available while impersonating");
    await expect(part(page, "user")).toHaveText("bob@northwind.test");

    // Stop, then the audit: the user's sessions in the dashboard.
    await part(page, "stop").click();
    await expect(page).toHaveURL(base + "/");
    await page.goto(base + "/workos/environment_01STAFFBARDEMO/users/user_01BOBNG/details");
    await expect(page.locator("#sessions")).toContainText(`Impersonated by ${STAFF}`);
    await expect(page.locator("#sessions")).toContainText("Ticket 31: first run");
  });
});
