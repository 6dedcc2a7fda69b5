// Compiled (not run) under moduleResolution node16 and bundler: the published types must work in both.
import {
  createDcsRedislogClient,
  DcsApiError,
  type DcsRedislogClient,
  HUAWEI_CLOUD_REGIONS,
  type RunLog,
} from "@org/dcs-redislog-client";
import { credentialsFromEnv, downloadToFile, fetchRunLogs } from "@org/dcs-redislog-client/node";
import { startEmulator } from "@org/dcs-redislog-emulator";
import { sign } from "@org/dcs-redislog-signer";

export async function flow(): Promise<number> {
  const emulator = await startEmulator({ port: 0, collectDelayMs: 50, logSize: 4096 });
  const dcs: DcsRedislogClient = createDcsRedislogClient({
    endpoint: emulator.endpoint,
    projectId: emulator.projectId,
    credentials: { ak: emulator.ak, sk: emulator.sk },
  });
  const instanceId = emulator.instances[0]?.id ?? "";
  await dcs.collectRunLogs({ instanceId, queryTime: 1 });
  const logs: RunLog[] = await dcs.waitForRunLogs({ instanceId, timeoutMs: 10_000 });
  const first = logs[0];
  if (!first) throw new Error("no logs");
  const file = await downloadToFile(dcs, { instanceId, logId: first.id }, "out.log");
  const fetched = await fetchRunLogs(dcs, { instanceId, outDir: "out", queryTime: 0 });
  const signed = await sign({ method: "GET", url: emulator.endpoint }, { ak: "a", sk: "b" });
  await emulator.stop();
  return file.size + fetched.length + signed.signedHeaders.length + HUAWEI_CLOUD_REGIONS.length;
}

export function isApiError(error: unknown): string | undefined {
  return error instanceof DcsApiError ? error.errorCode : undefined;
}

export const fromEnv: typeof credentialsFromEnv = credentialsFromEnv;
