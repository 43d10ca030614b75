// Stands in for authkit-nextjs's server actions: the organization comes from the page,
// and every call is recorded so a test can count them.
export async function getOrganizationAction(id) {
  (window.__peerCalls ??= []).push(["getOrganizationAction", id]);
  return (window.__peerOrganizations ?? {})[id] ?? null;
}

export async function handleSignOutAction(options) {
  (window.__peerCalls ??= []).push(["handleSignOutAction", options]);
}
