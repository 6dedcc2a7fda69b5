import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "signer",
    include: ["test/**/*.test.ts"],
    // Property tests run hundreds of cases; on a busy machine the 5 s default is too tight.
    testTimeout: 30_000,
    typecheck: {
      enabled: true,
      tsconfig: "./tsconfig.json",
      include: ["test/**/*.test-d.ts"],
    },
  },
});
