import { aborted, type Operation } from "./errors.js";

/** How failed attempts are retried. Set per client; override any field per call. */
export interface RetryOptions {
  /**
   * Retries after the first attempt. Clock-skew corrections and link re-mints do not count. `0`: none.
   * @default 3
   */
  maxRetries?: number;
  /**
   * Backoff base: retry n (from 0) waits a random time in `[0, min(maxDelayMs, baseDelayMs · 2^n)]`
   * ("full jitter"), unless the server sent `Retry-After`.
   * @default 300
   */
  baseDelayMs?: number;
  /**
   * Upper bound of one backoff delay.
   * @default 10000
   */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` (seconds or HTTP date) honoured; a longer one is shortened to this.
   * @default 60000
   */
  maxRetryAfterMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = {
  maxRetries: 3,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Full-jitter exponential backoff for retry number `retry` (0 for the first retry). */
export const backoffDelay = (retry: number, o: Required<RetryOptions>, random = Math.random): number =>
  Math.floor(random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** retry));

/** `Retry-After` in milliseconds from `nowMs`: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (/^\s*\d+(\.\d+)?\s*$/.test(value ?? "")) return Math.round(Number(value) * 1000);
  const date = Date.parse(value ?? "");
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Token bucket shared by the calls of one client, so a failing service is not hammered by every caller
 * retrying at once: a retry costs 5 tokens (10 after a timeout), a success gives 1 back.
 */
export interface RetryBudget {
  take(cost: number): boolean;
  refund(): void;
}

export function retryBudget(capacity: number): RetryBudget {
  let tokens = capacity;
  return {
    take(cost) {
      if (tokens < cost) return false;
      tokens -= cost;
      return true;
    },
    refund() {
      tokens = Math.min(capacity, tokens + 1);
    },
  };
}

/** Waits `ms`, or rejects with AbortError as soon as `signal` fires. */
export const sleep = (ms: number, signal: AbortSignal | undefined, operation: Operation): Promise<void> =>
  new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(operation));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
