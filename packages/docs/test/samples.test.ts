// The code in the docs cannot rot: the spec's x-codeSamples equal the files in samples/, those files and the
// guide's TypeScript blocks type-check against the built client, every CLI call names real commands and
// flags, and the samples run against the emulator.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDcsRedislogClient } from "@org/dcs-redislog-client";
import { type Emulator, startEmulator } from "@org/dcs-redislog-emulator";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../scripts/guide.mjs";
import {
  orphanSamples,
  SAMPLE_KINDS,
  sampleFileName,
  samplesDir,
  syncSpecSamples,
} from "../scripts/samples.mjs";
import { docsDir, loadSpec, repoRoot, run, specPath } from "./helpers.js";
import { cliInvocations, guideSnippets } from "./snippets.js";

const { operations } = await loadSpec();
const snippets = await guideSnippets();
const tsc = join(docsDir, "node_modules/typescript/bin/tsc");
/** Inside the package, so that the samples' imports resolve through its node_modules. */
const scratch = join(docsDir, "node_modules/.cache/dcs-docs-test");

// The ids the samples use are the spec's examples; the test emulator serves an instance with them.
const SAMPLE_INSTANCE = "5560df16-cebf-4473-95c4-d1b573c16e79";
const SAMPLE_REPLICA = "6a2bc1e0-0f7e-4c69-9c5d-3b6f0e4a2d11";
const SAMPLE_LOG = "3ea6ce21-048e-447a-83c3-3fb004b88439";

beforeAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** The spec without its `x-codeSamples` blocks (operation keys are indented 6 spaces). */
function stripCodeSamples(text: string) {
  const lines = text.split("\n");
  const indent = (line: string) => /^ */.exec(line)?.[0].length ?? 0;
  const inBlock = (i: number): boolean => {
    const line = lines[i];
    if (line === undefined) return false;
    if (line.trim() !== "") return indent(line) > 6;
    return inBlock(i + 1);
  };
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "      x-codeSamples:") {
      while (inBlock(i + 1)) i++;
      continue;
    }
    out.push(lines[i] ?? "");
  }
  return out.join("\n");
}

describe("x-codeSamples in the spec", () => {
  test.each(operations.map((op) => [op.operationId, op] as const))(
    "%s has one sample per kind, each equal to its file in samples/",
    async (operationId, op) => {
      const samples = op["x-codeSamples"] ?? [];
      expect(samples.map((s) => [s.lang, s.label])).toEqual(SAMPLE_KINDS.map((k) => [k.lang, k.label]));
      for (const kind of SAMPLE_KINDS) {
        const file = sampleFileName(operationId, kind.ext);
        const expected = await readFile(join(samplesDir, file), "utf8");
        const actual = samples.find((s) => s.label === kind.label)?.source;
        expect(
          actual,
          `x-codeSamples of ${operationId} differ from samples/${file}: run \`node packages/docs/scripts/samples.mjs --write\``,
        ).toBe(expected);
      }
    },
  );

  test("the spec text is what `scripts/samples.mjs --write` makes of it, and no sample file is orphaned", async () => {
    const spec = await readFile(specPath, "utf8");
    expect(await syncSpecSamples(spec)).toBe(spec);
    expect(await orphanSamples(spec)).toEqual([]);
  });

  test("syncSpecSamples adds missing blocks and replaces stale ones, touching nothing else", async () => {
    const spec = await readFile(specPath, "utf8");
    const without = stripCodeSamples(spec);
    expect(without).not.toContain("x-codeSamples");
    expect(without.length).toBeLessThan(spec.length);
    expect(await syncSpecSamples(without)).toBe(spec);
    const stale = spec.replace(
      "const dcs = createDcsRedislogClient",
      "const client = createDcsRedislogClient",
    );
    expect(stale).not.toBe(spec);
    expect(await syncSpecSamples(stale)).toBe(spec);
  });
});

describe("type checks against the built client", () => {
  async function typecheck(project: string) {
    const result = await run(process.execPath, [tsc, "-p", project, "--noEmit", "--pretty", "false"]);
    return `${result.stdout}${result.stderr}`.trim();
  }

  test("samples/*.ts", async () => {
    expect(await typecheck(join(samplesDir, "tsconfig.json"))).toBe("");
  });

  test("every ```ts block of the guide (except `ts no-check`)", async () => {
    const dir = join(scratch, "guide");
    await mkdir(dir, { recursive: true });
    const blocks = snippets.filter((s) => s.lang === "ts" && !s.flags.includes("no-check"));
    expect(blocks.length).toBeGreaterThan(10);
    const files = [];
    for (const block of blocks) {
      const file = `${block.page}-${block.index}.ts`;
      // Each block is a module of its own, as a reader would paste it.
      await writeFile(
        join(dir, file),
        block.code.includes("import ") ? block.code : `${block.code}\nexport {};\n`,
      );
      files.push(file);
    }
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: join(repoRoot, "tsconfig.base.json"),
        compilerOptions: { noEmit: true },
        files,
      }),
    );
    const output = await typecheck(join(dir, "tsconfig.json"));
    // Name the guide page and block, not the scratch file.
    expect(output.replace(/^.*[/\\]guide[/\\]([a-z-]+)-(\d+)\.ts/gm, "guide/$1.md, ```ts block $2")).toBe("");
  });

  test("the blocks exempt from type checking are few and say why", () => {
    const exempt = snippets.filter((s) => s.flags.includes("no-check"));
    expect(exempt.map((s) => s.page)).toEqual(["proxies"]);
  });
});

describe("CLI calls name real commands and flags", () => {
  const helpOf = new Map<string, string>();
  const help = (command: string) => {
    let text = helpOf.get(command);
    if (text === undefined) {
      text = runCli([command, "--help"]);
      helpOf.set(command, text);
    }
    return text;
  };
  const shellSamples = operations.map((op) => sampleFileName(op.operationId, "sh"));

  test.each(shellSamples)("samples/%s", async (file) => {
    const calls = cliInvocations(await readFile(join(samplesDir, file), "utf8"));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.command, call.line).toBeDefined();
      const text = help(call.command ?? "");
      for (const flag of call.flags) expect(text, `${flag} in: ${call.line}`).toContain(flag);
    }
  });

  test("the guide's sh blocks", () => {
    const calls = snippets.filter((s) => s.lang === "sh").flatMap((s) => cliInvocations(s.code));
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      expect(call.command, call.line).toBeDefined();
      const text = help(call.command ?? "");
      for (const flag of call.flags) expect(text, `${flag} in: ${call.line}`).toContain(flag);
    }
  });
});

describe("the samples run against the emulator", () => {
  let emulator: Emulator | undefined;
  let cwd: string;
  const dirs: string[] = [];

  // Each sample gets an emulator of its own: a collection replaces the files of an earlier one.
  async function freshEmulator() {
    await emulator?.stop();
    emulator = await startEmulator({
      port: 0,
      collectDelayMs: 50,
      logSize: 4096,
      instances: [{ id: SAMPLE_INSTANCE, type: "cluster", replicationIds: [SAMPLE_REPLICA] }],
    });
    cwd = await mkdtemp(join(tmpdir(), "dcs-docs-sample-"));
    dirs.push(cwd);
    return emulator;
  }
  afterAll(async () => {
    await emulator?.stop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const env = (emulator: Emulator) => ({
    PATH: `${join(docsDir, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
    HOME: cwd,
    HUAWEICLOUD_SDK_AK: emulator.ak,
    HUAWEICLOUD_SDK_SK: emulator.sk,
    HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId,
    DCS_ENDPOINT: emulator.endpoint,
  });

  /** A log the emulator made, for the samples that need an existing log id. */
  async function existingLogId(emulator: Emulator) {
    const dcs = createDcsRedislogClient({
      endpoint: emulator.endpoint,
      projectId: emulator.projectId,
      credentials: { ak: emulator.ak, sk: emulator.sk },
    });
    await dcs.collectRunLogs({ instanceId: SAMPLE_INSTANCE, replicationId: SAMPLE_REPLICA });
    const [file] = await dcs.waitForRunLogs({
      instanceId: SAMPLE_INSTANCE,
      replicationId: SAMPLE_REPLICA,
      minDelayMs: 20,
    });
    if (!file) throw new Error("the emulator listed no file");
    return file.id;
  }

  /** The sample as a user runs it, but aimed at the emulator, and with a log id that exists there. */
  async function prepare(emulator: Emulator, source: string, needsLog: boolean) {
    let text = source;
    if (needsLog) {
      expect(text).toContain(SAMPLE_LOG);
      text = text.replaceAll(SAMPLE_LOG, await existingLogId(emulator));
    }
    return text;
  }

  const expectedOperations: Record<string, string[]> = {
    CreateRedislog: ["CreateRedislog", "ListRedislog"],
    ListRedislog: ["ListRedislog"],
    CreateRedislogDownloadLink: ["CreateRedislogDownloadLink", "Download"],
  };

  test.each(operations.map((op) => [op.operationId] as const))(
    "%s: the TypeScript sample",
    async (operationId) => {
      const emulator = await freshEmulator();
      const source = await readFile(join(samplesDir, sampleFileName(operationId, "ts")), "utf8");
      const needsLog = operationId === "CreateRedislogDownloadLink";
      const prepared = await prepare(emulator, source, needsLog);
      expect(prepared).toContain('region: "eu-de"');
      const aimed = prepared.replace('region: "eu-de"', `endpoint: ${JSON.stringify(emulator.endpoint)}`);
      const js = ts.transpileModule(aimed, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const file = join(scratch, `${sampleFileName(operationId, "mjs")}`);
      await writeFile(file, js);
      const before = emulator.requests.length;
      const result = await run(process.execPath, [file], { cwd, env: env(emulator) });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const served = emulator.requests.slice(before);
      for (const operation of expectedOperations[operationId] ?? []) {
        expect(served.map((r) => r.operation)).toContain(operation);
      }
      expect(served.every((r) => r.status < 400)).toBe(true);
    },
  );

  test.each(operations.map((op) => [op.operationId] as const))("%s: the CLI sample", async (operationId) => {
    const emulator = await freshEmulator();
    const source = await readFile(join(samplesDir, sampleFileName(operationId, "sh")), "utf8");
    const script = await prepare(emulator, source, operationId === "CreateRedislogDownloadLink");
    const before = emulator.requests.length;
    const result = await run("bash", ["-euo", "pipefail", "-c", script], { cwd, env: env(emulator) });
    expect(result.code, result.stderr).toBe(0);
    const served = emulator.requests.slice(before);
    for (const operation of expectedOperations[operationId] ?? []) {
      expect(served.map((r) => r.operation)).toContain(operation);
    }
  });
});
