import { ALGORITHM, formatAuthorization, parseAuthorization } from "./authorization.js";
import type { CryptoPrimitives } from "./crypto.js";
import { canonicalQuery, canonicalUri, sortPairs } from "./encode.js";
import { SignerError } from "./errors.js";
import {
  collectHeaders,
  deleteHeader,
  getHeader,
  type HeaderList,
  isHeaderName,
  setHeader,
} from "./headers.js";
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

const DEFAULT_MAX_SKEW_MS = 900_000;
const AK = /^[\x21-\x2b\x2d-\x7e]+$/; // visible ASCII without ",", which would break the Authorization syntax

function bodyBytes(body: SignableRequest["body"]): string | Uint8Array | undefined {
  if (body == null) return undefined;
  if (typeof body === "string") return body.length === 0 ? undefined : body;
  if (body instanceof Uint8Array) return body.length === 0 ? undefined : body;
  if (body instanceof ArrayBuffer) return body.byteLength === 0 ? undefined : new Uint8Array(body);
  if (ArrayBuffer.isView(body)) {
    const view = body as ArrayBufferView;
    return view.byteLength === 0 ? undefined : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }
  throw new SignerError(
    "invalid-body",
    "request.body must be a string, Uint8Array, ArrayBuffer or null; read a stream or Blob into bytes first",
  );
}

interface Signature {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

type MaybePromise<T> = T | Promise<T>;

// node:crypto answers synchronously and Web Crypto with promises. Chaining only real promises keeps the
// node path free of microtask hops, which cost as much as the hashing when every step was awaited.
function then<R>(value: string | Promise<string>, next: (value: string) => MaybePromise<R>): MaybePromise<R> {
  return typeof value === "string" ? next(value) : value.then(next);
}

/**
 * Section 4.1 for one request. `names` and `values` are the signed headers (lower case, trimmed) in the
 * order to sign: sorted when signing, as listed in `Authorization` when verifying.
 */
function computeSignature(
  crypto: CryptoPrimitives,
  method: string,
  url: UrlParts,
  names: readonly string[],
  values: readonly string[],
  body: SignableRequest["body"],
  sdkDate: string,
  sk: string,
): MaybePromise<Signature> {
  const bytes = bodyBytes(body);
  return then(bytes === undefined ? EMPTY_BODY_SHA256 : crypto.sha256Hex(bytes), (payloadHash) => {
    let headerBlock = "";
    for (let k = 0; k < names.length; k++) headerBlock += `${names[k]}:${values[k]}\n`;
    const canonicalRequest = `${method.toUpperCase()}\n${canonicalUri(url.pathname)}\n${canonicalQuery(
      url.search,
    )}\n${headerBlock}\n${names.join(";")}\n${payloadHash}`;
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

export function signWith(
  crypto: CryptoPrimitives,
  request: SignableRequest,
  credentials: Credentials,
  options?: SignOptions,
): Promise<SignResult> {
  try {
    const result = signRequest(crypto, request, credentials, options);
    return result instanceof Promise ? result : Promise.resolve(result);
  } catch (error) {
    return Promise.reject(error);
  }
}

function signRequest(
  crypto: CryptoPrimitives,
  request: SignableRequest,
  credentials: Credentials,
  options: SignOptions | undefined,
): MaybePromise<SignResult> {
  const { ak, sk, securityToken } = credentials;
  if (typeof ak !== "string" || !AK.test(ak)) {
    throw new SignerError(
      "invalid-credentials",
      "credentials.ak must be a non-empty visible-ASCII string without ','",
    );
  }
  if (typeof sk !== "string" || sk.length === 0) {
    throw new SignerError("invalid-credentials", "credentials.sk must be a non-empty string");
  }
  const url = urlParts(request.url);
  const sdkDate = formatSdkDate(options?.date ?? new Date());

  const headers = collectHeaders(request.headers);
  deleteHeader(headers, "authorization");
  for (const name of headers.names) {
    if (!isHeaderName(name)) {
      throw new SignerError(
        "invalid-header",
        `header name ${JSON.stringify(name)} is not a valid HTTP token`,
      );
    }
  }
  // A Host header given by the caller wins: it is what a client that sets Host explicitly sends.
  if (getHeader(headers, "host") === undefined) setHeader(headers, "host", url.host);
  setHeader(headers, "x-sdk-date", sdkDate);
  if (securityToken) setHeader(headers, "x-security-token", securityToken);

  const signed =
    options?.signedHeaders === undefined ? headers : chooseHeaders(headers, options.signedHeaders);
  sortPairs(signed.names, signed.values);

  const { names } = signed;
  const finish = ({ canonicalRequest, stringToSign, signature }: Signature): SignResult => {
    const added: Record<string, string> = {
      "X-Sdk-Date": sdkDate,
      Authorization: formatAuthorization(ak, names.join(";"), signature),
    };
    if (securityToken) added["X-Security-Token"] = securityToken;
    return { headers: added, canonicalRequest, stringToSign, signedHeaders: names };
  };
  const signature = computeSignature(
    crypto,
    request.method,
    url,
    names,
    signed.values,
    request.body,
    sdkDate,
    sk,
  );
  return signature instanceof Promise ? signature.then(finish) : finish(signature);
}

function chooseHeaders(headers: HeaderList, wanted: readonly string[]): HeaderList {
  const chosen: HeaderList = { names: [], values: [] };
  for (const name of ["x-sdk-date", ...wanted]) {
    const lower = String(name).toLowerCase();
    const value = lower === "authorization" ? undefined : getHeader(headers, lower);
    if (value === undefined) {
      throw new SignerError(
        "invalid-option",
        `signedHeaders lists ${JSON.stringify(lower)}, which is not a header of this request`,
      );
    }
    setHeader(chosen, lower, value);
  }
  return chosen;
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
  const maxSkewMs = options?.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (!(maxSkewMs >= 0)) throw new SignerError("invalid-option", "maxSkewMs must be a number >= 0");
  const now = options?.now === undefined ? Date.now() : Number(options.now);
  if (Number.isNaN(now))
    throw new SignerError("invalid-option", "now must be a valid Date or a number of ms");
  const url = urlParts(request.url);
  const headers = collectHeaders(request.headers);

  const authorization = getHeader(headers, "authorization");
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

  const sdkDate = getHeader(headers, "x-sdk-date");
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

  if (getHeader(headers, "host") === undefined) setHeader(headers, "host", url.host);
  const values: string[] = [];
  for (const name of signedHeaders) {
    const value = getHeader(headers, name);
    if (value === undefined) {
      return fail("bad-signature", `SignedHeaders lists ${name}, but the request has no such header.`, ak);
    }
    values.push(value);
  }

  const expected = await computeSignature(
    crypto,
    request.method,
    url,
    signedHeaders,
    values,
    request.body,
    sdkDate,
    sk,
  );
  if (!crypto.timingSafeEqual(expected.signature, signature)) {
    return fail(
      "bad-signature",
      "The signature does not match: the request changed after signing (method, path, query, a signed header or the body) or it was signed with another secret key.",
      ak,
    );
  }
  // An unsigned token could have been swapped in transit, so only a signed one is reported.
  const token = signedHeaders.includes("x-security-token")
    ? getHeader(headers, "x-security-token")
    : undefined;
  return token === undefined
    ? { ok: true, ak, date, signedHeaders }
    : { ok: true, ak, date, signedHeaders, securityToken: token };
}
