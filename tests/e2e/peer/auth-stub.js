// Stands in for authkit-nextjs's `authkit-provider` when its <Impersonation/> is
// bundled for the twin pages: the page says who is signed in, no Next.js needed.
export function useAuth() {
  return window.__peerAuth ?? { user: null, impersonator: null, organizationId: undefined };
}
