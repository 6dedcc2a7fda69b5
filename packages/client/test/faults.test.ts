import { createHash } from "node:crypto";
import { startEmulator } from "@org/dcs-redislog-emulator";
import { describe, expect, it } from "vitest";
import { type Logger, TimeoutError } from "../src/index.js";
import { clientFor, collectAndWait, readAll, rejection, SINGLE, served, useEmulator } from "./helpers.js";

// One test per emulator fault kind, each against the operations it makes sense for.
const emulator = useEmulator({ logSize: 256 * 1024 });
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
let logId: string | undefined;
/** One collected file, shared by the download cases (a second collection would have to wait for the first). */
async function collectedFile(): Promise<string> {
  if (!logId) {
    const [file] = await collectAndWait(clientFor(emulator()), SINGLE);
    logId = file?.id;
  }
  if (!logId) throw new Error("no file");
  return logId;
}

describe("emulator faults", () => {
  it.each(["throttle", "error500", "error502", "error503"])(
    "%s on list and link: retried to success",
    async (kind) => {
      const dcs = clientFor(emulator());
      const from = emulator().requests.length;
      emulator().setFaults(
        `ListRedislog:${kind}:times=2:retryAfterSeconds=0,CreateRedislogDownloadLink:${kind}:times=1:retryAfterSeconds=0`,
      );
      await dcs.listRunLogs({ instanceId: SINGLE });
      expect(served(emulator(), "ListRedislog", from)).toBe(3);
      const notFound = await rejection(dcs.createDownloadLink({ instanceId: SINGLE, logId: "missing" }));
      // The fault was retried; the answer after it is the real one (no such log).
      expect(notFound).toMatchObject({ status: 404, attempts: 2 });
      emulator().clearFaults();
    },
  );

  it("latency: slower than timeoutMs is retried, faster is not", async () => {
    const dcs = clientFor(emulator(), { timeoutMs: 150 });
    let from = emulator().requests.length;
    emulator().setFaults("ListRedislog:latency:latencyMs=30");
    await dcs.listRunLogs({ instanceId: SINGLE });
    expect(served(emulator(), "ListRedislog", from)).toBe(1);
    emulator().setFaults("ListRedislog:latency:times=1:latencyMs=400");
    from = emulator().requests.length;
    await dcs.listRunLogs({ instanceId: SINGLE });
    expect(
      emulator()
        .requests.slice(from)
        .filter((r) => r.operation === "ListRedislog"),
    ).toHaveLength(2);
    emulator().clearFaults();
  });

  it("hang: times out per attempt, then succeeds", async () => {
    const dcs = clientFor(emulator(), { timeoutMs: 100 });
    emulator().setFaults("ListRedislog:hang:times=2");
    const started = Date.now();
    await dcs.listRunLogs({ instanceId: SINGLE });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    emulator().setFaults("ListRedislog:hang");
    expect(await rejection(dcs.listRunLogs({ instanceId: SINGLE }))).toBeInstanceOf(TimeoutError);
    emulator().clearFaults();
  });

  it("reset: a list is retried; a link is retried", async () => {
    const dcs = clientFor(emulator());
    const from = emulator().requests.length;
    emulator().setFaults("ListRedislog:reset:times=1,CreateRedislogDownloadLink:reset:times=1");
    await dcs.listRunLogs({ instanceId: SINGLE });
    expect(served(emulator(), "ListRedislog", from)).toBe(2);
    expect(await rejection(dcs.createDownloadLink({ instanceId: SINGLE, logId: "missing" }))).toMatchObject({
      status: 404,
    });
    expect(served(emulator(), "CreateRedislogDownloadLink", from)).toBe(2);
    emulator().clearFaults();
  });

  it("malformed-json: retried like a server error", async () => {
    const dcs = clientFor(emulator());
    const from = emulator().requests.length;
    emulator().setFaults("ListRedislog:malformed-json:times=1");
    const page = await dcs.listRunLogs({ instanceId: SINGLE });
    expect(Array.isArray(page.file_list)).toBe(true);
    expect(served(emulator(), "ListRedislog", from)).toBe(2);
    emulator().clearFaults();
  });

  it("clock-skew: corrected from the gateway's Date, then corrected back", async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const dcs = clientFor(emulator(), { logger, retry: false });
    // An instance with no files answers 204; either success status will do.
    const statuses = (from: number) =>
      emulator()
        .requests.slice(from)
        .map((r) => (r.status < 300 ? "ok" : r.status));
    for (const skewMs of [30 * 60_000, -40 * 60_000]) {
      emulator().setFaults(`*:clock-skew:skewMs=${skewMs}`);
      let from = emulator().requests.length;
      await dcs.listRunLogs({ instanceId: SINGLE });
      expect(statuses(from)).toEqual([401, "ok"]);
      // The offset is kept: the next call goes through at once.
      from = emulator().requests.length;
      await dcs.listRunLogs({ instanceId: SINGLE });
      expect(statuses(from)).toEqual(["ok"]);
      // Back to a right server clock: corrected again.
      emulator().clearFaults();
      from = emulator().requests.length;
      await dcs.listRunLogs({ instanceId: SINGLE });
      expect(statuses(from)).toEqual([401, "ok"]);
    }
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/^Clock skew of 1[78]\d\d s against the gateway corrected/);
  });

  it("clock-skew on CreateRedislog: resent once, since the gateway refused the first", async () => {
    // Its own emulator: a collection started on a skewed server clock keeps the instance busy for that long.
    const skewed = await startEmulator({ port: 0, faults: "CreateRedislog:clock-skew:skewMs=1200000" });
    try {
      await clientFor(skewed, { retry: false }).collectRunLogs({ instanceId: SINGLE });
      expect(skewed.requests.filter((r) => r.operation === "CreateRedislog").map((r) => r.status)).toEqual([
        401, 204,
      ]);
    } finally {
      await skewed.stop();
    }
  });

  it("truncate: the download resumes with Range and the bytes are exact", async () => {
    const dcs = clientFor(emulator());
    const id = await collectedFile();
    const clean = await readAll((await dcs.download({ instanceId: SINGLE, logId: id })).body);

    emulator().setFaults("Download:truncate:times=2:truncateAtBytes=50000");
    const from = emulator().requests.length;
    const resumed = await dcs.download({ instanceId: SINGLE, logId: id });
    const bytes = await readAll(resumed.body);
    expect(bytes.byteLength).toBe(256 * 1024);
    expect(sha(bytes)).toBe(sha(clean));
    expect(
      emulator()
        .requests.slice(from)
        .filter((r) => r.operation === "Download")
        .map((r) => r.status),
    ).toEqual([200, 206, 206]);
    emulator().clearFaults();
  });

  it.each(["reset", "throttle", "error500", "error503"])("%s on the download link: retried", async (kind) => {
    const dcs = clientFor(emulator());
    const id = await collectedFile();
    emulator().setFaults(`Download:${kind}:times=1:retryAfterSeconds=0`);
    const from = emulator().requests.length;
    const body = await dcs.download({ instanceId: SINGLE, logId: id });
    expect(served(emulator(), "Download", from)).toBe(2);
    expect((await readAll(body.body)).byteLength).toBe(256 * 1024);
    emulator().clearFaults();
  });
});
