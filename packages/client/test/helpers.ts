import { type Emulator, type EmulatorOptions, startEmulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll } from "vitest";
import { type ClientOptions, createDcsRedislogClient, type DcsRedislogClient } from "../src/index.js";

export const SINGLE = "5560df16-cebf-4473-95c4-d1b573c16e79";
export const SINGLE_REPLICA = "b1e6ad27-0a7e-4f53-9d51-6c1d8f2e3a01";
export const CLUSTER = "5c597ce5-9823-48aa-bf4d-2defb9385b4a";
export const CLUSTER_REPLICAS = [
  "c2f7be38-1b8f-4a64-8e62-7d2e903f4b02",
  "d308cf49-2c90-4b75-9f73-8e3fa1505c03",
] as const;

/** Fast retries so that fault tests take milliseconds; the backoff shape is tested on its own. */
export const FAST_RETRY = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

/** Starts one emulator for the file (port 0) and stops it after; `emulator()` returns it. */
export function useEmulator(options: EmulatorOptions = {}) {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, collectDelayMs: 150, logSize: 64 * 1024, ...options });
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return () => {
    if (!emulator) throw new Error("emulator not started");
    return emulator;
  };
}

export function clientFor(emulator: Emulator, options: Partial<ClientOptions> = {}): DcsRedislogClient {
  return createDcsRedislogClient({
    endpoint: emulator.endpoint,
    projectId: emulator.projectId,
    credentials: { ak: emulator.ak, sk: emulator.sk },
    retry: FAST_RETRY,
    ...options,
  });
}

/** How many requests of `operation` the emulator served since `from` (an index into `requests`). */
export function served(emulator: Emulator, operation: string, from = 0): number {
  return emulator.requests.slice(from).filter((r) => r.operation === operation).length;
}

/** Reads a stream to its end; returns its bytes. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}

/** Collects on an instance and waits for the files, with delays short enough for tests. */
export async function collectAndWait(
  dcs: DcsRedislogClient,
  instanceId: string,
  replicationId?: string,
  queryTime: 0 | 1 | 3 | 7 = 0,
) {
  await dcs.collectRunLogs({ instanceId, replicationId, queryTime });
  return dcs.waitForRunLogs({
    instanceId,
    replicationId,
    minDelayMs: 50,
    maxDelayMs: 200,
    timeoutMs: 10_000,
  });
}

/** Captures a rejection so a test can assert on its class and fields. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the promise to reject");
}
