import { createHmac, timingSafeEqual } from "node:crypto";

/** The object store's own key pair that signs download links (as OBS signs with its own AK, not the caller's). */
export interface LinkSigningKey {
  accessKeyId: string;
  secret: string;
}

/** OBS/S3 query-string authentication (signature V2): `Base64(HMAC-SHA1(SK, StringToSign))`. */
function signature(key: LinkSigningKey, method: string, expires: number, resource: string): string {
  const stringToSign = `${method}\n\n\n${expires}\n${resource}`;
  return createHmac("sha1", key.secret).update(stringToSign).digest("base64");
}

/** Path of an object: each segment of the key percent-encoded. */
export function objectPath(bucket: string, key: string): string {
  return `/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** A pre-signed GET URL for the object, valid until `expires` (epoch seconds). */
export function presignUrl(
  origin: string,
  bucket: string,
  key: string,
  expires: number,
  signingKey: LinkSigningKey,
): string {
  const path = objectPath(bucket, key);
  const sig = signature(signingKey, "GET", expires, path);
  const query = `AWSAccessKeyId=${encodeURIComponent(signingKey.accessKeyId)}&Expires=${expires}&Signature=${encodeURIComponent(sig)}`;
  return `${origin}${path}?${query}`;
}

export type LinkCheck =
  | { ok: true }
  | { ok: false; code: "AccessDenied" | "SignatureDoesNotMatch" | "InvalidAccessKeyId"; message: string };

/** Checks a request against its query-string signature, like OBS: signature first, then expiry. */
export function checkPresigned(
  method: string,
  rawPath: string,
  query: URLSearchParams,
  signingKey: LinkSigningKey,
  nowSeconds: number,
): LinkCheck {
  const accessKeyId = query.get("AWSAccessKeyId");
  const expiresRaw = query.get("Expires");
  const given = query.get("Signature");
  if (accessKeyId === null || expiresRaw === null || given === null) {
    return {
      ok: false,
      code: "AccessDenied",
      message: "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters",
    };
  }
  if (accessKeyId !== signingKey.accessKeyId) {
    return {
      ok: false,
      code: "InvalidAccessKeyId",
      message: "The AWS Access Key Id you provided does not exist in our records.",
    };
  }
  const mismatch = {
    ok: false,
    code: "SignatureDoesNotMatch",
    message:
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  } as const;
  if (!/^\d{1,12}$/.test(expiresRaw)) return mismatch;
  const expires = Number(expiresRaw);
  const expected = Buffer.from(signature(signingKey, method === "HEAD" ? "HEAD" : "GET", expires, rawPath));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return mismatch;
  if (nowSeconds > expires) return { ok: false, code: "AccessDenied", message: "Request has expired" };
  return { ok: true };
}
