// Helpers shared by the Playwright specs that drive <staff-bar> on the sample site.

let counter = 0;

/** A key no other test uses, so the server's request counts do not mix. */
export const unique = (label) => `${label}-${Date.now()}-${counter++}`;

/** The configurable sample page with the given <staff-bar> attributes (and extra
 * query parameters for tests/site/pages/configure.js). */
export function pageUrl(attributes, extra = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(attributes)) params.set("attr." + name, value);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return "/pages/configurable.html?" + params;
}

/** A part inside the <staff-bar> shadow root (Playwright's CSS pierces open roots). */
export const part = (page, name) => page.locator(`staff-bar [part="${name}"]`);

/** Records every request the page makes, by URL. */
export function trackRequests(page) {
  const urls = [];
  page.on("request", (request) => urls.push(request.url()));
  return urls;
}
