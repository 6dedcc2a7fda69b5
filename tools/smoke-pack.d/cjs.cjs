const client = require("@org/dcs-redislog-client");
const node = require("@org/dcs-redislog-client/node");

if (typeof client.createDcsRedislogClient !== "function")
  throw new Error("cjs: createDcsRedislogClient missing");
// The emulator is ESM-only; a CJS program loads it with import().
import("./flow.mjs")
  .then(({ runFlow }) => runFlow("cjs", client, node))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
