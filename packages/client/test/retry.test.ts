import { describe, expect, it } from "vitest";
import { ConnectionError, type Logger, ServerError, ThrottledError, TimeoutError } from "../src/index.js";
import { backoffDelay, parseRetryAfter, RETRY_DEFAULTS } from "../src/retry.js";
import { clientFor, rejection, SINGLE, served, useEmulator } from "./helpers.js";

const emulator = useEmulator();

/** A logger that keeps the delays of the "Retrying …" lines. */
function retryLog() {
  const delays: number[] = [];
  const logger: Logger = {
    debug() {},
    info(message) {
      const match = message.match(/^Retrying \w+ in (\d+) ms \(retry (\d+) of (\d+)\)$/);
      if (match) delays.push(Number(match[1]));
    },
    warn() {},
    error() {},
  };
  return { delays, logger };
}

describe("backoff", () => {
  it("draws each delay from [0, min(maxDelayMs, baseDelayMs · 2^n))", () => {
    const options = { ...RETRY_DEFAULTS, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, options, () => 0))).toEqual([0, 0, 0, 0, 0, 0]);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, options, () => 0.9999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    for (let n = 0; n < 20; n++) {
      const delay = backoffDelay(n, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(1_000, 100 * 2 ** n));
    }
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter("0.5", now)).toBe(500);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:02 GMT", now)).toBe(2_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("waits within the bounds on every retry of a real call", async () => {
    const { delays, logger } = retryLog();
    const dcs = clientFor(emulator(), { logger, retry: { maxRetries: 4, baseDelayMs: 20, maxDelayMs: 50 } });
    emulator().setFaults("ListRedislog:error500:times=4");
    await dcs.listRunLogs({ instanceId: SINGLE });
    expect(delays).toHaveLength(4);
    delays.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(50, 20 * 2 ** n));
    });
  });
});

describe("retries", () => {
  it("retries a list until it succeeds and counts every attempt", async () => {
    const dcs = clientFor(emulator());
    const from = emulator().requests.length;
    emulator().setFaults("ListRedislog:error503:times=2");
    const page = await dcs.listRunLogs({ instanceId: SINGLE });
    expect(page.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(served(emulator(), "ListRedislog", from)).toBe(3);
  });

  it("stops after maxRetries, per client and per call", async () => {
    const dcs = clientFor(emulator(), { retry: { maxRetries: 2, baseDelayMs: 1 } });
    emulator().setFaults("ListRedislog:error500");
    let from = emulator().requests.length;
    expect(await rejection(dcs.listRunLogs({ instanceId: SINGLE }))).toMatchObject({ attempts: 3 });
    expect(served(emulator(), "ListRedislog", from)).toBe(3);
    from = emulator().requests.length;
    expect(await rejection(dcs.listRunLogs({ instanceId: SINGLE, retry: false }))).toMatchObject({
      attempts: 1,
    });
    expect(await rejection(dcs.listRunLogs({ instanceId: SINGLE, retry: { maxRetries: 0 } }))).toMatchObject({
      attempts: 1,
    });
    expect(served(emulator(), "ListRedislog", from)).toBe(2);
    emulator().clearFaults();
  });

  it("honours Retry-After, capped by maxRetryAfterMs", async () => {
    const { delays, logger } = retryLog();
    const dcs = clientFor(emulator(), { logger });
    emulator().setFaults("ListRedislog:throttle:times=1:retryAfterSeconds=1");
    const started = Date.now();
    await dcs.listRunLogs({ instanceId: SINGLE });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(delays).toEqual([1_000]);

    const capped = clientFor(emulator(), { logger, retry: { maxRetryAfterMs: 30 } });
    emulator().setFaults("ListRedislog:throttle:times=1:retryAfterSeconds=120");
    await capped.listRunLogs({ instanceId: SINGLE });
    expect(delays).toEqual([1_000, 30]);
  });

  it("does not wait past the deadline for a Retry-After", async () => {
    const dcs = clientFor(emulator(), { retry: { maxRetryAfterMs: 60_000 } });
    emulator().setFaults("ListRedislog:throttle:retryAfterSeconds=30");
    const started = Date.now();
    const error = await rejection(dcs.listRunLogs({ instanceId: SINGLE, deadlineMs: 2_000 }));
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1_000);
    emulator().clearFaults();
  });

  it("spends a shared retry budget", async () => {
    const dcs = clientFor(emulator(), { retryBudget: 10, retry: { maxRetries: 5, baseDelayMs: 1 } });
    emulator().setFaults("ListRedislog:error500");
    expect(await rejection(dcs.listRunLogs({ instanceId: SINGLE }))).toMatchObject({ attempts: 3 });
    // The budget is empty now: the next call fails at its first answer.
    expect(await rejection(dcs.listRunLogs({ instanceId: SINGLE }))).toMatchObject({ attempts: 1 });
    emulator().clearFaults();
    await dcs.listRunLogs({ instanceId: SINGLE });
  });
});

describe("CreateRedislog is never sent twice once it may have arrived", () => {
  // Each case starts a fresh instance state: a collection that did start keeps the instance busy.
  const cases = [
    ["reset", ConnectionError, 1],
    ["error500", ServerError, 1],
    ["error502", ServerError, 1],
    ["hang", TimeoutError, 1],
  ] as const;

  it.each(cases)("%s → %o after %i request", async (kind, ErrorClass, count) => {
    const dcs = clientFor(emulator(), { timeoutMs: 200 });
    emulator().setFaults(`CreateRedislog:${kind}`);
    const from = emulator().requests.length;
    const error = await rejection(dcs.collectRunLogs({ instanceId: SINGLE }));
    emulator().clearFaults();
    expect(error).toBeInstanceOf(ErrorClass);
    expect(served(emulator(), "CreateRedislog", from)).toBe(count);
    if (kind === "reset" || kind === "hang") expect(error.message).toContain("may have reached the service");
    // Let a collection that did start finish before the next case.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it.each(["throttle", "error503"])("%s → retried, the collection starts once", async (kind) => {
    const dcs = clientFor(emulator());
    emulator().setFaults(`CreateRedislog:${kind}:times=1:retryAfterSeconds=0`);
    const from = emulator().requests.length;
    const result = await dcs.collectRunLogs({ instanceId: SINGLE });
    expect(result.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(served(emulator(), "CreateRedislog", from)).toBe(2);
    expect(
      emulator()
        .requests.slice(from)
        .filter((r) => r.operation === "CreateRedislog")
        .map((r) => r.status),
    ).toEqual([kind === "throttle" ? 429 : 503, 204]);
    await dcs.waitForRunLogs({ instanceId: SINGLE, minDelayMs: 50 });
  });

  it("retries when the connection was refused, since nothing arrived", async () => {
    let posts = 0;
    const dcs = clientFor(emulator(), {
      // The first POST fails the way undici reports a refused connection; the rest go to the emulator.
      fetch: async (request, init) => {
        if (request.method === "POST" && ++posts === 1) {
          throw new TypeError("fetch failed", {
            cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
          });
        }
        return fetch(request, init);
      },
    });
    const from = emulator().requests.length;
    await dcs.collectRunLogs({ instanceId: SINGLE });
    expect(posts).toBe(2);
    expect(served(emulator(), "CreateRedislog", from)).toBe(1);
    await dcs.waitForRunLogs({ instanceId: SINGLE, minDelayMs: 50 });
  });
});
