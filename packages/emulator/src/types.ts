/** The operations a fault can target; `Download` is the GET of a pre-signed link, `*` is every operation. */
export type FaultOperation =
  | "CreateRedislog"
  | "ListRedislog"
  | "CreateRedislogDownloadLink"
  | "Download"
  | "*";

/** What a fault does to a matching request. */
export type FaultKind =
  | "throttle"
  | "error500"
  | "error502"
  | "error503"
  | "latency"
  | "hang"
  | "reset"
  | "truncate"
  | "malformed-json"
  | "clock-skew";

/** One fault rule: which operation, what happens, how often. */
export interface FaultRule {
  operation: FaultOperation;
  kind: FaultKind;
  /** Apply to the next N matching requests, then stop. @default unlimited */
  times?: number;
  /** Chance (0..1) that a matching request is hit. @default 1 */
  probability?: number;
  /** For `latency`: added delay before the request is handled. @default 1000 */
  latencyMs?: number;
  /** For `throttle` (default 1) and `error503` (no header unless set): the `Retry-After` value. */
  retryAfterSeconds?: number;
  /** For `clock-skew`: the server clock runs this far ahead (negative: behind). @default 1_800_000 */
  skewMs?: number;
  /** For `truncate`: the body stops after this many bytes. @default half of the body */
  truncateAtBytes?: number;
}

/** An instance the emulator serves. */
export interface InstanceConfig {
  id: string;
  name?: string;
  type: "single" | "cluster";
  /** Replica ids; a single-node instance has exactly one, a cluster one per shard. */
  replicationIds: string[];
}

/** Options of {@link startEmulator}; every one is optional. */
export interface EmulatorOptions {
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Port; 0 picks any free port. @default 8920 */
  port?: number;
  /** Access key accepted for AK/SK signing. @default "EMULATORAK0000000001" */
  ak?: string;
  /** Secret key of `ak`. @default "emulator-secret-key-0000000000000000000000" */
  sk?: string;
  /** The one project the emulator serves. @default "0524e839a54847039e9b2b46e8aa788a" */
  projectId?: string;
  /** IAM tokens accepted in `X-Auth-Token`. @default ["emulator-token"] */
  tokens?: string[];
  /** Temporary AK/SK pairs; each is accepted only with its `X-Security-Token`. @default [] */
  temporaryCredentials?: { ak: string; sk: string; securityToken: string }[];
  /** The instances served. @default one single-node and one two-shard cluster instance (see README) */
  instances?: InstanceConfig[];
  /** Time from CreateRedislog until its files are `succeed`. @default 1500 */
  collectDelayMs?: number;
  /** Size in bytes of every log file. @default 1048576 (1 MiB) */
  logSize?: number;
  /** Validity of download links, in seconds. @default 86400 */
  linkTtlSeconds?: number;
  /** Seed of the log content, log ids and fault probabilities. @default 1 */
  seed?: number;
  /** Faults to inject, as rules or in the string form (`Operation:kind[:key=value...]`, comma-separated). @default none */
  faults?: FaultRule[] | string;
  /** Enables `GET/POST/DELETE /_emulator/faults`. @default false */
  admin?: boolean;
  /** Receives one line per request served (no query strings, no secrets). @default silent */
  logger?: (line: string) => void;
  /** The emulator's clock in epoch milliseconds, for tests that move time. @default Date.now */
  now?: () => number;
}

/** One request the emulator served. `status` is 0 when no response was sent (hang, reset). */
export interface ServedRequest {
  /** An operation id, `Download`, `Admin`, `Unknown` (no route) or `Invalid` (unparsable request). */
  operation: string;
  method: string;
  /** The path without its query string. */
  path: string;
  status: number;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. "http://127.0.0.1:8920". */
  endpoint: string;
  projectId: string;
  ak: string;
  sk: string;
  tokens: string[];
  instances: { id: string; type: "single" | "cluster"; replicationIds: string[] }[];
  /** Every request served, in arrival order (the most recent 100,000). */
  requests: ServedRequest[];
  /** Replaces the fault rules. Throws a `FaultSpecError` on an invalid rule. */
  setFaults(faults: FaultRule[] | string): void;
  clearFaults(): void;
  /** Closes the server and every open socket. */
  stop(): Promise<void>;
}
