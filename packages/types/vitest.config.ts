import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "types",
    include: [],
    typecheck: {
      enabled: true,
      tsconfig: "./tsconfig.json",
      include: ["test/**/*.test-d.ts"],
    },
  },
});
