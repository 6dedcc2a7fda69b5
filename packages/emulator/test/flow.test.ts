// The documented flow, collect → list → link → download, on both default instances, and every documented
// DCS error of the three operations. Time is moved by hand (`now`), so no test waits for a collection.
import { describe, expect, test } from "vitest";
import { api, download } from "./helpers/api.js";
import {
  CLUSTER,
  CLUSTER_REPLICAS,
  manualClock,
  SINGLE,
  SINGLE_REPLICA,
  useEmulators,
} from "./helpers/emulator.js";

const start = useEmulators();

describe("collect → list → link → download", () => {
  test.each([
    {
      instance: SINGLE,
      query: "log_type=run&query_time=3",
      replicas: [SINGLE_REPLICA],
      files: 3,
      auth: "token" as const,
    },
    {
      instance: CLUSTER,
      query: `log_type=run&query_time=1&replication_id=${CLUSTER_REPLICAS[1]}`,
      replicas: [CLUSTER_REPLICAS[1]],
      files: 1,
      auth: "aksk" as const,
    },
  ])("$instance ($auth)", async ({ instance, query, files, auth }) => {
    const clock = manualClock();
    const emulator = await start({ now: clock.now, collectDelayMs: 1500, logSize: 200_000 });
    const dcs = api(emulator, { now: clock.now });

    expect((await dcs.list(instance, "log_type=run", { auth })).status).toBe(204);
    const collected = await dcs.collect(instance, query, { auth });
    expect(collected.status).toBe(204);
    expect(collected.text).toBe("");

    const collecting = await dcs.list(instance, "log_type=run", { auth });
    expect(collecting.status).toBe(200);
    expect(collecting.json.total_num).toBe(files);
    expect(collecting.json.file_list.map((f: { status: string }) => f.status)).toEqual(
      Array(files).fill("collecting"),
    );
    const [first] = collecting.json.file_list;
    expect(first.time).toBe("2021-04-16");
    expect(first.file_name).toBe(`redis_${first.replication_ip}_2021-04-16.log`);
    expect(first.backup_id).toBe(first.id);
    // Not ready yet: no object to link to.
    expect((await dcs.link(instance, first.id, { auth })).json.error_code).toBe("DCS.4001");

    clock.advance(1500);
    const ready = await dcs.list(instance, "log_type=run", { auth });
    expect(ready.json.file_list.every((f: { status: string }) => f.status === "succeed")).toBe(true);

    const linked = await dcs.link(instance, first.id, { auth });
    expect(linked.status).toBe(200);
    expect(linked.json.id).toBe(first.id);
    const link = new URL(linked.json.link);
    expect(link.origin).toBe(emulator.endpoint);
    expect(link.pathname).toMatch(new RegExp(`^/[a-z-]+/${instance}/${first.id}/${first.file_name}$`));
    expect([...link.searchParams.keys()]).toEqual(["AWSAccessKeyId", "Expires", "Signature"]);
    expect(Number(link.searchParams.get("Expires"))).toBe(
      Date.parse("2021-04-16T10:00:01.500Z") / 1000 + 86_400 - 0.5,
    );

    const file = await download(linked.json.link);
    expect(file.status).toBe(200);
    expect(file.body.length).toBe(200_000);
    const lines = file.body.toString("latin1").split("\n");
    expect(lines.pop()).toBe("");
    for (const line of lines) {
      expect(line).toMatch(/^\d+:[MC] 16 Apr 2021 \d\d:\d\d:\d\d\.\d{3} [.*#-] \S/);
    }
  });

  test("the cluster lists one file per shard and day, each shard in its own group", async () => {
    const clock = manualClock();
    const emulator = await start({ now: clock.now, collectDelayMs: 0 });
    const dcs = api(emulator);
    for (const replica of CLUSTER_REPLICAS) {
      expect((await dcs.collect(CLUSTER, `log_type=run&query_time=7&replication_id=${replica}`)).status).toBe(
        204,
      );
    }
    const page = await dcs.list(CLUSTER, "log_type=run&limit=1000");
    expect(page.json.total_num).toBe(14);
    const groups = new Set(page.json.file_list.map((f: { group_name: string }) => f.group_name));
    expect(groups).toEqual(new Set(["group-0", "group-1"]));
    const days = new Set(page.json.file_list.map((f: { time: string }) => f.time));
    expect(days.size).toBe(7);
    expect(days.has("2021-04-10")).toBe(true);
  });

  test("pages follow offset (0-based), limit (default 10) and total_num", async () => {
    const emulator = await start({ collectDelayMs: 0 });
    const dcs = api(emulator);
    for (const replica of CLUSTER_REPLICAS) {
      await dcs.collect(CLUSTER, `log_type=run&query_time=7&replication_id=${replica}`);
    }
    const all = (await dcs.list(CLUSTER, "log_type=run&limit=1000")).json.file_list.map(
      (f: { id: string }) => f.id,
    );
    expect(all).toHaveLength(14);
    expect(new Set(all).size).toBe(14);
    const defaultPage = await dcs.list(CLUSTER, "log_type=run");
    expect(defaultPage.json.file_list).toHaveLength(10);
    const pages: string[] = [];
    for (let offset = 0; offset < 14; offset += 4) {
      const page = await dcs.list(CLUSTER, `log_type=run&offset=${offset}&limit=4`);
      expect(page.json.total_num).toBe(14);
      pages.push(...page.json.file_list.map((f: { id: string }) => f.id));
    }
    expect(pages).toEqual(all);
    const past = await dcs.list(CLUSTER, "log_type=run&offset=14&limit=4");
    expect(past.status).toBe(200);
    expect(past.json).toEqual({ total_num: 14, file_list: [] });
  });

  test("a second collection while one runs is refused with DCS.4017, and allowed once it is done", async () => {
    const clock = manualClock();
    const emulator = await start({ now: clock.now, collectDelayMs: 1000 });
    const dcs = api(emulator);
    expect((await dcs.collect(SINGLE)).status).toBe(204);
    clock.advance(999);
    const busy = await dcs.collect(SINGLE);
    expect(busy.status).toBe(400);
    expect(busy.json).toEqual({
      error_code: "DCS.4017",
      error_msg: "This DCS instance job task is still running.",
      error_ext_msg: null,
    });
    // Another instance is not affected.
    expect((await dcs.collect(CLUSTER, `log_type=run&replication_id=${CLUSTER_REPLICAS[0]}`)).status).toBe(
      204,
    );
    clock.advance(1);
    expect((await dcs.collect(SINGLE)).status).toBe(204);
    // The same replica and day is collected anew: the list keeps one entry for it.
    expect((await dcs.list(SINGLE)).json.total_num).toBe(1);
  });

  test("the same seed gives the same log ids; another seed other ids", async () => {
    const ids = async (seed: number) => {
      const clock = manualClock();
      const emulator = await start({ now: clock.now, seed, collectDelayMs: 0 });
      const dcs = api(emulator);
      await dcs.collect(SINGLE, "log_type=run&query_time=3");
      return (await dcs.list(SINGLE)).json.file_list.map((f: { id: string }) => f.id);
    };
    expect(await ids(7)).toEqual(await ids(7));
    expect(await ids(7)).not.toEqual(await ids(8));
  });
});

describe("documented errors", () => {
  test.each([
    ["missing log_type", "POST", "", "DCS.4800", "Invalid logType."],
    ["bad log_type", "POST", "log_type=slow", "DCS.4800", "Invalid logType."],
    ["bad query_time", "POST", "log_type=run&query_time=2", "DCS.4800", "Invalid queryTime."],
    ["non-numeric query_time", "POST", "log_type=run&query_time=x", "DCS.4800", "Invalid queryTime."],
    [
      "malformed replication_id",
      "POST",
      "log_type=run&replication_id=a%2Fb",
      "DCS.4800",
      "Invalid replicationId.",
    ],
    [
      "foreign replication_id",
      "POST",
      `log_type=run&replication_id=${CLUSTER_REPLICAS[0]}`,
      "DCS.3053",
      "Incorrect node ID.",
    ],
    ["list without log_type", "GET", "offset=0", "DCS.4800", "Invalid logType."],
    ["negative offset", "GET", "log_type=run&offset=-1", "DCS.4800", "Invalid offset."],
    ["fractional offset", "GET", "log_type=run&offset=1.5", "DCS.4800", "Invalid offset."],
    ["offset past int32", "GET", "log_type=run&offset=2147483648", "DCS.4800", "Invalid offset."],
    ["limit 0", "GET", "log_type=run&limit=0", "DCS.4800", "Invalid limit."],
    ["limit 1001", "GET", "log_type=run&limit=1001", "DCS.4800", "Invalid limit."],
    ["limit not a number", "GET", "log_type=run&limit=ten", "DCS.4800", "Invalid limit."],
  ])("%s → 400 %s", async (_name, method, query, code, message) => {
    const emulator = await start();
    const result = await api(emulator).call(method, `${api(emulator).base}/${SINGLE}/redislog?${query}`);
    expect(result.status).toBe(400);
    expect(result.json).toEqual({ error_code: code, error_msg: message, error_ext_msg: null });
  });

  test("the cluster instance needs replication_id (DCS.4800)", async () => {
    const emulator = await start();
    const result = await api(emulator).collect(CLUSTER, "log_type=run&query_time=0");
    expect(result.status).toBe(400);
    expect(result.json.error_code).toBe("DCS.4800");
    expect(result.json.error_msg).toBe("Invalid replicationId.");
  });

  test("limits 1 and 1000 and offset 0 are accepted", async () => {
    const emulator = await start({ collectDelayMs: 0 });
    const dcs = api(emulator);
    await dcs.collect(SINGLE);
    expect((await dcs.list(SINGLE, "log_type=run&offset=0&limit=1")).status).toBe(200);
    expect((await dcs.list(SINGLE, "log_type=run&limit=1000")).status).toBe(200);
  });

  test.each([
    ["collect", (d: ReturnType<typeof api>) => d.collect("00000000-0000-0000-0000-000000000000")],
    ["list", (d: ReturnType<typeof api>) => d.list("00000000-0000-0000-0000-000000000000")],
    ["link", (d: ReturnType<typeof api>) => d.link("00000000-0000-0000-0000-000000000000", "x")],
  ])("unknown instance on %s → 404 DCS.3022", async (_name, callIt) => {
    const emulator = await start();
    const result = await callIt(api(emulator));
    expect(result.status).toBe(404);
    expect(result.json).toEqual({
      error_code: "DCS.3022",
      error_msg: "This DCS instance does not exist.",
      error_ext_msg: null,
    });
  });

  test("unknown log id → 404 DCS.4001; malformed log id → 400 DCS.4800", async () => {
    const emulator = await start();
    const dcs = api(emulator);
    const unknown = await dcs.link(SINGLE, "e79f2d97-e972-41f2-b51c-d18f65f39a45");
    expect(unknown.status).toBe(404);
    expect(unknown.json.error_code).toBe("DCS.4001");
    const malformed = await dcs.link(SINGLE, "a.b");
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error_code: "DCS.4800", error_msg: "Invalid id." });
  });

  test("malformed instance id → 400 DCS.4061", async () => {
    const emulator = await start();
    const result = await api(emulator).list("bad%2Fid");
    expect(result.status).toBe(400);
    expect(result.json.error_code).toBe("DCS.4061");
  });
});

describe("configured instances", () => {
  test("instances from options replace the defaults; a cluster with one shard still needs replication_id", async () => {
    const emulator = await start({
      collectDelayMs: 0,
      instances: [{ id: "my-cluster", type: "cluster", replicationIds: ["shard-a"] }],
    });
    expect(emulator.instances).toEqual([{ id: "my-cluster", type: "cluster", replicationIds: ["shard-a"] }]);
    const dcs = api(emulator);
    expect((await dcs.collect(SINGLE)).json.error_code).toBe("DCS.3022");
    expect((await dcs.collect("my-cluster")).json.error_code).toBe("DCS.4800");
    expect((await dcs.collect("my-cluster", "log_type=run&replication_id=shard-a")).status).toBe(204);
    expect((await dcs.list("my-cluster")).json.file_list[0].group_name).toBe("group-0");
  });

  test.each([
    [{ instances: [] }, /instances must be a non-empty array/],
    [{ instances: [{ id: "a/b", type: "single", replicationIds: ["r"] }] }, /instances\[0\]\.id must match/],
    [{ instances: [{ id: "a", type: "single", replicationIds: ["r", "s"] }] }, /exactly one replicationId/],
    [{ port: 70_000 }, /port must be an integer/],
    [{ logSize: -1 }, /logSize/],
    [{ faults: "ListRedislog:explode" }, /unknown kind "explode"/],
  ])("bad options are refused with a message naming them: %j", async (options, message) => {
    // @ts-expect-error -- deliberately wrong shapes
    await expect(start(options)).rejects.toThrow(message);
  });
});
