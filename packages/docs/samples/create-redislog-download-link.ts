import { createDcsRedislogClient } from "@org/dcs-redislog-client";
import { credentialsFromEnv, downloadToFile } from "@org/dcs-redislog-client/node";

const dcs = createDcsRedislogClient({ region: "eu-de", ...credentialsFromEnv() });
const instanceId = "5560df16-cebf-4473-95c4-d1b573c16e79";
const logId = "3ea6ce21-048e-447a-83c3-3fb004b88439"; // an `id` from listRunLogs

// A pre-signed object-storage URL, valid for 24 hours. It is a credential: keep it out of logs.
const { link } = await dcs.createDownloadLink({ instanceId, logId });

// Download it with no DCS credentials attached; with { instanceId, logId } instead of the link, the client
// also gets a new link when the old one has expired.
const file = await downloadToFile(dcs, link, "./redis-run.log");
console.log(`${file.path}: ${file.size} bytes`);
