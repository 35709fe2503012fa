import type { ApiResult } from "./api-result.js";

/** OnceHub's four error types. */
export type OnceHubErrorType =
  "authentication_error" | "invalid_request_error" | "rate_limit_error" | "api_error";

/** OnceHub's error body: `type` and `message` always, `param` when one parameter is at fault. */
export interface OnceHubErrorBody {
  readonly type: OnceHubErrorType;
  readonly message: string;
  readonly param?: string;
}

/** An error response in OnceHub's shape. */
export function apiError(status: number, type: OnceHubErrorType, message: string, param?: string): ApiResult {
  return { status, body: param === undefined ? { type, message } : { type, message, param } };
}

// Messages OnceHub documents, verbatim (see the package README for the sources).
export const INVALID_API_KEY = "Invalid API key.";
export const PLAN_FORBIDDEN =
  "Your account plan does not support API access. To use the OnceHub API, you must upgrade to the Enterprise plan.";
export const RATE_LIMIT_EXCEEDED = "Request rate limit exceeded";
export const BOTH_CURSORS = "Received both before and after parameters. Please provide only one.";

// [UNCONFIRMED] choices: OnceHub publishes no message for these cases (README, "Unconfirmed choices").
export const MISSING_API_KEY = "No API key provided. Send your API key in the API-Key header.";
export const SERVER_ERROR = "An error occurred on OnceHub's side. Try again later.";
export const HTTPS_REQUIRED = "The OnceHub API is served over HTTPS only. Use https:// and try again.";

/** 401: the `API-Key` header is absent or empty. */
export const missingApiKey = (): ApiResult => apiError(401, "authentication_error", MISSING_API_KEY);
/** 401: the key is unknown, deleted or regenerated. */
export const invalidApiKey = (): ApiResult => apiError(401, "authentication_error", INVALID_API_KEY);
/** 403: the account's plan has no API access. */
export const planForbidden = (): ApiResult => apiError(403, "authentication_error", PLAN_FORBIDDEN);
/** 429: over the account's request rate. */
export const rateLimited = (): ApiResult => apiError(429, "rate_limit_error", RATE_LIMIT_EXCEEDED);
/** 404 for an id of the given kind (`booking`, `webhook`), as OnceHub words it. */
export const noSuch = (kind: string, id: string): ApiResult =>
  apiError(404, "invalid_request_error", `No such ${kind}: '${id}'`, "id");
/** 404 for a path or method the sandbox does not serve. */
export const unrecognizedUrl = (method: string, path: string): ApiResult =>
  apiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);

/** The OnceHub error body that goes with a bare status code (used by status faults). */
export function errorForStatus(status: number): ApiResult {
  if (status === 401) return invalidApiKey();
  if (status === 403) return planForbidden();
  if (status === 429) return rateLimited();
  if (status >= 500) return apiError(status, "api_error", SERVER_ERROR);
  return apiError(status, "invalid_request_error", `The request failed with status ${status}.`);
}
