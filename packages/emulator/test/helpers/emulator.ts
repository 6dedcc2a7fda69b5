import { afterEach } from "vitest";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/index.js";

export const SINGLE = "5560df16-cebf-4473-95c4-d1b573c16e79";
export const CLUSTER = "5c597ce5-9823-48aa-bf4d-2defb9385b4a";
export const SINGLE_REPLICA = "b1e6ad27-0a7e-4f53-9d51-6c1d8f2e3a01";
export const CLUSTER_REPLICAS = [
  "c2f7be38-1b8f-4a64-8e62-7d2e903f4b02",
  "d308cf49-2c90-4b75-9f73-8e3fa1505c03",
] as const;

/** A clock the test moves by hand, so that nothing waits on real time. */
export function manualClock(start = Date.parse("2021-04-16T10:00:00.000Z")) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

/** Starts emulators on free ports and stops them after each test. */
export function useEmulators(): (options?: EmulatorOptions) => Promise<Emulator> {
  const running: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
  });
  return async (options = {}) => {
    const emulator = await startEmulator({ port: 0, ...options });
    running.push(emulator);
    return emulator;
  };
}
