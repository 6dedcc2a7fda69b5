// `pnpm start`: builds the whole pipeline (lint spec → generate types → build packages → build docs), starts the
// emulator and the docs site on 127.0.0.1, fetches logs from the emulator with the CLI into ./logs, then keeps
// both running and says how to use them. `pnpm docs` (--docs-only) builds and serves only the docs site.
// Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: flags } = parseArgs({
  options: {
    "docs-only": { type: "boolean", default: false },
    "no-fetch": { type: "boolean", default: false },
    "skip-build": { type: "boolean", default: false },
    "emulator-port": { type: "string", default: process.env.DCS_EMULATOR_PORT ?? "8920" },
    "docs-port": { type: "string", default: process.env.DCS_DOCS_PORT ?? "8921" },
    out: { type: "string", default: "logs" },
    exit: { type: "boolean", default: false },
  },
});
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };

function step(text) {
  console.log(`\n==> ${text}`);
}

if (!flags["skip-build"]) {
  step("building: lint spec → generate types → build packages → build docs");
  const filter = flags["docs-only"] ? ["--filter", "@org/dcs-redislog-docs"] : [];
  const built = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...filter], {
    cwd: root,
    stdio: "inherit",
    env,
  });
  if (built.status !== 0) {
    console.error("error: the build failed (see above). Fix it, then run `pnpm start` again.");
    process.exit(built.status ?? 1);
  }
}

const stops = [];
async function stopAll(code) {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

async function listenOn(start, preferred) {
  try {
    return await start(Number(preferred));
  } catch (error) {
    if (error?.code !== "EADDRINUSE") throw error;
    console.log(`    port ${preferred} is taken; using a free port instead`);
    return start(0);
  }
}

const { serveDocs } = await import(pathToFileURL(join(root, "packages/docs/scripts/serve.mjs")).href);
const docs = await listenOn((port) => serveDocs({ port }), flags["docs-port"]);
stops.push(docs.close);

let emulator;
const emulatorEntry = join(root, "packages/emulator/dist/index.js");
if (!flags["docs-only"] && existsSync(emulatorEntry)) {
  step("starting the DCS redislog emulator");
  const { startEmulator } = await import(pathToFileURL(emulatorEntry).href);
  emulator = await listenOn((port) => startEmulator({ port }), flags["emulator-port"]);
  stops.push(() => emulator.stop());
  console.log(`    ${emulator.endpoint} (project ${emulator.projectId})`);
}

const cliEntry = join(root, "packages/cli/dist/cli.js");
if (emulator && !flags["no-fetch"] && existsSync(cliEntry)) {
  const instance = emulator.instances[0];
  step(`fetching the run logs of instance ${instance.id} into ${flags.out} with the dcs-redislog CLI`);
  const cliEnv = {
    ...env,
    DCS_ENDPOINT: emulator.endpoint,
    HUAWEICLOUD_SDK_AK: emulator.ak,
    HUAWEICLOUD_SDK_SK: emulator.sk,
    HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId,
  };
  const args = [cliEntry, "fetch", "--instance", instance.id, "--days", "3", "--out", flags.out];
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit", env: cliEnv });
    child.on("exit", (status) => resolve(status ?? 1));
  });
  if (code !== 0) console.error(`warning: dcs-redislog fetch exited with ${code}; the servers keep running.`);
}

step("ready");
console.log(`    docs site:  ${docs.url}`);
if (emulator) {
  const cluster = emulator.instances.find((i) => i.type === "cluster");
  console.log(`    emulator:   ${emulator.endpoint}
    AK/SK:      ${emulator.ak} / ${emulator.sk}   (emulator-only credentials)

Point the CLI at the emulator:
    export DCS_ENDPOINT=${emulator.endpoint}
    export HUAWEICLOUD_SDK_AK=${emulator.ak} HUAWEICLOUD_SDK_SK=${emulator.sk}
    export HUAWEICLOUD_SDK_PROJECT_ID=${emulator.projectId}
    pnpm exec dcs-redislog fetch --instance ${emulator.instances[0].id} --days 1 --out ./logs${
      cluster
        ? `\n    pnpm exec dcs-redislog fetch --instance ${cluster.id} --replication ${cluster.replicationIds[0]}`
        : ""
    }

Or the client, in TypeScript:
    createDcsRedislogClient({ endpoint: "${emulator.endpoint}", projectId: "${emulator.projectId}",
      credentials: { ak: "${emulator.ak}", sk: "<the SK above>" } })

For the real cloud, use your own keys and a region instead of the endpoint:
    export DCS_REGION=eu-de            # Open Telekom Cloud; or a Huawei Cloud region such as ap-southeast-1
    export HUAWEICLOUD_SDK_AK=… HUAWEICLOUD_SDK_SK=… HUAWEICLOUD_SDK_PROJECT_ID=…`);
}
console.log("\nCtrl-C stops everything.");
if (flags.exit) await stopAll(0);
