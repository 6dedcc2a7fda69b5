// `pnpm bench`: measures the project against what a user would otherwise pick, in the same run, and prints
// one table of ratios (median and range over repeated runs). Timings are for reading, never for CI gates.
// Usage: node tools/bench/index.mjs [--quick] [--only request,sign,download,cold,size,emulator]
import { execFile, spawn } from "node:child_process";
import { lstat, mkdtemp, readdir, readFile, realpath, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, median } from "./stats.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { values: flags } = parseArgs({
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
});
const only = flags.only ? new Set(flags.only.split(",")) : undefined;
const rounds = flags.quick ? 3 : 5;

const { createDcsRedislogClient } = await import("@org/dcs-redislog-client");
const { startEmulator } = await import("@org/dcs-redislog-emulator");
const { sign } = await import("@org/dcs-redislog-signer");

const rows = [];
function row(name, ours, baseline, ratio, target, met, note = "") {
  rows.push({ name, ours, baseline, ratio, target, met, note });
  console.error(`  ${name}: ${ratio} (target ${target}) ${met ? "met" : "MISSED"} ${note}`);
}

/**
 * A row comparing two series of measurements (higher or lower is better, per row): the ratio of their
 * medians, met when `meets(ratio)`; a row without `meets` is only reported.
 */
function ratioRow(name, ours, baseline, target, meets, digits = 0) {
  const ratio = median(ours) / median(baseline);
  row(
    name,
    describe(ours, digits),
    describe(baseline, digits),
    `${ratio.toFixed(2)}×`,
    target,
    meets ? meets(ratio) : true,
  );
}

/** Runs `fn` for about `ms` milliseconds, returns operations per second. */
async function opsPerSecond(fn, ms) {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 200; i++) await fn();
    n += 200;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

/** Runs a command without blocking this process (it may be serving the emulator) and parses its last line. */
function runJson(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { encoding: "utf8", cwd: here, maxBuffer: 16 * 1024 * 1024, ...options },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${cmd} ${args.join(" ")} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout.trim().split("\n").pop()));
      },
    );
  });
}

/**
 * A client for an emulator (a started one or the JSON line of its CLI), with the logs of its single-node
 * instance collected and ready: `{ dcs, instanceId, logs }`.
 */
async function collected(emu, queryTime) {
  const instanceId = emu.instances[0].id;
  const dcs = createDcsRedislogClient({
    endpoint: emu.endpoint,
    projectId: emu.projectId,
    credentials: { ak: emu.ak, sk: emu.sk },
  });
  await dcs.collectRunLogs({ instanceId, queryTime });
  const logs = await dcs.waitForRunLogs({ instanceId, timeoutMs: 30_000 });
  return { dcs, instanceId, logs };
}

/** Starts the emulator's CLI in a process of its own; resolves with its JSON line and the child. */
async function emulatorProcess() {
  const bin = require
    .resolve("@org/dcs-redislog-emulator/package.json")
    .replace("package.json", "bin/dcs-redislog-emulator.js");
  const child = spawn(process.execPath, [bin, "--port", "0", "--json", "--collect-delay-ms", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const info = await new Promise((resolve, reject) => {
    child.stdout.once("data", (chunk) => resolve(JSON.parse(chunk.toString())));
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { info, child };
}

// 1. Request overhead: listRunLogs through the client vs a bare fetch with precomputed signed headers.
// The emulator runs in its own process, for both sides, as the service is remote: in this process, its
// request handling and its garbage would share one thread and one heap with the client's.
// The two sides take turns in blocks of a tenth of a round (ABBA), so that the load of a shared machine,
// which drifts over seconds, falls on both alike; a round is 1,000 requests of each (300 with --quick).
async function benchRequest() {
  const { info: emu, child } = await emulatorProcess();
  try {
    const { dcs, instanceId } = await collected(emu, 7);
    const url = `${emu.endpoint}/v2/${emu.projectId}/instances/${instanceId}/redislog?log_type=run&offset=0&limit=10`;
    const base = { "Content-Type": "application/json", "X-Project-Id": emu.projectId };
    const signed = await sign({ method: "GET", url, headers: base }, { ak: emu.ak, sk: emu.sk });
    const headers = { ...base, ...signed.headers };
    const bare = async () => {
      const res = await fetch(url, { headers });
      if (res.status !== 200) throw new Error(`bare fetch: ${res.status}`);
      await res.json();
    };
    const client = () => dcs.listRunLogs({ instanceId, offset: 0, limit: 10 });
    const elapsed = async (fn, n) => {
      const start = performance.now();
      for (let i = 0; i < n; i++) await fn();
      return performance.now() - start;
    };
    const n = flags.quick ? 300 : 1000;
    const block = n / 10;
    await elapsed(bare, 200);
    await elapsed(client, 200);
    const ours = [];
    const baseline = [];
    for (let r = 0; r < rounds; r++) {
      let a = 0;
      let b = 0;
      for (let i = 0; i < n / block; i++) {
        if (i % 4 === 0 || i % 4 === 3) {
          b += await elapsed(bare, block);
          a += await elapsed(client, block);
        } else {
          a += await elapsed(client, block);
          b += await elapsed(bare, block);
        }
      }
      ours.push((a / n) * 1000);
      baseline.push((b / n) * 1000);
    }
    ratioRow(
      "Request overhead: listRunLogs vs bare fetch (µs/request)",
      ours,
      baseline,
      "≤ 1.15×",
      (r) => r <= 1.15,
    );
  } finally {
    child.kill("SIGTERM");
  }
}

// 2. Signing throughput: our signer vs AKSKSigner of the official core, on the same ListRedislog request.
async function benchSign() {
  const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");
  const endpoint = "https://dcs.eu-de.otc.t-systems.com";
  const path =
    "/v2/a4d31cb6-3d72-4fdc-8ec9-6e3a41e47f71/instances/5560df16-cebf-4473-95c4-d1b573c16e79/redislog";
  const headers = {
    "Content-Type": "application/json",
    "X-Project-Id": "a4d31cb6-3d72-4fdc-8ec9-6e3a41e47f71",
  };
  const date = new Date("2024-01-01T00:00:00Z");
  const ours = () =>
    sign(
      { method: "GET", url: `${endpoint}${path}?log_type=run&offset=0&limit=10`, headers },
      { ak: "AccessKey", sk: "SecretKey" },
      { date },
    );
  const credential = { getAk: () => "AccessKey", getSk: () => "SecretKey" };
  const official = () =>
    AKSKSigner.sign(
      {
        endpoint: `${endpoint}${path}`,
        method: "GET",
        headers: { ...headers, "X-Sdk-Date": "20240101T000000Z" },
        queryParams: { log_type: "run", offset: 0, limit: 10 },
        data: undefined,
      },
      credential,
    );
  if ((await ours()).headers.Authorization !== official().Authorization) {
    throw new Error("the two signers disagree on the benchmark request");
  }
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    b.push((await opsPerSecond(official, 700)) / 1000);
    a.push((await opsPerSecond(ours, 700)) / 1000);
  }
  ratioRow("Signing: ours vs official AKSKSigner (k signatures/s)", a, b, "≥ 3×", (r) => r >= 3);
}

// 3. Download of a 1 GiB log: downloadToFile vs a bare node:http → file pipeline vs curl, each in its own process.
async function benchDownload() {
  const size = flags.quick ? 256 * 1024 * 1024 : 1024 * 1024 * 1024;
  const emu = await startEmulator({ port: 0, collectDelayMs: 0, logSize: size });
  const dir = await mkdtemp(join(tmpdir(), "bench-download-"));
  try {
    const {
      dcs,
      instanceId,
      logs: [log],
    } = await collected(emu, 0);
    const { link } = await dcs.createDownloadLink({ instanceId, logId: log.id });
    const out = join(dir, "run.log");
    const mibps = (bytes, ms) => bytes / 1024 / 1024 / (ms / 1000);
    const worker = (mode) => runJson(process.execPath, [join(here, "download-worker.mjs"), mode, link, out]);
    const curl = async () => {
      const start = performance.now();
      await new Promise((resolve, reject) =>
        execFile("curl", ["-sS", "--fail", "-o", out, link], (error, _o, stderr) =>
          error ? reject(new Error(`curl failed: ${stderr}`)) : resolve(),
        ),
      );
      return { ms: performance.now() - start, bytes: size };
    };
    // downloadToFile fsyncs before its rename, so the baseline that must be matched does too; the pipeline
    // without fsync (data left in the page cache) and curl are reported beside it. Before each run the
    // previous run's file is deleted and the disk flushed, so no run pays for another's writeback.
    const settle = async () => {
      await rm(out, { force: true });
      await new Promise((resolve) => execFile("sync", resolve));
    };
    const client = [];
    const bare = [];
    const bareNoSync = [];
    const viaCurl = [];
    let peak = 0;
    for (let r = 0; r < (flags.quick ? 2 : 3); r++) {
      await settle();
      const c = await worker("client");
      if (c.bytes !== size) throw new Error(`downloadToFile wrote ${c.bytes} bytes, expected ${size}`);
      client.push(mibps(c.bytes, c.ms));
      peak = Math.max(peak, c.maxRssMb);
      await settle();
      const b = await worker("node-http-fsync");
      bare.push(mibps(b.bytes, b.ms));
      await settle();
      const n = await worker("node-http");
      bareNoSync.push(mibps(n.bytes, n.ms));
      await settle();
      const k = await curl();
      viaCurl.push(mibps(k.bytes, k.ms));
    }
    await settle();
    ratioRow(
      `Download ${size / 1024 / 1024} MiB: downloadToFile vs bare node:http pipeline + fsync (MiB/s)`,
      client,
      bare,
      "≥ 0.95×",
      (r) => r >= 0.95,
    );
    ratioRow(
      "Download: downloadToFile vs the same pipeline without fsync (MiB/s)",
      client,
      bareNoSync,
      "reported",
    );
    ratioRow("Download: downloadToFile vs curl -o (MiB/s)", client, viaCurl, "reported");
    row("Download: peak RSS of downloadToFile (MB)", peak.toFixed(0), "—", "—", "≤ 100 MB", peak <= 100);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await emu.stop();
  }
}

// 4. Cold start: importing the client vs requiring the official core, each in a fresh process started from a
// small worker file (as an application's module would load them).
async function benchCold() {
  const measure = async (how, name) =>
    (await runJson(process.execPath, [join(here, "cold-worker.mjs"), how, name], { cwd: here })).ms;
  const ours = [];
  const official = [];
  for (let r = 0; r < (flags.quick ? 5 : 15); r++) {
    ours.push(await measure("import", "@org/dcs-redislog-client"));
    official.push(await measure("require", "@huaweicloud/huaweicloud-sdk-core"));
  }
  ratioRow(
    "Cold start: import client vs require official core (ms)",
    ours,
    official,
    "≤ 0.2×",
    (r) => r <= 0.2,
    1,
  );
}

async function dirSize(path) {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += await dirSize(full);
    else if (entry.isFile()) total += (await lstat(full)).size;
  }
  return total;
}

/** Install size of a package and everything it depends on, following pnpm's node_modules layout. */
async function installSize(name, from) {
  const seen = new Map();
  async function visit(pkgDir) {
    const real = await realpath(pkgDir);
    if (seen.has(real)) return;
    const pkg = JSON.parse(await readFile(join(real, "package.json"), "utf8"));
    seen.set(real, await dirSize(real));
    const siblings = join(real, "..", pkg.name.startsWith("@") ? ".." : "");
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const depDir = join(siblings, dep);
      await visit(depDir).catch(() => {});
    }
  }
  await visit(dirname(require.resolve(`${name}/package.json`, { paths: [from] })));
  return { bytes: [...seen.values()].reduce((a, b) => a + b, 0), packages: seen.size };
}

// 5. Size: the client's main (browser) entry bundled and minified with openapi-fetch, vs the official core.
async function benchSize() {
  const esbuild = require("esbuild");
  // The browser build, resolved as a bundler does (the `import` condition, not `node`).
  const result = await esbuild.build({
    stdin: { contents: `export * from "@org/dcs-redislog-client";`, resolveDir: here },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
  });
  const gz = gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
  const official = await installSize("@huaweicloud/huaweicloud-sdk-core", here);
  row(
    "Size: client main entry + openapi-fetch, min+gzip (kB)",
    (gz / 1000).toFixed(1),
    `official core installs ${(official.bytes / 1e6).toFixed(1)} MB in ${official.packages} packages`,
    `${(official.bytes / gz).toFixed(0)}× smaller`,
    "≤ 8 kB",
    gz <= 8000,
  );
}

// 6. Emulator: ListRedislog requests per second under 64 concurrent keep-alive connections.
async function benchEmulator() {
  const child = spawn(
    process.execPath,
    [
      require
        .resolve("@org/dcs-redislog-emulator/package.json")
        .replace("package.json", "bin/dcs-redislog-emulator.js"),
      "--port",
      "0",
      "--json",
      "--collect-delay-ms",
      "0",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const info = await new Promise((resolve, reject) => {
    child.stdout.once("data", (chunk) => resolve(JSON.parse(chunk.toString())));
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  try {
    const { Agent, request } = await import("node:http");
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const { instanceId } = await collected(info, 7);
    const url = `${info.endpoint}/v2/${info.projectId}/instances/${instanceId}/redislog?log_type=run&limit=10`;
    const base = { "Content-Type": "application/json" };
    const headers = { ...base, ...(await sign({ method: "GET", url, headers: base }, info)).headers };
    const one = () =>
      new Promise((resolve, reject) => {
        request(url, { agent, headers }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          res.resume().on("end", resolve);
        })
          .on("error", reject)
          .end();
      });
    const rps = [];
    for (let r = 0; r < rounds; r++) {
      let n = 0;
      const until = performance.now() + 1000;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (performance.now() < until) {
            await one();
            n++;
          }
        }),
      );
      rps.push(n);
    }
    agent.destroy();
    row("Emulator: ListRedislog, 64 connections (requests/s)", describe(rps, 0), "—", "—", "reported", true);
  } finally {
    child.kill("SIGTERM");
  }
}

const benches = {
  request: benchRequest,
  sign: benchSign,
  download: benchDownload,
  cold: benchCold,
  size: benchSize,
  emulator: benchEmulator,
};
console.error(
  `==> benchmarks (${rounds} rounds; ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version})`,
);
for (const [name, fn] of Object.entries(benches)) {
  if (only && !only.has(name)) continue;
  console.error(`==> ${name}`);
  await fn();
}

console.log(`| benchmark | ours, median (range) | baseline, median (range) | ratio | target | met |`);
console.log(`| --- | --- | --- | --- | --- | --- |`);
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.target === "reported" ? "—" : r.met ? "yes" : "**no**"} |`,
  );
}
