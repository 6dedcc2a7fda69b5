// `redocly respect` runs the Arazzo workflow (spec/dcs-redislog.arazzo.yaml) against a fresh emulator: the
// workflow, the OpenAPI spec and the emulator have to agree on every step (status, content type, schema).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../src/index.js";
import { CLUSTER, CLUSTER_REPLICAS, SINGLE, SINGLE_REPLICA, useEmulators } from "./helpers/emulator.js";
import { arazzoPath, repoRoot } from "./helpers/spec.js";

const start = useEmulators();
const redocly = fileURLToPath(new URL("../node_modules/.bin/redocly", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "emulator-respect-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface RespectRun {
  code: number;
  output: string;
  report: { workflows: { workflowId: string; status: string }[] } | undefined;
}

function respect(emulator: Emulator, inputs: Record<string, string>, name: string): Promise<RespectRun> {
  const report = join(dir, `${name}.json`);
  const input = Object.entries(inputs)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const args = [
    "respect",
    arazzoPath,
    "--server",
    `dcs=${emulator.endpoint}`,
    "--input",
    input,
    "--json-output",
    report,
    "--max-fetch-timeout",
    "10000",
  ];
  return new Promise((resolve) => {
    // respect reads redocly.yaml from the working directory: the repository root.
    execFile(
      redocly,
      args,
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" } },
      async (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        const json = await readFile(report, "utf8").catch(() => undefined);
        const parsed = json ? JSON.parse(json) : undefined;
        const files = Object.values(
          (parsed?.files ?? {}) as Record<string, { executedWorkflows?: unknown[] }>,
        );
        const workflows = files.flatMap(
          (f) => (f.executedWorkflows ?? []) as { workflowId: string; status: string }[],
        );
        resolve({ code, output: `${stdout}\n${stderr}`, report: parsed ? { workflows } : undefined });
      },
    );
  });
}

describe("redocly lint spec/dcs-redislog.arazzo.yaml", () => {
  test("reports 0 errors and 0 warnings with the repository's redocly.yaml", async () => {
    const report = await new Promise<string>((resolve, reject) => {
      execFile(redocly, ["lint", arazzoPath, "--format=json"], { cwd: repoRoot }, (error, stdout) => {
        if (error && !stdout) reject(error);
        else resolve(stdout);
      });
    });
    const parsed = JSON.parse(report);
    expect(parsed.problems).toEqual([]);
    expect(parsed.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});

describe("redocly respect spec/dcs-redislog.arazzo.yaml", () => {
  test.each([
    ["the single-node instance", SINGLE, SINGLE_REPLICA],
    ["the cluster instance", CLUSTER, CLUSTER_REPLICAS[0]],
  ])("passes against the emulator for %s", async (_name, instanceId, replicationId) => {
    const emulator = await start({ collectDelayMs: 700, logSize: 64 * 1024 });
    const run = await respect(
      emulator,
      { projectId: emulator.projectId, instanceId, replicationId, token: "emulator-token" },
      instanceId,
    );
    expect(run.code, run.output).toBe(0);
    expect(run.report?.workflows).toEqual([
      expect.objectContaining({ workflowId: "fetchRunLog", status: "success" }),
    ]);
    const served = emulator.requests.map((r) => `${r.operation} ${r.status}`);
    expect(served[0]).toBe("CreateRedislog 204");
    expect(served).toContain("ListRedislog 200");
    expect(served.slice(-2)).toEqual(["CreateRedislogDownloadLink 200", "Download 200"]);
  });

  test("fails when the emulator refuses (a wrong token), so a passing run means something", async () => {
    const emulator = await start({ collectDelayMs: 0 });
    const run = await respect(
      emulator,
      {
        projectId: emulator.projectId,
        instanceId: SINGLE,
        replicationId: SINGLE_REPLICA,
        token: "not-a-token",
      },
      "refused",
    );
    expect(run.code).not.toBe(0);
    expect(emulator.requests.map((r) => r.status)).toEqual([401]);
  });
});
