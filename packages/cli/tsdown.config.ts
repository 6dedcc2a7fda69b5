import { defineConfig } from "tsdown";

// One executable entry. The client stays an import (it is the one runtime dependency); nothing else is bundled
// in but this package's own source.
export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: "esm",
  platform: "node",
  target: "node20",
  dts: false,
  sourcemap: true,
  clean: true,
  // "type": "module": plain .js, which bin/dcs-redislog.js and tools/start.mjs name.
  fixedExtension: false,
});
