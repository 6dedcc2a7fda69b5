import { ALGORITHM, parseAuthorization } from "./authorization.js";
import type { CryptoPrimitives } from "./crypto.js";
import { canonicalQuery, canonicalUri, sortPairs } from "./encode.js";
import { SignerError } from "./errors.js";
import { collectHeaders, findHeader, isHeaderName } from "./headers.js";
import { formatSdkDate, parseSdkDate } from "./sdk-date.js";
import type {
  Credentials,
  LookupSecret,
  SignableRequest,
  SignOptions,
  SignResult,
  VerifyFailureReason,
  VerifyOptions,
  VerifyResult,
} from "./types.js";
import { type UrlParts, urlParts } from "./url.js";

/** SHA-256 of an empty body, the payload hash of every request without one. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

function bodyBytes(body: SignableRequest["body"]): string | Uint8Array | undefined {
  if (body == null || typeof body === "string") return body || undefined;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes =
      body instanceof ArrayBuffer
        ? new Uint8Array(body)
        : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return bytes.length ? bytes : undefined;
  }
  throw new SignerError("invalid-body", "request.body must be a string, Uint8Array, ArrayBuffer or null");
}

interface Signature {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

type MaybePromise<T> = T | Promise<T>;

// node:crypto answers synchronously and Web Crypto with promises. Chaining only real promises keeps the
// node path free of microtask hops, which cost as much as the hashing when every step was awaited.
const then = <T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> =>
  value instanceof Promise ? value.then(next) : next(value);

/**
 * Section 4.1 for one request. `headers` are the signed headers (lower-case names, trimmed values) in the
 * order to sign: sorted when signing, as listed in `Authorization` when verifying.
 */
function computeSignature(
  crypto: Pick<CryptoPrimitives, "sha256Hex" | "hmacSha256Hex">,
  method: string,
  url: UrlParts,
  headers: readonly (readonly [string, string])[],
  body: SignableRequest["body"],
  sdkDate: string,
  sk: string,
): MaybePromise<Signature> {
  const bytes = bodyBytes(body);
  return then(bytes ? crypto.sha256Hex(bytes) : EMPTY_BODY_SHA256, (payloadHash) => {
    let block = "";
    let names = "";
    for (const [name, value] of headers) {
      block += `${name}:${value}\n`;
      names += `${names && ";"}${name}`;
    }
    const canonicalRequest = `${method.toUpperCase()}\n${canonicalUri(url.pathname)}\n${canonicalQuery(
      url.search,
    )}\n${block}\n${names}\n${payloadHash}`;
    return then(crypto.sha256Hex(canonicalRequest), (requestHash) => {
      const stringToSign = `${ALGORITHM}\n${sdkDate}\n${requestHash}`;
      return then(crypto.hmacSha256Hex(sk, stringToSign), (signature) => ({
        canonicalRequest,
        stringToSign,
        signature,
      }));
    });
  });
}

/** `sign` for one set of crypto primitives. A promise even for invalid input, which rejects. */
export const signWith = (
  crypto: Pick<CryptoPrimitives, "sha256Hex" | "hmacSha256Hex">,
  request: SignableRequest,
  credentials: Credentials,
  options?: SignOptions,
): Promise<SignResult> =>
  new Promise((resolve) => resolve(signRequest(crypto, request, credentials, options)));

function signRequest(
  crypto: Pick<CryptoPrimitives, "sha256Hex" | "hmacSha256Hex">,
  request: SignableRequest,
  credentials: Credentials,
  options: SignOptions | undefined,
): MaybePromise<SignResult> {
  const { ak, sk, securityToken } = credentials;
  // Visible ASCII without ",", which would break the Authorization syntax.
  if (typeof ak !== "string" || !/^[\x21-\x2b\x2d-\x7e]+$/.test(ak)) {
    throw new SignerError("invalid-credentials", "credentials.ak must be visible ASCII without ','");
  }
  if (typeof sk !== "string" || !sk) {
    throw new SignerError("invalid-credentials", "credentials.sk must be a non-empty string");
  }
  const url = urlParts(request.url);
  const sdkDate = formatSdkDate(options?.date ?? new Date());
  // A passed Authorization is never signed; a passed X-Sdk-Date is replaced by the signing time.
  const headers: [string, string][] = [];
  for (const pair of collectHeaders(request.headers)) {
    if (!isHeaderName(pair[0])) {
      throw new SignerError("invalid-header", `header name ${JSON.stringify(pair[0])} is not an HTTP token`);
    }
    if (pair[0] !== "authorization" && pair[0] !== "x-sdk-date") headers.push(pair);
  }
  // A Host header given by the caller wins: it is what a client that sets Host explicitly sends.
  if (!findHeader(headers, "host")) headers.push(["host", url.host]);
  headers.push(["x-sdk-date", sdkDate]);
  if (securityToken) {
    const token = findHeader(headers, "x-security-token");
    if (token) token[1] = securityToken;
    else headers.push(["x-security-token", securityToken]);
  }

  const wanted = options?.signedHeaders;
  const signed = sortPairs(
    wanted
      ? [...new Set(["x-sdk-date", ...wanted.map((name) => String(name).toLowerCase())])].map((name) => {
          const pair = findHeader(headers, name);
          if (!pair) {
            throw new SignerError(
              "invalid-option",
              `signedHeaders lists ${JSON.stringify(name)}, which is not a header of this request`,
            );
          }
          return pair;
        })
      : headers,
  );
  const names = signed.map(([name]) => name);
  return then(
    computeSignature(crypto, request.method, url, signed, request.body, sdkDate, sk),
    ({ canonicalRequest, stringToSign, signature }) => {
      const added: Record<string, string> = {
        "X-Sdk-Date": sdkDate,
        Authorization: `${ALGORITHM} Access=${ak}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
      };
      if (securityToken) added["X-Security-Token"] = securityToken;
      return { headers: added, canonicalRequest, stringToSign, signedHeaders: names };
    },
  );
}

function fail(reason: VerifyFailureReason, message: string, ak?: string): VerifyResult {
  return ak === undefined ? { ok: false, reason, message } : { ok: false, reason, message, ak };
}

export async function verifyWith(
  crypto: CryptoPrimitives,
  request: SignableRequest,
  lookupSecret: LookupSecret,
  options?: VerifyOptions,
): Promise<VerifyResult> {
  const maxSkewMs = options?.maxSkewMs ?? 900_000;
  if (!(maxSkewMs >= 0)) throw new SignerError("invalid-option", "maxSkewMs must be a number >= 0");
  const now = options?.now === undefined ? Date.now() : Number(options.now);
  if (Number.isNaN(now))
    throw new SignerError("invalid-option", "now must be a valid Date or a number of ms");
  const url = urlParts(request.url);
  const headers = collectHeaders(request.headers);

  const authorization = findHeader(headers, "authorization")?.[1];
  if (!authorization) {
    return fail(
      "missing-authorization",
      "No Authorization header: sign the request with AK/SK (SDK-HMAC-SHA256).",
    );
  }
  const parsed = parseAuthorization(authorization);
  if (parsed === undefined) {
    return fail(
      "malformed-authorization",
      "Authorization is not of the form 'SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b;…>, Signature=<64 lower-case hex>'.",
    );
  }
  const { ak, signedHeaders, signature } = parsed;
  if (!signedHeaders.includes("x-sdk-date")) {
    return fail(
      "malformed-authorization",
      "SignedHeaders must include x-sdk-date: the signing time has to be signed.",
      ak,
    );
  }

  const sdkDate = findHeader(headers, "x-sdk-date")?.[1];
  if (sdkDate === undefined) {
    return fail("missing-date", "No X-Sdk-Date header: send the signing time as YYYYMMDDTHHMMSSZ (UTC).", ak);
  }
  const date = parseSdkDate(sdkDate);
  if (date === undefined) {
    return fail(
      "malformed-date",
      "X-Sdk-Date is not of the form YYYYMMDDTHHMMSSZ (UTC), e.g. 20191115T033655Z.",
      ak,
    );
  }
  const skew = date.getTime() - now;
  if (Math.abs(skew) > maxSkewMs) {
    return fail(
      "date-out-of-range",
      `X-Sdk-Date ${sdkDate} is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? "ahead of" : "behind"} the server clock (${formatSdkDate(
        new Date(now),
      )}); at most ${Math.round(maxSkewMs / 1000)} s are allowed. Correct the client clock, e.g. from the response Date header.`,
      ak,
    );
  }

  const sk = await lookupSecret(ak);
  if (!sk) return fail("unknown-ak", `Unknown access key ${ak}.`, ak);

  if (!findHeader(headers, "host")) headers.push(["host", url.host]);
  const signed: [string, string][] = [];
  for (const name of signedHeaders) {
    const pair = findHeader(headers, name);
    if (!pair) {
      return fail("bad-signature", `SignedHeaders lists ${name}, but the request has no such header.`, ak);
    }
    signed.push(pair);
  }

  const expected = await computeSignature(crypto, request.method, url, signed, request.body, sdkDate, sk);
  if (!crypto.timingSafeEqual(expected.signature, signature)) {
    return fail(
      "bad-signature",
      "The signature does not match: the request changed after signing (method, path, query, a signed header or the body) or it was signed with another secret key.",
      ak,
    );
  }
  // An unsigned token could have been swapped in transit, so only a signed one is reported.
  const token = signedHeaders.includes("x-security-token")
    ? findHeader(headers, "x-security-token")?.[1]
    : undefined;
  return token === undefined
    ? { ok: true, ak, date, signedHeaders }
    : { ok: true, ak, date, signedHeaders, securityToken: token };
}
