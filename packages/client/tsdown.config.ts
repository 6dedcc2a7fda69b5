import { defineConfig } from "tsdown";

// Two builds of the same source, differing only in which signer build gets bundled in: the `node` export
// condition gets node:crypto (and the ./node helpers), everything else gets Web Crypto. openapi-fetch, the
// only dependency, stays external; the signer and the generated types are inlined.
export default defineConfig([
  {
    entry: { index: "src/index.ts", node: "src/node/index.ts" },
    outDir: "dist/node",
    platform: "node",
    // .js/.d.ts for ESM as in the default build (the package is "type": "module"), .cjs/.d.cts for CJS.
    fixedExtension: false,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
  },
  {
    entry: { index: "src/index.ts" },
    outDir: "dist/default",
    platform: "neutral",
    // tsdown builds CJS with platform "node", which would bundle the signer's node:crypto build: keep the
    // CJS pass neutral too, so both formats get Web Crypto.
    inputOptions: { platform: "neutral" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
  },
]);
