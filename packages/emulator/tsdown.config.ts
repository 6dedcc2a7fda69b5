import { defineConfig } from "tsdown";

export default defineConfig({
  // log-content is built on its own (not exported) so that bench/log-content.bench.mjs can time the generator.
  entry: ["src/index.ts", "src/cli.ts", "src/log-content.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  dts: true,
  sourcemap: true,
  clean: true,
  // The package is "type": "module": plain .js and .d.ts, which the bin and `exports` name.
  fixedExtension: false,
});
