import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { InstanceConfig } from "@org/dcs-redislog-emulator";

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** The built CLI (bin → dist/cli.js). */
export const CLI = join(repoRoot, "packages/cli/bin/dcs-redislog.js");
export const driver = (name: string) => fileURLToPath(new URL(`./driver/${name}`, import.meta.url));

/** Fails with the command that fixes it when a package these tests run is not built. */
export function requireBuilt(): void {
  const needed = [
    "packages/client/dist/node/index.js",
    "packages/emulator/dist/index.js",
    "packages/cli/dist/cli.js",
  ];
  const missing = needed.filter((p) => !existsSync(join(repoRoot, p)));
  if (missing.length) throw new Error(`${missing.join(", ")} missing: run \`pnpm build\` first.`);
}

/** `count` single-node instances with ids `${prefix}-000…`, one per case or flow. */
export function singleInstances(prefix: string, count: number): InstanceConfig[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${String(i).padStart(3, "0")}`;
    return { id, type: "single" as const, replicationIds: [`${id}-r`] };
  });
}

export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `dcs-reliability-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Names and sizes of the entries of a folder; empty when it does not exist. */
export async function filesIn(dir: string): Promise<{ name: string; size: number }[]> {
  if (!existsSync(dir)) return [];
  const names = await readdir(dir);
  return Promise.all(names.map(async (name) => ({ name, size: (await stat(join(dir, name))).size })));
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the end of the first stdout line (the report) to the exit; undefined without one. */
  exitLagMs: number | undefined;
  /** True when the child was still running `killAfterMs` after its report and had to be killed. */
  killed: boolean;
}

/**
 * Runs `node [nodeArgs] script args` and waits for it to end on its own. A child that has printed its
 * report line but is still alive `killAfterMs` later is killed (by its pid) and reported as `killed`.
 */
export function runNode(
  script: string,
  args: string[],
  options: {
    nodeArgs?: string[];
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** Written to the child's stdin, which is then closed; without it stdin is /dev/null. */
    input?: string;
    killAfterMs?: number;
    /** Overall bound, report or not. */
    timeoutMs?: number;
  } = {},
): Promise<ChildResult> {
  const { killAfterMs = 10_000, timeoutMs = 240_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    child.stdin?.end(options.input);
    let stdout = "";
    let stderr = "";
    let reportedAt: number | undefined;
    let killed = false;
    let lagTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      killed = true;
      child.kill("SIGKILL");
    };
    const overall = setTimeout(kill, timeoutMs);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (reportedAt === undefined && stdout.includes("\n")) {
        reportedAt = Date.now();
        lagTimer = setTimeout(kill, killAfterMs);
      }
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(overall);
      clearTimeout(lagTimer);
      const exitLagMs = reportedAt === undefined ? undefined : Date.now() - reportedAt;
      resolve({ code, signal, stdout, stderr, exitLagMs, killed });
    });
  });
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the input order of the results. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A marker no real credential or log line contains, for canary secrets. */
export const canary = (label: string) => `canary${label}${randomBytes(12).toString("hex")}`;
