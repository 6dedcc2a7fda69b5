import { redactText, redactUrl } from "./redact.js";

/** What a call was doing when it failed: the API operation id, or a helper of this library. */
export type Operation =
  | "CreateRedislog"
  | "ListRedislog"
  | "CreateRedislogDownloadLink"
  | "Download"
  | "WaitForRunLogs"
  | "Unknown";

/** Base of every error this library throws. Messages and serialised forms never contain credentials. */
export class DcsRedislogError extends Error {
  static {
    DcsRedislogError.prototype.name = "DcsRedislogError";
  }
  /** A plain object for logs and JSON: name, message and this error's own fields (never a request or response). */
  toJSON(): Record<string, unknown> {
    return Object.assign({ name: this.name, message: this.message }, this as object);
  }
}

/** Bad input to a call: names the option and what it accepts. Nothing was sent. */
export class ValidationError extends DcsRedislogError {
  static {
    ValidationError.prototype.name = "ValidationError";
  }
  constructor(
    /** The option that is wrong, e.g. `"instanceId"`. */
    readonly option: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Bad client configuration (region, endpoint, credentials, environment). Nothing was sent. */
export class ConfigError extends ValidationError {
  static {
    ConfigError.prototype.name = "ConfigError";
  }
}

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
  static {
    DcsApiError.prototype.name = "DcsApiError";
  }
  declare readonly status: number;
  declare readonly operation: Operation;
  declare readonly errorCode: string | undefined;
  declare readonly errorMessage: string | undefined;
  declare readonly requestId: string | undefined;
  declare readonly attempts: number | undefined;
  constructor(message: string, fields: ApiErrorFields) {
    super(message);
    Object.assign(this, fields);
  }
}
/** 400: a parameter is invalid, or a collection is already running (`DCS.4017`). */
export class BadRequestError extends DcsApiError {
  static {
    BadRequestError.prototype.name = "BadRequestError";
  }
}
/** 401: bad AK/SK or signature, expired token, or a clock more than 15 minutes off. */
export class AuthenticationError extends DcsApiError {
  static {
    AuthenticationError.prototype.name = "AuthenticationError";
  }
}
/** 403: the credentials may not do this. */
export class PermissionDeniedError extends DcsApiError {
  static {
    PermissionDeniedError.prototype.name = "PermissionDeniedError";
  }
}
/** 404: the instance or the log does not exist (in this region and project). */
export class NotFoundError extends DcsApiError {
  static {
    NotFoundError.prototype.name = "NotFoundError";
  }
}
/** 429: throttled by the API gateway, after the retries allowed. */
export class ThrottledError extends DcsApiError {
  static {
    ThrottledError.prototype.name = "ThrottledError";
  }
}
/** 5xx: the service failed, after the retries allowed. */
export class ServerError extends DcsApiError {
  static {
    ServerError.prototype.name = "ServerError";
  }
}
/** A success status whose body is not the JSON the API documents. */
export class MalformedResponseError extends DcsApiError {
  static {
    MalformedResponseError.prototype.name = "MalformedResponseError";
  }
}

/** The request could not be sent or the connection broke (DNS, refused, reset, TLS, proxy). */
export class ConnectionError extends DcsRedislogError {
  static {
    ConnectionError.prototype.name = "ConnectionError";
  }
  constructor(
    message: string,
    readonly operation: Operation,
    /** The system error code when there was one (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, …). */
    readonly code: string | undefined,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** An attempt took longer than `timeoutMs`, or the call longer than `deadlineMs`. */
export class TimeoutError extends DcsRedislogError {
  static {
    TimeoutError.prototype.name = "TimeoutError";
  }
  constructor(
    message: string,
    readonly operation: Operation,
    /** The limit that was reached, in milliseconds. */
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(message);
  }
}

/** The caller's `AbortSignal` fired. Never retried. */
export class AbortError extends DcsRedislogError {
  static {
    AbortError.prototype.name = "AbortError";
  }
  constructor(readonly operation: Operation) {
    super(`${operation} was cancelled by the caller's AbortSignal.`);
  }
}

/** Object storage refused the pre-signed link (expired or invalid) and no fresh one could be minted. */
export class LinkExpiredError extends DcsRedislogError {
  static {
    LinkExpiredError.prototype.name = "LinkExpiredError";
  }
  readonly operation = "Download";
  /** The link without its query (the credential part). */
  readonly link: string;
  constructor(
    readonly status: number,
    readonly requestId: string | undefined,
    link: string,
    canRelink: boolean,
  ) {
    super(
      `Download: storage refused the link (HTTP ${status}): it has expired or is invalid. ${
        canRelink
          ? "A freshly minted link was refused too; check that the log still exists."
          : "Mint a new one with createDownloadLink(), or pass { instanceId, logId } or relink to download()."
      }`,
    );
    this.link = redactUrl(link);
  }
}

/** The downloaded bytes cannot be trusted: cut short, changed between ranges, or the wrong size. */
export class DownloadError extends DcsRedislogError {
  static {
    DownloadError.prototype.name = "DownloadError";
  }
  readonly operation = "Download";
  constructor(
    message: string,
    readonly reason: "truncated" | "changed" | "size-mismatch",
    /** Bytes received. */
    readonly received: number,
    /** Bytes announced, when known. */
    readonly expected: number | undefined,
  ) {
    super(`Download: ${message} (${received} of ${expected ?? "?"} bytes). Download it again.`);
  }
}

/** A file of the collection that `waitForRunLogs` waits for reached status `failed`. */
export class CollectionFailedError extends DcsRedislogError {
  static {
    CollectionFailedError.prototype.name = "CollectionFailedError";
  }
  readonly operation = "WaitForRunLogs";
  constructor(
    readonly instanceId: string,
    /** Ids of the failed files. */
    readonly failedIds: string[],
    readonly requestId: string | undefined,
  ) {
    super(
      `The collection on instance ${instanceId} failed for ${failedIds.length} file(s). Collect again; if it keeps failing, contact support${requestId ? ` with request id ${requestId}` : ""}.`,
    );
  }
}

const HINTS: Record<string, string> = {
  "4017": "A collection is still running: wait for it (waitForRunLogs), then collect again.",
  "3022": "Check the instance ID, the region or endpoint, and the project ID.",
  "0308": "Slow down, or raise retry.maxRetries.",
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
    const legacy = body.error ?? {};
    const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
    return {
      code: str(body.error_code) ?? str(legacy.code),
      message: str(body.error_msg) ?? str(legacy.message),
      requestId: str(body.request_id),
    };
  } catch {
    return {};
  }
}

const CLASSES: Record<number, typeof DcsApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  429: ThrottledError,
};

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
  const hint =
    HINTS[errorCode?.slice(-4) ?? ""] ??
    HINTS[status] ??
    (status >= 500
      ? "Retry later; quote the request id to support."
      : "See the API reference for this status.");
  const Class = CLASSES[status] ?? (status >= 500 ? ServerError : DcsApiError);
  return new Class(
    `${operation} failed: HTTP ${status} ${errorCode ? `${errorCode}${errorMessage ? ` "${errorMessage}"` : ""}` : bodyText ? "(body is not a known error format)" : "(no body)"}${attempts > 1 ? ` after ${attempts} attempts` : ""}${requestId ? ` (request id ${requestId})` : ""}. ${hint}`,
    { status, operation, errorCode, errorMessage, requestId, attempts },
  );
}

/** The first system error code on an error, its `cause` chain, or an AggregateError's members. */
export function errorCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 5) return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(e.code)) return e.code;
  for (const inner of e.errors ?? []) {
    const code = errorCode(inner, depth + 1);
    if (code) return code;
  }
  return errorCode(e.cause, depth + 1);
}

/** A copy of a low-level error that is safe to keep as `cause`: name, code and a scrubbed message only. */
export function safeCause(error: unknown, secrets: readonly string[]): ErrorOptions | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = Object.assign(new Error(redactText(error.message, secrets)), { code: errorCode(error) });
  cause.name = error.name;
  cause.stack = `${cause.name}: ${cause.message}`;
  return { cause };
}
