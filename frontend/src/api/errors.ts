import type { ErrorBody } from "./types";

/** A readable sentence for an error answer, whatever shape its body has. */
export function describeError(body: unknown, response?: Response): string {
  if (isErrorBody(body)) {
    return body.detail;
  }
  if (response !== undefined) {
    return `The server answered ${response.status} ${response.statusText}`.trim();
  }
  if (body instanceof Error) {
    return body.message;
  }
  return "Something went wrong";
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { detail?: unknown }).detail === "string" &&
    typeof (value as { code?: unknown }).code === "string"
  );
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
