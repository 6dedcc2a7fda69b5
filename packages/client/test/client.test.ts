import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  createDcsRedislogClient,
  endpointForRegion,
  HUAWEI_CLOUD_REGIONS,
  ValidationError,
} from "../src/index.js";
import {
  CLUSTER,
  CLUSTER_REPLICAS,
  clientFor,
  collectAndWait,
  readAll,
  rejection,
  SINGLE,
  SINGLE_REPLICA,
  served,
  useEmulator,
} from "./helpers.js";

const emulator = useEmulator();

describe("the full flow", () => {
  it("collects, waits, links and downloads on the single-node instance", async () => {
    const dcs = clientFor(emulator());
    const collection = await dcs.collectRunLogs({ instanceId: SINGLE, queryTime: 3 });
    expect(collection).toMatchObject({ instanceId: SINGLE, queryTime: 3, replicationId: undefined });
    expect(collection.requestId).toMatch(/^[0-9a-f]{32}$/);

    const files = await dcs.waitForRunLogs({ instanceId: SINGLE, minDelayMs: 50, maxDelayMs: 100 });
    expect(files).toHaveLength(3);
    expect(files.requestId).toMatch(/^[0-9a-f]{32}$/);
    for (const file of files) {
      expect(file).toMatchObject({ status: "succeed", group_name: "group-0" });
      expect(Object.keys(file).sort()).toEqual(
        ["backup_id", "file_name", "group_name", "id", "replication_ip", "status", "time"].sort(),
      );
    }

    const first = files[0];
    if (!first) throw new Error("no file");
    const link = await dcs.createDownloadLink({ instanceId: SINGLE, logId: first.id });
    expect(link.id).toBe(first.id);
    expect(link.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(new URL(link.link).searchParams.get("Signature")).toBeTruthy();

    const download = await dcs.download(link);
    const bytes = await readAll(download.body);
    expect(download.size).toBe(64 * 1024);
    expect(bytes.byteLength).toBe(64 * 1024);
    expect(download.requestId).toMatch(/^[0-9a-f]{32}$/);
    // The same file again, minted by the client: identical bytes.
    const again = await dcs.download({ instanceId: SINGLE, logId: first.id });
    const hash = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(hash(await readAll(again.body))).toBe(hash(bytes));
  });

  it("collects each replica of the cluster instance", async () => {
    const dcs = clientFor(emulator());
    const seen = new Set<string>();
    for (const replica of CLUSTER_REPLICAS) {
      const files = await collectAndWait(dcs, CLUSTER, replica, 1);
      expect(files).toHaveLength(1);
      const file = files[0];
      if (!file) throw new Error("no file");
      expect(seen.has(file.replication_ip)).toBe(false);
      seen.add(file.replication_ip);
      const body = await dcs.download({ instanceId: CLUSTER, logId: file.id });
      expect((await readAll(body.body)).byteLength).toBe(body.size);
    }
  });

  it("sends the replica of the single-node instance when given", async () => {
    const dcs = clientFor(emulator());
    const files = await collectAndWait(dcs, SINGLE, SINGLE_REPLICA);
    expect(files.length).toBe(1);
  });
});

describe("pagination", () => {
  it("maps 204 to an empty page", async () => {
    // A fresh emulator: its instances have no files yet, so the list answers 204.
    const fresh = await import("@org/dcs-redislog-emulator").then((m) => m.startEmulator({ port: 0 }));
    try {
      const empty = await clientFor(fresh).listRunLogs({ instanceId: CLUSTER });
      expect(fresh.requests.map((r) => r.status)).toEqual([204]);
      expect(empty).toEqual({
        total_num: 0,
        file_list: [],
        requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      const all = [];
      for await (const item of clientFor(fresh).runLogs({ instanceId: CLUSTER })) all.push(item);
      expect(all).toEqual([]);
    } finally {
      await fresh.stop();
    }
  });

  it("walks every item across pages, each page with its request id", async () => {
    const dcs = clientFor(emulator());
    await collectAndWait(dcs, CLUSTER, CLUSTER_REPLICAS[0], 7);
    const page = await dcs.listRunLogs({ instanceId: CLUSTER, offset: 0, limit: 2 });
    expect(page.file_list).toHaveLength(2);
    expect(page.total_num).toBeGreaterThanOrEqual(7);

    const from = emulator().requests.length;
    const iterable = dcs.runLogs({ instanceId: CLUSTER, pageSize: 2 });
    const ids: string[] = [];
    for await (const item of iterable) ids.push(item.id);
    expect(ids).toHaveLength(page.total_num);
    expect(new Set(ids).size).toBe(ids.length);
    const pages = Math.ceil(page.total_num / 2);
    expect(served(emulator(), "ListRedislog", from)).toBe(pages);
    expect(iterable.requestIds).toHaveLength(pages);

    const second = await dcs.listRunLogs({ instanceId: CLUSTER, offset: 2, limit: 2 });
    expect(second.file_list.map((f) => f.id)).toEqual(ids.slice(2, 4));
  });
});

describe("input validation", () => {
  const hostile = [
    "../../x",
    "a/b",
    "a?b=c",
    "a#b",
    "a%2Fb",
    "a b",
    "x\r\nHost: evil",
    "",
    "é",
    "-a",
    "a".repeat(65),
  ];

  it.each(hostile)("refuses instanceId %j before sending anything", async (instanceId) => {
    const dcs = clientFor(emulator());
    const before = emulator().requests.length;
    for (const call of [
      () => dcs.listRunLogs({ instanceId }),
      () => dcs.collectRunLogs({ instanceId }),
      () => dcs.createDownloadLink({ instanceId, logId: "abc" }),
      () => dcs.download({ instanceId, logId: "abc" }),
    ]) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).option).toBe("instanceId");
      expect(error.message).toMatch(/^instanceId must be 1–64 characters of A–Z a–z 0–9 - _/);
    }
    expect(emulator().requests.length).toBe(before);
  });

  it("names the option that is wrong", async () => {
    const dcs = clientFor(emulator());
    const cases: [() => Promise<unknown>, string][] = [
      [() => dcs.createDownloadLink({ instanceId: SINGLE, logId: "../links" }), "logId"],
      [() => dcs.collectRunLogs({ instanceId: CLUSTER, replicationId: "r/../x" }), "replicationId"],
      [() => dcs.collectRunLogs({ instanceId: SINGLE, queryTime: 2 as 1 }), "queryTime"],
      [() => dcs.listRunLogs({ instanceId: SINGLE, limit: 0 }), "limit"],
      [() => dcs.listRunLogs({ instanceId: SINGLE, limit: 1001 }), "limit"],
      [() => dcs.listRunLogs({ instanceId: SINGLE, offset: -1 }), "offset"],
      [() => dcs.listRunLogs({ instanceId: SINGLE, offset: 1.5 }), "offset"],
      [() => dcs.listRunLogs({ instanceId: SINGLE, timeoutMs: -1 }), "timeoutMs"],
      [() => dcs.download("ftp://example.invalid/x"), "link"],
      [() => dcs.download("http://user:pw@127.0.0.1/x"), "link"],
      [() => dcs.waitForRunLogs({ instanceId: SINGLE, replicationId: "nope/x" }), "replicationId"],
    ];
    const before = emulator().requests.length;
    for (const [call, option] of cases) {
      const error = await rejection(call());
      expect(error, option).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).option).toBe(option);
    }
    expect(emulator().requests.length).toBe(before);
  });

  it("refuses to wait without knowing which files are new", async () => {
    const dcs = clientFor(emulator());
    const error = await rejection(dcs.waitForRunLogs({ instanceId: SINGLE }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain("collectRunLogs()");
  });
});

describe("configuration", () => {
  const base = {
    projectId: "0524e839a54847039e9b2b46e8aa788a",
    credentials: { ak: "AK0123456789", sk: "SK0123456789" },
  };

  it("resolves Huawei Cloud and Open Telekom Cloud regions", () => {
    expect(createDcsRedislogClient({ ...base, region: "eu-de" }).endpoint).toBe(
      "https://dcs.eu-de.otc.t-systems.com",
    );
    expect(createDcsRedislogClient({ ...base, region: "eu-nl" }).endpoint).toBe(
      "https://dcs.eu-nl.otc.t-systems.com",
    );
    expect(createDcsRedislogClient({ ...base, region: "ap-southeast-1" }).endpoint).toBe(
      "https://dcs.ap-southeast-1.myhuaweicloud.com",
    );
    expect(HUAWEI_CLOUD_REGIONS).toHaveLength(30);
    for (const region of HUAWEI_CLOUD_REGIONS)
      expect(endpointForRegion(region)).toMatch(/^https:\/\/dcs\.[a-z0-9-]+\.myhuaweicloud\.com$/);
  });

  it("lists the known regions when the region is unknown", () => {
    const error = (() => {
      try {
        createDcsRedislogClient({ ...base, region: "mars-north-1" });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.option).toBe("region");
    expect(error?.message).toContain("eu-de, eu-nl");
    expect(error?.message).toContain("cn-north-4");
    expect(error?.message).toContain("endpoint");
  });

  it.each([
    [{ ...base }, "region"],
    [{ ...base, endpoint: "not a url" }, "endpoint"],
    [{ ...base, endpoint: "ftp://host" }, "endpoint"],
    [{ ...base, endpoint: "https://host/?a=b" }, "endpoint"],
    [{ ...base, endpoint: "https://u:p@host" }, "endpoint"],
    [{ ...base, endpoint: "http://dcs.example.com" }, "endpoint"],
    [{ ...base, region: "eu-de", projectId: "../p" }, "projectId"],
    [{ ...base, region: "eu-de", credentials: { ak: "", sk: "x" } }, "credentials"],
    [{ ...base, region: "eu-de", credentials: { ak: "a", sk: "b\nc" } }, "credentials"],
    [{ ...base, region: "eu-de", credentials: {} as { token: string } }, "credentials"],
    [{ ...base, region: "eu-de", timeoutMs: -5 }, "timeoutMs"],
    [{ ...base, region: "eu-de", logLevel: "loud" as "info" }, "logLevel"],
  ])("refuses %j naming %s", (options, option) => {
    expect(() => createDcsRedislogClient(options)).toThrow(
      expect.objectContaining({ name: expect.stringMatching(/ConfigError|ValidationError/), option }),
    );
  });

  it("accepts plain http to a non-loopback host only when allowed", () => {
    expect(
      createDcsRedislogClient({
        ...base,
        endpoint: "http://emulator.internal:8920/",
        allowInsecureHttp: true,
      }).endpoint,
    ).toBe("http://emulator.internal:8920");
  });

  it("authenticates with an IAM token and with temporary credentials", async () => {
    const { startEmulator } = await import("@org/dcs-redislog-emulator");
    const temporary = {
      ak: "TEMPAK00000000000001",
      sk: "temporary-secret-000000000000",
      securityToken: "sts-token-0001",
    };
    const emu = await startEmulator({ port: 0, temporaryCredentials: [temporary] });
    try {
      const byToken = clientFor(emu, { credentials: { token: "emulator-token" } });
      expect((await byToken.listRunLogs({ instanceId: SINGLE })).file_list).toEqual([]);
      let calls = 0;
      const rotating = clientFor(emu, {
        credentials: async () => {
          calls++;
          return temporary;
        },
      });
      await rotating.listRunLogs({ instanceId: SINGLE });
      await rotating.listRunLogs({ instanceId: SINGLE });
      expect(calls).toBe(2);
    } finally {
      await emu.stop();
    }
  });

  it("exposes the typed openapi-fetch client with signing and retries beneath it", async () => {
    const dcs = clientFor(emulator());
    const { data, error, response } = await dcs.raw.GET("/v2/{project_id}/instances/{instance_id}/redislog", {
      params: {
        path: { project_id: dcs.projectId, instance_id: SINGLE },
        query: { log_type: "run", limit: 1 },
      },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.file_list).toHaveLength(1);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  });
});
