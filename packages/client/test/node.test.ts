import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, DownloadError, LinkExpiredError } from "../src/index.js";
import { credentialsFromEnv, downloadToFile, fetchRunLogs } from "../src/node/index.js";
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

  it.each(["HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_PROJECT_ID"])(
    "names %s when it is missing",
    (name) => {
      for (const env of [
        { ...full, [name]: undefined },
        { ...full, [name]: " " },
      ]) {
        const error = (() => {
          try {
            credentialsFromEnv(env);
          } catch (e) {
            return e as ConfigError;
          }
        })();
        expect(error).toBeInstanceOf(ConfigError);
        expect(error?.option).toBe(name);
        expect(error?.message).toContain(`Environment variable ${name} is not set`);
        expect(error?.message).not.toContain("SK0000000000");
      }
    },
  );
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
});

describe("fetchRunLogs", () => {
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
