import { ConfigError } from "./errors.js";

type Words<S extends string> = S extends `${infer Word} ${infer Rest}` ? Word | Words<Rest> : S;
// One string, split at run time: 30 quoted array items cost more bytes than the names themselves.
const HUAWEI =
  "af-south-1 cn-north-2 cn-north-4 cn-north-1 cn-east-2 cn-east-3 cn-south-1 cn-south-2 cn-southwest-2 ap-southeast-2 ap-southeast-1 ap-southeast-3 ru-northwest-2 sa-brazil-1 la-north-2 la-south-2 cn-north-9 na-mexico-1 ae-ad-1 tr-west-1 ap-southeast-4 eu-west-101 me-east-1 eu-west-0 cn-east-5 my-kualalumpur-1 ru-moscow-1 cn-east-4 ap-southeast-5 cn-north-12";

export type HuaweiCloudRegion = Words<typeof HUAWEI>;
export type OpenTelekomCloudRegion = "eu-de" | "eu-nl";
export type Region = HuaweiCloudRegion | OpenTelekomCloudRegion;

/** Huawei Cloud regions with a DCS endpoint `https://dcs.{region}.myhuaweicloud.com` (the API reference's 30). */
export const HUAWEI_CLOUD_REGIONS = HUAWEI.split(" ") as readonly HuaweiCloudRegion[];

/** Open Telekom Cloud regions with a DCS endpoint `https://dcs.{region}.otc.t-systems.com`. */
export const OPEN_TELEKOM_CLOUD_REGIONS: readonly OpenTelekomCloudRegion[] = ["eu-de", "eu-nl"];

/** The DCS endpoint of a region, e.g. `endpointForRegion("eu-de")` → `https://dcs.eu-de.otc.t-systems.com`. */
export function endpointForRegion(region: string): string {
  if (OPEN_TELEKOM_CLOUD_REGIONS.includes(region as never)) return `https://dcs.${region}.otc.t-systems.com`;
  if (HUAWEI_CLOUD_REGIONS.includes(region as never)) return `https://dcs.${region}.myhuaweicloud.com`;
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
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {}
  const problem = !url
    ? "must be an absolute URL such as https://dcs.eu-de.otc.t-systems.com"
    : !/^https?:$/.test(url.protocol)
      ? `must use https (got ${url.protocol.slice(0, -1)})`
      : url.username || url.password || url.search || url.hash
        ? "must not contain user info, a query or a fragment"
        : url.protocol === "http:" &&
            !/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname) &&
            !allowInsecureHttp
          ? "uses plain http to a host that is not loopback: use https, or allowInsecureHttp on a trusted network"
          : undefined;
  if (problem || !url) throw new ConfigError("endpoint", `endpoint ${problem}.`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
