import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const docsDir = fileURLToPath(new URL("../", import.meta.url));
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const distDir = join(docsDir, "dist");
export const specPath = join(repoRoot, "spec/dcs-redislog.yaml");
/** Screenshots and other artifacts of the tests (gitignored). */
export const resultsDir = join(repoRoot, ".test-results");

const require = createRequire(import.meta.url);
const redoclyBin = require.resolve("@redocly/cli/bin/cli.js");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never throws on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { cwd: options.cwd ?? docsDir, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? "");
  });
}

export interface SpecOperation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  /** The path item's parameters followed by the operation's. */
  parameters: { name: string; in: string }[];
  responses: Record<
    string,
    {
      description: string;
      content?: Record<string, { examples?: Record<string, { summary?: string; value: unknown }> }>;
    }
  >;
  "x-codeSamples"?: { lang: string; label: string; source: string }[];
}

/** The spec, parsed and dereferenced by the same Redocly that builds the reference. */
export async function loadSpec(
  file = specPath,
): Promise<{ operations: SpecOperation[]; raw: Record<string, unknown> }> {
  const dir = await mkdtemp(join(tmpdir(), "dcs-docs-spec-"));
  try {
    const out = join(dir, "spec.json");
    const result = await run(process.execPath, [
      redoclyBin,
      "bundle",
      file,
      "--dereferenced",
      "--ext",
      "json",
      "--config",
      join(repoRoot, "redocly.yaml"),
      "--output",
      out,
    ]);
    if (result.code !== 0) throw new Error(`redocly bundle failed:\n${result.stdout}${result.stderr}`);
    const raw = JSON.parse(await readFile(out, "utf8")) as { paths: Record<string, Record<string, unknown>> };
    const operations: SpecOperation[] = [];
    for (const [path, item] of Object.entries(raw.paths)) {
      const shared = (item.parameters ?? []) as SpecOperation["parameters"];
      for (const [method, value] of Object.entries(item)) {
        if (!["get", "put", "post", "delete", "patch", "head", "options"].includes(method)) continue;
        const op = value as Omit<SpecOperation, "method" | "path">;
        operations.push({ ...op, method, path, parameters: [...shared, ...(op.parameters ?? [])] });
      }
    }
    return { operations, raw };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Debian's Chromium, which CI installs (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM_PATH);
/** `.ci/run` sets DCS_REQUIRE_BROWSER=1: there a missing Chromium is a failure, not a skip. */
export const browserRequired = process.env.DCS_REQUIRE_BROWSER === "1";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** True for URLs that stay on this machine: loopback hosts, and blob:/data: URLs that make no request. */
export function isLocalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "data:") return true;
  const host = parsed.protocol === "blob:" ? new URL(parsed.pathname).hostname : parsed.hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}
