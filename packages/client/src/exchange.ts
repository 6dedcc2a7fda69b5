import { AbortError, ConnectionError, errorCode, type Operation, safeCause, TimeoutError } from "./errors.js";
import type { Log } from "./logger.js";
import { backoffDelay, parseRetryAfter, type RetryBudget, type RetryOptions, sleep } from "./retry.js";

/** The `fetch` this library calls: the global one, or yours (proxies, custom CAs, tests). */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

// Errors that prove the request never reached a server that could act on it (refused, DNS, no route).
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)$/;

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
  request: (signal: AbortSignal) => Promise<Request>;
  /** Read the body within the attempt's time limit (small API answers) instead of leaving it streaming. */
  buffer: boolean;
  /** A 2xx whose body is unusable (malformed JSON): retried like a 5xx, returned as is at the end. */
  bad?: (response: Response) => Promise<boolean>;
  /** Gets each answer; `true` resends at once without counting a retry (clock corrected, link re-minted). */
  recover?: (response: Response) => Promise<boolean>;
  random?: () => number;
}

export interface Exchanged {
  response: Response;
  attempts: number;
  /** Whether `bad` held for the final answer. */
  bad: boolean;
  /** Aborts the final answer's body (streaming mode). */
  abort: () => void;
  /** Detaches the caller's signal once the body is done (streaming mode). */
  release: () => void;
}

const proxyHint = () => {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  return env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy
    ? " A proxy variable is set, but fetch ignores it: pass an undici EnvHttpProxyAgent (README, Proxies)."
    : "";
};

/**
 * Sends one logical request: attempts with a time limit each, an overall deadline, the caller's abort
 * signal, and retries with full-jitter backoff or `Retry-After`, paid from the client's retry budget.
 * Returns the last answer (whatever its status); throws ConnectionError, TimeoutError or AbortError when
 * there is none.
 */
export async function exchange(x: Exchange): Promise<Exchanged> {
  const { operation, signal, retry } = x;
  const deadline = Date.now() + x.deadlineMs;
  const tries = () => (attempts > 1 ? ` after ${attempts} attempts` : "");
  let attempts = 0;
  let retries = 0;
  for (;;) {
    if (signal?.aborted) throw new AbortError(operation);
    const left = deadline - Date.now();
    const overDeadline = () =>
      new TimeoutError(
        `${operation} did not finish within deadlineMs (${x.deadlineMs} ms)${tries()}. Raise deadlineMs, or check the network.`,
        operation,
        x.deadlineMs,
        attempts,
      );
    if (left <= 0) throw overDeadline();
    const controller = new AbortController();
    const abort = () => controller.abort();
    const release = () => signal?.removeEventListener("abort", abort);
    signal?.addEventListener("abort", abort);
    let request: Request;
    try {
      request = await x.request(controller.signal);
    } catch (error) {
      release();
      throw error;
    }
    attempts++;
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      Math.min(x.timeoutMs, left),
    );
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await x.fetch(request, x.init);
      if (x.buffer) {
        const bytes = await response.arrayBuffer();
        const headers = new Headers(response.headers);
        headers.delete("content-encoding");
        headers.set("content-length", String(bytes.byteLength));
        response = new Response([204, 205, 304].includes(response.status) ? null : bytes, {
          status: response.status,
          statusText: response.statusText,
          headers,
        });
      }
    } catch (error) {
      response = undefined;
      failure = error;
    } finally {
      clearTimeout(timer);
    }
    if (signal?.aborted) {
      release();
      throw new AbortError(operation);
    }
    if (!response || x.buffer) release();
    if (response && (await x.recover?.(response))) {
      release();
      continue;
    }

    const bad = !!response?.ok && !!(await x.bad?.(response));
    if (response?.ok && !bad) {
      x.budget.refund();
      return { response, attempts, bad, abort, release };
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
        retries++;
        x.log("info", `Retrying ${operation} in ${delay} ms (retry ${retries} of ${retry.maxRetries})`, {
          reason: response
            ? `HTTP ${status}${bad ? ", malformed body" : ""}`
            : timedOut
              ? "timeout"
              : (code ?? "network"),
        });
        release();
        await response?.body?.cancel();
        await sleep(delay, signal, operation);
        continue;
      }
    }
    if (response) return { response, attempts, bad, abort, release };
    const landed = x.sideEffects
      ? " The request may have reached the service and started a collection, so it was not sent again: check with listRunLogs()."
      : "";
    if (timedOut && left < x.timeoutMs) throw overDeadline();
    if (timedOut) {
      throw new TimeoutError(
        `${operation} got no complete answer within timeoutMs (${x.timeoutMs} ms)${tries()}.${landed} Raise timeoutMs, or check the network.`,
        operation,
        x.timeoutMs,
        attempts,
      );
    }
    throw new ConnectionError(
      `${operation}: the connection to ${new URL(request.url).origin} failed${code ? ` (${code})` : ""}${tries()}.${
        landed && !NOT_SENT.test(code ?? "") ? landed : " Check the endpoint or region and the network."
      }${proxyHint()}`,
      operation,
      code,
      attempts,
      safeCause(failure, x.secrets()),
    );
  }
}
