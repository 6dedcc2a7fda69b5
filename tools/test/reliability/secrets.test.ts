// Secrets: canary credentials (AK, SK, security token, IAM token, each with a random marker) drive the flows
// and the error paths at the most verbose level, through the client (logLevel "debug", a capturing logger)
// and the CLI (--verbose). No log line, result, error (message, stack, cause, JSON, util.inspect), output or
// written file may contain a canary, nor the signature query of a pre-signed link.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import {
  type ClientOptions,
  type Credentials,
  createDcsRedislogClient,
  type DcsRedislogClient,
  type Logger,
} from "@org/dcs-redislog-client";
import { downloadToFile, fetchRunLogs } from "@org/dcs-redislog-client/node";
import { type Emulator, type EmulatorOptions, startEmulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLI, canary, pool, requireBuilt, runNode, singleInstances, tempDir } from "./helpers.js";
import { FAULT_KINDS, MATRIX_RETRY } from "./matrix.js";

const AK = canary("AK").toUpperCase();
const SK = canary("sk");
const TEMP_AK = canary("TEMPAK").toUpperCase();
const TEMP_SK = canary("tempsk");
const STS_TOKEN = canary("sts");
const IAM_TOKEN = canary("iam");
/** Wrong guesses and what a failing provider says: none of it may be printed either. */
const WRONG_SK = canary("wrongsk");
const WRONG_TOKEN = canary("wrongiam");
const THROWN = canary("thrown");
const FORGED_SIGNATURE = canary("forged");
const CANARIES = {
  AK,
  SK,
  TEMP_AK,
  TEMP_SK,
  STS_TOKEN,
  IAM_TOKEN,
  WRONG_SK,
  WRONG_TOKEN,
  THROWN,
  FORGED_SIGNATURE,
};

const SINGLE = "5560df16-cebf-4473-95c4-d1b573c16e79";
const instances = singleInstances("secret", 8);
const EMULATOR: EmulatorOptions = {
  port: 0,
  ak: AK,
  sk: SK,
  tokens: [IAM_TOKEN],
  temporaryCredentials: [{ ak: TEMP_AK, sk: TEMP_SK, securityToken: STS_TOKEN }],
  instances: [
    { id: SINGLE, type: "single", replicationIds: ["b1e6ad27-0a7e-4f53-9d51-6c1d8f2e3a01"] },
    ...instances,
  ],
  collectDelayMs: 20,
  logSize: 4096,
};

const CREDENTIALS: Record<string, Credentials> = {
  "AK/SK": { ak: AK, sk: SK },
  "temporary AK/SK": { ak: TEMP_AK, sk: TEMP_SK, securityToken: STS_TOKEN },
  "IAM token": { token: IAM_TOKEN },
};

/** Signatures of every link seen, so that their presence anywhere shown can be checked. */
const signatures = new Set<string>();

/** Every place a secret and its random tail could show up in, and a regex for unredacted link queries. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(CANARIES)) {
    if (text.includes(value) || text.toLowerCase().includes(value.slice(-12).toLowerCase())) found.push(name);
  }
  for (const signature of signatures) if (text.includes(signature)) found.push(`link signature ${signature}`);
  const query = /(Signature|AWSAccessKeyId|Expires)=(?!\[REDACTED\])[^&\s"'<>,]+/.exec(text);
  if (query) found.push(`unredacted link query ${query[0]}`);
  return found;
}

const WAIT = { minDelayMs: 10, maxDelayMs: 40, waitTimeoutMs: 20_000 };
let emulator: Emulator | undefined;
const out = await tempDir("secrets");
/** Everything shown: log lines, errors in all their forms, results. */
const shown: string[] = [];
const errorNames = new Set<string>();
const levels = new Set<string>();

function capturingLogger(): Logger {
  const line =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      levels.add(level);
      shown.push(`${level} ${message} ${JSON.stringify(fields)} ${inspect(fields, { depth: null })}`);
    };
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}

function client(credentials: Credentials, options: Partial<ClientOptions> = {}): DcsRedislogClient {
  return createDcsRedislogClient({
    endpoint: running().endpoint,
    projectId: running().projectId,
    credentials,
    retry: MATRIX_RETRY,
    logger: capturingLogger(),
    logLevel: "debug",
    ...options,
  });
}

/** Records an error in every form a program might print it in. */
function show(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error;
  errorNames.add(e.name);
  shown.push(
    e.message,
    String(e.stack),
    String(e),
    JSON.stringify(e),
    inspect(e),
    inspect(e, { showHidden: true, depth: null }),
  );
  if (e.cause instanceof Error) shown.push(String(e.cause.stack), inspect(e.cause, { showHidden: true }));
}

async function expectFailure(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    show(error);
    return;
  }
  throw new Error("expected the call to fail");
}

let nextInstance = 0;
const freshInstance = () => (instances[nextInstance++] as { id: string }).id;

beforeAll(async () => {
  requireBuilt();
  emulator = await startEmulator(EMULATOR);
});

afterAll(async () => {
  await emulator?.stop();
  await out.remove();
});

const running = () => {
  if (!emulator) throw new Error("emulator not started");
  return emulator;
};

describe("client at logLevel debug", () => {
  test.each(Object.keys(CREDENTIALS))("flows with %s credentials", async (kind) => {
    const dcs = client(CREDENTIALS[kind] as Credentials);
    const instanceId = freshInstance();
    const dir = join(out.path, `flow-${nextInstance}`);
    const files = await fetchRunLogs(dcs, { instanceId, outDir: dir, ...WAIT });
    expect(files).toHaveLength(1);
    shown.push(JSON.stringify(files), inspect(files, { depth: null }));

    const page = await dcs.listRunLogs({ instanceId });
    shown.push(JSON.stringify(page), inspect(page, { depth: null }));
    for await (const item of dcs.runLogs({ instanceId, pageSize: 1 })) shown.push(JSON.stringify(item));
    const logId = page.file_list[0]?.id as string;
    const link = await dcs.createDownloadLink({ instanceId, logId });
    const signature = new URL(link.link).searchParams.get("Signature");
    expect(signature).toBeTruthy();
    signatures.add(signature as string);
    // The result shows its link without the query; `link.link` itself stays usable.
    shown.push(JSON.stringify(link), inspect(link, { depth: null }), String(link));
    const body = await dcs.download(link);
    shown.push(inspect(body, { depth: null }));
    await body.body.cancel();
    const file = await downloadToFile(dcs, link, join(dir, "again.log"));
    shown.push(JSON.stringify(file), inspect(file));
    await dcs.download({ instanceId, logId }).then((b) => b.body.cancel());

    await dcs.collectRunLogs({ instanceId });
    const ready = await dcs.waitForRunLogs({ instanceId, ...WAIT, timeoutMs: 20_000 });
    shown.push(JSON.stringify(ready), inspect(ready, { depth: null }));
    shown.push(inspect(dcs, { depth: 4, showHidden: true }));
  });

  test.each(Object.keys(CREDENTIALS))("faults on every operation with %s credentials", async (kind) => {
    const cells = ["ListRedislog", "CreateRedislog", "CreateRedislogDownloadLink", "Download"].flatMap(
      (target) => FAULT_KINDS.map((fault) => ({ target, fault })),
    );
    // One emulator per cell (same canary credentials), so that cells can run side by side.
    await pool(cells, 4, async ({ target, fault }) => {
      const own = await startEmulator(EMULATOR);
      try {
        const dcs = client(CREDENTIALS[kind] as Credentials, {
          endpoint: own.endpoint,
          timeoutMs: fault === "hang" ? 200 : 10_000,
        });
        const outDir = join(out.path, `${kind}-${target}-${fault}`.replace(/\W/g, "_"));
        // fetchRunLogs cannot bound a hanging storage (see fault-matrix.test.ts); download() can.
        if (fault === "hang" && target === "Download") {
          const setup = client(CREDENTIALS[kind] as Credentials, { endpoint: own.endpoint });
          const [file] = await fetchRunLogs(setup, { instanceId: SINGLE, outDir, ...WAIT });
          own.setFaults(`${target}:${fault}`);
          await dcs
            .download({ instanceId: SINGLE, logId: file?.log.id as string }, { timeoutMs: 200 })
            .then((b) => b.body.cancel(), show);
          return;
        }
        own.setFaults(`${target}:${fault}`);
        await fetchRunLogs(dcs, { instanceId: SINGLE, outDir, ...WAIT }).then(
          (value) => shown.push(JSON.stringify(value), inspect(value, { depth: null })),
          show,
        );
      } finally {
        await own.stop();
      }
    });
  });

  test("refused credentials, a failing provider, forged links, bad input", async () => {
    await expectFailure(() => client({ ak: AK, sk: WRONG_SK }).listRunLogs({ instanceId: SINGLE }));
    await expectFailure(() => client({ ak: `${AK}X`, sk: SK }).listRunLogs({ instanceId: SINGLE }));
    await expectFailure(() =>
      client({ ak: TEMP_AK, sk: TEMP_SK, securityToken: WRONG_TOKEN }).listRunLogs({ instanceId: SINGLE }),
    );
    await expectFailure(() => client({ ak: TEMP_AK, sk: TEMP_SK }).listRunLogs({ instanceId: SINGLE }));
    await expectFailure(() => client({ token: WRONG_TOKEN }).listRunLogs({ instanceId: SINGLE }));
    await expectFailure(() =>
      client(() => {
        throw new Error(`could not read ${SK} from the vault (token ${IAM_TOKEN}, session ${THROWN})`);
      }).listRunLogs({ instanceId: SINGLE }),
    );
    await expectFailure(() => client({ ak: AK, sk: `${SK}\n` }).listRunLogs({ instanceId: SINGLE }));
    // Secrets passed where an id belongs (a classic copy-paste slip) are not echoed back.
    await expectFailure(() => client({ ak: AK, sk: SK }).listRunLogs({ instanceId: `${SK}/..` }));
    await expectFailure(() =>
      client({ ak: AK, sk: SK }).listRunLogs({ instanceId: SINGLE.replace("5", "6") }),
    );

    const dcs = client({ ak: AK, sk: SK });
    const instanceId = freshInstance();
    const [file] = await fetchRunLogs(dcs, { instanceId, outDir: join(out.path, "forged"), ...WAIT });
    const link = await dcs.createDownloadLink({ instanceId, logId: file?.log.id as string });
    signatures.add(new URL(link.link).searchParams.get("Signature") as string);
    const forged = new URL(link.link);
    forged.searchParams.set("Signature", FORGED_SIGNATURE);
    await expectFailure(() => dcs.download(forged.href));
    await expectFailure(() => dcs.download(forged.href, { relink: async () => forged.href }));
    await expectFailure(() => downloadToFile(dcs, forged.href, join(out.path, "forged", "forged.log")));
    const aborted = new AbortController();
    aborted.abort();
    await expectFailure(() => dcs.listRunLogs({ instanceId, signal: aborted.signal }));
    await expectFailure(() =>
      client({ ak: AK, sk: SK }, { endpoint: "http://127.0.0.1:9" }).listRunLogs({ instanceId }),
    );
  });

  test("nothing shown contains a secret or a link's signature", async () => {
    // Not vacuous: every level was logged, and the error paths produced the documented classes.
    expect([...levels].sort()).toEqual(["debug", "info", "warn"]);
    for (const name of [
      "AuthenticationError",
      "ConfigError",
      "ValidationError",
      "NotFoundError",
      "ThrottledError",
      "ServerError",
      "ConnectionError",
      "TimeoutError",
      "MalformedResponseError",
      "DownloadError",
      "LinkExpiredError",
      "AbortError",
    ])
      expect(errorNames).toContain(name);
    expect(signatures.size).toBeGreaterThanOrEqual(3);

    const written = await listFiles(out.path);
    expect(written.length, "downloaded files to scan").toBeGreaterThan(3);
    const contents = await Promise.all(
      written.map(async (path) => `${path}\n${await readFile(path, "latin1")}`),
    );
    expect(leaks([...shown, ...contents].join("\n"))).toEqual([]);
  });
});

/** Every file under `dir`, recursively. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("CLI --verbose", () => {
  interface CliRun {
    name: string;
    args: string[];
    env?: Record<string, string>;
    faults?: string;
    input?: string;
  }
  const runs: CliRun[] = [
    { name: "fetch", args: ["fetch", "--days", "1"] },
    {
      name: "fetch --json, temporary keys",
      args: ["fetch", "--json"],
      env: {
        HUAWEICLOUD_SDK_AK: TEMP_AK,
        HUAWEICLOUD_SDK_SK: TEMP_SK,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: STS_TOKEN,
      },
    },
    {
      name: "list --all, IAM token",
      args: ["list", "--all"],
      env: { HUAWEICLOUD_SDK_AK: "", HUAWEICLOUD_SDK_SK: "", DCS_AUTH_TOKEN: IAM_TOKEN },
    },
    { name: "fetch --dry-run", args: ["fetch", "--dry-run"] },
    {
      name: "fetch --dry-run, temporary keys",
      args: ["fetch", "--dry-run", "--json"],
      env: {
        HUAWEICLOUD_SDK_AK: TEMP_AK,
        HUAWEICLOUD_SDK_SK: TEMP_SK,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: STS_TOKEN,
      },
    },
    { name: "fetch, --sk-stdin", args: ["fetch", "--sk-stdin"], env: { HUAWEICLOUD_SDK_SK: "" }, input: SK },
    { name: "wrong SK", args: ["fetch"], env: { HUAWEICLOUD_SDK_SK: WRONG_SK } },
    {
      name: "wrong IAM token",
      args: ["list", "--json"],
      env: { HUAWEICLOUD_SDK_AK: "", HUAWEICLOUD_SDK_SK: "", DCS_AUTH_TOKEN: WRONG_TOKEN },
    },
    {
      name: "wrong security token",
      args: ["fetch"],
      env: {
        HUAWEICLOUD_SDK_AK: TEMP_AK,
        HUAWEICLOUD_SDK_SK: TEMP_SK,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: WRONG_TOKEN,
      },
    },
    { name: "AK without SK", args: ["fetch"], env: { HUAWEICLOUD_SDK_SK: "" } },
    ...[
      "error500",
      "throttle:retryAfterSeconds=0",
      "malformed-json",
      "truncate",
      "reset",
      "clock-skew",
    ].flatMap((fault) =>
      ["ListRedislog", "CreateRedislog", "CreateRedislogDownloadLink", "Download"].map((target) => ({
        name: `${target}:${fault}`,
        args: ["fetch", "--json"],
        faults: `${target}:${fault}`,
      })),
    ),
  ];
  const results: { run: CliRun; code: number | null; text: string }[] = [];

  beforeAll(async () => {
    const done = await pool(runs, 3, async (run) => {
      // Each run has its emulator, with the same canary credentials, so faults stay with their run.
      const own = await startEmulator({ ...EMULATOR, faults: run.faults ?? [] });
      const dir = await tempDir("secrets-cli");
      try {
        const child = await runNode(
          CLI,
          [
            ...run.args,
            "--verbose",
            "--instance",
            SINGLE,
            ...(run.args[0] === "list" ? [] : ["--out", dir.path]),
          ],
          {
            env: {
              PATH: process.env.PATH ?? "/usr/bin:/bin",
              DCS_ENDPOINT: own.endpoint,
              HUAWEICLOUD_SDK_AK: AK,
              HUAWEICLOUD_SDK_SK: SK,
              HUAWEICLOUD_SDK_PROJECT_ID: own.projectId,
              ...run.env,
            },
            input: run.input,
            timeoutMs: 60_000,
          },
        );
        const files = await listFiles(dir.path);
        const contents = await Promise.all(files.map(async (f) => `${f}\n${await readFile(f, "latin1")}`));
        return { run, code: child.code, text: [child.stdout, child.stderr, ...contents].join("\n") };
      } finally {
        await own.stop();
        await dir.remove();
      }
    });
    results.push(...done);
  }, 180_000);

  test("the runs succeeded and failed as expected, and said so verbosely", () => {
    const byName = new Map(results.map((r) => [r.run.name, r]));
    for (const ok of [
      "fetch",
      "fetch --json, temporary keys",
      "list --all, IAM token",
      "fetch --dry-run",
      "fetch, --sk-stdin",
    ])
      expect(byName.get(ok)?.code, byName.get(ok)?.text).toBe(0);
    for (const auth of ["wrong SK", "wrong IAM token", "wrong security token", "AK without SK"])
      expect(byName.get(auth)?.code, byName.get(auth)?.text).toBe(3);
    expect(byName.get("ListRedislog:error500")?.code).toBe(6);
    expect(results.filter((r) => r.text.includes("debug: ")).length).toBeGreaterThan(10);
    expect(byName.get("fetch --dry-run")?.text).toContain("Signature=[REDACTED]");
  });

  test.each(runs.map((r) => r.name))("%s: no secret in stdout, stderr or written files", (name) => {
    const result = results.find((r) => r.run.name === name);
    expect(result).toBeDefined();
    expect(leaks(result?.text ?? "")).toEqual([]);
  });
});
