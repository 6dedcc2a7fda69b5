import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  CollectionFailedError,
  ConfigError,
  ConnectionError,
  DcsApiError,
  DownloadError,
  LinkExpiredError,
  MalformedResponseError,
  NotFoundError,
  PermissionDeniedError,
  ThrottledError,
  TimeoutError,
  ValidationError,
} from "@org/dcs-redislog-client";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

/** What the CLI says about a failure: one line for people, fields for --json, and the exit code. */
export interface Failure {
  exitCode: ExitCode;
  /** One line: what failed, the error code, the request id, what to do. */
  message: string;
  kind: string;
  status?: number | undefined;
  errorCode?: string | undefined;
  requestId?: string | undefined;
}

const WHAT: Record<string, string> = {
  CreateRedislog: "starting the collection (CreateRedislog)",
  ListRedislog: "listing the run logs (ListRedislog)",
  CreateRedislogDownloadLink: "getting a download link (CreateRedislogDownloadLink)",
  Download: "downloading the file",
  WaitForRunLogs: "waiting for the collection",
};

// Client option names → the flag or variable that sets them.
const FLAGS: Record<string, string> = {
  instanceId: "--instance",
  logId: "--log",
  replicationId: "--replication",
  queryTime: "--days",
  offset: "--offset",
  limit: "--limit",
  concurrency: "--concurrency",
  timeoutMs: "--timeout",
  region: "--region",
  endpoint: "--endpoint",
  projectId: "the project ID (--project-id or HUAWEICLOUD_SDK_PROJECT_ID)",
};

function apiHint(error: DcsApiError): string {
  const code = error.errorCode?.replace(/^APIG\./, "APIGW.");
  const said = `${error.errorMessage ?? ""}`.toLowerCase();
  switch (code) {
    case "DCS.4017":
      return "A collection is still running on this instance: wait until its files show status succeed in `dcs-redislog list`, then try again.";
    case "DCS.4800":
      return said.includes("replication")
        ? "Pass --replication ID: instances that are not single-node need the replica to collect from."
        : "Check --days, --offset and --limit.";
    case "DCS.3022":
      return "Check --instance, and that the region or endpoint and the project ID are those of the instance.";
    case "DCS.4001":
      return "Check --log: take the ID from `dcs-redislog list`.";
    case "DCS.3053":
      return "Check --replication: use a replica ID of this instance.";
    case "DCS.4049":
      return "The instance is not running: start it, or wait until it is.";
    case "APIGW.0301":
      return "Check HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (or DCS_AUTH_TOKEN), and that this machine's clock is right.";
    case "APIGW.0307":
      return "The IAM token must be renewed, or it is for another region: get a new one.";
  }
  if (error instanceof AuthenticationError)
    return "Check the credentials (HUAWEICLOUD_SDK_AK / _SK, or DCS_AUTH_TOKEN).";
  if (error instanceof PermissionDeniedError) {
    return "These credentials may not use DCS in this project: ask for DCS permissions, or check the project ID.";
  }
  if (error instanceof NotFoundError) return "Check the IDs, the region or endpoint, and the project ID.";
  if (error instanceof ThrottledError) return "Throttled by the API gateway: wait a minute, then try again.";
  if (error instanceof MalformedResponseError)
    return "The service sent an unreadable answer: try again later.";
  if (error instanceof BadRequestError) return "Check the options against `dcs-redislog <command> --help`.";
  return "The service failed: try again later, and quote the request id if you contact support.";
}

function apiExitCode(error: DcsApiError): ExitCode {
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) return EXIT.auth;
  if (error instanceof NotFoundError) return EXIT.notFound;
  if (error instanceof ThrottledError) return EXIT.throttled;
  if (error instanceof BadRequestError) return EXIT.rejected;
  return EXIT.server;
}

const requestIdText = (id: string | undefined) => (id ? ` (request id ${id})` : "");

/** Turns anything thrown into the one-line message and exit code the CLI reports. */
export function describeError(error: unknown, context: { endpoint?: string | undefined } = {}): Failure {
  if (error instanceof UsageError) {
    return {
      exitCode: error.exitCode,
      kind: error.exitCode === EXIT.auth ? "auth" : "usage",
      message: error.message,
    };
  }
  if (error instanceof AbortError) {
    return {
      exitCode: EXIT.interrupted,
      kind: "interrupted",
      message: "interrupted; no partial file was kept.",
    };
  }
  if (error instanceof ValidationError) {
    const flag = FLAGS[error.option];
    const text = flag ? error.message.replace(new RegExp(`^${error.option}\\b`), flag) : error.message;
    const cleaned = text.replace("pass `endpoint` instead", "pass --endpoint URL instead");
    const auth = error instanceof ConfigError && /credential|^HUAWEICLOUD_SDK_/i.test(error.option);
    return { exitCode: auth ? EXIT.auth : EXIT.usage, kind: auth ? "auth" : "usage", message: cleaned };
  }
  if (error instanceof DcsApiError) {
    const what = WHAT[error.operation] ?? error.operation;
    const code = error.errorCode ? ` ${error.errorCode}` : "";
    const said = error.errorMessage ? ` "${error.errorMessage}"` : "";
    const tries = (error.attempts ?? 1) > 1 ? ` after ${error.attempts} attempts` : "";
    return {
      exitCode: apiExitCode(error),
      kind: error.name,
      status: error.status,
      errorCode: error.errorCode,
      requestId: error.requestId,
      message: `${what} failed: HTTP ${error.status}${code}${said}${tries}${requestIdText(error.requestId)}. ${apiHint(error)}`,
    };
  }
  if (error instanceof ConnectionError) {
    // Downloads go to object storage, not to the DCS endpoint.
    const where = context.endpoint && error.operation !== "Download" ? ` to ${context.endpoint}` : "";
    const code = error.code ? ` (${error.code})` : "";
    const landed =
      error.operation === "CreateRedislog"
        ? " The collection may have started anyway: check with `dcs-redislog list` before collecting again."
        : " Check --endpoint or --region, and the network.";
    return {
      exitCode: EXIT.network,
      kind: "ConnectionError",
      errorCode: error.code,
      message: `${WHAT[error.operation] ?? error.operation} failed: no connection${where}${code}.${landed}`,
    };
  }
  if (error instanceof TimeoutError) {
    if (error.operation === "WaitForRunLogs") {
      return {
        exitCode: EXIT.waitTimeout,
        kind: "WaitTimeout",
        message:
          `the collected files were not ready within ${error.timeoutMs} ms. See their status with ` +
          "`dcs-redislog list --instance ID`, or raise --wait-timeout.",
      };
    }
    return {
      exitCode: EXIT.network,
      kind: "TimeoutError",
      message: `${WHAT[error.operation] ?? error.operation} failed: no answer within ${error.timeoutMs} ms. Raise --timeout, or check the network.`,
    };
  }
  if (error instanceof DownloadError) {
    const of = error.expected === undefined ? "" : ` of ${error.expected}`;
    return {
      exitCode: EXIT.network,
      kind: "DownloadError",
      message: `downloading the file failed: ${error.reason} after ${error.received}${of} bytes; nothing was kept. Try again.`,
    };
  }
  if (error instanceof LinkExpiredError) {
    return {
      exitCode: EXIT.rejected,
      kind: "LinkExpiredError",
      status: error.status,
      requestId: error.requestId,
      message:
        `the storage refused the download link (HTTP ${error.status})${requestIdText(error.requestId)}: it expired ` +
        "or is invalid, and a fresh link was refused too. Check that the log still exists (`dcs-redislog list`).",
    };
  }
  if (error instanceof CollectionFailedError) {
    return {
      exitCode: EXIT.server,
      kind: "CollectionFailedError",
      requestId: error.requestId,
      message: `the collection failed for ${error.failedIds.length} file(s)${requestIdText(error.requestId)}. Collect again; if it keeps failing, contact support.`,
    };
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  if (typeof code === "string" && path) {
    return {
      exitCode: EXIT.failure,
      kind: "FileSystemError",
      errorCode: code,
      message: `cannot write ${path} (${code}). Choose another --out, or free some space.`,
    };
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    exitCode: EXIT.failure,
    kind: "UnexpectedError",
    message: `unexpected error: ${text}. Run again with --verbose and report it.`,
  };
}
