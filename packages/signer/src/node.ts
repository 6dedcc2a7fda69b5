// `node:crypto` build, picked by the `node`, `bun` and `deno` export conditions.
// Both builds export the same API; only the hash and HMAC primitives differ.
import { signWith, verifyWith } from "./core.js";
import type { CryptoPrimitives } from "./crypto.js";
import { nodeHashing, nodeTimingSafeEqual, withNodeBuiltins } from "./crypto-node.js";
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

// node:crypto is loaded by the first call (see crypto-node.ts); each function keeps its primitives once
// built, so that later calls go straight to the synchronous path and `sign` alone never builds the compare.
let signing: Pick<CryptoPrimitives, "sha256Hex" | "hmacSha256Hex"> | undefined;
let verifying: CryptoPrimitives | undefined;

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
  if (signing) return signWith(signing, request, credentials, options);
  return withNodeBuiltins((builtins) => {
    signing ??= nodeHashing(builtins);
    return signWith(signing, request, credentials, options);
  });
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
  if (verifying) return verifyWith(verifying, request, lookupSecret, options);
  return withNodeBuiltins((builtins) => {
    verifying ??= { ...nodeHashing(builtins), timingSafeEqual: nodeTimingSafeEqual(builtins) };
    return verifyWith(verifying, request, lookupSecret, options);
  });
}
