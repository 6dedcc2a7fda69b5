import { createDcsRedislogClient, DcsApiError } from "@org/dcs-redislog-client";
import { credentialsFromEnv, downloadToFile } from "@org/dcs-redislog-client/node";

// HUAWEICLOUD_SDK_AK, _SK and _PROJECT_ID from the environment; region "eu-de" is Open Telekom Cloud.
const dcs = createDcsRedislogClient({ region: "eu-de", ...credentialsFromEnv() });
const instanceId = "5560df16-cebf-4473-95c4-d1b573c16e79";

try {
  await dcs.collectRunLogs({ instanceId, queryTime: 1 });
  const logs = await dcs.waitForRunLogs({ instanceId, timeoutMs: 120_000 });
  for (const log of logs) {
    const file = await downloadToFile(dcs, { instanceId, logId: log.id }, `${log.time}-${log.id}.log`);
    console.log(`${file.path}: ${file.size} bytes`);
  }
} catch (error) {
  if (error instanceof DcsApiError) console.error(error.status, error.errorCode, error.requestId);
  throw error;
}
