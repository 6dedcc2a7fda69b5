import { access, constants, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { ClientOptions, StaticCredentials } from "@org/dcs-redislog-client";
import type { Values } from "./args.js";
import { EXIT } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

export type Env = Record<string, string | undefined>;

export interface Stdin extends AsyncIterable<string | Uint8Array> {
  isTTY?: boolean;
}

/** Where to send requests, as which project and with which credentials; plus the secrets to keep out of output. */
export interface Connection {
  options: Pick<ClientOptions, "region" | "endpoint" | "projectId" | "credentials" | "timeoutMs">;
  /** Every secret value in use, so that nothing printed can contain one. */
  secrets: string[];
}

const nonEmpty = (value: string | undefined) =>
  value === undefined || value.trim() === "" ? undefined : value.trim();

/** Integer flag within bounds; the message names the flag and the range. */
export function integerFlag(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)}).`,
    );
  }
  return Number(text);
}

/** `--days` as the API's query_time. */
export function daysFlag(values: Values): 0 | 1 | 3 | 7 | undefined {
  const raw = values.days;
  if (raw === undefined) return undefined;
  if (raw === "0" || raw === "1" || raw === "3" || raw === "7") return Number(raw) as 0 | 1 | 3 | 7;
  throw new UsageError(
    `--days must be 0, 1, 3 or 7 (got ${JSON.stringify(String(raw))}): 0 is today, 7 the last seven days.`,
  );
}

export function requiredFlag(values: Values, name: string, what: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") {
    throw new UsageError(`--${name} ${what} is required.`);
  }
  return value;
}

async function readSecretFromStdin(stdin: Stdin): Promise<string> {
  if (stdin.isTTY) {
    throw new UsageError(
      '--sk-stdin reads the secret key from a pipe, not from the terminal: printf %s "$SK" | dcs-redislog … --sk-stdin',
    );
  }
  let text = "";
  for await (const chunk of stdin)
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  const sk = text.replace(/\r?\n$/, "");
  if (sk === "")
    throw new UsageError("--sk-stdin: stdin was empty; pipe the secret key in.", { exitCode: EXIT.auth });
  return sk;
}

/**
 * Region or endpoint, project and credentials from flags and environment. Flags win over variables; an
 * explicit endpoint wins over a region of the same kind (flag or variable). Fails before any request.
 */
export async function resolveConnection(values: Values, env: Env, stdin: () => Stdin): Promise<Connection> {
  const regionFlag = values.region as string | undefined;
  const endpointFlag = values.endpoint as string | undefined;
  if (regionFlag !== undefined && endpointFlag !== undefined) {
    throw new UsageError("give --region or --endpoint, not both.");
  }
  let target: { region: string } | { endpoint: string };
  if (endpointFlag !== undefined) target = { endpoint: endpointFlag };
  else if (regionFlag !== undefined) target = { region: regionFlag };
  else if (nonEmpty(env.DCS_ENDPOINT)) target = { endpoint: nonEmpty(env.DCS_ENDPOINT) as string };
  else if (nonEmpty(env.DCS_REGION)) target = { region: nonEmpty(env.DCS_REGION) as string };
  else {
    throw new UsageError(
      "no region: pass --region (e.g. eu-de for Open Telekom Cloud, ap-southeast-1 for Huawei Cloud) or " +
        "--endpoint URL, or set DCS_REGION / DCS_ENDPOINT.",
    );
  }

  const projectId = (values["project-id"] as string | undefined) ?? nonEmpty(env.HUAWEICLOUD_SDK_PROJECT_ID);
  if (projectId === undefined || projectId === "") {
    throw new UsageError(
      "no project ID: pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID (console: My Credentials > API Credentials > Projects).",
    );
  }

  const ak = nonEmpty(env.HUAWEICLOUD_SDK_AK);
  const envSk = nonEmpty(env.HUAWEICLOUD_SDK_SK);
  const securityToken = nonEmpty(env.HUAWEICLOUD_SDK_SECURITY_TOKEN);
  const token = nonEmpty(env.DCS_AUTH_TOKEN);
  const sk = values["sk-stdin"] ? await readSecretFromStdin(stdin()) : envSk;
  let credentials: StaticCredentials;
  if (ak !== undefined && sk !== undefined) {
    credentials = securityToken ? { ak, sk, securityToken } : { ak, sk };
  } else if (ak !== undefined || sk !== undefined) {
    const missing = ak === undefined ? "HUAWEICLOUD_SDK_AK" : "HUAWEICLOUD_SDK_SK (or --sk-stdin)";
    throw new UsageError(
      `incomplete credentials: ${missing} is not set. Set both the access key and the secret key.`,
      {
        exitCode: EXIT.auth,
      },
    );
  } else if (token !== undefined) {
    credentials = { token };
  } else {
    throw new UsageError(
      "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (plus HUAWEICLOUD_SDK_SECURITY_TOKEN for " +
        "temporary keys), or DCS_AUTH_TOKEN with an IAM token.",
      { exitCode: EXIT.auth },
    );
  }

  const timeoutMs = integerFlag(values, "timeout", 1, 3_600_000);
  const secrets = [sk, securityToken, token].filter((s): s is string => s !== undefined);
  return { options: { ...target, projectId, credentials, timeoutMs }, secrets };
}

/**
 * Checks that `--out` is, or can become, a directory this process can write to, without creating it:
 * the answer must come before any request, and a dry run must leave no trace.
 */
export async function checkOutDir(cwd: string, out: string | undefined): Promise<string> {
  const dir = resolve(cwd, out ?? ".");
  const flag = out === undefined ? "the current directory" : `--out ${JSON.stringify(out)}`;
  let probe = dir;
  for (;;) {
    try {
      const info = await stat(probe);
      if (!info.isDirectory()) {
        throw new UsageError(
          probe === dir
            ? `${flag} is a file, not a directory: name a directory.`
            : `${flag} cannot be created: ${probe} is a file. Name a directory.`,
        );
      }
      break;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR")
        throw new UsageError(`${flag} cannot be used (${code}). Name a directory you can write to.`);
      const parent = dirname(probe);
      if (parent === probe) break;
      probe = parent;
    }
  }
  try {
    await access(probe, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "not writable";
    throw new UsageError(`${flag} is not writable (${code}: ${probe}). Name a directory you can write to.`);
  }
  return dir;
}
