/**
 * The only part that differs between the builds: `node:crypto` answers synchronously, Web Crypto with
 * promises. Everything else (canonicalisation, header handling, verification rules) lives in one place.
 */
export interface CryptoPrimitives {
  /** Lower-case hex SHA-256 of UTF-8 text or of raw bytes. */
  sha256Hex(data: string | Uint8Array): string | Promise<string>;
  /** Lower-case hex HMAC-SHA256 with the UTF-8 bytes of `key`. */
  hmacSha256Hex(key: string, data: string): string | Promise<string>;
  /** Constant-time equality of two strings of the same length (both are 64 hex chars here). */
  timingSafeEqual(a: string, b: string): boolean;
}
