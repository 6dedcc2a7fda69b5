// Every command against the emulator, through the built binary: without a terminal (pipes), in a real
// pseudo-terminal, and with --json.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Emulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLUSTER, emulator, emulatorEnv, plain, run, runTty, SHARD, SINGLE, tempDir } from "./helpers.js";

const LOG_SIZE = 64 * 1024;
let emu: Emulator;
let dir: { path: string; remove: () => Promise<void> };
let env: Record<string, string>;

interface ListJson {
  total_num: number;
  file_list: { id: string; file_name: string; status: string }[];
}

/** Collects on `instance` and waits until its files are all succeed (so the next collect is allowed). */
async function collected(instance: string, extra: string[] = []): Promise<ListJson> {
  const c = await run(["collect", "--instance", instance, ...extra, "--json"], { env });
  expect(c.code).toBe(0);
  for (;;) {
    const l = await run(["list", "--instance", instance, "--all", "--json"], { env });
    const list = JSON.parse(l.stdout) as ListJson;
    if (list.total_num > 0 && list.file_list.every((f) => f.status === "succeed")) return list;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  emu = await emulator({ logSize: LOG_SIZE });
  env = emulatorEnv(emu);
  dir = await tempDir();
});
afterAll(async () => {
  await emu.stop();
  await dir.remove();
});

describe("collect", () => {
  test("without a terminal: a sentence on stdout, nothing on stderr", async () => {
    const r = await run(["collect", "--instance", CLUSTER, "--replication", SHARD, "--days", "1"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `Collecting the run logs of instance ${CLUSTER} (the last day, replica ${SHARD})`,
    );
    expect(r.stdout).toContain(`dcs-redislog list --instance ${CLUSTER}`);
    expect(r.stderr).toBe("");
    expect(emu.requests.filter((q) => q.operation === "CreateRedislog").at(-1)?.status).toBe(204);
  });

  test("--json: one document", async () => {
    await new Promise((r) => setTimeout(r, 300));
    const r = await run(["collect", "--instance", CLUSTER, "--replication", SHARD, "--days", "3", "--json"], {
      env,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      instance_id: CLUSTER,
      replication_id: SHARD,
      query_time: 3,
      status: "collecting",
      request_id: expect.any(String),
    });
  });

  test("in a terminal", async () => {
    await new Promise((r) => setTimeout(r, 300));
    const r = await runTty(["collect", "--instance", CLUSTER, "--replication", SHARD], { env });
    expect(r.code).toBe(0);
    expect(plain(r.stdout)).toContain(
      `Collecting the run logs of instance ${CLUSTER} (today, replica ${SHARD})`,
    );
  });
});

describe("list", () => {
  let files: ListJson;
  beforeAll(async () => {
    files = await collected(SINGLE, ["--days", "7"]);
  });

  test("--all --json: every file with the API's field names", async () => {
    expect(files.total_num).toBeGreaterThanOrEqual(7);
    expect(files.file_list[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        file_name: expect.stringMatching(/\.log$/),
        status: "succeed",
      }),
    );
  });

  test("one page: a table and where the next page starts", async () => {
    const r = await run(["list", "--instance", SINGLE, "--offset", "2", "--limit", "3"], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +FILE +STATUS +DATE +SHARD +REPLICA IP$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/)[0])).toEqual(
      files.file_list.slice(2, 5).map((f) => f.id),
    );
    expect(r.stdout).toContain(`Files 3–5 of ${files.total_num}. Next page: --offset 5; every file: --all.`);
    expect(r.stderr).toBe("");
  });

  test("one page --json", async () => {
    const r = await run(["list", "--instance", SINGLE, "--limit", "2", "--json"], { env });
    const page = JSON.parse(r.stdout);
    expect(page).toMatchObject({ total_num: files.total_num, offset: 0, limit: 2 });
    expect(page.file_list.map((f: { id: string }) => f.id)).toEqual(
      files.file_list.slice(0, 2).map((f) => f.id),
    );
  });

  test("an instance without files says how to get some", async () => {
    const fresh = await emulator();
    try {
      const empty = await run(["list", "--instance", SINGLE], { env: emulatorEnv(fresh) });
      expect(empty.code).toBe(0);
      expect(empty.stdout).toContain(`No run log files on instance ${SINGLE}. Collect some with`);
      const json = await run(["list", "--instance", SINGLE, "--json"], { env: emulatorEnv(fresh) });
      expect(JSON.parse(json.stdout)).toMatchObject({ total_num: 0, file_list: [] });
    } finally {
      await fresh.stop();
    }
  });

  test("in a terminal", async () => {
    const r = await runTty(["list", "--instance", SINGLE, "--all"], { env });
    expect(r.code).toBe(0);
    const text = plain(r.stdout);
    for (const f of files.file_list) expect(text).toContain(f.id);
    expect(text).toContain(`${files.total_num} file(s).`);
  });
});

describe("link and download", () => {
  let logId: string;
  let fileName: string;
  beforeAll(async () => {
    const l = await run(["list", "--instance", SINGLE, "--all", "--json"], { env });
    const list = JSON.parse(l.stdout) as ListJson;
    if (list.total_num === 0) await collected(SINGLE);
    const again = JSON.parse(
      (await run(["list", "--instance", SINGLE, "--all", "--json"], { env })).stdout,
    ) as ListJson;
    const first = again.file_list.find((f) => f.status === "succeed");
    if (!first) throw new Error("no file to download");
    logId = first.id;
    fileName = first.file_name;
  });

  test("link prints the whole link on stdout and a warning on stderr; the link works without credentials", async () => {
    const r = await run(["link", "--instance", SINGLE, "--log", logId], { env });
    expect(r.code).toBe(0);
    const link = r.stdout.trim();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\?.*AWSAccessKeyId=.*Signature=/);
    expect(r.stderr).toContain("valid for 24 hours");
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(LOG_SIZE);
  });

  test("link --json", async () => {
    const r = await run(["link", "--instance", SINGLE, "--log", logId, "--json"], { env });
    expect(JSON.parse(r.stdout)).toEqual({
      id: logId,
      backup_id: expect.anything(),
      link: expect.stringContaining("Signature="),
      request_id: expect.any(String),
    });
  });

  test("link in a terminal", async () => {
    const r = await runTty(["link", "--instance", SINGLE, "--log", logId], { env });
    expect(r.code).toBe(0);
    expect(plain(r.stdout)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+Signature=\S+$/m);
  });

  test("download without a terminal: the file, its path and size, plain progress lines", async () => {
    const out = join(dir.path, "download-plain");
    const r = await run(["download", "--instance", SINGLE, "--log", logId, "--out", out], { env });
    expect(r.code).toBe(0);
    expect((await stat(join(out, fileName))).size).toBe(LOG_SIZE);
    expect(r.stdout).toBe(`${join(out, fileName)}  64 KiB\n`);
    expect(r.stderr).toContain(`downloading ${fileName}`);
    expect(r.stderr).toMatch(new RegExp(`done ${fileName}: 64 KiB in`));
    expect(r.stderr).not.toContain("\x1b[");
  });

  test("download --json, into a relative --out created on the way", async () => {
    const r = await run(
      ["download", "--instance", SINGLE, "--log", logId, "--out", "nested/logs", "--json"],
      {
        env,
        cwd: dir.path,
      },
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toEqual({
      id: logId,
      path: join(dir.path, "nested/logs", fileName),
      size: LOG_SIZE,
      etag: expect.any(String),
      request_id: expect.any(String),
    });
    expect(await readdir(join(dir.path, "nested/logs"))).toEqual([fileName]);
  });

  test("download in a terminal draws a progress bar and restores the cursor", async () => {
    const out = join(dir.path, "download-tty");
    const r = await runTty(["download", "--instance", SINGLE, "--log", logId, "--out", out], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\x1b[?25l");
    expect(r.stdout).toContain("\x1b[?25h");
    expect(r.stdout).toContain("█");
    expect(plain(r.stdout)).toMatch(/total 1\/1 files .*100% 64 KiB\/64 KiB/);
    expect(plain(r.stdout)).toContain(`✓ ${fileName}: 64 KiB`);
    expect((await stat(join(out, fileName))).size).toBe(LOG_SIZE);
  });

  test("--quiet: the result only", async () => {
    const out = join(dir.path, "download-quiet");
    const r = await run(["download", "--instance", SINGLE, "--log", logId, "--out", out, "--quiet"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(fileName);
  });
});

describe("fetch", () => {
  test("without a terminal: one line per step, the summary on stdout", async () => {
    const out = join(dir.path, "fetch-plain");
    const r = await run(
      ["fetch", "--instance", CLUSTER, "--replication", SHARD, "--days", "3", "--out", out],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("\x1b[");
    expect(r.stderr.split("\n")[0]).toBe(
      `collecting the logs of ${CLUSTER} (the last 3 days, replica ${SHARD})`,
    );
    expect(r.stderr.match(/^downloading /gm)).toHaveLength(3);
    expect(r.stderr.match(/^done .*: 64 KiB$/gm)).toHaveLength(3);
    const names = await readdir(out);
    expect(names).toHaveLength(3);
    expect(r.stdout).toMatch(/^Fetched 3 file\(s\), 192 KiB, in /);
    for (const name of names) {
      expect(r.stdout).toContain(`${join(out, name)}  64 KiB`);
      expect((await stat(join(out, name))).size).toBe(LOG_SIZE);
    }
  });

  test("--json: one document listing every file with its path and size", async () => {
    const out = join(dir.path, "fetch-json");
    const r = await run(
      ["fetch", "--instance", SINGLE, "--days", "1", "--out", out, "--json", "--concurrency", "1"],
      {
        env,
      },
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ instance_id: SINGLE, query_time: 1, replication_id: null, out_dir: out });
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({
      status: "succeed",
      size: LOG_SIZE,
      path: join(out, result.files[0].file_name),
    });
    expect(result.total_size).toBe(LOG_SIZE);
    expect(await readFile(result.files[0].path)).toHaveLength(LOG_SIZE);
  });

  test("in a terminal: a live status line, a bar per file and a total, then the summary", async () => {
    const out = join(dir.path, "fetch-tty");
    const r = await runTty(["fetch", "--instance", SINGLE, "--days", "3", "--out", out], { env });
    expect(r.code).toBe(0);
    const text = plain(r.stdout);
    expect(r.stdout).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] collecting the logs of/);
    expect(r.stdout).toContain("\x1b[?25l");
    expect(r.stdout).toContain("\x1b[?25h");
    expect(text).toMatch(/total 3\/3 files +█+ 100% 192 KiB\/192 KiB \S+ \S+\/s done/);
    expect(text.match(/^✓ \S+\.log: 64 KiB$/gm)).toHaveLength(3);
    expect(text).toMatch(/Fetched 3 file\(s\), 192 KiB, in /);
    expect(await readdir(out)).toHaveLength(3);
  });
});

describe("--dry-run prints the signed request and sends nothing", () => {
  const cases: [string, string[], string[]][] = [
    ["collect", ["collect", "--instance", SINGLE, "--days", "3"], ["GET", "POST"]],
    ["list", ["list", "--instance", SINGLE, "--limit", "5"], ["GET"]],
    ["link", ["link", "--instance", SINGLE, "--log", "e79f2d97-e972-41f2-b51c-d18f65f39a45"], ["POST"]],
    [
      "download",
      ["download", "--instance", SINGLE, "--log", "e79f2d97-e972-41f2-b51c-d18f65f39a45"],
      ["POST"],
    ],
    ["fetch", ["fetch", "--instance", SINGLE, "--days", "7", "--out", "never-created"], ["GET", "POST"]],
  ];
  test.each(cases)("%s", async (_name, args, methods) => {
    const before = emu.requests.length;
    const r = await run([...args, "--dry-run"], { env, cwd: dir.path });
    expect(r.code).toBe(0);
    expect(emu.requests.length).toBe(before);
    expect(r.stdout).toContain("dry run: nothing was sent.");
    const sent = [...r.stdout.matchAll(/^(GET|POST) (\S+)$/gm)];
    expect(sent.map((m) => m[1])).toEqual(methods);
    for (const m of sent)
      expect(m[2]).toContain(`${emu.endpoint}/v2/${emu.projectId}/instances/${SINGLE}/redislog`);
    expect(r.stdout).toMatch(
      /authorization: SDK-HMAC-SHA256 Access=\[REDACTED\], SignedHeaders=[a-z;-]*x-sdk-date[a-z;-]*, Signature=\[REDACTED\]/,
    );
    expect(r.stdout).toMatch(/x-sdk-date: \d{8}T\d{6}Z/);
    expect(r.stdout).not.toContain(emu.sk);
    expect(r.stdout).not.toContain(emu.ak);
    await expect(stat(join(dir.path, "never-created"))).rejects.toThrow();
  });

  test("--json, and the query of collect", async () => {
    const r = await run(["collect", "--instance", SINGLE, "--days", "7", "--dry-run", "--json"], { env });
    const result = JSON.parse(r.stdout);
    expect(result.dry_run).toBe(true);
    const post = result.requests.find((q: { method: string }) => q.method === "POST");
    expect(new URL(post.url).searchParams.get("query_time")).toBe("7");
    expect(new URL(post.url).searchParams.get("log_type")).toBe("run");
    expect(post.headers["x-project-id"]).toBe(emu.projectId);
  });

  test("with an IAM token, the token is redacted", async () => {
    const r = await run(["list", "--instance", SINGLE, "--dry-run"], {
      env: emulatorEnv(emu, {
        HUAWEICLOUD_SDK_AK: undefined,
        HUAWEICLOUD_SDK_SK: undefined,
        DCS_AUTH_TOKEN: "tok-secret-123456",
      }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("x-auth-token: [REDACTED]");
    expect(r.stdout).not.toContain("tok-secret-123456");
  });

  test("a real region needs no network either", async () => {
    const r = await run(["list", "--instance", SINGLE, "--region", "eu-de", "--dry-run"], {
      env: emulatorEnv(emu, { DCS_ENDPOINT: undefined }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `GET https://dcs.eu-de.otc.t-systems.com/v2/${emu.projectId}/instances/${SINGLE}/redislog?`,
    );
    expect(r.stdout).toContain("host: dcs.eu-de.otc.t-systems.com");
  });
});

test("an IAM token from DCS_AUTH_TOKEN works end to end", async () => {
  const r = await run(["list", "--instance", SINGLE, "--json"], {
    env: emulatorEnv(emu, {
      HUAWEICLOUD_SDK_AK: undefined,
      HUAWEICLOUD_SDK_SK: undefined,
      DCS_AUTH_TOKEN: emu.tokens[0],
    }),
  });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).total_num).toBeGreaterThan(0);
});
