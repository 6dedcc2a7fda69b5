// One download in its own process, so its peak memory is its own. Prints one JSON line:
// {"ms", "bytes", "maxRssMb"}. Modes: "client" (downloadToFile), "node-http" (bare http.get → file pipeline),
// "node-http-fsync" (the same, then fsync before close, as downloadToFile does before its rename).
import { createWriteStream, fsyncSync } from "node:fs";
import { stat } from "node:fs/promises";
import { get } from "node:http";
import { pipeline } from "node:stream/promises";

const [mode, link, out] = process.argv.slice(2);
const started = performance.now();
if (mode === "client") {
  const { createDcsRedislogClient } = await import("@org/dcs-redislog-client");
  const { downloadToFile } = await import("@org/dcs-redislog-client/node");
  const dcs = createDcsRedislogClient({
    endpoint: new URL(link).origin,
    projectId: "unused",
    credentials: { token: "unused" },
  });
  await downloadToFile(dcs, link, out);
} else if (mode === "node-http" || mode === "node-http-fsync") {
  await new Promise((resolve, reject) => {
    get(link, (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      const file = createWriteStream(out);
      if (mode === "node-http-fsync") file.on("finish", () => fsyncSync(file.fd));
      pipeline(res, file).then(resolve, reject);
    }).on("error", reject);
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
const ms = performance.now() - started;
const { size } = await stat(out);
console.log(JSON.stringify({ ms, bytes: size, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
