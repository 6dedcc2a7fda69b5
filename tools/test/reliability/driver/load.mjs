// @ts-check
// Child process of load.test.ts, run with --expose-gc so that heap figures are taken after a full collection.
// One client: `flows` concurrent fetchRunLogs (one instance each), then `requests` list/link calls
// (`concurrency` at a time), with the heap measured after GC before and after the requests.
//
// Usage: node --expose-gc load.mjs PLAN.json → one line on stdout: LoadReport (see ../load.test.ts)
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createDcsRedislogClient } from "@org/dcs-redislog-client";
import { fetchRunLogs } from "@org/dcs-redislog-client/node";

/** @typedef {import("../load.js").LoadPlan} LoadPlan */

const planPath = process.argv[2];
if (!planPath) throw new Error("usage: node --expose-gc load.mjs PLAN.json");
/** @type {LoadPlan} */
const plan = JSON.parse(await readFile(planPath, "utf8"));
const gc = /** @type {() => void} */ (globalThis.gc);
if (typeof gc !== "function") throw new Error("run with --expose-gc");

/** @type {string[]} */
const unhandled = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(String(reason));
});

const dcs = createDcsRedislogClient({
  endpoint: plan.endpoint,
  projectId: plan.projectId,
  credentials: { ak: plan.ak, sk: plan.sk },
});

/** Distinct error messages with their counts: zero is the goal, and the first few say why not. */
/** @type {Map<string, number>} */
const errors = new Map();
const failed = (/** @type {unknown} */ error) => {
  const key = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  errors.set(key, (errors.get(key) ?? 0) + 1);
};

const flowsStarted = Date.now();
const flows = await Promise.all(
  plan.instances.map((instanceId) =>
    fetchRunLogs(dcs, {
      instanceId,
      outDir: join(plan.outDir, instanceId),
      minDelayMs: 20,
      maxDelayMs: 100,
      waitTimeoutMs: 60_000,
    }).then(
      (files) => files.length,
      (error) => {
        failed(error);
        return 0;
      },
    ),
  ),
);
const flowsMs = Date.now() - flowsStarted;

// One finished file per instance, for the link calls.
const logIds = await Promise.all(
  plan.instances.map(async (instanceId) => {
    const page = await dcs.listRunLogs({ instanceId, limit: 1 });
    return page.file_list[0]?.id ?? "";
  }),
);

/** `count` calls, alternating list and link over the instances, `plan.concurrency` at a time. */
async function hammer(/** @type {number} */ count) {
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const i = n % plan.instances.length;
      const instanceId = /** @type {string} */ (plan.instances[i]);
      try {
        if (n % 2 === 0) await dcs.listRunLogs({ instanceId, limit: 10 });
        else await dcs.createDownloadLink({ instanceId, logId: /** @type {string} */ (logIds[i]) });
        ok++;
      } catch (error) {
        failed(error);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  return ok;
}

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

// Warm-up: the first calls fill caches and pools that then stay; they are not growth.
await hammer(plan.warmup);
const heapBefore = heap();
const requestsStarted = Date.now();
const requestsOk = await hammer(plan.requests);
const requestsMs = Date.now() - requestsStarted;
const heapAfter = heap();

process.stdout.write(
  `${JSON.stringify({
    flowFiles: flows,
    flowsMs,
    requestsOk,
    requestsMs,
    heapBefore,
    heapAfter,
    errors: Object.fromEntries(errors),
    unhandled,
  })}\n`,
);
