import { defineConfig } from "tsdown";

// Two entries share one core chunk: only the crypto primitives differ between node.js and web.js.
// `platform: "neutral"` keeps Node-only resolution out of the web build; `node:*` stays an import.
export default defineConfig({
  entry: { node: "src/node.ts", web: "src/web.ts" },
  format: ["esm", "cjs"],
  platform: "neutral",
  deps: { neverBundle: [/^node:/] },
  dts: true,
  sourcemap: true,
  clean: true,
});
