import { Buffer } from "node:buffer";
import * as nodeCrypto from "node:crypto";
import type { CryptoPrimitives } from "./crypto.js";

// `crypto.hash` (Node >= 20.12) hashes in one call without a Hash object; Deno and Bun may lack it, and a
// named import would then fail to link, hence the lookup on the namespace.
type OneShotHash = (algorithm: string, data: string | Uint8Array, encoding: "hex") => string;
const oneShot = (nodeCrypto as { hash?: OneShotHash }).hash;
const { createHash, createHmac } = nodeCrypto;

export const sha256Hex: CryptoPrimitives["sha256Hex"] = oneShot
  ? (data) => oneShot("sha256", data, "hex")
  : (data) => createHash("sha256").update(data).digest("hex");

export const hmacSha256Hex: CryptoPrimitives["hmacSha256Hex"] = (key, data) =>
  createHmac("sha256", key).update(data).digest("hex");

export const timingSafeEqual: CryptoPrimitives["timingSafeEqual"] = (a, b) =>
  a.length === b.length && nodeCrypto.timingSafeEqual(Buffer.from(a, "latin1"), Buffer.from(b, "latin1"));
