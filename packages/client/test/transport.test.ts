import { describe, expect, it } from "vitest";
import { ConfigError, type FetchLike } from "../src/index.js";
import { clientFor, collectAndWait, rejection, SINGLE, SINGLE_REPLICA, useEmulator } from "./helpers.js";

const emulator = useEmulator();

/** A fetch that passes every request on to the emulator and keeps it, as the client built it. */
function recording() {
  const requests: Request[] = [];
  const fetchLike: FetchLike = (request, init) => {
    requests.push(request.clone());
    return fetch(request, init);
  };
  return { requests, fetch: fetchLike };
}

describe("what the methods send", () => {
  it("builds each typed request as the spec describes, signed, with no redirects followed", async () => {
    const { requests, fetch } = recording();
    const dcs = clientFor(emulator(), { fetch });
    const base = `${emulator().endpoint}/v2/${emulator().projectId}/instances/${SINGLE}/redislog`;
    await dcs.listRunLogs({ instanceId: SINGLE });
    await dcs.listRunLogs({ instanceId: SINGLE, offset: 20, limit: 5 });
    await dcs.collectRunLogs({ instanceId: SINGLE, queryTime: 1, replicationId: SINGLE_REPLICA });
    const [file] = await dcs.waitForRunLogs({
      instanceId: SINGLE,
      replicationId: SINGLE_REPLICA,
      minDelayMs: 50,
      maxDelayMs: 100,
    });
    if (!file) throw new Error("no file");
    await dcs.createDownloadLink({ instanceId: SINGLE, logId: file.id });

    const sent = requests.map((r) => `${r.method} ${r.url}`);
    expect(sent.slice(0, 4)).toEqual([
      `GET ${base}?log_type=run`,
      `GET ${base}?log_type=run&offset=20&limit=5`,
      // collectRunLogs lists the files it must not wait for, then collects.
      `GET ${base}?log_type=run&offset=0&limit=1000`,
      `POST ${base}?log_type=run&query_time=1&replication_id=${SINGLE_REPLICA}`,
    ]);
    expect(sent.at(-1)).toBe(`POST ${base}/${file.id}/links`);
    for (const request of requests) {
      expect(request.redirect).toBe("manual");
      expect(request.headers.get("content-type")).toBe("application/json");
      expect(request.headers.get("x-project-id")).toBe(emulator().projectId);
      expect(request.headers.get("x-sdk-date")).toMatch(/^\d{8}T\d{6}Z$/);
      expect(request.headers.get("authorization")).toMatch(
        /^SDK-HMAC-SHA256 Access=\S+, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
      );
    }
  });

  it("gives a fetch of your own a new Request, with its own signal, for every attempt", async () => {
    const requests: Request[] = [];
    const dcs = clientFor(emulator(), {
      // The first attempt fails as undici reports a refused connection; the retry reaches the emulator.
      fetch: async (request, init) => {
        requests.push(request);
        if (requests.length === 1) {
          throw new TypeError("fetch failed", {
            cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
          });
        }
        return fetch(request, init);
      },
    });
    await dcs.listRunLogs({ instanceId: SINGLE });
    const [first, second] = requests;
    expect(requests).toHaveLength(2);
    expect(first).toBeInstanceOf(Request);
    expect(second).not.toBe(first);
    expect(second?.signal).not.toBe(first?.signal);
    expect(second?.headers.get("authorization")).toMatch(/^SDK-HMAC-SHA256 /);
  });

  it("refuses, sending nothing, a token that fetch cannot put into a header", async () => {
    const from = emulator().requests.length;
    expect(() => clientFor(emulator(), { credentials: { token: "tøken-€" } })).toThrow(ConfigError);
    // From a provider, the call fails at once with the same error: no retries, no ConnectionError.
    const started = Date.now();
    const error = await rejection(
      clientFor(emulator(), { credentials: () => ({ token: "tøken-€" }) }).listRunLogs({
        instanceId: SINGLE,
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain("tøken");
    expect(emulator().requests.length).toBe(from);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("dcs.raw", () => {
  it("hands openapi-fetch an answer whose body can be read in any form", async () => {
    const dcs = clientFor(emulator());
    await collectAndWait(dcs, SINGLE);
    const params = {
      path: { project_id: dcs.projectId, instance_id: SINGLE },
      query: { log_type: "run" as const, limit: 1 },
    };
    const path = "/v2/{project_id}/instances/{instance_id}/redislog" as const;
    const json = await dcs.raw.GET(path, { params });
    const text = await dcs.raw.GET(path, { params, parseAs: "text" });
    const bytes = await dcs.raw.GET(path, { params, parseAs: "arrayBuffer" });
    expect(json.data?.file_list).toHaveLength(1);
    expect(JSON.parse(text.data as string)).toEqual(json.data);
    expect(new TextDecoder().decode(bytes.data as ArrayBuffer)).toBe(text.data);
    expect(text.response.headers.get("content-length")).toBe(`${(bytes.data as ArrayBuffer).byteLength}`);
  });

  it("returns error answers as { error, response }", async () => {
    const dcs = clientFor(emulator(), { retry: false });
    const { data, error, response } = await dcs.raw.GET("/v2/{project_id}/instances/{instance_id}/redislog", {
      params: {
        path: { project_id: dcs.projectId, instance_id: "no-such-instance" },
        query: { log_type: "run" },
      },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ error_code: expect.any(String) });
  });
});
