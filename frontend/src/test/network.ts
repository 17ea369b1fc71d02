import { vi, type Mock } from "vitest";

/** A JSON answer as the server would send it. */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { "Content-Type": "application/json", ...init.headers },
  });
}

export type FetchMock = Mock<(request: Request) => Promise<Response>>;

/** Replaces `globalThis.fetch`, the one boundary the frontend tests stub. */
export function stubFetch(
  handler: (request: Request) => Promise<Response> = () => new Promise(() => {}),
): FetchMock {
  const mock: FetchMock = vi.fn(handler);
  vi.stubGlobal("fetch", mock);
  return mock;
}

/** The request of the nth call (0-based) to a stubbed fetch. */
export function requestAt(mock: FetchMock, index: number): Request {
  const call = mock.mock.calls[index];
  if (call === undefined) {
    throw new Error(`fetch was called ${mock.mock.calls.length} times, not ${index + 1}`);
  }
  return call[0];
}

let visibility: DocumentVisibilityState = "visible";

/** Hides or shows the tab as a browser would, firing `visibilitychange`. */
export function setVisibility(state: DocumentVisibilityState): void {
  visibility = state;
  Object.defineProperty(document, "visibilityState", {
    configurable: true,
    get: () => visibility,
  });
  document.dispatchEvent(new Event("visibilitychange"));
}

type Handler = (request: Request) => Response | Promise<Response>;

/**
 * A fetch stub that answers by "METHOD /path" (path without the query); anything
 * else is a 404 so a wrong URL fails the test instead of hanging it.
 */
export function stubRoutes(routes: Record<string, Handler>): FetchMock {
  return stubFetch(async (request) => {
    const { pathname } = new URL(request.url);
    const handler = routes[`${request.method} ${pathname}`];
    if (handler === undefined) {
      return jsonResponse(
        { detail: `No route ${pathname}`, code: "not_found" },
        { status: 404 },
      );
    }
    return handler(request);
  });
}
