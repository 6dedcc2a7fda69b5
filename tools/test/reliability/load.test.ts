// Load: 200 concurrent fetchRunLogs flows (one instance each, so no collection collides with another), then
// 10,000 list/link calls, all from one client in a child process started with --expose-gc: zero errors,
// every file whole, one collection per flow, and a heap after GC no more than 1.2× what it was before.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll, expect, test } from "vitest";
import { driver, filesIn, requireBuilt, runNode, singleInstances, tempDir } from "./helpers.js";
import type { LoadPlan, LoadReport } from "./load.js";

const FLOWS = 200;
const REQUESTS = 10_000;
const LOG_SIZE = 16 * 1024;

const out = await tempDir("load");
let emulator: Emulator | undefined;
let report: LoadReport | undefined;
let child: Awaited<ReturnType<typeof runNode>> | undefined;

beforeAll(async () => {
  requireBuilt();
  const instances = singleInstances("load", FLOWS);
  emulator = await startEmulator({ port: 0, collectDelayMs: 50, logSize: LOG_SIZE, instances });
  const plan: LoadPlan = {
    endpoint: emulator.endpoint,
    projectId: emulator.projectId,
    ak: emulator.ak,
    sk: emulator.sk,
    instances: instances.map((i) => i.id),
    outDir: join(out.path, "files"),
    requests: REQUESTS,
    warmup: 1_000,
    concurrency: 50,
  };
  const planFile = join(out.path, "plan.json");
  await writeFile(planFile, JSON.stringify(plan));
  child = await runNode(driver("load.mjs"), [planFile], { nodeArgs: ["--expose-gc"], killAfterMs: 10_000 });
  const line = child.stdout.split("\n")[0] ?? "";
  report = line.startsWith("{") ? (JSON.parse(line) as LoadReport) : undefined;
}, 200_000);

afterAll(async () => {
  await emulator?.stop();
  await out.remove();
});

test("the load driver reports and exits on its own", () => {
  expect(report, `no report; stderr:\n${child?.stderr}`).toBeDefined();
  expect(child?.killed).toBe(false);
  expect(child?.code, child?.stderr).toBe(0);
  expect(report?.unhandled).toEqual([]);
});

test(`${FLOWS} concurrent fetchRunLogs flows: no error, one whole file each, one collection each`, async () => {
  expect(report?.errors).toEqual({});
  expect(report?.flowFiles).toEqual(Array.from({ length: FLOWS }, () => 1));
  const creates = emulator?.requests.filter((r) => r.operation === "CreateRedislog") ?? [];
  expect(creates).toHaveLength(FLOWS);
  expect(creates.every((r) => r.status === 204)).toBe(true);
  const dirs = singleInstances("load", FLOWS).map((i) => join(out.path, "files", i.id));
  const files = (await Promise.all(dirs.map(filesIn))).flat();
  expect(files).toHaveLength(FLOWS);
  expect(files.filter((f) => f.size !== LOG_SIZE || !f.name.endsWith(".log"))).toEqual([]);
});

test(`${REQUESTS} list/link calls: no error, flat heap`, () => {
  expect(report?.errors).toEqual({});
  expect(report?.requestsOk).toBe(REQUESTS);
  const served = emulator?.requests.filter((r) => r.status >= 400 || r.status === 0) ?? [];
  expect(served, "error answers from the emulator").toEqual([]);
  const { heapBefore = 0, heapAfter = Number.POSITIVE_INFINITY } = report ?? {};
  expect(heapBefore).toBeGreaterThan(0);
  expect(heapAfter, `heap ${heapBefore} → ${heapAfter} bytes`).toBeLessThanOrEqual(heapBefore * 1.2);
});
