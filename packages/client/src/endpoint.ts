import { ConfigError } from "./errors.js";

/** Huawei Cloud regions with a DCS endpoint `https://dcs.{region}.myhuaweicloud.com`. */
export const HUAWEI_CLOUD_REGIONS = [
  "af-south-1",
  "cn-north-2",
  "cn-north-4",
  "cn-north-1",
  "cn-east-2",
  "cn-east-3",
  "cn-south-1",
  "cn-south-2",
  "cn-southwest-2",
  "ap-southeast-2",
  "ap-southeast-1",
  "ap-southeast-3",
  "ru-northwest-2",
  "sa-brazil-1",
  "la-north-2",
  "la-south-2",
  "cn-north-9",
  "na-mexico-1",
  "ae-ad-1",
  "tr-west-1",
  "ap-southeast-4",
  "eu-west-101",
  "me-east-1",
  "eu-west-0",
  "cn-east-5",
  "my-kualalumpur-1",
  "ru-moscow-1",
  "cn-east-4",
  "ap-southeast-5",
  "cn-north-12",
] as const;

/** Open Telekom Cloud regions with a DCS endpoint `https://dcs.{region}.otc.t-systems.com`. */
export const OPEN_TELEKOM_CLOUD_REGIONS = ["eu-de", "eu-nl"] as const;

export type HuaweiCloudRegion = (typeof HUAWEI_CLOUD_REGIONS)[number];
export type OpenTelekomCloudRegion = (typeof OPEN_TELEKOM_CLOUD_REGIONS)[number];
export type Region = HuaweiCloudRegion | OpenTelekomCloudRegion;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The DCS endpoint of a region, e.g. `endpointForRegion("eu-de")` → `https://dcs.eu-de.otc.t-systems.com`. */
export function endpointForRegion(region: string): string {
  if ((OPEN_TELEKOM_CLOUD_REGIONS as readonly string[]).includes(region)) {
    return `https://dcs.${region}.otc.t-systems.com`;
  }
  if ((HUAWEI_CLOUD_REGIONS as readonly string[]).includes(region)) {
    return `https://dcs.${region}.myhuaweicloud.com`;
  }
  throw new ConfigError(
    "region",
    `Unknown region ${JSON.stringify(String(region).slice(0, 40))}. Known regions: Open Telekom Cloud ` +
      `${OPEN_TELEKOM_CLOUD_REGIONS.join(", ")}; Huawei Cloud ${HUAWEI_CLOUD_REGIONS.join(", ")}. ` +
      "For any other host pass `endpoint` instead.",
  );
}

/**
 * Checks and normalises an explicit endpoint: an origin (optionally with a base path), no credentials,
 * query or fragment. Plain `http` only for loopback hosts unless `allowInsecureHttp` is set, because an
 * IAM token would cross the network in clear text.
 */
export function normaliseEndpoint(endpoint: string, allowInsecureHttp = false): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(
      "endpoint",
      "endpoint must be an absolute URL such as https://dcs.eu-de.otc.t-systems.com.",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError("endpoint", `endpoint must use https (got ${url.protocol.replace(":", "")}).`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError("endpoint", "endpoint must not contain user info, a query or a fragment.");
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
    throw new ConfigError(
      "endpoint",
      "endpoint uses plain http to a host that is not loopback; use https, or set allowInsecureHttp: true " +
        "if the network between you and that host is trusted.",
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
