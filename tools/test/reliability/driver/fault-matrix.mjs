// @ts-check
// Child process of fault-matrix.test.ts: runs the client side of the matrix against an emulator that lives in
// the PARENT, so that a socket or timer the client leaks keeps this process alive and the parent sees it.
// It must end on its own once the report is printed: no process.exit, no forced teardown.
//
// Usage: node fault-matrix.mjs PLAN.json  → one line on stdout: {"results":[…],"unhandled":[…]}
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import * as client from "@org/dcs-redislog-client";
import { downloadToFile, fetchRunLogs } from "@org/dcs-redislog-client/node";

/** @typedef {import("../matrix.js").MatrixPlan} MatrixPlan */
/** @typedef {import("../matrix.js").MatrixCase} MatrixCase */
/** @typedef {import("../matrix.js").CaseOutcome} CaseOutcome */

/** @type {string[]} */
const unhandled = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
});

const planPath = process.argv[2];
if (!planPath) throw new Error("usage: node fault-matrix.mjs PLAN.json");
/** @type {MatrixPlan} */
const plan = JSON.parse(await readFile(planPath, "utf8"));

const FIELDS = [
  "status",
  "errorCode",
  "operation",
  "attempts",
  "code",
  "timeoutMs",
  "reason",
  "received",
  "expected",
  "option",
];

/** The exported error classes the value is an instance of, and the fields the README documents. */
function describeError(/** @type {unknown} */ error) {
  if (!(error instanceof Error))
    return { name: typeof error, message: String(error), classes: [], fields: {} };
  const classes = Object.entries(client)
    .filter(([name, value]) => /Error$/.test(name) && typeof value === "function" && error instanceof value)
    .map(([name]) => name);
  /** @type {Record<string, unknown>} */
  const fields = {};
  for (const key of FIELDS) if (key in error) fields[key] = /** @type {any} */ (error)[key];
  return { name: error.name, message: error.message, classes, fields };
}

/** Admin endpoint of the emulator: faults are switched from here, between setup and the call under test. */
async function setFaults(/** @type {string} */ spec) {
  const response = spec
    ? await fetch(`${plan.endpoint}/_emulator/faults`, { method: "POST", body: spec })
    : await fetch(`${plan.endpoint}/_emulator/faults`, { method: "DELETE" });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`setting faults ${JSON.stringify(spec)} failed: HTTP ${response.status}`);
}

function clientFor(/** @type {MatrixCase} */ c) {
  return client.createDcsRedislogClient({
    endpoint: plan.endpoint,
    projectId: plan.projectId,
    credentials: { ak: plan.ak, sk: plan.sk },
    retry: plan.retry,
    timeoutMs: c.clientTimeoutMs,
    deadlineMs: 60_000,
  });
}

const WAIT = { minDelayMs: 10, maxDelayMs: 40 };

async function readAll(/** @type {ReadableStream<Uint8Array>} */ body) {
  let bytes = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

async function firstLogId(/** @type {client.DcsRedislogClient} */ dcs, /** @type {string} */ instanceId) {
  const page = await dcs.listRunLogs({ instanceId, limit: 1 });
  const id = page.file_list[0]?.id;
  if (!id) throw new Error(`setup: instance ${instanceId} has no file`);
  return id;
}

/**
 * Each operation in two steps: setup runs with no fault on a client with relaxed limits (so a short hang
 * limit cannot fail it), then the returned call runs with the case's faults on the case's own client.
 * @type {Record<string, (setup: client.DcsRedislogClient, dcs: client.DcsRedislogClient, c: MatrixCase) => Promise<() => Promise<Record<string, unknown>>>>}
 */
const OPERATIONS = {
  async collectRunLogs(_, dcs, c) {
    return async () => {
      const r = await dcs.collectRunLogs({ instanceId: c.instanceId, timeoutMs: c.callTimeoutMs });
      return { knownIds: r.knownIds.length };
    };
  },
  async listRunLogs(_, dcs, c) {
    return async () => {
      const page = await dcs.listRunLogs({ instanceId: c.instanceId, timeoutMs: c.callTimeoutMs });
      return { items: page.file_list.length };
    };
  },
  async runLogs(_, dcs, c) {
    return async () => {
      let items = 0;
      for await (const _ of dcs.runLogs({
        instanceId: c.instanceId,
        pageSize: 1,
        timeoutMs: c.callTimeoutMs,
      }))
        items++;
      return { items };
    };
  },
  async createDownloadLink(setup, dcs, c) {
    const logId = await firstLogId(setup, c.instanceId);
    return async () => {
      const link = await dcs.createDownloadLink({
        instanceId: c.instanceId,
        logId,
        timeoutMs: c.callTimeoutMs,
      });
      return { link: typeof link.link === "string" };
    };
  },
  async waitForRunLogs(setup, dcs, c) {
    // Collected by another client: the waiter gets what it needs from the CollectResult.
    const { knownIds, queryTime } = await setup.collectRunLogs({ instanceId: c.instanceId });
    return async () => {
      const files = await dcs.waitForRunLogs({
        instanceId: c.instanceId,
        knownIds,
        queryTime,
        timeoutMs: 20_000,
        ...WAIT,
      });
      return { items: files.length };
    };
  },
  async download(setup, dcs, c) {
    const logId = await firstLogId(setup, c.instanceId);
    return async () => {
      const file = await dcs.download(
        { instanceId: c.instanceId, logId },
        { timeoutMs: c.callTimeoutMs, retry: plan.retry },
      );
      return { bytes: await readAll(file.body), size: file.size };
    };
  },
  async downloadToFile(setup, dcs, c) {
    const logId = await firstLogId(setup, c.instanceId);
    const link = await setup.createDownloadLink({ instanceId: c.instanceId, logId });
    await mkdir(c.outDir, { recursive: true });
    return async () => {
      const file = await downloadToFile(dcs, link, join(c.outDir, "file.log"), {
        timeoutMs: c.callTimeoutMs,
      });
      return { bytes: file.size };
    };
  },
  async fetchRunLogs(_, dcs, c) {
    return async () => {
      const files = await fetchRunLogs(dcs, {
        instanceId: c.instanceId,
        outDir: c.outDir,
        timeoutMs: c.callTimeoutMs,
        waitTimeoutMs: 20_000,
        ...WAIT,
      });
      return { items: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
    };
  },
};

/** @type {CaseOutcome[]} */
const results = [];
await setFaults("");
const setup = clientFor(/** @type {MatrixCase} */ ({ clientTimeoutMs: 10_000 }));
// Every instance gets three finished files first (three days), so lists and links have something to return.
{
  const dcs = setup;
  const instances = [...new Set(plan.cases.map((c) => c.instanceId))];
  await Promise.all(instances.map((instanceId) => dcs.collectRunLogs({ instanceId, queryTime: 3 })));
  await Promise.all(
    instances.map((instanceId) => dcs.waitForRunLogs({ instanceId, timeoutMs: 20_000, ...WAIT })),
  );
}
for (const c of plan.cases) {
  const operation = OPERATIONS[c.op];
  if (!operation) throw new Error(`unknown operation ${c.op}`);
  const dcs = clientFor(c);
  /** @type {() => Promise<Record<string, unknown>>} */
  let call;
  try {
    call = await operation(setup, dcs, c);
  } catch (error) {
    results.push({ id: c.id, ok: false, ms: 0, after: undefined, setup: describeError(error).message });
    continue;
  }
  await setFaults(c.faults);
  const started = Date.now();
  /** @type {Pick<CaseOutcome, "ok"> & Record<string, unknown>} */
  let outcome;
  try {
    outcome = { ok: true, value: await call() };
  } catch (error) {
    outcome = { ok: false, error: describeError(error) };
  }
  const ms = Date.now() - started;
  await setFaults("");
  // The same client, once the fault is gone: it must have recovered (budget left, clock corrected).
  /** @type {string | undefined} */
  let after;
  try {
    await dcs.listRunLogs({ instanceId: c.instanceId });
  } catch (error) {
    after = describeError(error).message;
  }
  results.push(/** @type {CaseOutcome} */ ({ id: c.id, ...outcome, ms, after }));
}
// Pending rejections surface on the next turns of the loop.
await new Promise((resolve) => setTimeout(resolve, 50));
process.stdout.write(`${JSON.stringify({ results, unhandled })}\n`);
