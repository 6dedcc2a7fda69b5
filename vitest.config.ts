import { defineConfig } from "vitest/config";

// Every package keeps its own vitest.config.ts (defineProject); `pnpm test` runs them all through this file.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "tools/vitest.config.ts"],
  },
});
