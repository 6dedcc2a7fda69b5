// Runs the BUILT binary (bin/dcs-redislog.js → dist/cli.js) as a child process, with or without a
// pseudo-terminal, against an emulator started in the test process.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, type EmulatorOptions, startEmulator } from "@org/dcs-redislog-emulator";

export const BIN = fileURLToPath(new URL("../bin/dcs-redislog.js", import.meta.url));
export const SINGLE = "5560df16-cebf-4473-95c4-d1b573c16e79";
export const CLUSTER = "5c597ce5-9823-48aa-bf4d-2defb9385b4a";
export const SHARD = "c2f7be38-1b8f-4a64-8e62-7d2e903f4b02";

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  /** Called once the child runs, e.g. to signal it. */
  onSpawn?: (child: ChildProcess) => void;
}

/** A clean environment: nothing of the developer's own cloud settings leaks into a test. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    TERM: "xterm",
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** The environment that points the CLI at `emulator` with its AK/SK. */
export function emulatorEnv(emulator: Emulator, extra: Record<string, string | undefined> = {}) {
  return baseEnv({
    DCS_ENDPOINT: emulator.endpoint,
    HUAWEICLOUD_SDK_AK: emulator.ak,
    HUAWEICLOUD_SDK_SK: emulator.sk,
    HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId,
    ...extra,
  });
}

/** `node bin/dcs-redislog.js ...args` with stdout and stderr captured (pipes: not a terminal). */
export function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env ?? baseEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? "");
    options.onSpawn?.(child);
  });
}

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The same command in a real pseudo-terminal (util-linux `script`): stdout and stderr are both the
 * terminal, and come back merged in `stdout`.
 */
export function runTty(args: string[], options: RunOptions = {}): Promise<RunResult> {
  // A pty starts with no size; give it one, as a terminal window would.
  const command = `stty cols 100 rows 40; ${[process.execPath, BIN, ...args].map(shellQuote).join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: options.cwd,
      env: { ...(options.env ?? baseEnv()), SHELL: "/bin/sh" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

/** Starts an emulator on a free port with small, fast defaults; `stop` it in afterAll. */
export function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ port: 0, collectDelayMs: 150, logSize: 64 * 1024, ...options });
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "dcs-redislog-cli-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Removes ANSI escapes and carriage returns, for assertions on terminal output. */
export function plain(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replaceAll("\r", "");
}

/** Lines of stderr that carry the error, for the "one clear line" checks. */
export function errorLines(stderr: string): string[] {
  return plain(stderr)
    .split("\n")
    .filter((l) => l.startsWith("error:"));
}

/** Waits until `check` returns true, polling; fails after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
