import * as client from "@org/dcs-redislog-client";
import * as node from "@org/dcs-redislog-client/node";
import { runFlow } from "./flow.mjs";

await runFlow("esm", client, node);
