// Every exit code the service, the network, the file system and signals can cause, and what is left on
// disk when a download does not complete.
import { mkdir, readdir, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Emulator } from "@org/dcs-redislog-emulator";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { EXIT } from "../src/exit-codes.js";
import { CLUSTER, emulator, emulatorEnv, errorLines, run, SINGLE, tempDir, until } from "./helpers.js";

const MISSING = "00000000-0000-4000-8000-000000000000";
let emu: Emulator;
let env: Record<string, string>;
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  emu = await emulator();
  env = emulatorEnv(emu);
  dir = await tempDir();
});
afterAll(async () => {
  await emu.stop();
  await dir.remove();
});
afterEach(() => emu.clearFaults());

/** The one error line, after checking there is exactly one and no stack trace. */
function oneLine(stderr: string): string {
  const lines = errorLines(stderr);
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0] ?? "";
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A file that is ready to download: an existing one, or one collected now. */
async function logFile(instance: string): Promise<{ id: string; file_name: string }> {
  let file: { id: string; file_name: string; status: string } | undefined;
  const ready = async () => {
    const l = await run(["list", "--instance", instance, "--all", "--json"], { env });
    file = JSON.parse(l.stdout).file_list.find((f: { status: string }) => f.status === "succeed");
    return file !== undefined;
  };
  if (!(await ready())) {
    const c = await run(["collect", "--instance", instance], { env });
    expect(c.code).toBe(0);
    await until(ready);
  }
  return file as { id: string; file_name: string };
}

describe("exit codes", () => {
  test("3 auth: a wrong secret key (APIGW.0301), with the request id and the fix", async () => {
    const r = await run(["list", "--instance", SINGLE], {
      env: emulatorEnv(emu, { HUAWEICLOUD_SDK_SK: "wrong-secret-key-123" }),
    });
    expect(r.code).toBe(EXIT.auth);
    const line = oneLine(r.stderr);
    expect(line).toMatch(
      /^error: listing the run logs \(ListRedislog\) failed: HTTP 401 APIGW\.0301 ".+" \(request id \S+\)\. Check HUAWEICLOUD_SDK_AK/,
    );
    expect(r.stderr).not.toContain("wrong-secret-key-123");
  });

  test("3 auth, --json: the error document carries status, code and request id", async () => {
    const r = await run(["list", "--instance", SINGLE, "--json"], {
      env: emulatorEnv(emu, {
        DCS_AUTH_TOKEN: "x",
        HUAWEICLOUD_SDK_AK: undefined,
        HUAWEICLOUD_SDK_SK: undefined,
      }),
    });
    expect(r.code).toBe(EXIT.auth);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        exit_code: 3,
        kind: "AuthenticationError",
        message: expect.stringContaining("HTTP 401"),
        status: 401,
        error_code: "APIGW.0301",
        request_id: expect.any(String),
      },
    });
  });

  test("4 not found: an unknown instance (DCS.3022)", async () => {
    const r = await run(["list", "--instance", MISSING], { env });
    expect(r.code).toBe(EXIT.notFound);
    expect(oneLine(r.stderr)).toMatch(/HTTP 404 DCS\.3022 .*\(request id \S+\)\. Check --instance/);
  });

  test("4 not found: an unknown log (DCS.4001)", async () => {
    const r = await run(["link", "--instance", SINGLE, "--log", MISSING], { env });
    expect(r.code).toBe(EXIT.notFound);
    expect(oneLine(r.stderr)).toMatch(/getting a download link .* HTTP 404 DCS\.4001 .*Check --log/);
  });

  test("5 throttled: still 429 after the retries", async () => {
    emu.setFaults("ListRedislog:throttle:retryAfterSeconds=0");
    const r = await run(["list", "--instance", SINGLE], { env });
    expect(r.code).toBe(EXIT.throttled);
    expect(oneLine(r.stderr)).toMatch(/HTTP 429 APIGW\.0308 .* after 4 attempts .*Throttled/);
  });

  test("6 server: 503 after the retries", async () => {
    emu.setFaults("ListRedislog:error503:retryAfterSeconds=0");
    const r = await run(["list", "--instance", SINGLE], { env });
    expect(r.code).toBe(EXIT.server);
    expect(oneLine(r.stderr)).toMatch(/HTTP 503 .*after 4 attempts.*try again later/);
  });

  test("6 server: an answer that is not JSON", async () => {
    emu.setFaults("CreateRedislogDownloadLink:malformed-json");
    const r = await run(["link", "--instance", SINGLE, "--log", MISSING, "--json"], { env });
    expect(r.code).toBe(EXIT.server);
    expect(JSON.parse(r.stdout).error.kind).toBe("MalformedResponseError");
  });

  test("7 network: nothing listens on the endpoint", async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const r = await run(["list", "--instance", SINGLE, "--endpoint", endpoint], {
      env: emulatorEnv(emu, { DCS_ENDPOINT: undefined }),
    });
    expect(r.code).toBe(EXIT.network);
    expect(oneLine(r.stderr)).toBe(
      `error: listing the run logs (ListRedislog) failed: no connection to ${endpoint} (ECONNREFUSED). Check --endpoint or --region, and the network.`,
    );
  });

  test("7 network: a request that times out (--timeout)", async () => {
    emu.setFaults("ListRedislog:hang");
    const r = await run(["list", "--instance", SINGLE, "--timeout", "200"], { env });
    expect(r.code).toBe(EXIT.network);
    expect(oneLine(r.stderr)).toContain("no answer within 200 ms. Raise --timeout");
  });

  test("7 network: downloads that keep breaking off leave no file", async () => {
    const file = await logFile(SINGLE);
    emu.setFaults("Download:truncate:truncateAtBytes=1000");
    const out = join(dir.path, "truncated");
    const r = await run(["download", "--instance", SINGLE, "--log", file.id, "--out", out], { env });
    expect(r.code).toBe(EXIT.network);
    expect(oneLine(r.stderr)).toContain("nothing was kept");
    expect(await readdir(out)).toEqual([]);
  });

  test("8 rejected: a cluster without --replication (DCS.4800) says to pass it", async () => {
    const r = await run(["collect", "--instance", CLUSTER], { env });
    expect(r.code).toBe(EXIT.rejected);
    expect(oneLine(r.stderr)).toMatch(/HTTP 400 DCS\.4800 .*Pass --replication ID/);
  });

  test("8 rejected: a collection that is still running (DCS.4017)", async () => {
    const slow = await emulator({ collectDelayMs: 60_000 });
    try {
      const first = await run(["collect", "--instance", SINGLE], { env: emulatorEnv(slow) });
      expect(first.code).toBe(0);
      const second = await run(["collect", "--instance", SINGLE], { env: emulatorEnv(slow) });
      expect(second.code).toBe(EXIT.rejected);
      expect(oneLine(second.stderr)).toMatch(/HTTP 400 DCS\.4017 .*still running/);
    } finally {
      await slow.stop();
    }
  });

  test("9: the files are not ready within --wait-timeout", async () => {
    const slow = await emulator({ collectDelayMs: 60_000 });
    try {
      const r = await run(
        ["fetch", "--instance", SINGLE, "--wait-timeout", "300", "--out", join(dir.path, "never")],
        {
          env: emulatorEnv(slow),
        },
      );
      expect(r.code).toBe(EXIT.waitTimeout);
      expect(oneLine(r.stderr)).toContain("not ready within 300 ms");
    } finally {
      await slow.stop();
    }
  });

  test("1: a local file that cannot be written", async () => {
    const file = await logFile(SINGLE);
    const out = join(dir.path, "blocked");
    await mkdir(join(out, `${file.file_name}.part`), { recursive: true });
    const r = await run(["download", "--instance", SINGLE, "--log", file.id, "--out", out], { env });
    expect(r.code).toBe(EXIT.failure);
    expect(oneLine(r.stderr)).toMatch(/cannot write .*\.part \((ERR_FS_)?EISDIR\)/);
  });
});

describe("interrupted downloads leave no file that looks complete", () => {
  // The first GET delivers 1.5 MiB of 3 MiB and breaks off; the resume then hangs. So the signal arrives,
  // every time, in the middle of a file with bytes already on disk (the client writes in 1 MiB batches).
  const LOG_SIZE = 3 * 1024 * 1024;
  const STALL = `Download:truncate:times=1:truncateAtBytes=${1.5 * 1024 * 1024},Download:hang`;

  async function interrupt(args: string[], out: string, signal: NodeJS.Signals) {
    let part = "";
    const result = await run(args, {
      env,
      onSpawn: (child) => {
        until(
          async () => {
            const names = await readdir(out).catch(() => [] as string[]);
            const name = names.find((n) => n.endsWith(".part"));
            if (!name) return false;
            part = name;
            return (await stat(join(out, name))).size > 0;
          },
          20_000,
          "a partial download",
        ).then(
          () => child.kill(signal),
          () => child.kill("SIGKILL"),
        );
      },
    });
    return { result, part };
  }

  test("Ctrl-C (SIGINT) during fetch: exit 130, no final file", async () => {
    const big = await emulator({ logSize: LOG_SIZE });
    env = emulatorEnv(big);
    try {
      big.setFaults(STALL);
      const out = join(dir.path, "interrupted-fetch");
      const { result, part } = await interrupt(["fetch", "--instance", SINGLE, "--out", out], out, "SIGINT");
      expect(result.code, result.stderr).toBe(EXIT.interrupted);
      expect(oneLine(result.stderr)).toBe("error: interrupted (SIGINT); no partial file was kept.");
      const left = await readdir(out);
      expect(left.filter((n) => !n.endsWith(".part"))).toEqual([]);
      expect(left).not.toContain(part.replace(/\.part$/, ""));
    } finally {
      env = emulatorEnv(emu);
      await big.stop();
    }
  });

  test("SIGTERM during download: exit 143, no final file", async () => {
    const big = await emulator({ logSize: LOG_SIZE });
    env = emulatorEnv(big);
    try {
      const file = await logFile(SINGLE);
      big.setFaults(STALL);
      const out = join(dir.path, "interrupted-download");
      const { result } = await interrupt(
        ["download", "--instance", SINGLE, "--log", file.id, "--out", out],
        out,
        "SIGTERM",
      );
      expect(result.code, result.stderr).toBe(EXIT.terminated);
      expect((await readdir(out)).filter((n) => !n.endsWith(".part"))).toEqual([]);
    } finally {
      env = emulatorEnv(emu);
      await big.stop();
    }
  });
});
