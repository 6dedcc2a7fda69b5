import type { StaticCredentials } from "../credentials.js";
import { ConfigError } from "../errors.js";

export interface EnvCredentials {
  /** `{ ak, sk, securityToken? }` from the AK/SK variables, else `{ token }` from `DCS_AUTH_TOKEN`. */
  credentials: StaticCredentials;
  projectId: string;
}

/**
 * Credentials and project ID from the environment, to spread into the client's options:
 * `createDcsRedislogClient({ region: "eu-de", ...credentialsFromEnv() })`. Reads only when called.
 *
 * - `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK` (the official SDKs' names), plus
 *   `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary keys; else `DCS_AUTH_TOKEN`, an IAM token. AK/SK win
 *   when both kinds are set.
 * - `HUAWEICLOUD_SDK_PROJECT_ID`: required, since the client needs it. To take any value from elsewhere
 *   (a flag, a prompt), pass a record that adds it: `credentialsFromEnv({ ...process.env, HUAWEICLOUD_SDK_PROJECT_ID: id })`.
 *
 * Values are trimmed; an empty one counts as unset. A `ConfigError` names what is missing in `option`: the
 * variable of an incomplete AK/SK pair, `HUAWEICLOUD_SDK_PROJECT_ID`, or `credentials` when none is set.
 */
export function credentialsFromEnv(env: Record<string, string | undefined> = process.env): EnvCredentials {
  const get = (name: string) => env[name]?.trim() || undefined;
  const ak = get("HUAWEICLOUD_SDK_AK");
  const sk = get("HUAWEICLOUD_SDK_SK");
  const securityToken = get("HUAWEICLOUD_SDK_SECURITY_TOKEN");
  const token = get("DCS_AUTH_TOKEN");
  const missing = (name: string, what: string) =>
    new ConfigError(name, `Environment variable ${name} is not set (or empty): ${what}`);
  if (!ak && !sk && !token) {
    throw new ConfigError(
      "credentials",
      "No credentials in the environment: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (and " +
        "HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys), or DCS_AUTH_TOKEN, or pass credentials explicitly.",
    );
  }
  if (!ak !== !sk) {
    throw ak
      ? missing("HUAWEICLOUD_SDK_SK", "set it with HUAWEICLOUD_SDK_AK, the access key it belongs to.")
      : missing("HUAWEICLOUD_SDK_AK", "set it with HUAWEICLOUD_SDK_SK, the secret key it belongs to.");
  }
  const projectId = get("HUAWEICLOUD_SDK_PROJECT_ID");
  if (!projectId) throw missing("HUAWEICLOUD_SDK_PROJECT_ID", "set the project ID of the region.");
  return {
    credentials:
      ak && sk ? (securityToken ? { ak, sk, securityToken } : { ak, sk }) : { token: token as string },
    projectId,
  };
}
