import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  dts: true,
  sourcemap: true,
  clean: true,
  // The package is "type": "module": plain .js and .d.ts, which the bin and `exports` name.
  fixedExtension: false,
});
