import type * as NodeBuffer from "node:buffer";
import type * as NodeCrypto from "node:crypto";
import type { CryptoPrimitives } from "./crypto.js";

/** The built-in modules this build uses. */
export interface NodeBuiltins {
  crypto: typeof NodeCrypto;
  Buffer: typeof NodeBuffer.Buffer;
}

// Loading node:crypto takes milliseconds, much of a cold import of a client that bundles this build, and
// nothing needs it before the first signature: the first `sign` or `verify` loads it. The primitives built
// from the loaded modules are synchronous, so later calls take the same path as with a static import.
let builtins: NodeBuiltins | undefined;
let loading: Promise<NodeBuiltins> | undefined;

/**
 * Calls `use` with the built-ins, loaded on the first call. `process.getBuiltinModule` (Node >= 20.16, Bun,
 * Deno 2) loads them synchronously; `import()` is only the fallback for older Bun and Deno, as it would need
 * `--experimental-vm-modules` in a CJS build under Jest. node:buffer is part of Node's startup anyway.
 */
export function withNodeBuiltins<R>(use: (builtins: NodeBuiltins) => Promise<R>): Promise<R> {
  const process = globalThis.process;
  if (!builtins && process?.getBuiltinModule) {
    builtins = {
      crypto: process.getBuiltinModule("node:crypto"),
      Buffer: process.getBuiltinModule("node:buffer").Buffer,
    };
  }
  if (builtins) return use(builtins);
  loading ??= Promise.all([import("node:crypto"), import("node:buffer")]).then(([crypto, { Buffer }]) => {
    builtins = { crypto, Buffer };
    return builtins;
  });
  return loading.then(use);
}

// `crypto.hash` (Node >= 20.12) hashes in one call without a Hash object; Deno and Bun may lack it, hence
// the lookup on the namespace.
type OneShotHash = (algorithm: string, data: string | Uint8Array, encoding: "hex") => string;

/** Hash and HMAC over the loaded built-ins: all that `sign` needs. */
export function nodeHashing({ crypto }: NodeBuiltins): Pick<CryptoPrimitives, "sha256Hex" | "hmacSha256Hex"> {
  const oneShot = (crypto as { hash?: OneShotHash }).hash;
  const { createHash, createHmac } = crypto;
  return {
    sha256Hex: oneShot
      ? (data) => oneShot("sha256", data, "hex")
      : (data) => createHash("sha256").update(data).digest("hex"),
    hmacSha256Hex: (key, data) => createHmac("sha256", key).update(data).digest("hex"),
  };
}

/** Constant-time compare over the loaded built-ins; a function of its own, so that `sign` never builds it. */
export function nodeTimingSafeEqual({ crypto, Buffer }: NodeBuiltins): CryptoPrimitives["timingSafeEqual"] {
  return (a, b) =>
    a.length === b.length && crypto.timingSafeEqual(Buffer.from(a, "latin1"), Buffer.from(b, "latin1"));
}
