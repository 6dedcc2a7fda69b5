// Malformed and hostile input gets a 4xx, never a crash, and memory stays flat under many connections.
import { connect, type Socket } from "node:net";
import { describe, expect, test } from "vitest";
import type { Emulator } from "../src/index.js";
import { createRandom } from "../src/random.js";
import { api, checkedFetch, gatewayCall } from "./helpers/api.js";
import { CLUSTER, SINGLE, useEmulators } from "./helpers/emulator.js";
import { expectErrorAnswer, raw } from "./helpers/raw.js";

const start = useEmulators();

const get = (path: string, headers = "X-Auth-Token: emulator-token\r\n") =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`;

async function expectHealthy(emulator: Emulator) {
  expect((await api(emulator).list(SINGLE)).status).toBeLessThan(300);
}

describe("malformed requests", () => {
  test("random bytes get 400 APIGW.0201 (or a closed connection), and the server lives on", async () => {
    const emulator = await start();
    const random = createRandom(99);
    for (let i = 0; i < 25; i++) {
      const junk = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 400) }, () => Math.floor(random() * 256)),
      );
      // Ending with a blank line makes sure the parser has seen a whole "request".
      const answer = await raw(emulator.endpoint, Buffer.concat([junk, Buffer.from("\r\n\r\n")]));
      if (answer) expectErrorAnswer(answer, 400);
    }
    const answer = expectErrorAnswer(await raw(emulator.endpoint, "HELLO WORLD\r\n\r\n"), 400);
    expect(answer.json.error_code).toBe("APIGW.0201");
    expect(emulator.requests.some((r) => r.operation === "Invalid" && r.status === 400)).toBe(true);
    await expectHealthy(emulator);
  });

  test("headers over 16 KiB → 431", async () => {
    const emulator = await start();
    const answer = await raw(
      emulator.endpoint,
      get(
        `/v2/${emulator.projectId}/instances/${SINGLE}/redislog?log_type=run`,
        `X-Big: ${"a".repeat(17 * 1024)}\r\n`,
      ),
    );
    expect(expectErrorAnswer(answer, 431).json.error_code).toBe("APIGW.0201");
    // Just under the limit is fine.
    const fine = await raw(
      emulator.endpoint,
      get(
        `/v2/${emulator.projectId}/instances/${SINGLE}/redislog?log_type=run`,
        `X-Auth-Token: emulator-token\r\nX-Big: ${"a".repeat(15 * 1024)}\r\n`,
      ),
    );
    expect(fine?.status).toBe(204);
    await expectHealthy(emulator);
  });

  test("bodies over 12 MB → 413 APIGW.0201, declared or chunked; smaller bodies are read and ignored", async () => {
    const emulator = await start();
    const path = `/v2/${emulator.projectId}/instances/${SINGLE}/redislog?log_type=run`;
    const declared = await raw(
      emulator.endpoint,
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: emulator-token\r\nContent-Length: 12582913\r\n\r\n`,
    );
    const tooLarge = expectErrorAnswer(declared, 413);
    expect(tooLarge.json).toMatchObject({ error_code: "APIGW.0201", error_msg: "Request entity too large." });
    expect(tooLarge.headers.connection).toBe("close");

    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const chunked = Buffer.concat([
      Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: emulator-token\r\nTransfer-Encoding: chunked\r\n\r\n`,
      ),
      ...Array.from({ length: 13 }, () =>
        Buffer.concat([Buffer.from("100000\r\n"), chunk, Buffer.from("\r\n")]),
      ),
      Buffer.from("0\r\n\r\n"),
    ]);
    expectErrorAnswer(await raw(emulator.endpoint, chunked), 413);

    const small = await api(emulator).collect(SINGLE, "log_type=run", { body: '{"not": "used"' });
    expect(small.status).toBe(204);
    await expectHealthy(emulator);
  });

  test.each([
    ["literal ..", (p: string) => `/v2/${p}/instances/../redislog?log_type=run`, 400, "DCS.4061"],
    ["encoded ..", (p: string) => `/v2/${p}/instances/%2e%2e/redislog?log_type=run`, 400, "DCS.4061"],
    ["encoded slash", (p: string) => `/v2/${p}/instances/a%2F..%2Fb/redislog?log_type=run`, 400, "DCS.4061"],
    [
      "encoded backslash",
      (p: string) => `/v2/${p}/instances/..%5C..%5Cetc/redislog?log_type=run`,
      400,
      "DCS.4061",
    ],
    ["NUL byte", (p: string) => `/v2/${p}/instances/abc%00/redislog?log_type=run`, 400, "DCS.4061"],
    [
      "broken percent-encoding",
      (p: string) => `/v2/${p}/instances/%zz/redislog?log_type=run`,
      400,
      "APIGW.0201",
    ],
    [
      "overlong UTF-8",
      (p: string) => `/v2/${p}/instances/%C0%AE%C0%AE/redislog?log_type=run`,
      400,
      "APIGW.0201",
    ],
    ["project traversal", () => "/v2/../instances/x/redislog?log_type=run", 403, "APIGW.0302"],
    [
      "extra segments",
      (p: string) => `/v2/${p}/instances/${SINGLE}/redislog/../../../etc/passwd`,
      404,
      "APIGW.0101",
    ],
    [
      "an over-long id",
      (p: string) => `/v2/${p}/instances/${"a".repeat(65)}/redislog?log_type=run`,
      400,
      "DCS.4061",
    ],
  ])("%s in a path id → %i %s", async (_name, path, status, code) => {
    const emulator = await start();
    const answer = expectErrorAnswer(await raw(emulator.endpoint, get(path(emulator.projectId))), status);
    expect(answer.json.error_code).toBe(code);
  });

  test("traversal in a link id and in download paths", async () => {
    const emulator = await start();
    const link = expectErrorAnswer(
      await raw(
        emulator.endpoint,
        `POST /v2/${emulator.projectId}/instances/${CLUSTER}/redislog/..%2F..%2Fx/links HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: emulator-token\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      ),
      400,
    );
    expect(link.json.error_code).toBe("DCS.4800");
    for (const path of [
      "/dcs-redislog-emulator/../../etc/passwd",
      "/dcs-redislog-emulator/%2e%2e/%2e%2e/etc/passwd?AWSAccessKeyId=EMULATOROBSACCESSKEY&Expires=99999999999&Signature=x",
      "/dcs-redislog-emulator/%zz?AWSAccessKeyId=EMULATOROBSACCESSKEY&Expires=1&Signature=x",
    ]) {
      const answer = await raw(emulator.endpoint, get(path, ""));
      expect(answer?.status).toBe(403);
      expect(answer?.body).toMatch(
        /^<\?xml[^>]*>\n<Error><Code>(AccessDenied|SignatureDoesNotMatch)<\/Code>/,
      );
      expect(answer?.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  test("an absolute-form request target is served like its path", async () => {
    const emulator = await start();
    const answer = await raw(
      emulator.endpoint,
      get(`${emulator.endpoint}/v2/${emulator.projectId}/instances/${SINGLE}/redislog?log_type=run`),
    );
    expect(answer?.status).toBe(204);
  });
});

describe("routing", () => {
  test.each([
    ["GET", "/"],
    ["GET", "/v1.0/instances"],
    ["GET", "/v2/p/instances/i/slowlog"],
    ["GET", "/v2/p/instances/i/redislog/"],
    ["PUT", "/v2/p/instances/i/redislog"],
    ["DELETE", "/v2/p/instances/i/redislog"],
    ["PATCH", "/v2/p/instances/i/redislog"],
    ["GET", "/v2/p/instances/i/redislog/abc/links"],
    ["POST", "/_emulator/faults"],
  ])("%s %s → 404 APIGW.0101", async (method, path) => {
    const emulator = await start();
    const result = await gatewayCall(`${emulator.endpoint}${path}`, {
      method,
      headers: { "X-Auth-Token": "emulator-token" },
    });
    expect(result.status).toBe(404);
    expect(result.json.error_code).toBe("APIGW.0101");
  });

  test("HEAD on an API path → 404 with the gateway's headers and no body", async () => {
    const emulator = await start();
    const response = await checkedFetch(`${emulator.endpoint}/v2/p/instances/i/redislog`, { method: "HEAD" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe("");
  });

  test("browser preflights are answered so that browser clients can be tested against the emulator", async () => {
    const emulator = await start();
    const response = await checkedFetch(
      `${emulator.endpoint}/v2/${emulator.projectId}/instances/${SINGLE}/redislog`,
      {
        method: "OPTIONS",
        headers: {
          Origin: "http://127.0.0.1:5173",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,x-sdk-date,content-type",
        },
      },
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toBe(
      "authorization,x-sdk-date,content-type",
    );
    const list = await api(emulator).list(SINGLE, "log_type=run", {
      headers: { Origin: "http://127.0.0.1:5173" },
    });
    expect(list.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
  });
});

describe("load", () => {
  /** Opens `count` connections at once, each sending one request, and resolves when all are answered. */
  function burst(emulator: Emulator, count: number, payload: string): Promise<number[]> {
    const { port } = new URL(emulator.endpoint);
    return Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<number>((resolve, reject) => {
            const socket = connect({ host: "127.0.0.1", port: Number(port) });
            let data = "";
            socket.setEncoding("latin1");
            socket.on("data", (chunk: string) => (data += chunk));
            socket.on("error", reject);
            socket.on("close", () => resolve(Number(data.split(" ")[1])));
            socket.write(payload);
          }),
      ),
    );
  }

  const gc = (globalThis as { gc?: () => void }).gc;

  function heapAfterGc(): number {
    gc?.();
    gc?.();
    return process.memoryUsage().heapUsed;
  }

  test("1,000 concurrent connections, three rounds: all answered, memory flat", async () => {
    expect(gc, "vitest.config.ts passes --expose-gc").toBeTypeOf("function");
    const emulator = await start({ collectDelayMs: 0 });
    await api(emulator).collect(SINGLE, "log_type=run&query_time=7");
    const payload = get(`/v2/${emulator.projectId}/instances/${SINGLE}/redislog?log_type=run&limit=7`);
    const first = await burst(emulator, 1000, payload);
    expect(first.every((s) => s === 200)).toBe(true);
    const baseline = heapAfterGc();
    for (let round = 0; round < 2; round++) {
      const statuses = await burst(emulator, 1000, payload);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
    }
    const growth = heapAfterGc() - baseline;
    // The request log keeps one small entry per request (3,000 here); anything per-connection would be far more.
    expect(growth).toBeLessThan(4 * 1024 ** 2);
    expect(emulator.requests.length).toBe(3001);
  });

  test("1,000 idle half-open connections do not block other clients, and stop() closes them", async () => {
    const emulator = await start();
    const { port } = new URL(emulator.endpoint);
    const sockets: Socket[] = [];
    await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<void>((resolve, reject) => {
            const socket = connect({ host: "127.0.0.1", port: Number(port) }, () => {
              socket.write("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n");
              resolve();
            });
            socket.on("error", reject);
            sockets.push(socket);
          }),
      ),
    );
    await expectHealthy(emulator);
    const closed = Promise.all(sockets.map((s) => new Promise((r) => s.on("close", r))));
    await emulator.stop();
    await closed;
    expect(sockets.every((s) => s.destroyed)).toBe(true);
  });
});
