// `pnpm start` end to end: the emulator and the docs site come up, the CLI fetches logs from the emulator
// into --out, and --exit stops everything after the "ready" banner.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { repoRoot } from "./helpers.js";

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "pnpm-start-"));
});
afterAll(() => rm(out, { recursive: true, force: true }));

test("pnpm start --exit: docs site, emulator, and the run logs fetched by the CLI", {
  timeout: 130_000,
}, async () => {
  const needed = [
    "packages/emulator/dist/index.js",
    "packages/cli/dist/cli.js",
    "packages/docs/scripts/serve.mjs",
  ];
  const missing = needed.filter((p) => !existsSync(join(repoRoot, p)));
  expect(missing, "run `pnpm build` first (this test uses --skip-build)").toEqual([]);

  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      const args = [
        "tools/start.mjs",
        "--exit",
        "--skip-build",
        "--emulator-port",
        "0",
        "--docs-port",
        "0",
        "--out",
        out,
      ];
      execFile(
        process.execPath,
        args,
        { cwd: repoRoot, timeout: 120_000, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    },
  );

  expect(code, stderr).toBe(0);
  expect(stdout).toMatch(/docs site: +http:\/\/127\.0\.0\.1:\d+/);
  expect(stdout).toMatch(/emulator: +http:\/\/127\.0\.0\.1:\d+/);
  expect(stderr).not.toContain("warning: dcs-redislog fetch exited");
  // --days 3 on the single-node instance: one file per day, each complete (no .part left behind).
  const files = await readdir(out);
  expect(files.filter((f) => f.endsWith(".log"))).toHaveLength(3);
  expect(files.filter((f) => f.endsWith(".part"))).toEqual([]);
  for (const f of files) expect((await stat(join(out, f))).size).toBeGreaterThan(0);
  expect(stdout).toMatch(/Fetched 3 file\(s\)/);
});
