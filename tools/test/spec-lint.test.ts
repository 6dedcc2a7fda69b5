// The spec's lint gate: clean as committed, and able to fail.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot, run } from "./helpers.js";

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string }[];
}

async function lint(file: string): Promise<LintReport & { code: number }> {
  const { code, stdout } = await run("pnpm", [
    "exec",
    "redocly",
    "lint",
    file,
    "--config",
    join(repoRoot, "redocly.yaml"),
    "--format=json",
  ]);
  return { code, ...(JSON.parse(stdout) as LintReport) };
}

let dir: string;
let spec: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spec-lint-"));
  spec = await readFile(join(repoRoot, "spec/dcs-redislog.yaml"), "utf8");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function lintVariant(name: string, edit: (s: string) => string) {
  const changed = edit(spec);
  expect(changed).not.toBe(spec);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, changed);
  return lint(file);
}

describe("redocly lint", () => {
  test("the committed spec has 0 errors and 0 warnings", async () => {
    const report = await lint(join(repoRoot, "spec/dcs-redislog.yaml"));
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(report.code).toBe(0);
  });

  test("an example that does not match its schema fails", async () => {
    const report = await lintVariant("bad-example", (s) => s.replace("total_num: 1\n", 'total_num: "one"\n'));
    expect(report.code).not.toBe(0);
    expect(report.problems.map((p) => p.ruleId)).toContain("no-invalid-media-type-examples");
  });

  test("an operation without documented 4xx responses fails", async () => {
    const report = await lintVariant("no-4xx", (s) =>
      s.replace(
        /( {4}get:\n {6}operationId: ListRedislog[\s\S]*? {6}responses:\n)[\s\S]*?(\n {2}\/v2)/,
        (_m, head: string, tail: string) => `${head}        "200":\n          description: Listed.\n${tail}`,
      ),
    );
    expect(report.code).not.toBe(0);
    expect(report.problems.map((p) => p.ruleId)).toContain("operation-4xx-response");
  });

  test("a camelCase path parameter fails", async () => {
    const report = await lintVariant("camel", (s) =>
      s.replaceAll("{instance_id}", "{instanceId}").replace("name: instance_id", "name: instanceId"),
    );
    expect(report.code).not.toBe(0);
    expect(report.problems.map((p) => p.ruleId)).toContain("rule/path-params-snake-case");
  });
});
