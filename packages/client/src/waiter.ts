import type { RunLog } from "@org/dcs-redislog-types";
import { CollectionFailedError, TimeoutError } from "./errors.js";
import { sleep } from "./retry.js";

export interface WaitPlan {
  instanceId: string;
  /** Files that existed before the collection; every other file belongs to it. */
  knownIds: ReadonlySet<string>;
  /** Files the collection makes: one per collected day. */
  expected: number;
  timeoutMs: number;
  minDelayMs: number;
  maxDelayMs: number;
  signal: AbortSignal | undefined;
  onPoll: ((files: RunLog[], expected: number) => void) | undefined;
  /** Lists every file; gets the time left, so one slow list cannot outlive the wait. */
  list: (remainingMs: number) => Promise<{ files: RunLog[]; requestId: string | undefined }>;
  random?: () => number;
}

/**
 * Polls until at least `expected` new files are listed and all are `succeed`. The delay starts at
 * `minDelayMs` and doubles up to `maxDelayMs`, drawn from the upper half of that range (jitter), and never
 * runs past the deadline. A new file with status `failed` ends the wait with CollectionFailedError.
 */
export async function waitForFiles(plan: WaitPlan): Promise<RunLog[] & { requestId: string | undefined }> {
  const random = plan.random ?? Math.random;
  const deadline = Date.now() + plan.timeoutMs;
  for (let polls = 1; ; polls++) {
    const { files, requestId } = await plan.list(Math.max(1, deadline - Date.now()));
    const fresh = files.filter((file) => !plan.knownIds.has(file.id));
    plan.onPoll?.(fresh, plan.expected);
    const failed = fresh.filter((file) => file.status === "failed").map((file) => file.id);
    if (failed.length) {
      throw new CollectionFailedError(
        `The collection on instance ${plan.instanceId} failed for ${failed.length} file(s). Collect again; if it keeps failing, contact support${requestId ? ` with request id ${requestId}` : ""}.`,
        { operation: "WaitForRunLogs", instanceId: plan.instanceId, failedIds: failed, requestId },
      );
    }
    const ready = fresh.filter((file) => file.status === "succeed").length;
    if (ready === fresh.length && ready >= plan.expected) return Object.assign(fresh, { requestId });
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new TimeoutError(
        `waitForRunLogs gave up after ${plan.timeoutMs} ms and ${polls} polls: ${ready} of ${Math.max(plan.expected, fresh.length)} ` +
          "file(s) of the collection ready. Raise timeoutMs, or check that the collection started.",
        { operation: "WaitForRunLogs", timeoutMs: plan.timeoutMs, attempts: polls },
      );
    }
    const ceiling = Math.min(plan.maxDelayMs, plan.minDelayMs * 2 ** (polls - 1));
    await sleep(
      Math.min(left, Math.max(plan.minDelayMs, ceiling * (0.5 + random() / 2))),
      plan.signal,
      "WaitForRunLogs",
    );
  }
}
