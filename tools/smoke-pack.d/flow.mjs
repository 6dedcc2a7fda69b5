// The whole flow against the packed emulator, shared by the ESM and CJS consumers. `client` and `node` are the
// client's two entries as the consumer loaded them (import or require).
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "@org/dcs-redislog-emulator";

export async function runFlow(label, client, node) {
  const emulator = await startEmulator({ port: 0, collectDelayMs: 50, logSize: 64 * 1024 });
  const dir = await mkdtemp(join(tmpdir(), "smoke-pack-"));
  try {
    const dcs = client.createDcsRedislogClient({
      endpoint: emulator.endpoint,
      projectId: emulator.projectId,
      credentials: { ak: emulator.ak, sk: emulator.sk },
    });
    const cluster = emulator.instances.find((i) => i.type === "cluster");
    const files = await node.fetchRunLogs(dcs, {
      instanceId: cluster.id,
      replicationId: cluster.replicationIds[0],
      queryTime: 3,
      outDir: dir,
    });
    if (files.length !== 3) throw new Error(`${label}: expected 3 files, got ${files.length}`);
    for (const file of files) {
      if ((await stat(file.path)).size !== 64 * 1024)
        throw new Error(`${label}: ${file.path} has the wrong size`);
    }
    const left = (await readdir(dir)).filter((name) => name.endsWith(".part"));
    if (left.length) throw new Error(`${label}: partial files left: ${left}`);
    try {
      await dcs.listRunLogs({ instanceId: "00000000-0000-0000-0000-000000000000" });
      throw new Error(`${label}: expected a NotFoundError`);
    } catch (error) {
      if (!(error instanceof client.NotFoundError) || error.errorCode !== "DCS.3022") throw error;
    }
    console.log(`${label}: ok (${files.length} files)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await emulator.stop();
  }
}
