import type { InstanceConfig } from "./types.js";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8920;
export const DEFAULT_AK = "EMULATORAK0000000001";
export const DEFAULT_SK = "emulator-secret-key-0000000000000000000000";
export const DEFAULT_PROJECT_ID = "0524e839a54847039e9b2b46e8aa788a";
export const DEFAULT_TOKENS: readonly string[] = ["emulator-token"];
export const DEFAULT_COLLECT_DELAY_MS = 1500;
export const DEFAULT_LOG_SIZE = 1024 * 1024;
export const DEFAULT_LINK_TTL_SECONDS = 86_400;
export const DEFAULT_SEED = 1;

// Fixed ids so that docs and scripts can cite them.
export const SINGLE_INSTANCE_ID = "5560df16-cebf-4473-95c4-d1b573c16e79";
export const CLUSTER_INSTANCE_ID = "5c597ce5-9823-48aa-bf4d-2defb9385b4a";

export const DEFAULT_INSTANCES: readonly InstanceConfig[] = [
  {
    id: SINGLE_INSTANCE_ID,
    name: "dcs-emulator-single",
    type: "single",
    replicationIds: ["b1e6ad27-0a7e-4f53-9d51-6c1d8f2e3a01"],
  },
  {
    id: CLUSTER_INSTANCE_ID,
    name: "dcs-emulator-cluster",
    type: "cluster",
    replicationIds: ["c2f7be38-1b8f-4a64-8e62-7d2e903f4b02", "d308cf49-2c90-4b75-9f73-8e3fa1505c03"],
  },
];

/** The API gateway's limits (APIGW.0201). */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;
export const MAX_HEADER_BYTES = 16 * 1024;

/** The gateway's tolerance for `X-Sdk-Date`. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The path-style "bucket" of download links. */
export const LINK_BUCKET = "dcs-redislog-emulator";
/** The access key id shown in download links (the object store's, not the caller's). */
export const LINK_ACCESS_KEY_ID = "EMULATOROBSACCESSKEY";

/** Ids as the spec allows them in paths and queries. */
export const ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;

export const MAX_REQUEST_LOG = 100_000;
