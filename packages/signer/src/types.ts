/** An access key pair. `securityToken` is set for temporary credentials (STS). */
export interface Credentials {
  /** Access key id, sent in clear in `Authorization`. */
  ak: string;
  /** Secret key; only ever used as the HMAC key, never returned or put into a message. */
  sk: string;
  /** Security token of temporary credentials; sent (and signed) as `X-Security-Token`. */
  securityToken?: string;
}

/**
 * Header input accepted everywhere: a plain record (values may be arrays or undefined, as in `node:http`'s
 * `req.headers`), a `Headers` object, or `[name, value]` pairs. Names are case-insensitive; repeated names
 * are joined with `", "` as `fetch` joins them on the wire.
 */
export type HeadersInput =
  | Record<string, string | readonly string[] | undefined>
  | Headers
  | Iterable<readonly [string, string]>;

/** The parts of an HTTP request that the signature covers. */
export interface SignableRequest {
  /** HTTP method; upper-cased before signing. */
  method: string;
  /** Absolute URL as it goes on the wire; the path and query may already be percent-encoded. */
  url: string | URL;
  /** The headers that will be sent (or, in `verify`, that were received). */
  headers?: HeadersInput;
  /** Exact body bytes (strings are UTF-8); `null` or `undefined` is an empty body. */
  body?: string | Uint8Array | ArrayBuffer | null;
}

export interface SignOptions {
  /**
   * Signing time, written to `X-Sdk-Date` (second precision).
   * @default new Date()
   */
  date?: Date;
  /**
   * Sign exactly these headers (case-insensitive) instead of the default set. `x-sdk-date` is always added.
   * Each name must be `host`, `x-sdk-date`, `x-security-token` (with temporary credentials) or a header of
   * the request. Headers of the request that are not listed are sent unsigned. Use it only to interoperate
   * with signers that sign fewer headers (the Go SDK signs neither `host` nor `content-type`).
   * @default `host`, `x-sdk-date`, `x-security-token` (temporary credentials) and every request header except `authorization`
   */
  signedHeaders?: readonly string[];
}

export interface SignResult {
  /** Headers to add to the request: `X-Sdk-Date`, `Authorization`, and `X-Security-Token` when present. */
  headers: Record<string, string>;
  /** The canonical request that was hashed (for debugging signature mismatches; holds no secret key). */
  canonicalRequest: string;
  stringToSign: string;
  /** Lower-case names of the signed headers, in canonical (byte) order. */
  signedHeaders: string[];
}

export type VerifyFailureReason =
  | "missing-authorization"
  | "malformed-authorization"
  | "missing-date"
  | "malformed-date"
  | "date-out-of-range"
  | "unknown-ak"
  | "bad-signature";

export type VerifyResult =
  | { ok: true; ak: string; date: Date; signedHeaders: string[]; securityToken?: string }
  | { ok: false; reason: VerifyFailureReason; message: string; ak?: string };

export interface VerifyOptions {
  /**
   * The verifier's current time.
   * @default Date.now()
   */
  now?: Date | number;
  /**
   * Largest accepted distance between `X-Sdk-Date` and `now`, in either direction, in milliseconds.
   * @default 900_000 (15 minutes, as the API gateway)
   */
  maxSkewMs?: number;
}

/** Returns the secret key of an access key id, or `undefined` when the AK is unknown. */
export type LookupSecret = (ak: string) => string | undefined | Promise<string | undefined>;
