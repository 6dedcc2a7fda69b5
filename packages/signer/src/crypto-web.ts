import type { CryptoPrimitives } from "./crypto.js";

// One function per primitive, so that a bundle that only signs drops timingSafeEqual.
const hex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (b) => (b + 256).toString(16).slice(1)).join("");
const utf8 = (text: string) => new TextEncoder().encode(text);

export const sha256Hex: CryptoPrimitives["sha256Hex"] = async (data) =>
  hex(
    await crypto.subtle.digest(
      "SHA-256",
      // Web Crypto wants an ArrayBuffer-backed view; one over a SharedArrayBuffer is copied first.
      typeof data === "string"
        ? utf8(data)
        : data.buffer instanceof ArrayBuffer
          ? (data as Uint8Array<ArrayBuffer>)
          : new Uint8Array(data),
    ),
  );

export const hmacSha256Hex: CryptoPrimitives["hmacSha256Hex"] = async (key, data) =>
  hex(
    await crypto.subtle.sign(
      "HMAC",
      await crypto.subtle.importKey("raw", utf8(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
      utf8(data),
    ),
  );

export const timingSafeEqual: CryptoPrimitives["timingSafeEqual"] = (a, b) => {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
};
