import createClient from "openapi-fetch";

import type { paths } from "./schema";

// The document's paths already start with /ml-workflow/api, so the base is the origin
// alone. It is absolute because `new Request` under jsdom refuses relative URLs, and
// the arrow looks `fetch` up late, so a test can stub it after this module is imported.
export const api = createClient<paths>({
  baseUrl: globalThis.location.origin,
  fetch: (request) => globalThis.fetch(request),
});
