// Friendly names for the generated types. Everything here is derived from src/generated/, which
// `pnpm generate` writes from spec/dcs-redislog.yaml.
import type { components, operations, paths } from "./generated/dcs-redislog.js";

export type { components, operations, paths };

type Schemas = components["schemas"];

/** One collected run log file (a `RunlogItem` of the API). */
export type RunLog = Schemas["RunlogItem"];
/** One page of ListRedislog: `{ total_num, file_list }`. */
export type RunLogList = Schemas["ListRedislogResponse"];
/** The answer of CreateRedislogDownloadLink: `{ id, backup_id?, link }`. */
export type DownloadLink = Schemas["DownloadLink"];
/** Error body sent by DCS: `{ error_code, error_msg, error_ext_msg? }`. */
export type DcsError = Schemas["DcsError"];
/** Error body sent by the API gateway: `{ error_code, error_msg, request_id }`. */
export type GatewayError = Schemas["GatewayError"];
/** Either error body. */
export type ErrorBody = Schemas["ErrorBody"];
/** Days of logs to collect: 0 (today), 1, 3 or 7. */
export type QueryTime = Schemas["QueryTime"];
/** Log type; only `"run"`. */
export type LogType = Schemas["LogType"];

/** The operation ids of the spec. */
export type OperationId = keyof operations;

/** Query parameters of each operation. */
export type CreateRedislogQuery = operations["CreateRedislog"]["parameters"]["query"];
export type ListRedislogQuery = NonNullable<operations["ListRedislog"]["parameters"]["query"]>;
/** Path parameters of each operation. */
export type RedislogPath = operations["ListRedislog"]["parameters"]["path"];
export type DownloadLinkPath = operations["CreateRedislogDownloadLink"]["parameters"]["path"];

/** The values of QueryTime, as the spec lists them. */
export const QUERY_TIMES = [0, 1, 3, 7] as const satisfies readonly QueryTime[];
