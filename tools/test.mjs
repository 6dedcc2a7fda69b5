// `pnpm test`: builds what the tests run (cached by turbo), runs every vitest project once, and closes with
// one line `N passed, N failed[, N skipped]` read from vitest's JSON report.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", env }).status ?? 1;

console.log("==> pnpm build (turbo, cached)");
if (run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]) !== 0) {
  console.error("error: the build failed; fix it (see above), then run `pnpm test` again.");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const reportDir = join(root, ".test-results");
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, "vitest.json");
console.log("==> vitest run");
const status = run("pnpm", [
  "exec",
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

let summary;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  const skipped = json.numPendingTests + json.numTodoTests;
  summary = `${json.numPassedTests} passed, ${json.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`;
  if (json.numFailedTestSuites > 0 && json.numFailedTests === 0) {
    summary = `${json.numPassedTests} passed, ${json.numFailedTestSuites} failed`;
  }
} catch {
  summary = "0 passed, 1 failed";
  console.error(`error: vitest wrote no report at ${report}`);
}
console.log(summary);
// A run that executed no test is a failure, not a success.
process.exit(status !== 0 ? status : summary.startsWith("0 passed") ? 1 : 0);
