import createClient from "openapi-fetch";

import type { paths } from "./schema";

/** The paths of the OpenAPI document already start with this prefix. */
export const API_PREFIX = "/ml-workflow/api";

// Absolute, because `new Request` under jsdom refuses relative URLs. The arrow keeps
// the lookup of `fetch` late, so a test can stub it after this module is imported.
export const api = createClient<paths>({
  baseUrl: globalThis.location.origin,
  fetch: (request) => globalThis.fetch(request),
});
