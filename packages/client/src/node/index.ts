// Node-only helpers (`@org/dcs-redislog-client/node`): environment and file system. Nothing runs at import.
export { credentialsFromEnv, type EnvCredentials } from "./env.js";
export {
  type DownloadedFile,
  downloadToFile,
  type FetchedRunLog,
  type FetchRunLogsOptions,
  fetchRunLogs,
  fileNameFor,
} from "./files.js";
