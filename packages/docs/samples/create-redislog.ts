import { createDcsRedislogClient } from "@org/dcs-redislog-client";
import { credentialsFromEnv } from "@org/dcs-redislog-client/node";

// AK/SK and project ID from HUAWEICLOUD_SDK_AK, _SK and _PROJECT_ID (_SECURITY_TOKEN for temporary keys).
const dcs = createDcsRedislogClient({ region: "eu-de", ...credentialsFromEnv() });

// Answers 204 at once; DCS collects in the background. replicationId is required unless the instance is
// single-node.
const collection = await dcs.collectRunLogs({
  instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79",
  queryTime: 7,
  replicationId: "6a2bc1e0-0f7e-4c69-9c5d-3b6f0e4a2d11",
});

// Polls ListRedislog until the files of this collection are ready.
const files = await dcs.waitForRunLogs(collection);
for (const file of files) console.log(file.id, file.file_name);
