// Help, usage errors and bad input: every one fails before any request, with one line that says the fix.
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Emulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXIT, EXIT_CODES } from "../src/exit-codes.js";
import { COMMANDS, GLOBAL_OPTIONS } from "../src/spec.js";
import { baseEnv, emulator, emulatorEnv, errorLines, run, SINGLE, tempDir } from "./helpers.js";

let emu: Emulator;
let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  emu = await emulator();
  dir = await tempDir();
});
afterAll(async () => {
  await emu.stop();
  await dir.remove();
});

// Independent child processes that send nothing: run them side by side.
describe.concurrent("--help", () => {
  test("the main help lists every command, the exit codes and the environment, exit 0", async ({
    expect,
  }) => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name}`);
    for (const e of EXIT_CODES)
      expect(r.stdout).toMatch(new RegExp(`^ +${e.code} +${escapeRegExp(e.meaning)}$`, "m"));
    expect(r.stdout).toContain("HUAWEICLOUD_SDK_AK");
    expect(r.stderr).toBe("");
  });

  test.for(COMMANDS.map((c) => c.name))(
    "`%s --help` shows its usage, every option and the exit codes",
    async (name, { expect }) => {
      const r = await run([name, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: dcs-redislog ${name} `);
      const spec = COMMANDS.find((c) => c.name === name);
      for (const o of [...(spec?.options ?? []), ...GLOBAL_OPTIONS])
        expect(r.stdout).toContain(`--${o.name}`);
      expect(r.stdout).toContain("Exit codes:");
      expect(r.stdout).toContain("130");
    },
  );

  test("--help wins over missing flags and sends nothing", async ({ expect }) => {
    const before = emu.requests.length;
    const r = await run(["fetch", "--help", "--days", "2"], { env: emulatorEnv(emu) });
    expect(r.code).toBe(0);
    expect(emu.requests.length).toBe(before);
  });

  test("--version prints the package version", async ({ expect }) => {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    const r = await run(["--version"]);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  test("no command: help on stderr and exit 2", async ({ expect }) => {
    const r = await run([]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage: dcs-redislog <command>");
    expect(errorLines(r.stderr)).toEqual(["error: no command given. Run `dcs-redislog --help`."]);
  });
});

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// [args, extra env, expected exit code, a fragment of the one error line]
const BAD_INPUT: [string, string[], Record<string, string | undefined>, number, string][] = [
  ["unknown command", ["fetchh", "--instance", SINGLE], {}, EXIT.usage, 'unknown command "fetchh"'],
  [
    "unknown option",
    ["list", "--instance", SINGLE, "--frobnicate"],
    {},
    EXIT.usage,
    "unknown option --frobnicate",
  ],
  [
    "option of another command",
    ["list", "--instance", SINGLE, "--log", "x"],
    {},
    EXIT.usage,
    "--log does not apply to `list`",
  ],
  ["stray argument", ["list", "--instance", SINGLE, "extra"], {}, EXIT.usage, 'unexpected argument "extra"'],
  ["flag without value", ["list", "--instance"], {}, EXIT.usage, "--instance needs a value"],
  [
    "boolean with a value",
    ["list", "--instance", SINGLE, "--json=yes"],
    {},
    EXIT.usage,
    "--json takes no value",
  ],
  ["missing --instance", ["collect"], {}, EXIT.usage, "--instance ID is required"],
  ["missing --log", ["link", "--instance", SINGLE], {}, EXIT.usage, "--log ID is required"],
  [
    "--days 2",
    ["collect", "--instance", SINGLE, "--days", "2"],
    {},
    EXIT.usage,
    "--days must be 0, 1, 3 or 7",
  ],
  ["--days x", ["fetch", "--instance", SINGLE, "--days", "x"], {}, EXIT.usage, "--days must be 0, 1, 3 or 7"],
  [
    "--offset -1",
    ["list", "--instance", SINGLE, "--offset=-1"],
    {},
    EXIT.usage,
    "--offset must be a whole number",
  ],
  [
    "--limit 0",
    ["list", "--instance", SINGLE, "--limit", "0"],
    {},
    EXIT.usage,
    "--limit must be a whole number from 1 to 1000",
  ],
  ["--limit 1001", ["list", "--instance", SINGLE, "--limit", "1001"], {}, EXIT.usage, "from 1 to 1000"],
  [
    "--all with --limit",
    ["list", "--instance", SINGLE, "--all", "--limit", "5"],
    {},
    EXIT.usage,
    "--all lists every page",
  ],
  [
    "--concurrency 0",
    ["fetch", "--instance", SINGLE, "--concurrency", "0"],
    {},
    EXIT.usage,
    "--concurrency must be",
  ],
  [
    "--timeout abc",
    ["list", "--instance", SINGLE, "--timeout", "abc"],
    {},
    EXIT.usage,
    "--timeout must be a whole number",
  ],
  ["--quiet --verbose", ["list", "--instance", SINGLE, "-q", "-v"], {}, EXIT.usage, "pick one"],
  [
    "unknown region",
    ["list", "--instance", SINGLE, "--region", "mars-1"],
    { DCS_ENDPOINT: undefined },
    EXIT.usage,
    'Unknown region "mars-1"',
  ],
  [
    "unknown region from DCS_REGION",
    ["list", "--instance", SINGLE],
    { DCS_ENDPOINT: undefined, DCS_REGION: "eu-xx" },
    EXIT.usage,
    'Unknown region "eu-xx"',
  ],
  [
    "region and endpoint",
    ["list", "--instance", SINGLE, "--region", "eu-de", "--endpoint", "http://127.0.0.1:1"],
    {},
    EXIT.usage,
    "not both",
  ],
  [
    "endpoint not a URL",
    ["list", "--instance", SINGLE, "--endpoint", "dcs.example"],
    {},
    EXIT.usage,
    "--endpoint must be an absolute URL",
  ],
  [
    "no region at all",
    ["list", "--instance", SINGLE],
    { DCS_ENDPOINT: undefined },
    EXIT.usage,
    "no region: pass --region",
  ],
  [
    "no project id",
    ["list", "--instance", SINGLE],
    { HUAWEICLOUD_SDK_PROJECT_ID: undefined },
    EXIT.usage,
    "no project ID: pass --project-id",
  ],
  [
    "malformed project id",
    ["list", "--instance", SINGLE, "--project-id", "a/b"],
    {},
    EXIT.usage,
    "the project ID (--project-id",
  ],
  [
    "malformed instance id",
    ["list", "--instance", "../../etc"],
    {},
    EXIT.usage,
    "--instance must be 1–64 characters",
  ],
  ["instance id with a space", ["collect", "--instance", "a b"], {}, EXIT.usage, "--instance must be"],
  ["malformed log id", ["link", "--instance", SINGLE, "--log", "x?y=1"], {}, EXIT.usage, "--log must be"],
  [
    "malformed replication id",
    ["collect", "--instance", SINGLE, "--replication", "r/1"],
    {},
    EXIT.usage,
    "--replication must be",
  ],
  [
    "malformed id in fetch",
    ["fetch", "--instance", "%2e%2e", "--dry-run"],
    {},
    EXIT.usage,
    "--instance must be",
  ],
  [
    "no credentials",
    ["list", "--instance", SINGLE],
    { HUAWEICLOUD_SDK_AK: undefined, HUAWEICLOUD_SDK_SK: undefined },
    EXIT.auth,
    "no credentials: set HUAWEICLOUD_SDK_AK",
  ],
  [
    "AK without SK",
    ["list", "--instance", SINGLE],
    { HUAWEICLOUD_SDK_SK: undefined },
    EXIT.auth,
    "HUAWEICLOUD_SDK_SK (or --sk-stdin) is not set",
  ],
  [
    "--sk-stdin with empty stdin",
    ["list", "--instance", SINGLE, "--sk-stdin"],
    { HUAWEICLOUD_SDK_SK: undefined },
    EXIT.auth,
    "stdin was empty",
  ],
];

describe.concurrent("bad input fails before any request, in one line that says how to fix it", () => {
  test.for(BAD_INPUT)("%s", async ([_name, args, env, code, fragment], { expect }) => {
    const before = emu.requests.length;
    const r = await run(args, { env: emulatorEnv(emu, env) });
    expect(r.code).toBe(code);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(fragment);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(emu.requests.length).toBe(before);
  });

  test("with --json the error is also one JSON document on stdout", async ({ expect }) => {
    const r = await run(["collect", "--instance", SINGLE, "--days", "2", "--json"], {
      env: emulatorEnv(emu),
    });
    expect(r.code).toBe(EXIT.usage);
    expect(JSON.parse(r.stdout)).toEqual({
      error: expect.objectContaining({
        exit_code: 2,
        kind: "usage",
        message: expect.stringContaining("--days"),
      }),
    });
  });

  test("--verbose adds the stack trace", async ({ expect }) => {
    const r = await run(["list", "--instance", "../x", "--verbose"], { env: emulatorEnv(emu) });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe("--out must be a directory this user can write to", () => {
  test("a file", async () => {
    const file = join(dir.path, "a-file");
    await writeFile(file, "x");
    const before = emu.requests.length;
    const r = await run(["fetch", "--instance", SINGLE, "--out", file], { env: emulatorEnv(emu) });
    expect(r.code).toBe(EXIT.usage);
    expect(errorLines(r.stderr)).toEqual([
      `error: --out ${JSON.stringify(file)} is a file, not a directory: name a directory.`,
    ]);
    expect(emu.requests.length).toBe(before);
  });

  test("below a file", async () => {
    const file = join(dir.path, "another-file");
    await writeFile(file, "x");
    const r = await run(["download", "--instance", SINGLE, "--log", "x", "--out", join(file, "logs")], {
      env: emulatorEnv(emu),
    });
    expect(r.code).toBe(EXIT.usage);
    expect(errorLines(r.stderr)[0]).toContain(`cannot be created: ${file} is a file`);
  });

  test.skipIf(process.getuid?.() === 0)("a directory without write permission", async () => {
    const locked = join(dir.path, "locked");
    await mkdir(locked);
    await chmod(locked, 0o500);
    const r = await run(["fetch", "--instance", SINGLE, "--out", join(locked, "logs")], {
      env: emulatorEnv(emu),
    });
    expect(r.code).toBe(EXIT.usage);
    expect(errorLines(r.stderr)[0]).toContain("is not writable (EACCES");
  });
});

describe("secrets", () => {
  test("--sk-stdin reads the SK from stdin, and it never shows up in output", async () => {
    const r = await run(["list", "--instance", SINGLE, "--sk-stdin", "--verbose"], {
      env: emulatorEnv(emu, { HUAWEICLOUD_SDK_SK: undefined }),
      input: `${emu.sk}\n`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(emu.sk);
    expect(r.stderr).toContain("debug: ListRedislog");
  });

  test("a wrong SK from stdin is refused by the service: exit 3", async () => {
    const r = await run(["list", "--instance", SINGLE, "--sk-stdin"], {
      env: emulatorEnv(emu, { HUAWEICLOUD_SDK_SK: undefined }),
      input: "not-the-secret-key-at-all",
    });
    expect(r.code).toBe(EXIT.auth);
    expect(r.stderr).not.toContain("not-the-secret-key-at-all");
  });

  test("the AK is scrubbed from every line written, like the SK and tokens", async () => {
    // The AK as the instance id puts it into the dry run's URL, a line the client never sees to redact.
    const r = await run(["list", "--instance", emu.ak, "--dry-run", "--verbose"], { env: emulatorEnv(emu) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("/instances/[REDACTED]/redislog");
    expect(r.stdout + r.stderr).not.toContain(emu.ak);
  });

  test("the main help works without any environment", async () => {
    const r = await run(["--help"], { env: baseEnv() });
    expect(r.code).toBe(0);
  });
});

describe("README", () => {
  test("documents every command, every option and exactly the exit codes of the program", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    for (const c of COMMANDS) {
      expect(readme).toContain(`| \`${c.name} `);
      for (const o of c.options) expect(readme).toContain(`| \`--${o.name}`);
    }
    for (const o of GLOBAL_OPTIONS)
      expect(readme).toMatch(new RegExp(`\\| (\`-${o.short}\`, )?\`--${o.name}\\b`));
    const table = readme.slice(readme.indexOf("## Exit codes"));
    const rows = [...table.matchAll(/^\| (\d+) +\| (.+?) +\|$/gm)].map((m) => ({
      code: Number(m[1]),
      meaning: m[2],
    }));
    expect(rows).toEqual(EXIT_CODES.map((e) => ({ code: e.code, meaning: e.meaning })));
  });
});
