import { access, constants, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type ClientOptions, ConfigError } from "@org/dcs-redislog-client";
import { credentialsFromEnv, type EnvCredentials } from "@org/dcs-redislog-client/node";
import type { Values } from "./args.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

export type Env = Record<string, string | undefined>;

export interface Stdin extends AsyncIterable<string | Uint8Array> {
  isTTY?: boolean;
}

/** Where to send requests, as which project and with which credentials; plus the secrets to keep out of output. */
export interface Connection {
  options: Pick<ClientOptions, "region" | "endpoint" | "projectId" | "credentials" | "timeoutMs">;
  /** Every secret value in use (AK, SK, security token, IAM token), so that nothing printed can contain one. */
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

const BOTH_KEYS = "Set both the access key and the secret key.";
/** What credentialsFromEnv found missing (its ConfigError's option), as this CLI says it. */
const MISSING: Record<string, [string, ExitCode]> = {
  HUAWEICLOUD_SDK_PROJECT_ID: [
    "no project ID: pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID (console: My Credentials > API Credentials > Projects).",
    EXIT.usage,
  ],
  HUAWEICLOUD_SDK_AK: [`incomplete credentials: HUAWEICLOUD_SDK_AK is not set. ${BOTH_KEYS}`, EXIT.auth],
  HUAWEICLOUD_SDK_SK: [
    `incomplete credentials: HUAWEICLOUD_SDK_SK (or --sk-stdin) is not set. ${BOTH_KEYS}`,
    EXIT.auth,
  ],
  credentials: [
    "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (plus HUAWEICLOUD_SDK_SECURITY_TOKEN for " +
      "temporary keys), or DCS_AUTH_TOKEN with an IAM token.",
    EXIT.auth,
  ],
};

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

  // The client reads the variables (AK/SK, security token, DCS_AUTH_TOKEN, project ID); the flags go in as
  // the variables they replace, and what is missing becomes this CLI's message.
  const sk = values["sk-stdin"] ? await readSecretFromStdin(stdin()) : env.HUAWEICLOUD_SDK_SK;
  let fromEnv: EnvCredentials;
  try {
    fromEnv = credentialsFromEnv({
      ...env,
      HUAWEICLOUD_SDK_SK: sk,
      HUAWEICLOUD_SDK_PROJECT_ID:
        (values["project-id"] as string | undefined) ?? env.HUAWEICLOUD_SDK_PROJECT_ID,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const [message, exitCode] = MISSING[error.option] ?? [error.message, EXIT.auth];
    throw new UsageError(message, { exitCode });
  }
  const { credentials, projectId } = fromEnv;
  const timeoutMs = integerFlag(values, "timeout", 1, 3_600_000);
  // The AK is an identifier rather than a secret, and the client redacts it already; scrubbing it here too
  // keeps it out of every line this CLI writes, whatever path a future message takes.
  const secrets = [env.HUAWEICLOUD_SDK_AK, sk, env.HUAWEICLOUD_SDK_SECURITY_TOKEN, env.DCS_AUTH_TOKEN]
    .map(nonEmpty)
    .filter((s): s is string => s !== undefined);
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
