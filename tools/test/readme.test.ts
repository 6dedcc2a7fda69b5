// The root README shows what really happens: its client example is the compiled quick-start file, and its commands
// are the package scripts.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "./helpers.js";

const readme = await readFile(join(repoRoot, "README.md"), "utf8");

describe("README", () => {
  test("the first screen shows the two commands", () => {
    const firstScreen = readme.split("\n").slice(0, 20).join("\n");
    expect(firstScreen).toContain("npm install -g pnpm@10.34.9 && pnpm install && pnpm start");
    expect(firstScreen).toContain("pnpm test");
  });

  test("the client example is examples/quick-start.ts (compiled by the client tests) and ≤ 20 lines", async () => {
    const example = (
      await readFile(join(repoRoot, "packages/client/examples/quick-start.ts"), "utf8")
    ).trim();
    expect(readme).toContain(`\`\`\`ts\n${example}\n\`\`\``);
    expect(example.split("\n").length).toBeLessThanOrEqual(20);
  });

  test("every `pnpm <script>` it names exists", async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { scripts: object };
    const builtin = new Set(["install", "add", "exec", "changeset"]);
    const named = [...readme.matchAll(/`pnpm ([a-z:-]+)/g)].map((m) => m[1] ?? "");
    expect(named.length).toBeGreaterThan(3);
    for (const script of named) {
      if (!builtin.has(script)) expect(Object.keys(pkg.scripts), `pnpm ${script}`).toContain(script);
    }
  });
});
