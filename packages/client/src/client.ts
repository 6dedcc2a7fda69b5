import type { DownloadLink, paths, QueryTime, RunLog, RunLogList } from "@org/dcs-redislog-types";
import type { Client } from "openapi-fetch";
import * as openapiFetch from "openapi-fetch";
import { type Credentials, credentialsResolver } from "./credentials.js";
import {
  DOWNLOAD_FETCH,
  type DownloadBody,
  type DownloadOptions,
  type Link,
  startDownload,
} from "./download.js";
import { endpointForRegion, normaliseEndpoint, type Region } from "./endpoint.js";
import {
  apiError,
  ConfigError,
  idText,
  MalformedResponseError,
  type Operation,
  ValidationError,
} from "./errors.js";
import { type FetchLike, globalFetch, textOf } from "./exchange.js";
import { createLog, LOG_LEVELS, type Logger, type LogLevel } from "./logger.js";
import { redactUrl } from "./redact.js";
import { RETRY_DEFAULTS, type RetryOptions, retryBudget } from "./retry.js";
import { type CallOptions, createTransport } from "./transport.js";
import { checkId, checkInt, checkMs, checkOneOf, checkOptionalId } from "./validate.js";
import { waitForFiles } from "./waiter.js";

export interface ClientOptions {
  /** Huawei Cloud region (`ap-southeast-1`, …) or Open Telekom Cloud region (`eu-de`, `eu-nl`). Set this or `endpoint`. */
  region?: Region | (string & {}) | undefined;
  /** Explicit DCS endpoint, e.g. the emulator's `http://127.0.0.1:8920`. Wins over `region`. */
  endpoint?: string | undefined;
  /** Project ID of the region: goes into every path and into `X-Project-Id`. */
  projectId: string;
  /** `{ ak, sk, securityToken? }`, `{ token }`, or a function returning one, called before every attempt. */
  credentials: Credentials;
  /** Time limit of one attempt, response body included. @default 30000 */
  timeoutMs?: number | undefined;
  /** Time limit of a whole call, retries and their waits included. @default 120000 */
  deadlineMs?: number | undefined;
  /** Retry settings (see RetryOptions for each default); `false` turns retries off. */
  retry?: RetryOptions | false | undefined;
  /**
   * Retry tokens shared by all calls of this client: a retry costs 5 (10 after a timeout), a success gives 1
   * back. When they run out, failures are thrown at once instead of retried. @default 500
   */
  retryBudget?: number | undefined;
  /** The fetch to use (proxies, custom CAs, tests). @default globalThis.fetch, looked up at each request */
  fetch?: FetchLike | undefined;
  /** Passed as fetch's second argument on every request, e.g. `{ dispatcher: new EnvHttpProxyAgent() }`. */
  requestInitExt?: Record<string, unknown> | undefined;
  /** Receives redacted log lines. @default none: the client is silent */
  logger?: Logger | undefined;
  /** Least severe level passed to `logger`. @default "info" */
  logLevel?: LogLevel | undefined;
  /** Allow a plain-http `endpoint` that is not loopback (tokens would cross the network in clear). @default false */
  allowInsecureHttp?: boolean | undefined;
}

export interface CollectRunLogsOptions extends CallOptions {
  instanceId: string;
  /** Days to collect, counted back from today: 0 (today), 1, 3 or 7. @default 0 */
  queryTime?: QueryTime | undefined;
  /** Replica to collect from; required for instances that are not single-node. */
  replicationId?: string | undefined;
}

/** The collection that was started, and what `waitForRunLogs` needs to recognise its files. */
export interface CollectResult {
  requestId: string | undefined;
  instanceId: string;
  replicationId: string | undefined;
  queryTime: QueryTime;
  /** Ids of the files listed just before collecting: every other file is the collection's. */
  knownIds: string[];
}

export interface ListRunLogsOptions extends CallOptions {
  instanceId: string;
  /** 0-based position of the first record. @default 0 */
  offset?: number | undefined;
  /** Records per page, 1–1000. @default 10 (the service's default) */
  limit?: number | undefined;
}

/** One page with the API's field names, plus the request id. A 204 answer is `{ total_num: 0, file_list: [] }`. */
export interface RunLogPage {
  total_num: number;
  file_list: RunLog[];
  requestId: string | undefined;
}

export interface RunLogsOptions extends CallOptions {
  instanceId: string;
  /** Records fetched per request, 1–1000. @default 100 */
  pageSize?: number | undefined;
}

/** Every file, page after page; `requestIds` holds the request id of each page fetched so far. */
export interface RunLogIterable extends AsyncIterable<RunLog> {
  readonly requestIds: readonly string[];
}

export interface CreateDownloadLinkOptions extends CallOptions {
  instanceId: string;
  /** `id` of a file from the list. */
  logId: string;
}

/** `{ id, backup_id?, link }` as the API sends it, plus the request id. `toJSON` and `inspect` hide the link's query. */
export type DownloadLinkResult = DownloadLink & { requestId: string | undefined };

export interface WaitForRunLogsOptions {
  instanceId: string;
  /** Replica of the collection: selects the snapshot when this client collected from several. */
  replicationId?: string | undefined;
  /**
   * Ids of the files that existed before the collection. @default the `knownIds` of this client's last
   * `collectRunLogs` for this instance and replica. Pass them (from the CollectResult) to wait elsewhere.
   */
  knownIds?: Iterable<string> | undefined;
  /** Days collected; the waiter expects `max(1, queryTime)` new files. @default the collection's, else 0 */
  queryTime?: QueryTime | undefined;
  /** Give up after this long, with a `TimeoutError`. @default 300000 */
  timeoutMs?: number | undefined;
  /** First delay between two polls. @default 1000 */
  minDelayMs?: number | undefined;
  /** Longest delay between two polls; the delay doubles (with jitter) up to it. @default 15000 */
  maxDelayMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Called after every poll with the collection's files seen so far, and how many are expected. */
  onPoll?: ((files: RunLog[], expected: number) => void) | undefined;
}

/** The collection's files (all `succeed`), plus the request id of the last list call. */
export type RunLogFiles = RunLog[] & { requestId: string | undefined };

/** A link (string, URL, or createDownloadLink's result), or the log to mint links for. */
export type DownloadSource = string | URL | { link: string } | { instanceId: string; logId: string };

export interface DcsRedislogClient {
  /** Starts collecting run logs (CreateRedislog, 204). Never sent twice unless it provably did not arrive. */
  collectRunLogs(options: CollectRunLogsOptions): Promise<CollectResult>;
  /** One page of ListRedislog. */
  listRunLogs(options: ListRunLogsOptions): Promise<RunLogPage>;
  /** Every run log file of the instance, across pages. */
  runLogs(options: RunLogsOptions): RunLogIterable;
  /** A pre-signed download link (CreateRedislogDownloadLink), valid 24 hours. */
  createDownloadLink(options: CreateDownloadLinkOptions): Promise<DownloadLinkResult>;
  /** Polls the list until a collection's files are all `succeed`; `failed` ends it with an error. */
  waitForRunLogs(options: WaitForRunLogsOptions): Promise<RunLogFiles>;
  /** Streams a file from its link with no DCS credentials attached; resumes and re-mints as needed. */
  download(source: DownloadSource, options?: DownloadOptions): Promise<DownloadBody>;
  /** The typed openapi-fetch client, with this client's signing, retries and timeouts beneath it. */
  readonly raw: Client<paths>;
  readonly endpoint: string;
  readonly projectId: string;
}

// openapi-fetch's CJS build sets `exports.default`; Node-style interop (our CJS build) wraps it once more.
const createClient: typeof openapiFetch.default =
  (openapiFetch.default as unknown as { default?: typeof openapiFetch.default }).default ??
  openapiFetch.default;
const QUERY_TIMES: QueryTime[] = [0, 1, 3, 7];

// Typed calls build their URLs by hand (see `send`). These types tie them to the generated `paths` and query
// parameters, so a change in the spec fails the build here.
type Fill<Path extends string> = Path extends `${infer Head}{${string}}${infer Tail}`
  ? `${Head}${string}${Fill<Tail>}`
  : Path;
/** A path of the spec with its parameters filled in. */
type Spec<Path extends keyof paths> = Fill<Path>;
type Query<Path extends keyof paths, Method extends "get" | "post"> = NonNullable<
  paths[Path][Method] extends { parameters: { query?: infer Q } } ? Q : never
>;
type RedislogQuery<Method extends "get" | "post"> = Query<
  "/v2/{project_id}/instances/{instance_id}/redislog",
  Method
>;

/** Creates a client. Checks the configuration at once; sends nothing until a method is called. */
export function createDcsRedislogClient(options: ClientOptions): DcsRedislogClient {
  const o = options ?? ({} as ClientOptions);
  if (o.endpoint === undefined && o.region === undefined)
    throw new ConfigError("region", 'Set region (e.g. "eu-de") or endpoint (e.g. "http://127.0.0.1:8920").');
  const endpoint =
    o.endpoint === undefined
      ? endpointForRegion(o.region as string)
      : normaliseEndpoint(o.endpoint, o.allowInsecureHttp);
  const projectId = checkId("projectId", o.projectId, ConfigError);
  const timeoutMs = checkMs("timeoutMs", o.timeoutMs ?? 30_000, ConfigError);
  const deadlineMs = checkMs("deadlineMs", o.deadlineMs ?? 120_000, ConfigError);
  const logLevel = checkOneOf("logLevel", o.logLevel ?? "info", LOG_LEVELS);

  // Secrets seen so far (a rotating provider adds more), scrubbed from anything shown; newest first.
  let secrets: string[] = [];
  const shared = {
    fetch: o.fetch ?? globalFetch,
    init: o.requestInitExt as RequestInit | undefined,
    log: createLog(o.logger, logLevel, () => secrets),
    secrets: () => secrets,
    budget: retryBudget(checkMs("retryBudget", o.retryBudget ?? 500, ConfigError)),
    retry: o.retry !== false && { ...RETRY_DEFAULTS, ...o.retry },
  };
  const transport = createTransport({
    ...shared,
    projectId,
    credentials: credentialsResolver(o.credentials, (c) => {
      const fresh = "token" in c ? [c.token] : [c.ak, c.sk, c.securityToken ?? ""];
      secrets = [...new Set([...fresh, ...secrets])].filter(Boolean).slice(0, 24);
    }),
    timeoutMs,
    deadlineMs,
    clock: { offsetMs: 0 },
  });
  const raw = createClient<paths>({
    baseUrl: endpoint,
    redirect: "manual",
    fetch: transport.fetch,
  });
  const collections = new Map<string, CollectResult>();

  /**
   * Runs one typed call; turns error answers into typed errors. Typed calls skip openapi-fetch, which would
   * serialize the path and build a Request per call for the transport to take apart again: their paths and
   * queries hold checked ids and numbers only, with nothing to encode.
   */
  async function send<T>(
    operation: Operation,
    call: CallOptions,
    method: "GET" | "POST",
    instanceId: string,
    query: Record<string, string | number | undefined>,
    logId?: string,
  ) {
    checkMs("timeoutMs", call.timeoutMs ?? 0);
    checkMs("deadlineMs", call.deadlineMs ?? 0);
    let url =
      endpoint +
      (logId === undefined
        ? path(instanceId)
        : (`${path(instanceId)}/${checkId("logId", logId)}/links` satisfies Spec<"/v2/{project_id}/instances/{instance_id}/redislog/{id}/links">));
    let separator = "?";
    for (const name in query) {
      if (query[name] === undefined) continue;
      url += `${separator}${name}=${query[name]}`;
      separator = "&";
    }
    const { response, bytes, data, attempts } = await transport.call(operation, method, url, call);
    const requestId = response.headers.get("x-request-id") ?? undefined;
    if (!response.ok) throw apiError(response.status, operation, textOf(bytes), requestId, attempts, secrets);
    return { data: data as T | undefined, requestId, status: response.status };
  }

  const path = (instanceId: string) =>
    `/v2/${projectId}/instances/${checkId("instanceId", instanceId)}/redislog` satisfies Spec<"/v2/{project_id}/instances/{instance_id}/redislog">;

  async function listRunLogs(l: ListRunLogsOptions): Promise<RunLogPage> {
    const query = {
      log_type: "run" as const,
      offset: l.offset === undefined ? undefined : checkInt("offset", l.offset, 0, 2 ** 31 - 1),
      limit: l.limit === undefined ? undefined : checkInt("limit", l.limit, 1, 1000),
    } satisfies RedislogQuery<"get">;
    const { data, requestId } = await send<RunLogList>("ListRedislog", l, "GET", l.instanceId, query);
    const fileList = Array.isArray(data?.file_list) ? data.file_list : [];
    return { total_num: data?.total_num ?? fileList.length, file_list: fileList, requestId };
  }

  function runLogs(r: RunLogsOptions): RunLogIterable {
    path(r.instanceId);
    const limit = checkInt("pageSize", r.pageSize ?? 100, 1, 1000);
    const requestIds: string[] = [];
    return {
      requestIds,
      async *[Symbol.asyncIterator]() {
        const seenIds = new Set<string>();
        for (let offset = 0; ; ) {
          const page = await listRunLogs({ ...r, offset, limit });
          if (page.requestId) requestIds.push(page.requestId);
          const fresh = page.file_list.filter((item) => !seenIds.has(item.id) && seenIds.add(item.id));
          yield* fresh;
          offset += page.file_list.length;
          // Stop at 204/empty, at total_num, or when a page brings nothing new (a server ignoring offset).
          if (!fresh.length || offset >= page.total_num) return;
        }
      },
    };
  }

  async function collectRunLogs(c: CollectRunLogsOptions): Promise<CollectResult> {
    const query = {
      log_type: "run" as const,
      query_time: checkOneOf("queryTime", c.queryTime ?? 0, QUERY_TIMES),
      replication_id: checkOptionalId("replicationId", c.replicationId),
    } satisfies RedislogQuery<"post">;
    // The files listed now are not this collection's: remembered so that waitForRunLogs can tell them apart.
    const knownIds: string[] = [];
    for await (const item of runLogs({ ...c, pageSize: 1000 })) knownIds.push(item.id);
    const { requestId } = await send("CreateRedislog", c, "POST", c.instanceId, query);
    const result = {
      requestId,
      instanceId: c.instanceId,
      replicationId: query.replication_id,
      queryTime: query.query_time,
      knownIds,
    };
    collections.set(`${c.instanceId}/${query.replication_id}`, result);
    return result;
  }

  async function createDownloadLink(d: CreateDownloadLinkOptions): Promise<DownloadLinkResult> {
    const { data, requestId, status } = await send<DownloadLink>(
      "CreateRedislogDownloadLink",
      d,
      "POST",
      d.instanceId,
      {},
      d.logId,
    );
    if (typeof data?.link !== "string") {
      throw new MalformedResponseError(
        `CreateRedislogDownloadLink answered HTTP ${status} without a link${idText(requestId)}. Retry later.`,
        { status, operation: "CreateRedislogDownloadLink", requestId },
      );
    }
    const result = { ...data, requestId };
    // `link` stays readable; JSON.stringify and util.inspect show it without its credential query.
    const safe = () => ({ ...result, link: redactUrl(result.link) });
    return Object.defineProperties(result, {
      toJSON: { value: safe },
      [Symbol.for("nodejs.util.inspect.custom")]: { value: safe },
    });
  }

  async function waitForRunLogs(w: WaitForRunLogsOptions): Promise<RunLogFiles> {
    const { instanceId } = w;
    const collection = collections.get(`${instanceId}/${checkOptionalId("replicationId", w.replicationId)}`);
    const knownIds = w.knownIds ?? collection?.knownIds;
    if (!knownIds) {
      throw new ValidationError(
        "knownIds",
        "waitForRunLogs needs knownIds: call collectRunLogs() on this client first (same instanceId and " +
          "replicationId), or pass knownIds from its result.",
      );
    }
    const queryTime = checkOneOf("queryTime", w.queryTime ?? collection?.queryTime ?? 0, QUERY_TIMES);
    return waitForFiles({
      instanceId,
      knownIds: new Set(knownIds),
      expected: Math.max(1, queryTime),
      timeoutMs: checkMs("timeoutMs", w.timeoutMs ?? 300_000),
      minDelayMs: checkMs("minDelayMs", w.minDelayMs ?? 1_000),
      maxDelayMs: checkMs("maxDelayMs", w.maxDelayMs ?? 15_000),
      signal: w.signal,
      onPoll: w.onPoll,
      async list(left) {
        const files: RunLog[] = [];
        // A poll near the deadline still gets one whole attempt; the wait itself ends after it.
        const limit = Math.min(deadlineMs, Math.max(left, timeoutMs));
        const pages = runLogs({ instanceId, pageSize: 1000, signal: w.signal, deadlineMs: limit });
        for await (const item of pages) files.push(item);
        return { files, requestId: pages.requestIds.at(-1) };
      },
    });
  }

  async function download(source: DownloadSource, d: DownloadOptions = {}): Promise<DownloadBody> {
    const mint =
      typeof source === "object" && "instanceId" in source
        ? () => createDownloadLink({ ...source, signal: d.signal, timeoutMs: d.timeoutMs })
        : undefined;
    checkMs("timeoutMs", d.timeoutMs ?? 0);
    checkInt("maxResumes", d.maxResumes ?? 0, 0, 100);
    // downloadToFile's Node transport, used only where the client would use the global fetch as it is.
    const nodeFetch = (d as { [DOWNLOAD_FETCH]?: FetchLike })[DOWNLOAD_FETCH];
    return startDownload(
      mint ? await mint() : (source as Link),
      { ...d, timeoutMs: d.timeoutMs ?? timeoutMs },
      nodeFetch && !o.fetch && !o.requestInitExt ? { ...shared, fetch: nodeFetch } : shared,
      mint ?? d.relink,
    );
  }

  return {
    collectRunLogs,
    listRunLogs,
    runLogs,
    createDownloadLink,
    waitForRunLogs,
    download,
    raw,
    endpoint,
    projectId,
  };
}
