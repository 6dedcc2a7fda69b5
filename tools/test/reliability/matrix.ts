// The fault matrix: every emulator fault kind × every client operation × the API operation the fault hits,
// once as a persistent fault (every matching request) and once as a transient one (the next request only),
// with the outcome the client's README documents for each cell. driver/fault-matrix.mjs runs the cases;
// fault-matrix.test.ts checks them against `expectedOutcome`.
import type { FaultKind, FaultOperation } from "@org/dcs-redislog-emulator";

export const FAULT_KINDS = [
  "throttle",
  "error500",
  "error502",
  "error503",
  "latency",
  "hang",
  "reset",
  "truncate",
  "malformed-json",
  "clock-skew",
] as const satisfies readonly FaultKind[];
// A fault kind added to the emulator without a row here fails the type check.
const allKinds: Exclude<FaultKind, (typeof FAULT_KINDS)[number]> extends never ? true : false = true;
void allKinds;

export type ApiOperation = Exclude<FaultOperation, "*">;

/** Each client operation and the API operations it performs, in the order it performs them. */
export const CLIENT_OPERATIONS = {
  collectRunLogs: ["ListRedislog", "CreateRedislog"],
  listRunLogs: ["ListRedislog"],
  runLogs: ["ListRedislog"],
  createDownloadLink: ["CreateRedislogDownloadLink"],
  waitForRunLogs: ["ListRedislog"],
  download: ["CreateRedislogDownloadLink", "Download"],
  downloadToFile: ["Download"],
  fetchRunLogs: ["ListRedislog", "CreateRedislog", "CreateRedislogDownloadLink", "Download"],
} as const satisfies Record<string, readonly ApiOperation[]>;

export type ClientOperation = keyof typeof CLIENT_OPERATIONS;
export type Mode = "persistent" | "transient";

/** Retries of every matrix client: fast, so that a persistent fault costs milliseconds, not seconds. */
export const MATRIX_RETRY = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 20 };
/** Attempt time limit of the `hang` cases. The other cases keep a generous one, so load cannot fake a hang. */
export const HANG_TIMEOUT_MS = 500;
export const RELAXED_TIMEOUT_MS = 10_000;
/**
 * The longest a `hang` case of the client may take: its attempts at HANG_TIMEOUT_MS and their short backoff
 * need about 1.5 s, while one attempt that missed the short limit alone waits RELAXED_TIMEOUT_MS.
 */
export const HANG_BOUND_MS = 8_000;

/** One cell, as the driver runs it. */
export interface MatrixCase {
  id: string;
  op: ClientOperation;
  target: ApiOperation;
  kind: FaultKind;
  mode: Mode;
  /** The instance this case alone uses, so that its requests can be told apart. */
  instanceId: string;
  /** The emulator's fault string, set after the case's setup and cleared after its call. */
  faults: string;
  /** The client's `timeoutMs`: short only for hang cases of calls that take no per-call limit. */
  clientTimeoutMs: number;
  /** The per-call `timeoutMs`, where the operation accepts one. */
  callTimeoutMs: number | undefined;
  /** Where downloadToFile and fetchRunLogs write. */
  outDir: string;
}

export interface MatrixPlan {
  endpoint: string;
  projectId: string;
  ak: string;
  sk: string;
  retry: typeof MATRIX_RETRY;
  cases: MatrixCase[];
}

export interface ErrorReport {
  name: string;
  message: string;
  /** Every exported `…Error` class the error is an instance of. */
  classes: string[];
  fields: Record<string, unknown>;
}

/**
 * What a case did: `ms` is the call's duration; `after` the error of a plain list call once the fault is
 * gone; `setup` the error of the case's fault-free setup, when it failed (the call did not run).
 */
export type CaseOutcome = { id: string; ms: number; after: string | undefined } & (
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; error: ErrorReport }
  | { ok: false; setup: string }
);

export interface MatrixReport {
  results: CaseOutcome[];
  unhandled: string[];
}

/** The fault string of one cell. */
export function faultSpec(target: ApiOperation, kind: FaultKind, mode: Mode): string {
  const parts: string[] = [target, kind];
  if (mode === "transient") parts.push("times=1");
  if (kind === "latency") parts.push("latencyMs=50");
  return parts.join(":");
}

/** Every cell, each with its own instance id and output folder. */
export function buildCases(outRoot: string): MatrixCase[] {
  const cases: MatrixCase[] = [];
  for (const mode of ["persistent", "transient"] as const) {
    for (const [op, targets] of Object.entries(CLIENT_OPERATIONS) as [
      ClientOperation,
      readonly ApiOperation[],
    ][]) {
      for (const target of targets) {
        for (const kind of FAULT_KINDS) {
          const n = cases.length;
          const id = `${mode} ${op} ${target}:${kind}`;
          // Where the faulted request honours the call's timeoutMs, only the call gets the short limit, so
          // that a call which dropped it would wait RELAXED_TIMEOUT_MS and fail; elsewhere (the waiter, the
          // link download() mints) the client gets it. fetchRunLogs applies its timeoutMs to every request.
          const perCall =
            ["collectRunLogs", "listRunLogs", "runLogs", "createDownloadLink", "fetchRunLogs"].includes(op) ||
            target === "Download";
          const hang = kind === "hang";
          cases.push({
            id,
            op,
            target,
            kind,
            mode,
            instanceId: `matrix-${String(n).padStart(3, "0")}`,
            faults: faultSpec(target, kind, mode),
            clientTimeoutMs: hang && !perCall ? HANG_TIMEOUT_MS : RELAXED_TIMEOUT_MS,
            callTimeoutMs: hang && perCall ? HANG_TIMEOUT_MS : undefined,
            outDir: `${outRoot}/${String(n).padStart(3, "0")}`,
          });
        }
      }
    }
  }
  return cases;
}

export type Expectation =
  | { ok: true }
  | {
      ok: false;
      /** The most specific documented class. */
      error: string;
      fields: Record<string, unknown>;
    };

const ok: Expectation = { ok: true };
const fail = (error: string, fields: Record<string, unknown>): Expectation => ({ ok: false, error, fields });

/**
 * What the client README promises for a cell. CreateRedislog is retried only on 429 and 503 (a collection
 * may have started otherwise); the other operations are retried on timeouts, connection failures, 429, 5xx
 * and malformed JSON; downloads resume a cut body with Range.
 */
export function expectedOutcome(c: Pick<MatrixCase, "target" | "kind" | "mode">): Expectation {
  const { target: operation, kind, mode } = c;
  const all = MATRIX_RETRY.maxRetries + 1;
  const create = operation === "CreateRedislog";
  const storage = operation === "Download";
  const transient = mode === "transient";
  switch (kind) {
    case "latency":
      return ok;
    case "clock-skew":
      // Persistent: the client adopts the gateway's clock and resends once. Transient: the clock moves back
      // during the call, the second correction is not made within the same call, and 401 is final.
      return transient && !storage
        ? fail("AuthenticationError", { status: 401, operation, errorCode: "APIGW.0301", attempts: 2 })
        : ok;
    case "throttle":
      return transient
        ? ok
        : fail("ThrottledError", {
            status: 429,
            operation,
            errorCode: storage ? "TooManyRequests" : "APIGW.0308",
            attempts: all,
          });
    case "error503":
      return transient
        ? ok
        : fail("ServerError", {
            status: 503,
            operation,
            errorCode: storage ? "ServiceUnavailable" : "APIGW.0613",
            attempts: all,
          });
    case "error500":
    case "error502": {
      const status = kind === "error500" ? 500 : 502;
      const errorCode = storage
        ? status === 500
          ? "InternalError"
          : "BadGateway"
        : status === 500
          ? "DCS.5000"
          : "APIGW.0502";
      if (create) return fail("ServerError", { status, operation, errorCode, attempts: 1 });
      return transient ? ok : fail("ServerError", { status, operation, errorCode, attempts: all });
    }
    case "hang":
      if (create) return fail("TimeoutError", { operation, timeoutMs: HANG_TIMEOUT_MS, attempts: 1 });
      return transient ? ok : fail("TimeoutError", { operation, timeoutMs: HANG_TIMEOUT_MS, attempts: all });
    case "reset":
      if (create) return fail("ConnectionError", { operation, attempts: 1 });
      return transient ? ok : fail("ConnectionError", { operation, attempts: all });
    case "truncate":
      // The emulator closes CreateRedislog's 204 before it is complete: a connection failure after the
      // collection started, so it is not resent. A cut download is resumed with Range (3 times by default).
      if (create) return fail("ConnectionError", { operation, attempts: 1 });
      if (transient) return ok;
      if (storage) return fail("DownloadError", { operation, reason: "truncated" });
      return fail("ConnectionError", { operation, attempts: all });
    case "malformed-json":
      // CreateRedislog's answer has no body to read; storage's 200 is the file, whatever it holds.
      if (create || storage || transient) return ok;
      return fail("MalformedResponseError", { status: 200, operation, attempts: all });
  }
}
