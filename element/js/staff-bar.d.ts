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
}

export declare class StaffBarElement extends HTMLElement {
  /** The session as an object; set it to skip session-url entirely. */
  session: StaffBarSession | null;
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
