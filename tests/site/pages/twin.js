// The twin page's setup (see twin.html). The same impersonation for both twins.
const params = new URLSearchParams(location.search);
for (const [name, value] of Object.entries(JSON.parse(params.get("vars") ?? "{}"))) {
  document.documentElement.style.setProperty(name, value);
}
const side = params.get("side") ?? "bottom";
const user = { id: "user_01", email: "bob@acme.test", firstName: "Bob", lastName: "Ng" };
const impersonator = { email: "ada@support.test", reason: null };
const organization = { id: "org_01", name: "Acme" };

if (params.get("impl") === "peer") {
  window.__peerAuth = { user, impersonator, organizationId: organization.id };
  window.__peerOrganizations = { [organization.id]: organization };
  await import("/peer/peer.js");
} else {
  const bar = document.createElement("staff-bar");
  bar.setAttribute("side", side);
  bar.setAttribute("session", JSON.stringify({ user, impersonator, organization, sessionId: "twin" }));
  document.body.append(bar);
  await import("/vendor/staff-bar/staff-bar.js");
}
