import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "signer",
    include: ["test/**/*.test.ts"],
    typecheck: {
      enabled: true,
      tsconfig: "./tsconfig.json",
      include: ["test/**/*.test-d.ts"],
    },
  },
});
