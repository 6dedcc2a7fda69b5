// Throughput of the log generator alone, and of a 1 GiB download from a started emulator as curl sees it.
// Prints numbers to read, never a pass/fail: timings depend on the machine and on what else runs.
// Usage: pnpm --filter @org/dcs-redislog-emulator build && node packages/emulator/bench/log-content.bench.mjs [--size-mib 1024] [--rounds 3]
import { execFile } from "node:child_process";
import { parseArgs } from "node:util";

// The built package, as its users run it; log-content is a build entry of its own for this script only.
const built = await Promise.all([import("../dist/index.js"), import("../dist/log-content.js")]).catch(
  (error) => {
    console.error(`cannot load dist/ (${error.message}): run pnpm --filter @org/dcs-redislog-emulator build`);
    process.exit(1);
  },
);
const [{ startEmulator }, { BLOCK_SIZE, createLogStream, generateBlock }] = built;

const { values: flags } = parseArgs({
  options: { "size-mib": { type: "string", default: "1024" }, rounds: { type: "string", default: "3" } },
});
const size = Number(flags["size-mib"]) * 1024 * 1024;
const rounds = Number(flags.rounds);
const MiB = 1024 * 1024;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function report(name, speeds) {
  const text = speeds.map((s) => s.toFixed(0)).join(", ");
  console.log(`${name.padEnd(44)} ${median(speeds).toFixed(0).padStart(6)} MiB/s  (runs: ${text})`);
}

async function timed(fn) {
  const started = performance.now();
  const bytes = await fn();
  return bytes / MiB / ((performance.now() - started) / 1000);
}

const spec = { seed: 1, key: "instance/replica/2021-04-16", size, day: "2021-04-16", ip: "192.168.0.142" };
generateBlock(spec, 0);

const blocks = [];
const streams = [];
for (let round = 0; round < rounds; round++) {
  blocks.push(
    await timed(() => {
      let bytes = 0;
      for (let i = 0; i * BLOCK_SIZE < size; i++) bytes += generateBlock(spec, i).length;
      return bytes;
    }),
  );
  streams.push(
    await timed(async () => {
      let bytes = 0;
      for await (const chunk of createLogStream(spec, 0, size - 1)) bytes += chunk.length;
      return bytes;
    }),
  );
}
report(`generateBlock, ${size / MiB} MiB`, blocks);
report(`createLogStream, ${size / MiB} MiB`, streams);

const emulator = await startEmulator({ port: 0, collectDelayMs: 0, logSize: size });
try {
  const [instance] = emulator.instances;
  const base = `${emulator.endpoint}/v2/${emulator.projectId}/instances/${instance.id}/redislog`;
  const headers = { "X-Auth-Token": emulator.tokens[0] };
  const collected = await fetch(`${base}?log_type=run&query_time=0`, { method: "POST", headers });
  if (collected.status !== 204) throw new Error(`collect answered ${collected.status}`);
  const { file_list } = await (await fetch(`${base}?log_type=run`, { headers })).json();
  const { link } = await (
    await fetch(`${base}/${file_list[0].id}/links`, { method: "POST", headers })
  ).json();

  // The emulator serves from this process while curl reads in its own, as a user's download would.
  const curl = [];
  for (let round = 0; round < rounds; round++) {
    // Asynchronous: a synchronous spawn would block the emulator that curl is reading from.
    const result = await new Promise((resolve) => {
      execFile(
        "curl",
        ["-s", "-o", "/dev/null", "-w", "%{speed_download} %{size_download}", link],
        (error, stdout) => resolve({ error, stdout }),
      );
    });
    if (result.error?.code === "ENOENT") break;
    if (result.error) throw new Error(`curl failed: ${result.error.message}`);
    const [speed, bytes] = result.stdout.trim().split(" ").map(Number);
    if (bytes !== size) throw new Error(`curl read ${bytes} bytes, expected ${size}`);
    curl.push(speed / MiB);
  }
  if (curl.length > 0) report(`download via curl, ${size / MiB} MiB`, curl);
  else console.log("download via curl: curl is not installed, skipped");
} finally {
  await emulator.stop();
}
