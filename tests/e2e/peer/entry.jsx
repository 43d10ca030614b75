// The real <Impersonation/> of @workos-inc/authkit-nextjs (its own source, from npm),
// rendered with React 19 on the twin page: `?side=top` and the session set by
// tests/site/pages/twin.js before this module runs.
import { createRoot } from "react-dom/client";
import { flushSync } from "react-dom";
import { Impersonation } from "@workos-inc/authkit-nextjs/src/components/impersonation.tsx";

const params = new URLSearchParams(location.search);
const root = createRoot(document.getElementById("peer"));
flushSync(() => root.render(<Impersonation side={params.get("side") ?? "bottom"} />));
window.__peerReady = true;
