import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigError,
  createDcsRedislogClient,
  DownloadError,
  LinkExpiredError,
  TimeoutError,
} from "../src/index.js";
import { credentialsFromEnv, downloadToFile, fetchRunLogs, fileNameFor } from "../src/node/index.js";
import {
  CLUSTER,
  CLUSTER_REPLICAS,
  clientFor,
  collectAndWait,
  rejection,
  SINGLE,
  useEmulator,
} from "./helpers.js";

const emulator = useEmulator({ logSize: 200_000 });
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dcs-client-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("credentialsFromEnv", () => {
  const full = {
    HUAWEICLOUD_SDK_AK: "AK0000000000",
    HUAWEICLOUD_SDK_SK: "SK0000000000",
    HUAWEICLOUD_SDK_PROJECT_ID: "0524e839a54847039e9b2b46e8aa788a",
  };

  it("reads the SDK variables, the security token when set", () => {
    expect(credentialsFromEnv(full)).toEqual({
      credentials: { ak: "AK0000000000", sk: "SK0000000000" },
      projectId: "0524e839a54847039e9b2b46e8aa788a",
    });
    expect(credentialsFromEnv({ ...full, HUAWEICLOUD_SDK_SECURITY_TOKEN: "sts" }).credentials).toEqual({
      ak: "AK0000000000",
      sk: "SK0000000000",
      securityToken: "sts",
    });
  });

  it("reads an IAM token from DCS_AUTH_TOKEN when no AK/SK is set; AK/SK win over it", () => {
    const { HUAWEICLOUD_SDK_PROJECT_ID } = full;
    expect(credentialsFromEnv({ HUAWEICLOUD_SDK_PROJECT_ID, DCS_AUTH_TOKEN: " tok " })).toEqual({
      credentials: { token: "tok" },
      projectId: HUAWEICLOUD_SDK_PROJECT_ID,
    });
    expect(credentialsFromEnv({ ...full, DCS_AUTH_TOKEN: "tok" }).credentials).toEqual({
      ak: "AK0000000000",
      sk: "SK0000000000",
    });
  });

  it.each([
    ["HUAWEICLOUD_SDK_AK", { HUAWEICLOUD_SDK_AK: undefined }],
    ["HUAWEICLOUD_SDK_SK", { HUAWEICLOUD_SDK_SK: " " }],
    ["HUAWEICLOUD_SDK_SK", { HUAWEICLOUD_SDK_SK: undefined, DCS_AUTH_TOKEN: "tok" }],
    ["HUAWEICLOUD_SDK_PROJECT_ID", { HUAWEICLOUD_SDK_PROJECT_ID: undefined }],
    ["HUAWEICLOUD_SDK_PROJECT_ID", { HUAWEICLOUD_SDK_PROJECT_ID: " ", DCS_AUTH_TOKEN: "tok" }],
    ["credentials", { HUAWEICLOUD_SDK_AK: undefined, HUAWEICLOUD_SDK_SK: "" }],
  ])("names %s when it is missing (%j)", (option, change) => {
    const error = (() => {
      try {
        credentialsFromEnv({ ...full, ...change });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.option).toBe(option);
    expect(error?.message).toContain(option === "credentials" ? "DCS_AUTH_TOKEN" : `${option} is not set`);
    expect(error?.message).not.toContain("SK0000000000");
  });
});

describe("fileNameFor", () => {
  it("keeps a plain name and reduces anything else to a name inside the folder", () => {
    expect(fileNameFor("redis_192.168.0.142_2021-04-16.log", "id")).toBe(
      "redis_192.168.0.142_2021-04-16.log",
    );
    expect(fileNameFor("../../etc/passwd", "id")).toBe("passwd");
    expect(fileNameFor("a\\b\\..", "id")).toBe("id.log");
    expect(fileNameFor("..hidden log é.txt", "id")).toBe("hidden_log__.txt");
    expect(fileNameFor("/bucket/dir/", "abc")).toBe("abc.log");
    expect(fileNameFor(undefined, "abc")).toBe("abc.log");
  });
});

describe("downloadToFile", () => {
  it("writes <name>.part and renames it only when complete", async () => {
    const dcs = clientFor(emulator());
    const [file] = await collectAndWait(dcs, SINGLE);
    if (!file) throw new Error("no file");
    const path = join(dir, "single.log");
    const seen: number[] = [];
    const result = await downloadToFile(dcs, { instanceId: SINGLE, logId: file.id }, path, {
      onProgress: (p) => seen.push(p.received),
    });
    expect(result).toMatchObject({ path, size: 200_000 });
    expect((await stat(path)).size).toBe(200_000);
    expect(seen.at(-1)).toBe(200_000);
    expect(await readdir(dir)).not.toContain("single.log.part");
  });

  it("leaves neither the final name nor the .part file when the download fails", async () => {
    const dcs = clientFor(emulator());
    const [file] = (await dcs.listRunLogs({ instanceId: SINGLE, limit: 1 })).file_list;
    if (!file) throw new Error("no file");
    const { link } = await dcs.createDownloadLink({ instanceId: SINGLE, logId: file.id });
    const path = join(dir, "broken.log");

    emulator().setFaults("Download:truncate:truncateAtBytes=1000");
    const truncated = await rejection(downloadToFile(dcs, link, path, { maxResumes: 1 }));
    expect(truncated).toBeInstanceOf(DownloadError);
    expect(await readdir(dir)).not.toContain("broken.log");
    expect(await readdir(dir)).not.toContain("broken.log.part");
    emulator().clearFaults();

    // An existing file of the same name is untouched by a failed download.
    await writeFile(path, "previous");
    const expired = await rejection(
      downloadToFile(dcs, link.replace(/Signature=[^&]+/, "Signature=x"), path),
    );
    expect(expired).toBeInstanceOf(LinkExpiredError);
    expect(await readFile(path, "utf8")).toBe("previous");
    expect(await readdir(dir)).not.toContain("broken.log.part");
  });

  it("keeps a body shorter than announced out of the final name", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Length": "5000" });
      res.write(Buffer.alloc(3000), () => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      const path = join(dir, "short.log");
      const error = await rejection(downloadToFile(clientFor(emulator()), url, path, { maxResumes: 0 }));
      expect(error).toBeInstanceOf(DownloadError);
      expect(await readdir(dir)).not.toContain("short.log");
      expect(await readdir(dir)).not.toContain("short.log.part");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("downloads through node:http, or through the client's own fetch or requestInitExt when it has one", async () => {
    const agents: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      agents.push(req.headers["user-agent"]);
      res.writeHead(200, { "Content-Length": "3000" }).end(Buffer.alloc(3000, 1));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      const options = {
        endpoint: "http://127.0.0.1:9",
        projectId: "p0000001",
        credentials: { token: "t0000001" },
      };
      await downloadToFile(createDcsRedislogClient(options), url, join(dir, "a.log"));
      // fetch (undici) names itself in User-Agent; node:http sends none.
      expect(agents).toEqual([undefined]);

      const fetched: string[] = [];
      const own = createDcsRedislogClient({
        ...options,
        fetch: (request, init) => {
          fetched.push(request.url);
          return fetch(request, init);
        },
      });
      await downloadToFile(own, url, join(dir, "b.log"));
      expect(fetched).toEqual([url]);
      await downloadToFile(
        createDcsRedislogClient({ ...options, requestInitExt: {} }),
        url,
        join(dir, "c.log"),
      );
      expect(agents.slice(1)).toEqual(["node", "node"]);
      expect((await stat(join(dir, "c.log"))).size).toBe(3000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("fetchRunLogs", () => {
  it("reports the wait, the files up front, and each file's start and end", async () => {
    const dcs = clientFor(emulator());
    const outDir = join(dir, "events");
    const events: string[] = [];
    const polls: [number, number][] = [];
    const files = await fetchRunLogs(dcs, {
      instanceId: SINGLE,
      queryTime: 3,
      outDir,
      concurrency: 1,
      minDelayMs: 20,
      maxDelayMs: 50,
      onPoll: (seen, expected) => polls.push([seen.filter((f) => f.status === "succeed").length, expected]),
      onFiles: (logs) => events.push(`files ${logs.length}`),
      onFileStart: (log, path) => events.push(`start ${log.id} ${path}`),
      onFileDone: (file) => events.push(`done ${file.log.id} ${file.path} ${file.size}`),
    });
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every(([, expected]) => expected === 3)).toBe(true);
    expect(polls.at(-1)).toEqual([3, 3]);
    expect(events).toEqual([
      "files 3",
      ...files.flatMap((f) => [`start ${f.log.id} ${f.path}`, `done ${f.log.id} ${f.path} 200000`]),
    ]);
  });

  it("gives timeoutMs to the downloads as well", async () => {
    const dcs = clientFor(emulator(), { retry: { maxRetries: 1, baseDelayMs: 1 } });
    emulator().setFaults("Download:hang");
    const started = Date.now();
    try {
      const error = await rejection(
        fetchRunLogs(dcs, { instanceId: SINGLE, outDir: join(dir, "hang"), timeoutMs: 200, minDelayMs: 20 }),
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ operation: "Download", timeoutMs: 200, attempts: 2 });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      emulator().clearFaults();
    }
  });

  it.each([
    ["single-node", SINGLE, undefined],
    ["cluster, first shard", CLUSTER, CLUSTER_REPLICAS[0]],
    ["cluster, second shard", CLUSTER, CLUSTER_REPLICAS[1]],
  ])("runs the whole flow on the %s instance", async (_name, instanceId, replicationId) => {
    const dcs = clientFor(emulator());
    const outDir = join(dir, `flow-${instanceId}-${replicationId ?? "single"}`);
    const progress = new Map<string, number>();
    const files = await fetchRunLogs(dcs, {
      instanceId,
      replicationId,
      queryTime: 3,
      outDir,
      concurrency: 2,
      minDelayMs: 50,
      maxDelayMs: 100,
      onProgress: ({ log, received }) => progress.set(log.id, received),
    });
    expect(files).toHaveLength(3);
    expect((await readdir(outDir)).sort()).toEqual(files.map((f) => f.log.file_name).sort());
    for (const file of files) {
      expect(file.path.startsWith(outDir)).toBe(true);
      expect(file.size).toBe(200_000);
      expect((await stat(file.path)).size).toBe(200_000);
      expect(progress.get(file.log.id)).toBe(200_000);
      expect(file.log.status).toBe("succeed");
    }
    const hashes = await Promise.all(
      files.map(async (f) =>
        createHash("sha256")
          .update(await readFile(f.path))
          .digest("hex"),
      ),
    );
    expect(new Set(hashes).size).toBe(3);
  });
});
