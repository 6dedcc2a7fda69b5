import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "emulator",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The load test measures the heap after a forced collection.
    execArgv: ["--expose-gc"],
  },
});
