import { aborted, ConnectionError, errorCode, type Operation, safeCause, TimeoutError } from "./errors.js";
import type { Log } from "./logger.js";
import { backoffDelay, parseRetryAfter, type RetryBudget, type RetryOptions, sleep } from "./retry.js";

/** The `fetch` this library calls: the global one, or yours (proxies, custom CAs, tests). */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** The default fetch: the global one, looked up at each call. */
export const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/**
 * What one attempt sends: a Request, or its URL and init. The global fetch gets the latter as they are: a
 * Request would be copied by undici into a second one, following the first one's signal. Any other fetch
 * gets a Request built from them, as it always has.
 */
export type Outgoing = Request | { url: string; init: RequestInit };

// Made on first use: nothing runs at import time.
let decoder: TextDecoder | undefined;
// Errors that prove the request never reached a server that could act on it (refused, DNS, no route).
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)$/;

/** A buffered body as text (UTF-8, as `Response.text()` reads it); "" for none. */
export function textOf(bytes: ArrayBuffer | undefined): string {
  if (!bytes?.byteLength) return "";
  decoder ||= new TextDecoder();
  return decoder.decode(bytes);
}

export interface Exchange {
  operation: Operation;
  /** A side effect on the server (CreateRedislog): retried only on 429/503, or when provably not sent. */
  sideEffects: boolean;
  signal: AbortSignal | undefined;
  /** One attempt: until the answer (and, with `buffer`, its whole body) has arrived. */
  timeoutMs: number;
  /** The whole exchange, retries and waits included. */
  deadlineMs: number;
  retry: Required<RetryOptions> | false;
  budget: RetryBudget;
  fetch: FetchLike;
  init: RequestInit | undefined;
  log: Log;
  secrets: () => readonly string[];
  /** Builds a fresh request for each attempt (re-signed, new date). */
  request: (signal: AbortSignal) => Promise<Outgoing>;
  /**
   * Read the body within the attempt's time limit (small API answers) into `bytes`, instead of leaving it
   * streaming; the response's own body is then used up.
   */
  buffer: boolean;
  /**
   * A 2xx must carry JSON (buffered mode): parsed once here, into `data`; malformed JSON is retried like a
   * 5xx and returned as is at the end.
   */
  json?: boolean;
  /**
   * Gets each answer (and its body, buffered); `true` resends at once without counting a retry (clock
   * corrected, link re-minted).
   */
  recover?: (response: Response, bytes: ArrayBuffer | undefined) => boolean | Promise<boolean>;
  random?: () => number;
}

export interface Exchanged {
  response: Response;
  /** The final answer's body (buffered mode). */
  bytes?: ArrayBuffer | undefined;
  attempts: number;
  /** Whether the final answer's JSON (see `json`) was malformed. */
  bad: boolean;
  /** The final answer's parsed JSON (see `json`); `undefined` for an empty body. */
  data?: unknown;
  /** Aborts the final answer's body (streaming mode). */
  abort: () => void;
  /** Detaches the caller's signal once the body is done (streaming mode). */
  release: () => void;
}

/**
 * Sends one logical request: attempts with a time limit each, an overall deadline, the caller's abort
 * signal, and retries with full-jitter backoff or `Retry-After`, paid from the client's retry budget.
 * Returns the last answer (whatever its status); throws ConnectionError, TimeoutError or AbortError when
 * there is none.
 */
export async function exchange(x: Exchange): Promise<Exchanged> {
  const { operation, signal, retry } = x;
  const deadline = Date.now() + x.deadlineMs;
  let attempts = 0;
  let retries = 0;
  const tries = () => (attempts > 1 ? ` after ${attempts} attempts` : "");
  const timeout = (option: "timeoutMs" | "deadlineMs", what: string, landed = "") =>
    new TimeoutError(
      `${operation} ${what} within ${option} (${x[option]} ms)${tries()}.${landed} Raise ${option}, or check the network.`,
      { operation, timeoutMs: x[option], attempts },
    );
  for (;;) {
    if (signal?.aborted) throw aborted(operation);
    const left = deadline - Date.now();
    if (left <= 0) throw timeout("deadlineMs", "did not finish");
    const controller = new AbortController();
    const abort = () => controller.abort();
    const release = () => signal?.removeEventListener("abort", abort);
    signal?.addEventListener("abort", abort);
    let request: Outgoing;
    try {
      request = await x.request(controller.signal);
      if (!(request instanceof Request) && x.fetch !== globalFetch)
        request = new Request(request.url, request.init);
    } catch (error) {
      release();
      throw error;
    }
    attempts++;
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        abort();
      },
      Math.min(x.timeoutMs, left),
    );
    let response: Response | undefined;
    let bytes: ArrayBuffer | undefined;
    let failure: unknown;
    try {
      response = await (request instanceof Request
        ? x.fetch(request, x.init)
        : globalThis.fetch(request.url, x.init ? { ...request.init, ...x.init } : request.init));
      // The whole answer within the attempt's limit.
      if (x.buffer) bytes = await response.arrayBuffer();
    } catch (error) {
      response = undefined;
      failure = error;
    }
    clearTimeout(timer);
    if (signal?.aborted) {
      release();
      throw aborted(operation);
    }
    if (!response || x.buffer) release();
    let again = response && x.recover?.(response, bytes);
    if (again instanceof Promise) again = await again;
    if (again) {
      release();
      continue;
    }
    let bad = false;
    let data: unknown;
    if (response?.ok && x.json && bytes?.byteLength) {
      try {
        data = JSON.parse(textOf(bytes));
      } catch {
        bad = true;
      }
    }
    if (response?.ok && !bad) {
      x.budget.refund();
      return { response, bytes, attempts, bad, data, abort, release };
    }
    const code = errorCode(failure);
    const status = response?.status ?? 0;
    const retryable = x.sideEffects
      ? status === 429 || status === 503 || (!response && !timedOut && NOT_SENT.test(code ?? ""))
      : bad || !response || status === 408 || status === 429 || status >= 500;
    if (retry && retryable && retries < retry.maxRetries) {
      const hinted = parseRetryAfter(response?.headers.get("retry-after") ?? null, Date.now());
      const delay =
        hinted === undefined
          ? backoffDelay(retries, retry, x.random)
          : Math.min(hinted, retry.maxRetryAfterMs);
      if (Date.now() + delay < deadline && x.budget.take(timedOut ? 10 : 5)) {
        x.log("info", `Retrying ${operation} in ${delay} ms (retry ${++retries} of ${retry.maxRetries})`, {
          reason: response
            ? `HTTP ${status}${bad ? ", malformed body" : ""}`
            : timedOut
              ? "timeout"
              : (code ?? "network"),
        });
        release();
        if (!x.buffer) await response?.body?.cancel();
        await sleep(delay, signal, operation);
        continue;
      }
    }
    if (response) return { response, bytes, attempts, bad, abort, release };
    const landed = x.sideEffects
      ? " It may have reached the service and started a collection, so it was not resent: check listRunLogs()."
      : "";
    if (timedOut)
      throw left < x.timeoutMs
        ? timeout("deadlineMs", "did not finish")
        : timeout("timeoutMs", "got no complete answer", landed);
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
    throw new ConnectionError(
      `${operation}: the connection to ${new URL(request.url).origin} failed${code ? ` (${code})` : ""}${tries()}.${
        landed && !NOT_SENT.test(code ?? "") ? landed : " Check the endpoint or region and the network."
      }${
        env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy
          ? " fetch ignores the proxy variable that is set: pass an undici EnvHttpProxyAgent (README, Proxies)."
          : ""
      }`,
      { operation, code, attempts },
      safeCause(failure, x.secrets()),
    );
  }
}
