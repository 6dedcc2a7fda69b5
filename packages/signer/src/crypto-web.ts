import type { CryptoPrimitives } from "./crypto.js";

const HEX: string[] = [];
for (let b = 0; b < 256; b++) HEX.push(b.toString(16).padStart(2, "0"));

function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] as number];
  return out;
}

const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

// Web Crypto wants an ArrayBuffer-backed view; a Uint8Array over a SharedArrayBuffer is copied first.
function ownBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof data === "string") return utf8(data);
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}

export const webPrimitives: CryptoPrimitives = {
  sha256Hex: async (data) => toHex(await crypto.subtle.digest("SHA-256", ownBytes(data))),
  hmacSha256Hex: async (key, data) => {
    const hmacKey = await crypto.subtle.importKey(
      "raw",
      utf8(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return toHex(await crypto.subtle.sign("HMAC", hmacKey, utf8(data)));
  },
  timingSafeEqual: (a, b) => {
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    return diff === 0;
  },
};
