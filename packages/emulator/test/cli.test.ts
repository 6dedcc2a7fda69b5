// The command line as scripts use it: the built bin, its --json line, the banner, signals and exit codes.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../src/index.js";
import { api, download } from "./helpers/api.js";
import { CLUSTER, CLUSTER_REPLICAS, SINGLE, SINGLE_REPLICA, useEmulators } from "./helpers/emulator.js";

const bin = fileURLToPath(new URL("../bin/dcs-redislog-emulator.js", import.meta.url));
const built = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const start = useEmulators();

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The --json line as an Emulator-like object the checked client can use. */
function fromJsonLine(line: string): Emulator {
  const info = JSON.parse(line);
  return { ...info, tokens: ["emulator-token"], requests: [] } as Emulator;
}

let dir: string;
beforeAll(async () => {
  if (!existsSync(built)) {
    throw new Error(
      "packages/emulator/dist is missing: run `pnpm --filter @org/dcs-redislog-emulator build` first",
    );
  }
  dir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("dcs-redislog-emulator", () => {
  test("--json prints exactly one JSON line, serves requests, and SIGINT stops it with exit 0", async () => {
    const cli = run(["--port", "0", "--json", "--collect-delay-ms", "0", "--log-size", "2K"]);
    await waitFor(() => cli.stdout().includes("\n"), "the JSON line");
    const [line] = cli.stdout().split("\n");
    const info = JSON.parse(line ?? "");
    expect(Object.keys(info)).toEqual(["endpoint", "projectId", "ak", "sk", "instances"]);
    expect(info).toMatchObject({
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      projectId: "0524e839a54847039e9b2b46e8aa788a",
      ak: "EMULATORAK0000000001",
      sk: "emulator-secret-key-0000000000000000000000",
      instances: [
        { id: SINGLE, type: "single", replicationIds: [SINGLE_REPLICA] },
        { id: CLUSTER, type: "cluster", replicationIds: [...CLUSTER_REPLICAS] },
      ],
    });

    const dcs = api(fromJsonLine(line ?? ""));
    expect((await dcs.collect(SINGLE, "log_type=run", { auth: "aksk" })).status).toBe(204);
    const [item] = (await dcs.list(SINGLE)).json.file_list;
    const file = await download((await dcs.link(SINGLE, item.id)).json.link);
    expect(file.body.length).toBe(2048);

    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toBe(`${line}\n`);
  });

  test("without --json it prints a banner with everything needed to aim the CLI at it; SIGTERM exits 0", async () => {
    const cli = run(["--port", "0", "--faults", "ListRedislog:throttle:times=1", "--admin"]);
    await waitFor(() => cli.stdout().includes("Press Ctrl+C"), "the banner");
    const out = cli.stdout();
    const endpoint = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(endpoint).toBeDefined();
    for (const text of [
      "0524e839a54847039e9b2b46e8aa788a",
      "EMULATORAK0000000001 / emulator-secret-key-0000000000000000000000",
      "emulator-token",
      SINGLE,
      CLUSTER,
      CLUSTER_REPLICAS[1],
      "ListRedislog:throttle:times=1",
      `${endpoint}/_emulator/faults`,
      `export DCS_ENDPOINT=${endpoint} HUAWEICLOUD_SDK_AK=EMULATORAK0000000001 HUAWEICLOUD_SDK_SK=emulator-secret-key-0000000000000000000000 HUAWEICLOUD_SDK_PROJECT_ID=0524e839a54847039e9b2b46e8aa788a`,
      `dcs-redislog fetch --instance ${SINGLE}`,
    ]) {
      expect(out).toContain(text);
    }
    // The --faults rule is in force; request lines go to stderr without query strings.
    const dcs = api(
      fromJsonLine(
        JSON.stringify({
          endpoint,
          projectId: "0524e839a54847039e9b2b46e8aa788a",
          ak: "",
          sk: "",
          instances: [],
        }),
      ),
    );
    expect((await dcs.list(SINGLE)).status).toBe(429);
    await waitFor(() => cli.stderr().includes("-> 429"), "a request log line");
    expect(cli.stderr()).toMatch(
      /GET \/v2\/0524e839a54847039e9b2b46e8aa788a\/instances\/[0-9a-f-]+\/redislog -> 429 ListRedislog/,
    );
    expect(cli.stderr()).not.toContain("log_type");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });

  test("--config supplies options; flags win over it", async () => {
    const config = join(dir, "emulator.json");
    await writeFile(
      config,
      JSON.stringify({
        projectId: "from-config",
        ak: "CONFIGAK",
        sk: "config-sk",
        instances: [{ id: "cfg-1", name: "from config", type: "single", replicationIds: ["cfg-r1"] }],
        faults: [{ operation: "ListRedislog", kind: "error500", times: 1 }],
      }),
    );
    const cli = run(["--config", config, "--project-id", "from-flag", "--port", "0", "--json"]);
    await waitFor(() => cli.stdout().includes("\n"), "the JSON line");
    const info = JSON.parse(cli.stdout());
    expect(info).toMatchObject({
      projectId: "from-flag",
      ak: "CONFIGAK",
      sk: "config-sk",
      instances: [{ id: "cfg-1", type: "single", replicationIds: ["cfg-r1"] }],
    });
    const dcs = api(fromJsonLine(cli.stdout().trim()));
    expect((await dcs.list("cfg-1")).status).toBe(500);
    expect((await dcs.list("cfg-1", "log_type=run", { auth: "aksk" })).status).toBe(204);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  });

  test("--help prints the usage and exits 0", async () => {
    const cli = run(["--help"]);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/^Usage: dcs-redislog-emulator/);
    for (const flag of [
      "--host",
      "--port",
      "--ak",
      "--sk",
      "--project-id",
      "--config",
      "--collect-delay-ms",
      "--log-size",
      "--faults",
      "--admin",
      "--json",
    ]) {
      expect(cli.stdout()).toContain(flag);
    }
  });

  test.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["--port", "eighty"], /--port must be an integer/],
    [["--port", "70000"], /--port must be from 0 to 65535/],
    [["--ak", "A"], /--ak and --sk go together/],
    [["--log-size", "12X"], /--log-size must be a number of bytes/],
    [["--faults", "ListRedislog:explode"], /unknown kind "explode"/],
    [["--config", "/nonexistent/emulator.json"], /cannot read --config/],
    [["extra"], /positional/i],
  ])("%j → a clear message and exit 2", async (args, message) => {
    const cli = run(args);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stderr()).toContain("--help");
    expect(cli.stdout()).toBe("");
  });

  test("a bad --config file → exit 2 naming the problem", async () => {
    const config = join(dir, "bad.json");
    await writeFile(
      config,
      JSON.stringify({ instances: [{ id: "x", type: "triple", replicationIds: ["r"] }] }),
    );
    const cli = run(["--config", config]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('instances[0].type must be "single" or "cluster"');
    await writeFile(config, JSON.stringify({ colour: "blue" }));
    const unknown = run(["--config", config]);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toContain("unknown key(s) colour");
  });

  test("a port in use → exit 1 with a hint", async () => {
    const emulator = await start();
    const cli = run(["--port", new URL(emulator.endpoint).port]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/EADDRINUSE.*--port 0/);
  });
});
