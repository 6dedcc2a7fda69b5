import type { AkSkCredentials } from "../credentials.js";
import { ConfigError } from "../errors.js";

export interface EnvCredentials {
  credentials: AkSkCredentials;
  projectId: string;
}

/**
 * Reads `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_PROJECT_ID` and, for temporary keys,
 * `HUAWEICLOUD_SDK_SECURITY_TOKEN` (the names the official SDKs use). Spread the result into the client's
 * options: `createDcsRedislogClient({ region: "eu-de", ...credentialsFromEnv() })`. Reads only when called.
 */
export function credentialsFromEnv(env: Record<string, string | undefined> = process.env): EnvCredentials {
  const read = (name: string) => {
    const value = env[name];
    if (value === undefined || value.trim() === "") {
      throw new ConfigError(
        name,
        `Environment variable ${name} is not set (or empty). Set HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and ` +
          "HUAWEICLOUD_SDK_PROJECT_ID (and HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys), or pass credentials explicitly.",
      );
    }
    return value.trim();
  };
  const ak = read("HUAWEICLOUD_SDK_AK");
  const sk = read("HUAWEICLOUD_SDK_SK");
  const projectId = read("HUAWEICLOUD_SDK_PROJECT_ID");
  const securityToken = env.HUAWEICLOUD_SDK_SECURITY_TOKEN?.trim() || undefined;
  return { credentials: securityToken ? { ak, sk, securityToken } : { ak, sk }, projectId };
}
