// `node:crypto` build, picked by the `node`, `bun` and `deno` export conditions.
// Both builds export the same API; only the hash and HMAC primitives differ.
import { signWith, verifyWith } from "./core.js";
import { hmacSha256Hex, sha256Hex, timingSafeEqual } from "./crypto-node.js";
import type {
  Credentials,
  LookupSecret,
  SignableRequest,
  SignOptions,
  SignResult,
  VerifyOptions,
  VerifyResult,
} from "./types.js";

export { EMPTY_BODY_SHA256 } from "./core.js";
export { SignerError, type SignerErrorCode } from "./errors.js";
export { formatSdkDate, parseSdkDate } from "./sdk-date.js";
export type * from "./types.js";

/**
 * Signs a request with `SDK-HMAC-SHA256` and returns the headers to add (`X-Sdk-Date`, `Authorization`,
 * `X-Security-Token` for temporary credentials). Signs `host`, `x-sdk-date` and every header of the request
 * except `authorization`. Rejects with a `SignerError` when the input cannot be signed.
 */
export function sign(
  request: SignableRequest,
  credentials: Credentials,
  options?: SignOptions,
): Promise<SignResult> {
  return signWith({ sha256Hex, hmacSha256Hex }, request, credentials, options);
}

/**
 * Checks the `SDK-HMAC-SHA256` signature of a received request against the secret that `lookupSecret` returns
 * for its AK. A refused request resolves to `{ ok: false, reason, message }`; the promise rejects only for
 * invalid options or URL, or when `lookupSecret` throws.
 */
export function verify(
  request: SignableRequest,
  lookupSecret: LookupSecret,
  options?: VerifyOptions,
): Promise<VerifyResult> {
  return verifyWith({ sha256Hex, hmacSha256Hex, timingSafeEqual }, request, lookupSecret, options);
}
