// Types for the <staff-bar> custom element (dist/staff-bar.js).

/** The session JSON: the object AuthKit's withAuth()/getAuth() return, as it is. */
export interface StaffBarSession {
  user: { id?: string; email: string; firstName?: string | null; lastName?: string | null } | null;
  impersonator?: { email: string; reason?: string | null } | null;
  organizationId?: string | null;
  organization?: { id?: string | null; name?: string | null } | null;
  sessionId?: string | null;
  /** RFC 3339 time at which the impersonation ends. */
  expiresAt?: string | null;
  /** The server's clock when it answered (RFC 3339), to correct client clock skew. */
  serverTime?: string | null;
  accessToken?: string | null;
  [key: string]: unknown;
}

/** The attributes of <staff-bar>. */
export interface StaffBarAttributes {
  "session-url"?: string;
  session?: string;
  "sign-out-url"?: string;
  "sign-out-mode"?: "fetch" | "form";
  "return-to"?: string;
  side?: "bottom" | "top";
  /** Where along its edge the tab stands; `center` (authkit-nextjs's) by default. */
  align?: "start" | "center" | "end";
  /** `light` (default), `dark`, or `auto` (follows prefers-color-scheme). The
   * --workos-impersonation-* variables win over each. */
  theme?: "light" | "dark" | "auto";
  "z-index"?: string | number;
  "csrf-token"?: string;
  "csrf-header"?: string;
  "csrf-field"?: string;
  lang?: string;
  /** Where to look up the organization's name when the session has only its id:
   * a GET answered with `{"id", "name"}`; `{id}` is replaced, else `?id=` is added. */
  "organization-url"?: string;
  preview?: boolean | "";
}

export interface StaffBarEventMap {
  /** Before the sign-out request; cancelable: preventDefault() sends nothing. */
  "staff-bar:stop": CustomEvent<null>;
  "staff-bar:signed-out": CustomEvent<{ redirectTo: string }>;
  "staff-bar:error": CustomEvent<{ message: string }>;
  "staff-bar:minimize": CustomEvent<null>;
  "staff-bar:restore": CustomEvent<null>;
  "staff-bar:expired": CustomEvent<null>;
  /** Any of the read-only properties changed (and `timeLeft` at each countdown step:
   * by the minute, by the second in the last minute). */
  "staff-bar:change": CustomEvent<StaffBarState>;
}

/** The `detail` of `staff-bar:change`: the element's properties at that moment. */
export interface StaffBarState {
  impersonating: boolean;
  ended?: boolean;
  minimized?: boolean;
  timeLeft?: number | null;
  /** The session shown, in the session JSON's shape (camelCase, `expiresAt` as an ISO
   * string); null when none is, and while the fallback notice stands in. */
  session?: StaffBarSession | null;
}

export declare class StaffBarElement extends HTMLElement {
  /** The session as an object; set it to skip session-url entirely. Read, it gives
   * the one set, else the one the bar shows, else null. */
  session: StaffBarSession | null;
  /** Someone is impersonated and the bar (or its fallback notice) shows it. */
  readonly impersonating: boolean;
  /** The bar says the impersonation ended (Stop, another tab's Stop, the expiry). */
  readonly ended: boolean;
  readonly minimized: boolean;
  /** Whole seconds until `expiresAt` on the page's clock now; null without one. */
  readonly timeLeft: number | null;
  /** Stop, as the button: the cancelable `staff-bar:stop`, then the sign-out request,
   * the pending state, errors, and every tab following. Does nothing without a bar. */
  stop(): void;
  /** Folds the bar into its tab, as the Minimize button (remembered, every tab). */
  minimize(): void;
  /** Unfolds the bar. */
  restore(): void;
  addEventListener<K extends keyof StaffBarEventMap>(
    type: K,
    listener: (this: StaffBarElement, event: StaffBarEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "staff-bar": StaffBarElement;
  }
  interface HTMLElementEventMap extends StaffBarEventMap {}
}
