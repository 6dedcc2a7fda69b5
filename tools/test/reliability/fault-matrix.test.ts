// Every emulator fault kind × every client operation, persistent and transient: the call succeeds within its
// retries or throws the documented typed error (a hang within HANG_BOUND_MS); CreateRedislog is never sent
// again once one reached the server; a failed download leaves no file that looks complete. The client side
// runs in child processes (driver/fault-matrix.mjs) that must exit on their own after their report: a leaked
// socket or timer keeps a child alive and fails the run. The emulators stay here, in the test process.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Emulator, type ServedRequest, startEmulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { driver, filesIn, requireBuilt, runNode, singleInstances, tempDir } from "./helpers.js";
import {
  buildCases,
  type CaseOutcome,
  expectedOutcome,
  HANG_BOUND_MS,
  MATRIX_RETRY,
  type MatrixCase,
  type MatrixPlan,
  type MatrixReport,
} from "./matrix.js";

// Four children in parallel: the slow cases (hang) mostly wait, so more children than cores pay off.
// Cases are dealt round-robin so the slow kinds spread evenly.
const SHARDS = 4;
const LOG_SIZE = 32 * 1024;
/** How long a child may live after printing its report: well under the 5 s an idle server socket lives. */
const EXIT_BOUND_MS = 4_000;

interface Shard {
  cases: MatrixCase[];
  report: MatrixReport | undefined;
  /** The requests of each case's call (between setting and clearing its faults), in case order. */
  segments: ServedRequest[][];
  child: Awaited<ReturnType<typeof runNode>>;
}

const out = await tempDir("matrix");
const cases = buildCases(out.path);
const shards: Shard[] = [];
const outcomes = new Map<string, CaseOutcome>();
const segments = new Map<string, ServedRequest[]>();

/** Splits the emulator's log into the calls of the cases, at the admin requests that set and clear faults. */
function split(requests: readonly ServedRequest[]): ServedRequest[][] {
  const calls: ServedRequest[][] = [];
  let current: ServedRequest[] | undefined;
  for (const r of requests) {
    if (r.operation === "Admin" && r.method === "POST") current = [];
    else if (r.operation === "Admin" && r.method === "DELETE") {
      if (current) calls.push(current);
      current = undefined;
    } else current?.push(r);
  }
  return calls;
}

async function runShard(index: number): Promise<Shard> {
  const mine = cases.filter((_, i) => i % SHARDS === index);
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator({
      port: 0,
      admin: true,
      collectDelayMs: 100,
      logSize: LOG_SIZE,
      instances: singleInstances("matrix", cases.length),
    });
    const plan: MatrixPlan = {
      endpoint: emulator.endpoint,
      projectId: emulator.projectId,
      ak: emulator.ak,
      sk: emulator.sk,
      retry: MATRIX_RETRY,
      cases: mine,
    };
    const planFile = join(out.path, `plan-${index}.json`);
    await writeFile(planFile, JSON.stringify(plan));
    const child = await runNode(driver("fault-matrix.mjs"), [planFile], { killAfterMs: EXIT_BOUND_MS });
    const line = child.stdout.split("\n")[0] ?? "";
    const report = line.startsWith("{") ? (JSON.parse(line) as MatrixReport) : undefined;
    return { cases: mine, report, segments: split(emulator.requests), child };
  } finally {
    await emulator?.stop();
  }
}

beforeAll(async () => {
  requireBuilt();
  shards.push(...(await Promise.all(Array.from({ length: SHARDS }, (_, i) => runShard(i)))));
  for (const shard of shards) {
    for (const outcome of shard.report?.results ?? []) outcomes.set(outcome.id, outcome);
    shard.cases.forEach((c, i) => {
      segments.set(c.id, shard.segments[i] ?? []);
    });
  }
}, 280_000);

afterAll(() => out.remove());

describe("the client processes", () => {
  test.each(Array.from({ length: SHARDS }, (_, i) => i))(
    "child %i reports, then exits on its own (no leaked socket or timer)",
    (i) => {
      const shard = shards[i] as Shard;
      const { child } = shard;
      expect(shard.report, `no report; stderr:\n${child.stderr}`).toBeDefined();
      expect(
        child.killed,
        `still alive ${EXIT_BOUND_MS} ms after its report: something holds the event loop`,
      ).toBe(false);
      expect(child.code, child.stderr).toBe(0);
      expect(child.exitLagMs).toBeLessThan(EXIT_BOUND_MS);
      expect(shard.report?.results).toHaveLength(shard.cases.length);
    },
  );

  test("no unhandled rejection in any child", () => {
    expect(shards.flatMap((s) => s.report?.unhandled ?? [])).toEqual([]);
  });
});

describe.each(["persistent", "transient"] as const)("%s faults", (mode) => {
  test.each(cases.filter((c) => c.mode === mode).map((c) => [c.id, c] as const))("%s", async (_, c) => {
    const outcome = outcomes.get(c.id);
    expect(outcome, "the driver did not run this case").toBeDefined();
    if (!outcome) return;
    expect("setup" in outcome ? outcome.setup : undefined, "the case's setup failed").toBeUndefined();
    if ("setup" in outcome) return;
    const expected = expectedOutcome(c);
    if (expected.ok) {
      expect(outcome.ok ? undefined : outcome.error, "expected success").toBeUndefined();
    } else {
      expect(outcome.ok, `expected ${expected.error}`).toBe(false);
      if (!outcome.ok) {
        expect(outcome.error.name).toBe(expected.error);
        // Every library error is a DcsRedislogError; API answers are DcsApiErrors.
        expect(outcome.error.classes).toContain(expected.error);
        expect(outcome.error.classes).toContain("DcsRedislogError");
        expect(outcome.error.fields).toMatchObject(expected.fields);
        expect(outcome.error.message.length).toBeGreaterThan(20);
      }
    }

    // A hang is bounded by the short limit of the case, not by the relaxed one or by nothing at all.
    if (c.kind === "hang")
      expect(outcome.ms, `a hang took ${outcome.ms} ms: the short timeoutMs did not apply`).toBeLessThan(
        HANG_BOUND_MS,
      );
    expect(outcome.after, "the same client failed a plain call once the fault was gone").toBeUndefined();

    const calls = segments.get(c.id) ?? [];
    expect(calls.length, "the case's call reached the emulator").toBeGreaterThan(0);
    expect(
      calls.filter((r) => !r.path.includes(`/${c.instanceId}/`)),
      "requests of another instance",
    ).toEqual([]);
    // No duplicated collection: once a CreateRedislog got past throttling (429), overload (503) and the
    // clock check (401), none follows.
    const creates = calls.filter((r) => r.operation === "CreateRedislog");
    const reached = creates.findIndex((r) => ![429, 503, 401].includes(r.status));
    if (reached !== -1) expect(creates.slice(reached + 1), "CreateRedislog sent again").toEqual([]);

    if (c.op === "downloadToFile" || c.op === "fetchRunLogs") {
      const files = await filesIn(c.outDir);
      if (outcome.ok) {
        expect(files.map((f) => f.name).filter((n) => n.endsWith(".part"))).toEqual([]);
        expect(files.length).toBeGreaterThan(0);
        // Storage's malformed answer is a 200 with a body the client cannot tell from a file.
        if (!(c.target === "Download" && c.kind === "malformed-json"))
          for (const f of files) expect(f.size, f.name).toBe(LOG_SIZE);
      } else {
        expect(
          files.filter((f) => !f.name.endsWith(".part")),
          "a failed download left a file that looks complete",
        ).toEqual([]);
      }
    }
  });
});
