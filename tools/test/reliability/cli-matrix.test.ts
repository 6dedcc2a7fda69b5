// `dcs-redislog fetch` (the built CLI) under every emulator fault kind on each API operation of the flow,
// persistent and transient: exit code and `--json` error kind as documented, one `error:` line, CreateRedislog
// never resent once it reached the server, no file that looks complete after a failure, and a hang (storage's
// included) ended by `--timeout` within CLI_HANG_BOUND_MS.

import { createDcsRedislogClient } from "@org/dcs-redislog-client";
import { type Emulator, type ServedRequest, startEmulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLI, filesIn, pool, requireBuilt, runNode, tempDir } from "./helpers.js";
import {
  type ApiOperation,
  CLIENT_OPERATIONS,
  expectedOutcome,
  FAULT_KINDS,
  faultSpec,
  HANG_TIMEOUT_MS,
  type Mode,
} from "./matrix.js";

const INSTANCE = "5560df16-cebf-4473-95c4-d1b573c16e79";
const LOG_SIZE = 32 * 1024;
/** Parallel CLI processes: each is mostly Node start-up, so a little more than the cores. */
const CONCURRENCY = 3;

/** The CLI's exit code for each error class (packages/cli/README.md, "Exit codes"). */
const EXIT_CODES: Record<string, number> = {
  AuthenticationError: 3,
  ThrottledError: 5,
  ServerError: 6,
  MalformedResponseError: 6,
  ConnectionError: 7,
  TimeoutError: 7,
  DownloadError: 7,
};

/**
 * The longest a `hang` case may take: with `--timeout 500`, the CLI's four attempts and their backoff need
 * about 5 s at worst; a request that ignored `--timeout` would wait the default 30 s.
 */
const CLI_HANG_BOUND_MS = 20_000;

interface CliCase {
  id: string;
  target: ApiOperation;
  kind: (typeof FAULT_KINDS)[number];
  mode: Mode;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
  /** From spawning the CLI to its exit. */
  ms: number;
  files: { name: string; size: number }[];
  calls: ServedRequest[];
}

const cases: CliCase[] = [];
for (const mode of ["persistent", "transient"] as const)
  for (const target of CLIENT_OPERATIONS.fetchRunLogs)
    for (const kind of FAULT_KINDS) cases.push({ id: `${mode} ${target}:${kind}`, target, kind, mode });

const out = await tempDir("cli-matrix");
const runs = new Map<string, CliRun>();

async function runCase(c: CliCase, index: number): Promise<CliRun> {
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator({ port: 0, collectDelayMs: 0, logSize: LOG_SIZE });
    // A file to list before the faults start, as on a real instance; the CLI's collection replaces it.
    const dcs = createDcsRedislogClient({
      endpoint: emulator.endpoint,
      projectId: emulator.projectId,
      credentials: { ak: emulator.ak, sk: emulator.sk },
    });
    await dcs.collectRunLogs({ instanceId: INSTANCE });
    const from = emulator.requests.length;
    // Retry-After 0: the CLI's retries honour it, and a second per retry would only slow the suite down.
    emulator.setFaults(
      `${faultSpec(c.target, c.kind, c.mode)}${c.kind === "throttle" ? ":retryAfterSeconds=0" : ""}`,
    );
    const dir = `${out.path}/${String(index).padStart(3, "0")}`;
    const args = ["fetch", "--instance", INSTANCE, "--out", dir, "--json"];
    if (c.kind === "hang") args.push("--timeout", String(HANG_TIMEOUT_MS));
    const started = Date.now();
    const child = await runNode(CLI, args, {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        DCS_ENDPOINT: emulator.endpoint,
        HUAWEICLOUD_SDK_AK: emulator.ak,
        HUAWEICLOUD_SDK_SK: emulator.sk,
        HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId,
      },
      timeoutMs: 60_000,
      killAfterMs: 30_000,
    });
    const ms = Date.now() - started;
    return { ...child, ms, files: await filesIn(dir), calls: emulator.requests.slice(from) };
  } finally {
    await emulator?.stop();
  }
}

beforeAll(async () => {
  requireBuilt();
  const results = await pool(cases, CONCURRENCY, (c) => runCase(c, cases.indexOf(c)));
  cases.forEach((c, i) => {
    runs.set(c.id, results[i] as CliRun);
  });
}, 280_000);

afterAll(() => out.remove());

describe.each(["persistent", "transient"] as const)("dcs-redislog fetch, %s faults", (mode) => {
  test.each(cases.filter((c) => c.mode === mode).map((c) => [c.id, c] as const))("%s", (_, c) => {
    const run = runs.get(c.id);
    expect(run, "the case did not run").toBeDefined();
    if (!run) return;
    expect(run.killed, "the CLI did not finish").toBe(false);
    if (c.kind === "hang")
      expect(run.ms, `a hang took ${run.ms} ms: --timeout did not apply`).toBeLessThan(CLI_HANG_BOUND_MS);
    const expected = expectedOutcome(c);
    const errors = run.stderr.split("\n").filter((l) => l.startsWith("error:"));
    const json = JSON.parse(run.stdout) as {
      error?: { exit_code: number; kind: string; status: number | null; error_code: string | null };
      files?: { path: string; size: number }[];
    };
    if (expected.ok) {
      expect(run.code, run.stderr).toBe(0);
      expect(errors).toEqual([]);
      expect(json.files).toHaveLength(1);
      expect(run.files.map((f) => f.name).filter((n) => n.endsWith(".part"))).toEqual([]);
      expect(run.files).toHaveLength(1);
      if (!(c.target === "Download" && c.kind === "malformed-json"))
        expect(run.files[0]?.size).toBe(LOG_SIZE);
    } else {
      const code = EXIT_CODES[expected.error];
      expect(run.code, run.stderr).toBe(code);
      expect(errors, run.stderr).toHaveLength(1);
      expect(json.error).toMatchObject({ exit_code: code, kind: expected.error });
      if (expected.fields.status !== undefined) {
        expect(json.error).toMatchObject({
          status: expected.fields.status,
          error_code: expected.fields.errorCode ?? null,
        });
      }
      expect(
        run.files.filter((f) => !f.name.endsWith(".part")),
        "a failed fetch left a file that looks complete",
      ).toEqual([]);
    }
    const creates = run.calls.filter((r) => r.operation === "CreateRedislog");
    const reached = creates.findIndex((r) => ![429, 503, 401].includes(r.status));
    if (reached !== -1) expect(creates.slice(reached + 1), "CreateRedislog sent again").toEqual([]);
  });
});
