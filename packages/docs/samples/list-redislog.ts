import { createDcsRedislogClient } from "@org/dcs-redislog-client";
import { credentialsFromEnv } from "@org/dcs-redislog-client/node";

const dcs = createDcsRedislogClient({ region: "eu-de", ...credentialsFromEnv() });
const instanceId = "5560df16-cebf-4473-95c4-d1b573c16e79";

// One page; a 204 answer (no logs yet) is an empty page.
const page = await dcs.listRunLogs({ instanceId, offset: 0, limit: 10 });
console.log(`${page.file_list.length} of ${page.total_num} files`);

// Or every file, page after page.
for await (const log of dcs.runLogs({ instanceId })) {
  console.log(log.id, log.file_name, log.status);
}
