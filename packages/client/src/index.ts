// The core entry: fetch and the signer only, no Node built-ins, nothing run at import time.
export type { DownloadLink, QueryTime, RunLog, RunLogList } from "@org/dcs-redislog-types";
export {
  type ClientOptions,
  type CollectResult,
  type CollectRunLogsOptions,
  type CreateDownloadLinkOptions,
  createDcsRedislogClient,
  type DcsRedislogClient,
  type DownloadLinkResult,
  type DownloadSource,
  type ListRunLogsOptions,
  type RunLogFiles,
  type RunLogIterable,
  type RunLogPage,
  type RunLogsOptions,
  type WaitForRunLogsOptions,
} from "./client.js";
export type {
  AkSkCredentials,
  Credentials,
  CredentialsProvider,
  StaticCredentials,
  TokenCredentials,
} from "./credentials.js";
export type { DownloadBody, DownloadOptions, DownloadProgress } from "./download.js";
export {
  endpointForRegion,
  HUAWEI_CLOUD_REGIONS,
  type HuaweiCloudRegion,
  OPEN_TELEKOM_CLOUD_REGIONS,
  type OpenTelekomCloudRegion,
  type Region,
} from "./endpoint.js";
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  CollectionFailedError,
  ConfigError,
  ConnectionError,
  DcsApiError,
  DcsRedislogError,
  DownloadError,
  LinkExpiredError,
  MalformedResponseError,
  NotFoundError,
  type Operation,
  PermissionDeniedError,
  ServerError,
  ThrottledError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
export type { FetchLike } from "./exchange.js";
export type { Logger, LogLevel } from "./logger.js";
export { redactUrl } from "./redact.js";
export type { RetryOptions } from "./retry.js";
export type { CallOptions } from "./transport.js";
