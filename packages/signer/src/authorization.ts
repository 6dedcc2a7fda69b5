export const ALGORITHM = "SDK-HMAC-SHA256";

export interface ParsedAuthorization {
  ak: string;
  signedHeaders: string[];
  signature: string;
}

const SIGNED_HEADER = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=a;b, Signature=<64 hex>` (parameters in any order, spaces
 * around commas optional). Returns `undefined` for anything else, including the legacy `Credential=` form.
 * SignedHeaders keeps the client's order: the signature covers the list exactly as sent.
 */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const prefix = `${ALGORITHM} `;
  if (!value.startsWith(prefix)) return undefined;
  const params = new Map<string, string>();
  for (const part of value.slice(prefix.length).split(",")) {
    const item = part.trim();
    const eq = item.indexOf("=");
    if (eq <= 0) return undefined;
    const key = item.slice(0, eq);
    if (params.has(key)) return undefined;
    params.set(key, item.slice(eq + 1));
  }
  const ak = params.get("Access");
  const list = params.get("SignedHeaders");
  const signature = params.get("Signature");
  if (params.size !== 3 || !ak || list === undefined || signature === undefined) return undefined;
  if (!SIGNATURE.test(signature)) return undefined;
  const signedHeaders = list.split(";");
  if (!signedHeaders.every((name) => SIGNED_HEADER.test(name))) return undefined;
  return { ak, signedHeaders, signature };
}
