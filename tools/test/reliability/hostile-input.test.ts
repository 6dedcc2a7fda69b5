// Hostile input. Client side: ids, regions, days, paging values and endpoints of arbitrary unicode and
// reserved characters either reach the server exactly as the documented request (observed on the wire by a
// loopback test server, or at the fetch boundary for hosts that cannot be contacted here) or fail with a
// ValidationError/ConfigError naming the option, with nothing sent. Server side: random bytes, malformed
// requests, oversize headers and bad signatures sent over raw sockets get a 4xx from the emulator, which
// keeps serving good requests.
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import {
  ConfigError,
  createDcsRedislogClient,
  type DcsRedislogClient,
  HUAWEI_CLOUD_REGIONS,
  OPEN_TELEKOM_CLOUD_REGIONS,
  type QueryTime,
  ValidationError,
} from "@org/dcs-redislog-client";
import { type Emulator, startEmulator } from "@org/dcs-redislog-emulator";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { CLI, pool, requireBuilt, runNode } from "./helpers.js";

// Fixed, so a run is reproducible; set RELIABILITY_SEED to explore other inputs (a failure prints its seed).
const seed = Number(process.env.RELIABILITY_SEED ?? 20_241_128);
const runs = (numRuns: number) => ({ seed, numRuns });

/** The documented id contract (client README, "Client options"). */
const ID = /^[A-Za-z0-9][\w-]{0,63}$/;
const PROJECT = "0524e839a54847039e9b2b46e8aa788a";
const INSTANCE = "5560df16-cebf-4473-95c4-d1b573c16e79";
const LOG = "e79f2d97-e972-41f2-b51c-d18f65f39a45";

const RESERVED = [
  ..."/?#%&=+;:@,$!*'()[]{}<>|\\^`\"~ .",
  "..",
  "../",
  "%2F",
  "%2f",
  "%2e%2e",
  "%00",
  "%0d%0a",
  "\r\n",
  "\n",
  "\0",
  "\t",
  "\u202e",
  "\ufeff",
  "\u2028",
  "\u200b",
  "ａ",
  "İ",
  "ß",
  "𝒜",
  "😀",
  "\ud800",
];
const validId = fc.stringMatching(ID);
const reserved = fc.constantFrom(...RESERVED);
/** Valid ids, near-valid ids with a reserved piece, traversal, and arbitrary unicode and UTF-16 units. */
const hostileString = fc.oneof(
  validId,
  fc.tuple(validId, reserved, fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c),
  fc.array(fc.oneof(reserved, validId), { minLength: 1, maxLength: 6 }).map((parts) => parts.join("")),
  fc.string({ unit: "grapheme", maxLength: 70 }),
  fc.string({ unit: "binary", maxLength: 70 }),
  fc.stringMatching(/^[A-Za-z0-9][\w-]{64,80}$/),
  fc.constantFrom(
    "",
    " ",
    "..",
    "../..",
    "../../etc/passwd",
    "a/../b",
    "%2e%2e%2f",
    "a%00",
    "a\r\nX-Evil: 1",
  ),
);

interface Seen {
  method: string;
  host: string;
  path: string;
  query: Record<string, string[]>;
  projectHeader: string | undefined;
}

/** A loopback server that records what arrives and answers like an instance with no files yet. */
function captureServer(): Promise<{ server: Server; seen: Seen[]; endpoint: string }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? "";
    const at = url.indexOf("?");
    const query: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(at === -1 ? "" : url.slice(at + 1))) {
      query[k] = [...(query[k] ?? []), v];
    }
    const path = at === -1 ? url : url.slice(0, at);
    seen.push({
      method: req.method ?? "",
      host: req.headers.host ?? "",
      path,
      query,
      projectHeader: req.headers["x-project-id"] as string | undefined,
    });
    req.resume();
    if (req.method === "POST" && path.endsWith("/links")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: LOG, link: "http://127.0.0.1:9/obs/run.log?Signature=x" }));
    } else {
      res.writeHead(204);
      res.end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, seen, endpoint: `http://127.0.0.1:${port}` });
    }),
  );
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

let capture: Awaited<ReturnType<typeof captureServer>>;
let host: string;
let dcs: DcsRedislogClient;

beforeAll(async () => {
  capture = await captureServer();
  host = new URL(capture.endpoint).host;
  dcs = createDcsRedislogClient({
    endpoint: capture.endpoint,
    projectId: PROJECT,
    credentials: { ak: "HOSTILEAK0000000001", sk: "hostile-secret-key-00000000000000000000" },
    retry: false,
  });
});

afterAll(() => new Promise<void>((resolve) => capture.server.close(() => resolve())));

/** Runs `call` and returns the error and the requests it sent. */
async function observe(call: () => Promise<unknown>) {
  const from = capture.seen.length;
  const error = await settle(Promise.resolve().then(call));
  return { error, sent: capture.seen.slice(from) };
}

/** The branches a property took: one that never accepts (or never refuses) proves little. */
let branches = new Set<string>();
beforeEach(() => {
  branches = new Set();
});
const took = (branch: string) => branches.add(branch);

function expectRefused(error: unknown, option: string, sent: Seen[]) {
  took(`refused ${option}`);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).option).toBe(option);
  expect((error as Error).message).toMatch(new RegExp(`^${option} must be`));
  expect(sent, "a request was sent for invalid input").toEqual([]);
}

describe("ids never change the request path or host", () => {
  test("instanceId (ListRedislog)", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (id) => {
        const { error, sent } = await observe(() => dcs.listRunLogs({ instanceId: id }));
        if (!ID.test(id)) return expectRefused(error, "instanceId", sent);
        expect(error).toBeUndefined();
        took("accepted");
        expect(sent).toEqual([
          {
            method: "GET",
            host,
            path: `/v2/${PROJECT}/instances/${id}/redislog`,
            query: { log_type: ["run"] },
            projectHeader: PROJECT,
          },
        ]);
      }),
      runs(400),
    );
    expect([...branches].sort()).toEqual(["accepted", "refused instanceId"]);
  });

  test("logId and instanceId (CreateRedislogDownloadLink)", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, fc.boolean(), async (id, asLog) => {
        const target = asLog ? { instanceId: INSTANCE, logId: id } : { instanceId: id, logId: LOG };
        const { error, sent } = await observe(() => dcs.createDownloadLink(target));
        if (!ID.test(id)) return expectRefused(error, asLog ? "logId" : "instanceId", sent);
        expect(error).toBeUndefined();
        took("accepted");
        expect(sent).toHaveLength(1);
        expect(sent[0]).toMatchObject({
          method: "POST",
          host,
          path: `/v2/${PROJECT}/instances/${target.instanceId}/redislog/${target.logId}/links`,
          query: {},
        });
      }),
      runs(300),
    );
    expect([...branches].sort()).toEqual(["accepted", "refused instanceId", "refused logId"]);
  });

  test("replicationId and queryTime (CreateRedislog)", async () => {
    const days = fc.oneof(
      fc.constantFrom(0, 1, 3, 7),
      fc.integer({ min: -10, max: 10 }),
      fc.double(),
      fc.constantFrom("0", "7", "1; DROP", "7&x=1", null, true, [7], 1e21, -0),
    );
    await fc.assert(
      fc.asyncProperty(hostileString, days, async (replicationId, queryTime) => {
        const { error, sent } = await observe(() =>
          dcs.collectRunLogs({ instanceId: INSTANCE, replicationId, queryTime: queryTime as QueryTime }),
        );
        // null and undefined mean "not given": the default, 0.
        const days = queryTime ?? 0;
        if (![0, 1, 3, 7].includes(days as number)) return expectRefused(error, "queryTime", sent);
        if (!ID.test(replicationId)) return expectRefused(error, "replicationId", sent);
        expect(error).toBeUndefined();
        took("accepted");
        // The list that remembers the files already there, then the collection itself.
        expect(sent.map((s) => [s.method, s.host, s.path])).toEqual([
          ["GET", host, `/v2/${PROJECT}/instances/${INSTANCE}/redislog`],
          ["POST", host, `/v2/${PROJECT}/instances/${INSTANCE}/redislog`],
        ]);
        expect(sent[1]?.query).toEqual({
          log_type: ["run"],
          query_time: [String(days)],
          replication_id: [replicationId],
        });
      }),
      runs(300),
    );
    expect([...branches].sort()).toEqual(["accepted", "refused queryTime", "refused replicationId"]);
  });

  test("offset and limit (ListRedislog)", async () => {
    const paging = fc.oneof(
      fc.integer({ min: -5, max: 2 ** 31 + 5 }),
      fc.double(),
      fc.constantFrom("10", "1&limit=1000", NaN, Infinity, 1000, 1001, 0, 1),
    );
    await fc.assert(
      fc.asyncProperty(paging, paging, async (offset, limit) => {
        const { error, sent } = await observe(() =>
          dcs.listRunLogs({ instanceId: INSTANCE, offset: offset as number, limit: limit as number }),
        );
        const okOffset = Number.isInteger(offset) && (offset as number) >= 0 && (offset as number) < 2 ** 31;
        const okLimit = Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= 1000;
        if (!okOffset) return expectRefused(error, "offset", sent);
        if (!okLimit) return expectRefused(error, "limit", sent);
        expect(error).toBeUndefined();
        took("accepted");
        expect(sent).toHaveLength(1);
        expect(sent[0]?.query).toEqual({
          log_type: ["run"],
          offset: [String(offset)],
          limit: [String(limit)],
        });
      }),
      runs(200),
    );
    expect([...branches].sort()).toEqual(["accepted", "refused limit", "refused offset"]);
  });

  test("projectId is checked when the client is made, and goes into the path and X-Project-Id only", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (projectId) => {
        const make = () =>
          createDcsRedislogClient({
            endpoint: capture.endpoint,
            projectId,
            credentials: { token: "t0ken-0" },
          });
        if (!ID.test(projectId)) {
          const error = await settle(Promise.resolve().then(make));
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).option).toBe("projectId");
          took("refused projectId");
          return;
        }
        const { error, sent } = await observe(() => make().listRunLogs({ instanceId: INSTANCE }));
        expect(error).toBeUndefined();
        took("accepted");
        expect(sent).toEqual([
          {
            method: "GET",
            host,
            path: `/v2/${projectId}/instances/${INSTANCE}/redislog`,
            query: { log_type: ["run"] },
            projectHeader: projectId,
          },
        ]);
      }),
      runs(200),
    );
    expect([...branches].sort()).toEqual(["accepted", "refused projectId"]);
  });
});

/** A fetch that records the URL and answers "no files": for hosts these tests must not contact. */
function recordingFetch() {
  const urls: string[] = [];
  const fetch = async (request: Request) => {
    urls.push(request.url);
    return new Response(null, { status: 204, headers: { "x-request-id": "r" } });
  };
  return { urls, fetch };
}

describe("regions and endpoints never change the request host", () => {
  const KNOWN = [...OPEN_TELEKOM_CLOUD_REGIONS, ...HUAWEI_CLOUD_REGIONS] as string[];

  test("region: a known one maps to its documented host; anything else is a ConfigError", async () => {
    const region = fc.oneof(
      fc.constantFrom(...KNOWN),
      fc.tuple(fc.constantFrom(...KNOWN), reserved, fc.string({ maxLength: 12 })).map((p) => p.join("")),
      fc.constantFrom("eu-de.evil.com", "evil.com/eu-de", "eu-de@evil.com", " eu-de", "EU-DE", "eu-de\0"),
      fc.string({ unit: "grapheme", maxLength: 30 }),
      fc.domain(),
    );
    await fc.assert(
      fc.asyncProperty(region, async (r) => {
        const { urls, fetch } = recordingFetch();
        let client: DcsRedislogClient;
        try {
          client = createDcsRedislogClient({
            region: r,
            projectId: PROJECT,
            credentials: { token: "tok" },
            fetch,
          });
        } catch (error) {
          expect(KNOWN).not.toContain(r);
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).option).toBe("region");
          took("refused region");
          // The message quotes at most 40 characters of what it was given.
          if (r.length > 40) expect((error as Error).message).not.toContain(r);
          return;
        }
        expect(KNOWN).toContain(r);
        took("accepted");
        const expected = OPEN_TELEKOM_CLOUD_REGIONS.includes(r as "eu-de")
          ? `dcs.${r}.otc.t-systems.com`
          : `dcs.${r}.myhuaweicloud.com`;
        await client.listRunLogs({ instanceId: INSTANCE });
        expect(urls.map((u) => new URL(u).host)).toEqual([expected]);
        expect(new URL(urls[0] as string).protocol).toBe("https:");
      }),
      runs(300),
    );
    expect([...branches].sort()).toEqual(["accepted", "refused region"]);
  });

  test("endpoint: accepted ones keep their origin and base path; plain http only to loopback", async () => {
    const tricks = fc.constantFrom(
      "http://127.0.0.1:1@evil.example/",
      "https://evil.example\\@dcs.eu-de.otc.t-systems.com",
      "https://dcs.eu-de.otc.t-systems.com.evil.example",
      "https://dcs.eu-de.otc.t-systems.com#@evil.example",
      "https://dcs.eu-de.otc.t-systems.com?@evil.example",
      "http://localhost.evil.example/",
      "http://127.0.0.1.evil.example/",
      "http://[::1]:8920/base/../v2",
      "http://127.1:8920",
      "javascript:alert(1)",
      "file:///etc/passwd",
      "//evil.example",
      "https://user:pass@dcs.eu-de.otc.t-systems.com",
      "https://dcs.eu-de.otc.t-systems.com/%2e%2e/%2e%2e/x",
      "https://dcs.eu-de.otc.t-systems.com/a%0d%0aX-Evil:%201",
    );
    const endpoint = fc.oneof(
      tricks,
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webUrl(),
      fc
        .tuple(
          fc.constantFrom("http://127.0.0.1:8920/", "https://dcs.example/"),
          fc.string({ maxLength: 20 }),
        )
        .map(([a, b]) => a + b),
      fc.string({ unit: "grapheme", maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(endpoint, async (e) => {
        const { urls, fetch } = recordingFetch();
        let client: DcsRedislogClient;
        try {
          client = createDcsRedislogClient({
            endpoint: e,
            projectId: PROJECT,
            credentials: { token: "tok" },
            fetch,
          });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).option).toBe("endpoint");
          took("refused endpoint");
          return;
        }
        took("accepted");
        const given = new URL(e);
        const base = new URL(client.endpoint);
        expect(base.origin).toBe(given.origin);
        expect(given.username + given.password + given.search + given.hash).toBe("");
        if (base.protocol === "http:")
          expect(base.hostname).toMatch(/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i);
        await client.listRunLogs({ instanceId: INSTANCE });
        expect(urls).toHaveLength(1);
        const sent = new URL(urls[0] as string);
        expect(sent.origin).toBe(base.origin);
        expect(sent.pathname).toBe(
          `${base.pathname.replace(/\/$/, "")}/v2/${PROJECT}/instances/${INSTANCE}/redislog`,
        );
      }),
      runs(400),
    );
    expect([...branches].sort()).toEqual(["accepted", "refused endpoint"]);
  });
});

describe("the CLI refuses hostile flags before sending anything", () => {
  beforeAll(() => requireBuilt());

  test("--instance and --days", { timeout: 120_000 }, async () => {
    // Argument strings cannot hold NUL; a leading "-" would be read as a flag, which is another test.
    const value = hostileString.filter((s) => !s.includes("\0") && !s.startsWith("-"));
    const days = fc.oneof(fc.constantFrom("0", "1", "3", "7"), fc.string({ maxLength: 6 }));
    const samples = fc.sample(fc.tuple(value, days), { seed, numRuns: 16 });
    const results = await pool(samples, 4, async ([instance, d]) => {
      // One emulator per run, so that what it saw is this run's alone.
      const emulator = await startEmulator({ port: 0, collectDelayMs: 0, logSize: 1024 });
      try {
        const run = await runNode(CLI, ["collect", "--instance", instance, "--days", d, "--json"], {
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            DCS_ENDPOINT: emulator.endpoint,
            HUAWEICLOUD_SDK_AK: emulator.ak,
            HUAWEICLOUD_SDK_SK: emulator.sk,
            HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId,
          },
          timeoutMs: 30_000,
        });
        return { instance, d, run, sent: [...emulator.requests] };
      } finally {
        await emulator.stop();
      }
    });
    const valid = results.filter((r) => ["0", "1", "3", "7"].includes(r.d) && ID.test(r.instance));
    expect(valid.length, "samples with valid flags").toBeGreaterThan(0);
    expect(valid.length, "samples with invalid flags").toBeLessThan(results.length);
    for (const { instance, d, run, sent } of results) {
      const label = JSON.stringify({ instance, d });
      if (!["0", "1", "3", "7"].includes(d) || !ID.test(instance)) {
        expect(run.code, `${label}\n${run.stderr}`).toBe(2);
        expect(JSON.parse(run.stdout).error.kind, label).toBe("usage");
        expect(sent, label).toEqual([]);
      } else {
        // A well-formed id of no instance: one list, answered 404, on the documented path.
        expect(run.code, `${label}\n${run.stderr}`).toBe(4);
        expect(
          sent.map((r) => r.path),
          label,
        ).toEqual([`/v2/${PROJECT}/instances/${instance}/redislog`]);
      }
    }
  });
});

/** Sends raw bytes, half-closes, and returns everything the server wrote before it closed. */
function rawExchange(port: number, bytes: Uint8Array | string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    };
    const timer = setTimeout(() => {
      socket.destroy();
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer, or while a large request is still being written, is fine: the answer counts.
    socket.on("error", () => {});
    socket.on("close", done);
    socket.end(bytes);
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1] ?? 0);

describe("the emulator under raw-socket abuse", () => {
  let emulator: Emulator;
  let port: number;
  let healthy: DcsRedislogClient;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, collectDelayMs: 0, logSize: 1024 });
    port = Number(new URL(emulator.endpoint).port);
    healthy = createDcsRedislogClient({
      endpoint: emulator.endpoint,
      projectId: emulator.projectId,
      credentials: { ak: emulator.ak, sk: emulator.sk },
      retry: false,
    });
  });
  afterAll(async () => {
    // Nothing sent here made the emulator fail (5xx) or lose a request it had parsed.
    expect(emulator.requests.filter((r) => r.status >= 500)).toEqual([]);
    await emulator.stop();
  });

  /** The emulator still answers a good, signed request. */
  const stillServing = async () => {
    const page = await healthy.listRunLogs({ instanceId: INSTANCE });
    expect(page.total_num).toBeGreaterThanOrEqual(0);
  };

  test("random bytes get a 4xx", async () => {
    const garbage = fc
      .uint8Array({ minLength: 1, maxLength: 2048 })
      .filter((b) => b.some((x) => x !== 0x0d && x !== 0x0a));
    await fc.assert(
      fc.asyncProperty(garbage, async (bytes) => {
        // The blank line ends the header block, so the parser must decide.
        const response = await rawExchange(port, Buffer.concat([bytes, Buffer.from("\r\n\r\n")]));
        const status = statusOf(response);
        expect(status, JSON.stringify(response.slice(0, 80))).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }),
      runs(150),
    );
    await stillServing();
  });

  test("arbitrary request targets and headers get a 4xx", async () => {
    const target = fc.oneof(
      fc.string({ unit: "binary-ascii", maxLength: 200 }).map((s) => `/${s}`),
      fc.string({ unit: "grapheme", maxLength: 60 }).map((s) => `/v2/${encodeURI(s)}`),
      fc
        .tuple(hostileString, hostileString)
        .map(([a, b]) => `/v2/${PROJECT}/instances/${a}/redislog/${b}/links`),
      fc.constantFrom("*", "http://evil.example/", "/v2/%zz/instances/x/redislog", "/../../etc/passwd"),
    );
    const method = fc.constantFrom("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "TRACE", "BREW");
    const header = fc.tuple(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,30}$/),
      fc.string({ unit: "binary-ascii", maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(method, target, fc.array(header, { maxLength: 5 }), async (m, t, headers) => {
        const lines = [
          `${m} ${t} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          ...headers.map(([k, v]) => `${k}: ${v}`),
        ];
        const response = await rawExchange(port, `${lines.join("\r\n")}\r\n\r\n`);
        const status = statusOf(response);
        expect(
          status,
          `${m} ${JSON.stringify(t)} → ${JSON.stringify(response.slice(0, 80))}`,
        ).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }),
      runs(200),
    );
    await stillServing();
  });

  test("bad signatures and dates get 401 APIGW.0301", async () => {
    const auth = fc.oneof(
      fc.string({ unit: "binary-ascii", maxLength: 200 }).filter((s) => !/[\r\n\0]/.test(s)),
      fc
        .tuple(fc.stringMatching(/^[A-Z0-9]{10,30}$/), fc.stringMatching(/^[0-9a-f]{64}$/))
        .map(([ak, sig]) => `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=host;x-sdk-date, Signature=${sig}`),
      fc
        .stringMatching(/^[0-9a-f]{64}$/)
        .map(
          (sig) => `SDK-HMAC-SHA256 Access=${emulator.ak}, SignedHeaders=host;x-sdk-date, Signature=${sig}`,
        ),
    );
    const date = fc.oneof(
      fc.constant(new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "")),
      fc.string({ unit: "binary-ascii", maxLength: 30 }).filter((s) => !/[\r\n\0]/.test(s)),
    );
    await fc.assert(
      fc.asyncProperty(auth, date, async (authorization, sdkDate) => {
        const request = [
          `GET /v2/${emulator.projectId}/instances/${INSTANCE}/redislog?log_type=run HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          `X-Sdk-Date: ${sdkDate}`,
          `X-Project-Id: ${emulator.projectId}`,
          `Authorization: ${authorization}`,
          "",
          "",
        ].join("\r\n");
        const response = await rawExchange(port, request);
        const status = statusOf(response);
        // Header values with characters HTTP forbids are refused by the parser (400) before auth.
        expect([400, 401], JSON.stringify(response.slice(0, 200))).toContain(status);
        if (status === 401) expect(response).toContain('"error_code":"APIGW.0301"');
      }),
      runs(200),
    );
    await stillServing();
  });

  const API = `/v2/${PROJECT}/instances/${INSTANCE}/redislog`;
  test.each([
    ["headers over 16 KiB", 431, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`],
    ["a request line over 16 KiB", 431, `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    [
      "a thousand headers",
      431,
      `GET / HTTP/1.1\r\n${Array.from({ length: 1000 }, (_, i) => `X-H${i}: ${"v".repeat(20)}`).join("\r\n")}\r\n\r\n`,
    ],
    [
      "a declared body over 12 MB",
      413,
      `POST ${API} HTTP/1.1\r\nHost: x\r\nContent-Length: 13000000\r\n\r\n`,
    ],
    [
      "Content-Length and Transfer-Encoding together",
      400,
      `POST ${API} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    ],
    [
      "broken chunked encoding",
      400,
      `POST ${API} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
    ],
    [
      "a body shorter than its Content-Length",
      400,
      `POST ${API} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc`,
    ],
    ["a NUL in a header", 400, "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"],
    ["a header without a colon", 400, "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"],
    ["HTTP/9.9", 400, "GET / HTTP/9.9\r\nHost: x\r\n\r\n"],
    [
      "bad percent-encoding on an API path",
      400,
      `GET /v2/${PROJECT}/instances/%zz/redislog HTTP/1.1\r\nHost: x\r\n\r\n`,
    ],
    ["a truncated request line", 400, "GET /v2/x/instances"],
  ] as const)("%s → %i", async (_, expected, request) => {
    const response = await rawExchange(port, request);
    expect(statusOf(response), JSON.stringify(response.slice(0, 120))).toBe(expected);
    await stillServing();
  });

  test("many connections cut mid-request at once", async () => {
    const cuts = Array.from({ length: 100 }, (_, i) =>
      rawExchange(
        port,
        `POST ${API} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n${"x".repeat(i % 50)}`,
      ),
    );
    const responses = await Promise.all(cuts);
    for (const r of responses) if (r) expect(statusOf(r)).toBeLessThan(500);
    await stillServing();
  });
});
