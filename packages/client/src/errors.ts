import { redactText } from "./redact.js";

/** What a call was doing when it failed: the API operation id, or a helper of this library. */
export type Operation =
  | "CreateRedislog"
  | "ListRedislog"
  | "CreateRedislogDownloadLink"
  | "Download"
  | "WaitForRunLogs"
  | "Unknown";

/**
 * Base of every error this library throws. Messages and serialised forms never contain credentials.
 * Every error is built as `new XError(message, fields)`; its fields are set from `fields`.
 */
export class DcsRedislogError extends Error {
  constructor(message: string, fields?: object, options?: ErrorOptions) {
    super(message, options);
    Object.assign(this, fields);
  }
  /** A plain object for logs and JSON: name, message and this error's own fields (never a request or response). */
  toJSON(): Record<string, unknown> {
    return Object.assign({ name: this.name, message: this.message }, this as object);
  }
}

/** Bad input to a call: names the option and what it accepts. Nothing was sent. */
export class ValidationError extends DcsRedislogError {
  /** The option that is wrong, e.g. `"instanceId"`. */
  declare readonly option: string;
  constructor(option: string, message: string) {
    super(message, { option });
  }
}

/** Bad client configuration (region, endpoint, credentials, environment). Nothing was sent. */
export class ConfigError extends ValidationError {}

export interface ApiErrorFields {
  /** HTTP status. */
  status: number;
  operation: Operation;
  /** `error_code` of the body (`DCS.4800`, `APIGW.0301`, OBS `AccessDenied`), when there was one. */
  errorCode?: string | undefined;
  /** `error_msg` of the body, when there was one. */
  errorMessage?: string | undefined;
  /** `X-Request-Id` of the response: quote it when you contact support. */
  requestId?: string | undefined;
  /** Requests sent, retries included. */
  attempts?: number | undefined;
}

/** The service (or the API gateway, or object storage for downloads) answered with an error status. */
export class DcsApiError extends DcsRedislogError {
  declare readonly status: number;
  declare readonly operation: Operation;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string | undefined;
  declare readonly requestId: string | undefined;
  declare readonly attempts: number | undefined;
}
/** 400: a parameter is invalid, or a collection is already running (`DCS.4017`). */
export class BadRequestError extends DcsApiError {}
/** 401: bad AK/SK or signature, expired token, or a clock more than 15 minutes off. */
export class AuthenticationError extends DcsApiError {}
/** 403: the credentials may not do this. */
export class PermissionDeniedError extends DcsApiError {}
/** 404: the instance or the log does not exist (in this region and project). */
export class NotFoundError extends DcsApiError {}
/** 429: throttled by the API gateway, after the retries allowed. */
export class ThrottledError extends DcsApiError {}
/** 5xx: the service failed, after the retries allowed. */
export class ServerError extends DcsApiError {}
/** A success status whose body is not the JSON the API documents. */
export class MalformedResponseError extends DcsApiError {}

/** The request could not be sent or the connection broke (DNS, refused, reset, TLS, proxy). */
export class ConnectionError extends DcsRedislogError {
  declare readonly operation: Operation;
  /** The system error code when there was one (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, …). */
  declare readonly code: string | undefined;
  declare readonly attempts: number;
}

/** An attempt took longer than `timeoutMs`, or the call longer than `deadlineMs`. */
export class TimeoutError extends DcsRedislogError {
  declare readonly operation: Operation;
  /** The limit that was reached, in milliseconds. */
  declare readonly timeoutMs: number;
  declare readonly attempts: number;
}

/** The caller's `AbortSignal` fired. Never retried. */
export class AbortError extends DcsRedislogError {
  declare readonly operation: Operation;
}

/** Object storage refused the pre-signed link (expired or invalid) and no fresh one could be minted. */
export class LinkExpiredError extends DcsRedislogError {
  declare readonly operation: "Download";
  declare readonly status: number;
  declare readonly requestId: string | undefined;
  /** The link without its query (the credential part). */
  declare readonly link: string;
}

/** The downloaded bytes cannot be trusted: cut short, changed between ranges, or the wrong size. */
export class DownloadError extends DcsRedislogError {
  declare readonly operation: "Download";
  declare readonly reason: "truncated" | "changed" | "size-mismatch";
  /** Bytes received. */
  declare readonly received: number;
  /** Bytes announced, when known. */
  declare readonly expected: number | undefined;
}

/** A file of the collection that `waitForRunLogs` waits for reached status `failed`. */
export class CollectionFailedError extends DcsRedislogError {
  declare readonly operation: "WaitForRunLogs";
  declare readonly instanceId: string;
  /** Ids of the failed files. */
  declare readonly failedIds: string[];
  declare readonly requestId: string | undefined;
}

// Names set here, once, from the keys: a minifier renames classes, so `constructor.name` cannot be used.
for (const [name, Class] of Object.entries({
  DcsRedislogError,
  ValidationError,
  ConfigError,
  DcsApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ThrottledError,
  ServerError,
  MalformedResponseError,
  ConnectionError,
  TimeoutError,
  AbortError,
  LinkExpiredError,
  DownloadError,
  CollectionFailedError,
}))
  Class.prototype.name = name;

/** The error for a call that the caller's AbortSignal cancelled. */
export const aborted = (operation: Operation): AbortError =>
  new AbortError(`${operation} was cancelled by the caller's AbortSignal.`, { operation });

/** A DownloadError; `what` says what went wrong. */
export const downloadError = (
  what: string,
  reason: DownloadError["reason"],
  received: number,
  expected: number | undefined,
): DownloadError =>
  new DownloadError(`Download: ${what} (${received} of ${expected ?? "?"} bytes). Download it again.`, {
    operation: "Download",
    reason,
    received,
    expected,
  });

/** `(request id …)` when there is one. */
export const idText = (requestId: string | null | undefined): string =>
  requestId ? ` (request id ${requestId})` : "";

// What to do, by the last 4 characters of the error code, else by status.
const HINTS: Record<string, string> = {
  "4017": "A collection is still running: wait for it (waitForRunLogs), then collect again.",
  "3022": "Check the instance ID, the region or endpoint, and the project ID.",
  400: "Fix the parameter the message names.",
  401: "Check the AK/SK or token, and this machine's clock.",
  403: "Check the permissions of these credentials for DCS in this project.",
  404: "Check the IDs, the region or endpoint, and the project ID.",
  429: "Slow down, or raise retry.maxRetries.",
};

/**
 * Reads `{error_code, error_msg}` (DCS; the gateway adds `request_id`), the legacy `{error: {code, message}}`
 * and OBS XML `<Code>/<Message>`. Anything else, malformed JSON included, gives no fields.
 */
export function parseErrorBody(text: string): { code?: string; message?: string; requestId?: string } {
  const xml = (tag: string) => text.match(`<${tag}>([^<]*)</${tag}>`)?.[1];
  if (/^\s*</.test(text)) return { code: xml("Code"), message: xml("Message"), requestId: xml("RequestId") };
  try {
    const body = JSON.parse(text);
    const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
    return {
      code: str(body.error_code) ?? str(body.error?.code),
      message: str(body.error_msg) ?? str(body.error?.message),
      requestId: str(body.request_id),
    };
  } catch {
    return {};
  }
}

/** The typed error for an error answer. `secrets` are scrubbed from everything the server said. */
export function apiError(
  status: number,
  operation: Operation,
  bodyText: string,
  headerRequestId: string | null | undefined,
  attempts: number,
  secrets: readonly string[],
): DcsApiError {
  const body = parseErrorBody(bodyText);
  const scrub = (s?: string) => s && redactText(s, secrets).slice(0, 500);
  const errorCode = scrub(body.code);
  const errorMessage = scrub(body.message);
  const requestId = headerRequestId ?? body.requestId;
  const Class =
    [BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError][
      [400, 401, 403, 404].indexOf(status)
    ] ?? (status === 429 ? ThrottledError : status >= 500 ? ServerError : DcsApiError);
  return new Class(
    `${operation} failed: HTTP ${status} ${
      errorCode
        ? `${errorCode}${errorMessage ? ` "${errorMessage}"` : ""}`
        : bodyText
          ? "(body is not a known error format)"
          : "(no body)"
    }${attempts > 1 ? ` after ${attempts} attempts` : ""}${idText(requestId)}. ${
      HINTS[errorCode?.slice(-4) ?? ""] ??
      HINTS[status] ??
      (status >= 500
        ? "Retry later; quote the request id to support."
        : "See the API reference for this status.")
    }`,
    { status, operation, errorCode, errorMessage, requestId, attempts } satisfies ApiErrorFields,
  );
}

/** The first system error code on an error, its `cause` chain, or an AggregateError's members. */
export function errorCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 5) return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(e.code)) return e.code;
  for (const inner of [...(e.errors ?? []), e.cause]) {
    const code = errorCode(inner, depth + 1);
    if (code) return code;
  }
}

/** A copy of a low-level error that is safe to keep as `cause`: name, code and a scrubbed message only. */
export function safeCause(error: unknown, secrets: readonly string[]): ErrorOptions | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = Object.assign(new Error(redactText(error.message, secrets)), {
    name: error.name,
    code: errorCode(error),
  });
  cause.stack = `${cause.name}: ${cause.message}`;
  return { cause };
}
