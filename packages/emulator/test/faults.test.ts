// Faults on demand: every kind, per operation, scripted (`times`) or probabilistic, set by option, by
// setFaults and through the admin endpoint.
import { request } from "node:http";
import { describe, expect, test, vi } from "vitest";
import { FaultSpecError, parseFaults } from "../src/index.js";
import { adminCall, api, download, gatewayCall } from "./helpers/api.js";
import { SINGLE, useEmulators } from "./helpers/emulator.js";

const start = useEmulators();

describe("fault kinds", () => {
  test("throttle: 429 APIGW.0308 with Retry-After for the next N requests, then normal answers", async () => {
    const emulator = await start({ faults: "ListRedislog:throttle:times=2:retryAfterSeconds=3" });
    const dcs = api(emulator);
    for (let i = 0; i < 2; i++) {
      const throttled = await dcs.list(SINGLE);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get("retry-after")).toBe("3");
      expect(throttled.json.error_code).toBe("APIGW.0308");
      expect(throttled.json.error_msg).toMatch(/^The throttling threshold has been reached/);
      expect(throttled.json.request_id).toBe(throttled.headers.get("x-request-id"));
    }
    expect((await dcs.list(SINGLE)).status).toBe(204);
    // Other operations were never affected.
    expect((await dcs.collect(SINGLE)).status).toBe(204);
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 429, 204, 204]);
  });

  test("throttle defaults to Retry-After: 1", async () => {
    const emulator = await start({ faults: [{ operation: "CreateRedislog", kind: "throttle", times: 1 }] });
    const result = await api(emulator).collect(SINGLE);
    expect(result.status).toBe(429);
    expect(result.headers.get("retry-after")).toBe("1");
  });

  test.each([
    ["error500", 500, "DCS.5000", null],
    ["error502", 502, "APIGW.0502", null],
    ["error503", 503, "APIGW.0613", null],
    ["error503:retryAfterSeconds=7", 503, "APIGW.0613", "7"],
  ])("%s → %i %s", async (kind, status, code, retryAfter) => {
    const emulator = await start({ faults: `*:${kind}:times=1` });
    const dcs = api(emulator);
    const failed = await dcs.link(SINGLE, "abc");
    expect(failed.status).toBe(status);
    expect(failed.json.error_code).toBe(code);
    expect(failed.headers.get("retry-after")).toBe(retryAfter);
    expect((await dcs.link(SINGLE, "abc")).status).toBe(404);
  });

  test("latency delays the answer by at least latencyMs", async () => {
    const emulator = await start({ faults: "ListRedislog:latency:latencyMs=300:times=1" });
    const dcs = api(emulator);
    const started = performance.now();
    expect((await dcs.list(SINGLE)).status).toBe(204);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  test("hang never answers; the next request is served, and stop() still closes everything", async () => {
    const emulator = await start({ faults: "ListRedislog:hang:times=1" });
    const dcs = api(emulator);
    await expect(dcs.list(SINGLE, "log_type=run", { signal: AbortSignal.timeout(300) })).rejects.toThrow(
      /aborted|timeout/i,
    );
    expect(emulator.requests[0]).toMatchObject({ operation: "ListRedislog", status: 0 });
    expect((await dcs.list(SINGLE)).status).toBe(204);
    emulator.setFaults("*:hang");
    const outcome = fetch(`${emulator.endpoint}${dcs.base}/${SINGLE}/redislog?log_type=run`, {
      headers: { "X-Auth-Token": "emulator-token" },
    }).then(
      (r) => r.text().then(() => "answered"),
      () => "dropped",
    );
    await vi.waitFor(() => expect(emulator.requests).toHaveLength(3));
    await emulator.stop();
    expect(await outcome).toBe("dropped");
  });

  test("reset drops the connection after the request was handled: the collection has started", async () => {
    const emulator = await start({ faults: "CreateRedislog:reset:times=1", collectDelayMs: 60_000 });
    const dcs = api(emulator);
    const error = await dcs.collect(SINGLE).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as Error & { cause?: unknown }).cause)).toMatch(
      /ECONNRESET|other side closed|socket/i,
    );
    expect(emulator.requests[0]).toMatchObject({ operation: "CreateRedislog", status: 0 });
    const again = await dcs.collect(SINGLE);
    expect(again.status).toBe(400);
    expect(again.json.error_code).toBe("DCS.4017");
    expect((await dcs.list(SINGLE)).json.total_num).toBe(1);
  });

  test("truncate (Download): full Content-Length, then the connection closes after truncateAtBytes", async () => {
    const emulator = await start({ collectDelayMs: 0, logSize: 100_000 });
    const dcs = api(emulator);
    await dcs.collect(SINGLE);
    const [item] = (await dcs.list(SINGLE)).json.file_list;
    const link = (await dcs.link(SINGLE, item.id)).json.link;
    const full = await download(link);
    emulator.setFaults("Download:truncate:times=1:truncateAtBytes=70000");
    const partial = await new Promise<{ length: string | undefined; body: Buffer; aborted: boolean }>(
      (resolve) => {
        request(link, (res) => {
          const chunks: Buffer[] = [];
          let aborted = false;
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("aborted", () => (aborted = true));
          res.on("error", () => (aborted = true));
          res.on("close", () =>
            resolve({ length: res.headers["content-length"], body: Buffer.concat(chunks), aborted }),
          );
        }).end();
      },
    );
    expect(partial.length).toBe("100000");
    expect(partial.aborted).toBe(true);
    expect(partial.body.length).toBe(70_000);
    expect(partial.body.equals(full.body.subarray(0, 70_000))).toBe(true);
    // The default cuts at half; the rule was used up, so the next download is whole.
    expect((await download(link)).body.length).toBe(100_000);
    emulator.setFaults("Download:truncate:times=1");
    await expect(fetch(link).then((r) => r.arrayBuffer())).rejects.toThrow();
  });

  test("truncate (JSON): the body stops early and cannot be read", async () => {
    const emulator = await start({ collectDelayMs: 0, faults: "ListRedislog:truncate:times=1" });
    const dcs = api(emulator);
    await dcs.collect(SINGLE);
    await expect(dcs.list(SINGLE)).rejects.toThrow(/terminated/);
    expect((await dcs.list(SINGLE)).status).toBe(200);
  });

  test("malformed-json: 200 with a body that is not JSON (the spec validator catches it)", async () => {
    const emulator = await start({
      collectDelayMs: 0,
      faults: "ListRedislog:malformed-json:times=1,CreateRedislog:malformed-json:times=1",
    });
    const dcs = api(emulator);
    const created = await dcs.collect(SINGLE, "log_type=run", { expectSpecViolation: true });
    expect(created.status).toBe(200);
    expect(created.problems.join("\n")).toMatch(/status 200 is not declared/);
    const listed = await dcs.list(SINGLE, "log_type=run", { expectSpecViolation: true });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("content-type")).toBe("application/json");
    expect(() => JSON.parse(listed.text)).toThrow(SyntaxError);
    expect(listed.problems).toEqual([expect.stringMatching(/^body is not valid JSON/)]);
    // The collect was handled before its answer was replaced.
    expect((await dcs.list(SINGLE)).json.total_num).toBe(1);
  });

  test("clock-skew: a correctly signed request is refused until the client takes its clock from Date", async () => {
    const skewMs = 20 * 60_000;
    const emulator = await start({ faults: `*:clock-skew:skewMs=${skewMs}` });
    const dcs = api(emulator);
    const refused = await dcs.list(SINGLE, "log_type=run", { auth: "aksk" });
    expect(refused.status).toBe(401);
    expect(refused.json.error_msg).toMatch(/signature expired/);
    const serverTime = Date.parse(refused.headers.get("date") ?? "");
    const offset = serverTime - Date.now();
    expect(Math.abs(offset - skewMs)).toBeLessThan(5000);
    const corrected = await dcs.list(SINGLE, "log_type=run", {
      auth: { ak: emulator.ak, sk: emulator.sk, date: new Date(Date.now() + offset) },
    });
    expect(corrected.status).toBe(204);
    // Token auth has no clock check; the Date header still shows the skewed clock.
    const token = await dcs.list(SINGLE);
    expect(token.status).toBe(204);
    expect(Date.parse(token.headers.get("date") ?? "") - Date.now()).toBeGreaterThan(skewMs - 5000);
  });

  test("clock-skew on one operation does not shift the collection's progress", async () => {
    const emulator = await start({ collectDelayMs: 0, faults: "CreateRedislog:clock-skew:skewMs=1200000" });
    const dcs = api(emulator);
    const refused = await dcs.collect(SINGLE, "log_type=run", { auth: "aksk" });
    expect(refused.status).toBe(401);
    const offset = Date.parse(refused.headers.get("date") ?? "") - Date.now();
    const date = new Date(Date.now() + offset);
    expect(
      (await dcs.collect(SINGLE, "log_type=run", { auth: { ak: emulator.ak, sk: emulator.sk, date } }))
        .status,
    ).toBe(204);
    const listed = await dcs.list(SINGLE);
    expect(listed.json.file_list[0].status).toBe("succeed");
    expect((await dcs.link(SINGLE, listed.json.file_list[0].id)).status).toBe(200);
  });

  test("Download faults answer in the object store's XML", async () => {
    const emulator = await start({ collectDelayMs: 0, logSize: 100 });
    const dcs = api(emulator);
    await dcs.collect(SINGLE);
    const [item] = (await dcs.list(SINGLE)).json.file_list;
    const link = (await dcs.link(SINGLE, item.id)).json.link;
    emulator.setFaults(
      "Download:throttle:times=1:retryAfterSeconds=2,Download:error500:times=1,Download:error503:times=1",
    );
    const throttled = await download(link);
    expect([throttled.status, throttled.errorCode, throttled.headers.get("retry-after")]).toEqual([
      429,
      "TooManyRequests",
      "2",
    ]);
    expect([(await download(link)).errorCode, (await download(link)).errorCode]).toEqual([
      "InternalError",
      "ServiceUnavailable",
    ]);
    expect((await download(link)).status).toBe(200);
    emulator.setFaults("Download:reset:times=1");
    await expect(fetch(link)).rejects.toThrow();
  });
});

describe("matching", () => {
  test("probability 0 never fires; a probabilistic rule fires on some requests, reproducibly per seed", async () => {
    const never = await start({ faults: "ListRedislog:error500:probability=0" });
    for (let i = 0; i < 20; i++) expect((await api(never).list(SINGLE)).status).toBe(204);

    const pattern = async () => {
      const emulator = await start({ seed: 5, faults: "ListRedislog:error503:probability=0.5" });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await api(emulator).list(SINGLE)).status);
      return statuses;
    };
    const first = await pattern();
    expect(first.filter((s) => s === 503).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 204).length).toBeGreaterThan(5);
    expect(await pattern()).toEqual(first);
  });

  test("only one answer-changing fault applies per request; latency adds to it", async () => {
    const emulator = await start({
      faults:
        "ListRedislog:latency:latencyMs=100:times=1,ListRedislog:error502:times=1,ListRedislog:error500:times=1",
    });
    const dcs = api(emulator);
    const started = performance.now();
    expect((await dcs.list(SINGLE)).status).toBe(502);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect((await dcs.list(SINGLE)).status).toBe(500);
    expect((await dcs.list(SINGLE)).status).toBe(204);
  });

  test("clearFaults removes every rule", async () => {
    const emulator = await start({ faults: "*:error500" });
    expect((await api(emulator).list(SINGLE)).status).toBe(500);
    emulator.clearFaults();
    expect((await api(emulator).list(SINGLE)).status).toBe(204);
  });
});

describe("the fault string form", () => {
  test("parses operations, kinds and options, and JSON", () => {
    expect(
      parseFaults("ListRedislog:throttle:times=2:retryAfterSeconds=1, Download:truncate:times=1"),
    ).toEqual([
      { operation: "ListRedislog", kind: "throttle", times: 2, retryAfterSeconds: 1 },
      { operation: "Download", kind: "truncate", times: 1 },
    ]);
    expect(parseFaults("*:clock-skew:skewMs=-60000")).toEqual([
      { operation: "*", kind: "clock-skew", skewMs: -60000 },
    ]);
    expect(parseFaults('[{"operation":"CreateRedislog","kind":"reset"}]')).toEqual([
      { operation: "CreateRedislog", kind: "reset" },
    ]);
    expect(parseFaults("")).toEqual([]);
  });

  test.each([
    ["ListRedislog", /unknown kind/],
    ["Nope:throttle", /unknown operation "Nope"/],
    ["ListRedislog:throttle:times", /not key=value/],
    ["ListRedislog:throttle:times=x", /times must be a number/],
    ["ListRedislog:throttle:times=-1", /times must be a non-negative integer/],
    ["ListRedislog:throttle:probability=2", /between 0 and 1/],
    ["ListRedislog:throttle:color=1", /unknown option "color"/],
    ["[{", /do not parse/],
  ])("%s is refused", (input, message) => {
    expect(() => parseFaults(input)).toThrow(FaultSpecError);
    expect(() => parseFaults(input)).toThrow(message);
  });

  test("setFaults refuses a bad rule and keeps the old ones", async () => {
    const emulator = await start({ faults: "*:error500" });
    expect(() => emulator.setFaults("*:nonsense")).toThrow(FaultSpecError);
    expect((await api(emulator).list(SINGLE)).status).toBe(500);
  });
});

describe("admin endpoint /_emulator/faults", () => {
  test("is a plain gateway 404 unless enabled", async () => {
    const emulator = await start();
    for (const method of ["GET", "POST", "DELETE"]) {
      const result = await gatewayCall(`${emulator.endpoint}/_emulator/faults`, {
        method,
        body: method === "POST" ? "*:hang" : null,
      });
      expect(result.status).toBe(404);
      expect(result.json.error_code).toBe("APIGW.0101");
    }
    expect((await api(emulator).list(SINGLE)).status).toBe(204);
  });

  test("GET lists, POST replaces (string form or JSON), DELETE clears", async () => {
    const emulator = await start({ admin: true });
    const url = `${emulator.endpoint}/_emulator/faults`;
    const admin = (method: string, body?: string) => adminCall(url, method, body);
    expect(await admin("GET")).toEqual({ status: 200, json: { faults: [] } });
    expect(await admin("POST", "ListRedislog:error503:times=2")).toEqual({
      status: 200,
      json: { faults: [{ operation: "ListRedislog", kind: "error503", times: 2 }] },
    });
    expect((await api(emulator).list(SINGLE)).status).toBe(503);
    expect((await admin("GET")).json.faults).toEqual([
      { operation: "ListRedislog", kind: "error503", times: 1 },
    ]);

    expect((await admin("POST", JSON.stringify([{ operation: "*", kind: "error500" }]))).status).toBe(200);
    expect((await api(emulator).collect(SINGLE)).status).toBe(500);
    expect((await admin("POST", JSON.stringify({ faults: "CreateRedislog:error502" }))).json.faults).toEqual([
      { operation: "CreateRedislog", kind: "error502" },
    ]);

    const bad = await admin("POST", "ListRedislog:kaboom");
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/unknown kind "kaboom"/);
    expect((await admin("DELETE")).status).toBe(204);
    expect((await admin("GET")).json.faults).toEqual([]);
    expect((await admin("PUT", "")).status).toBe(405);
    expect((await api(emulator).collect(SINGLE)).status).toBe(204);
    expect(emulator.requests.filter((r) => r.operation === "Admin").length).toBe(9);
  });
});
