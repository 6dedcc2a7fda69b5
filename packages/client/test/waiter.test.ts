import type { RunLog } from "@org/dcs-redislog-types";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AbortError, CollectionFailedError, TimeoutError, ValidationError } from "../src/index.js";
import { waitForFiles } from "../src/waiter.js";
import { CLUSTER, CLUSTER_REPLICAS, clientFor, rejection, SINGLE, served, useEmulator } from "./helpers.js";

const emulator = useEmulator();

describe("waitForRunLogs against the emulator", () => {
  it("waits for every file of the collection, and only those", async () => {
    const dcs = clientFor(emulator());
    const older = await dcs.collectRunLogs({
      instanceId: CLUSTER,
      replicationId: CLUSTER_REPLICAS[1],
      queryTime: 1,
    });
    const olderFiles = await dcs.waitForRunLogs({
      instanceId: CLUSTER,
      replicationId: CLUSTER_REPLICAS[1],
      minDelayMs: 50,
    });
    expect(olderFiles).toHaveLength(1);
    expect(older.knownIds).toEqual([]);

    const polls: number[] = [];
    const collection = await dcs.collectRunLogs({
      instanceId: CLUSTER,
      replicationId: CLUSTER_REPLICAS[0],
      queryTime: 7,
    });
    expect(collection.knownIds).toEqual(olderFiles.map((f) => f.id));
    const files = await dcs.waitForRunLogs({
      instanceId: CLUSTER,
      replicationId: CLUSTER_REPLICAS[0],
      minDelayMs: 30,
      maxDelayMs: 60,
      onPoll: (seen) => polls.push(seen.length),
    });
    expect(files).toHaveLength(7);
    expect(files.every((f) => f.status === "succeed")).toBe(true);
    expect(files.some((f) => collection.knownIds.includes(f.id))).toBe(false);
    expect(new Set(files.map((f) => f.time)).size).toBe(7);
    expect(polls.length).toBeGreaterThan(1);
    expect(polls.at(-1)).toBe(7);
  });

  it("waits in another client with the knownIds of the collection", async () => {
    const collector = clientFor(emulator());
    const collection = await collector.collectRunLogs({ instanceId: SINGLE, queryTime: 1 });
    const waiter = clientFor(emulator());
    const files = await waiter.waitForRunLogs({
      instanceId: SINGLE,
      knownIds: collection.knownIds,
      minDelayMs: 50,
    });
    expect(files).toHaveLength(1);
    expect(files.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("times out with the progress in the message", async () => {
    const { startEmulator } = await import("@org/dcs-redislog-emulator");
    const slow = await startEmulator({ port: 0, collectDelayMs: 60_000 });
    try {
      const dcs = clientFor(slow);
      await dcs.collectRunLogs({ instanceId: SINGLE, queryTime: 3 });
      const started = Date.now();
      const error = await rejection(
        dcs.waitForRunLogs({ instanceId: SINGLE, timeoutMs: 300, minDelayMs: 50, maxDelayMs: 100 }),
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ operation: "WaitForRunLogs", timeoutMs: 300 });
      expect(error.message).toMatch(
        /gave up after 300 ms and \d+ polls: 0 of 3 file\(s\) of the collection ready/,
      );
      expect(Date.now() - started).toBeLessThan(2_000);

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const from = slow.requests.length;
      const aborted = await rejection(
        dcs.waitForRunLogs({ instanceId: SINGLE, signal: controller.signal, minDelayMs: 1_000 }),
      );
      expect(aborted).toBeInstanceOf(AbortError);
      expect(served(slow, "ListRedislog", from)).toBe(1);
    } finally {
      await slow.stop();
    }
  });

  it("ends at a failed file", async () => {
    // The emulator never fails a collection: a scripted fetch marks the listed files failed.
    const dcs = clientFor(emulator(), {
      fetch: async (request, init) => {
        const response = await fetch(request, init);
        if (request.method !== "GET" || response.status !== 200) return response;
        const body = (await response.json()) as { file_list: RunLog[] };
        for (const file of body.file_list) file.status = "failed";
        return Response.json(body, { headers: response.headers });
      },
    });
    const error = await rejection(dcs.waitForRunLogs({ instanceId: SINGLE, knownIds: [], minDelayMs: 50 }));
    expect(error).toBeInstanceOf(CollectionFailedError);
    expect((error as CollectionFailedError).failedIds.length).toBeGreaterThan(0);
    expect(error.message).toMatch(/failed for \d+ file\(s\)\. Collect again/);
  });

  it("refuses to guess which files are new", async () => {
    const error = await rejection(
      clientFor(emulator()).waitForRunLogs({ instanceId: CLUSTER, replicationId: CLUSTER_REPLICAS[1] }),
    );
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe("poll delays", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("start at minDelayMs, double with jitter up to maxDelayMs, and stop at the deadline", async () => {
    vi.useFakeTimers();
    for (const random of [() => 0, () => 0.999]) {
      // Under fake timers Date.now() moves only with the timers: the gaps between polls are the delays.
      const polls: number[] = [];
      const waiting = waitForFiles({
        instanceId: SINGLE,
        knownIds: new Set(),
        expected: 1,
        timeoutMs: 10_000,
        minDelayMs: 100,
        maxDelayMs: 1_000,
        signal: undefined,
        onPoll: undefined,
        random,
        list: async () => {
          polls.push(Date.now());
          return { files: [], requestId: undefined };
        },
      }).catch((e) => e);
      await vi.runAllTimersAsync();
      expect(await waiting).toBeInstanceOf(TimeoutError);
      const delays = polls.slice(1).map((t, i) => t - (polls[i] as number));
      const sum = delays.reduce((a, b) => a + b, 0);
      expect(sum).toBe(10_000);
      for (const [n, delay] of delays.slice(0, -1).entries()) {
        const ceiling = Math.min(1_000, 100 * 2 ** n);
        expect(delay).toBeGreaterThanOrEqual(Math.max(100, ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});
