import {
  DEFAULT_AK,
  DEFAULT_COLLECT_DELAY_MS,
  DEFAULT_HOST,
  DEFAULT_INSTANCES,
  DEFAULT_LINK_TTL_SECONDS,
  DEFAULT_LOG_SIZE,
  DEFAULT_PORT,
  DEFAULT_PROJECT_ID,
  DEFAULT_SEED,
  DEFAULT_SK,
  DEFAULT_TOKENS,
  ID_PATTERN,
} from "./defaults.js";
import { EmulatorConfigError } from "./errors.js";
import { parseFaults } from "./faults.js";
import type { EmulatorOptions, FaultRule, InstanceConfig } from "./types.js";

/** Options with every default filled in and every value checked. */
export interface ResolvedOptions {
  host: string;
  port: number;
  ak: string;
  sk: string;
  projectId: string;
  tokens: string[];
  temporaryCredentials: { ak: string; sk: string; securityToken: string }[];
  instances: InstanceConfig[];
  collectDelayMs: number;
  logSize: number;
  linkTtlSeconds: number;
  seed: number;
  faults: FaultRule[];
  admin: boolean;
  logger: ((line: string) => void) | undefined;
  now: () => number;
}

/** The keys a `--config` JSON file may hold: the options of `startEmulator` that are plain data. */
export const CONFIG_KEYS = [
  "host",
  "port",
  "ak",
  "sk",
  "projectId",
  "tokens",
  "temporaryCredentials",
  "instances",
  "collectDelayMs",
  "logSize",
  "linkTtlSeconds",
  "seed",
  "faults",
  "admin",
] as const;

function fail(message: string): never {
  throw new EmulatorConfigError(message);
}

function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") fail(`${name} must be a non-empty string.`);
  return value;
}

function integer(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function checkInstances(value: unknown): InstanceConfig[] {
  if (!Array.isArray(value) || value.length === 0) fail("instances must be a non-empty array.");
  const seen = new Set<string>();
  return value.map((raw: unknown, i) => {
    const where = `instances[${i}]`;
    if (typeof raw !== "object" || raw === null) fail(`${where} must be an object.`);
    const item = raw as Record<string, unknown>;
    const id = nonEmptyString(`${where}.id`, item.id);
    if (!ID_PATTERN.test(id)) fail(`${where}.id must match ${ID_PATTERN} (letters, digits, - and _).`);
    if (seen.has(id)) fail(`${where}.id ${id} is used twice.`);
    seen.add(id);
    if (item.type !== "single" && item.type !== "cluster")
      fail(`${where}.type must be "single" or "cluster".`);
    const ids = item.replicationIds;
    if (!Array.isArray(ids) || ids.length === 0) fail(`${where}.replicationIds must be a non-empty array.`);
    if (item.type === "single" && ids.length !== 1)
      fail(`${where}: a single-node instance has exactly one replicationId.`);
    const replicationIds = ids.map((r: unknown, j) => {
      const rid = nonEmptyString(`${where}.replicationIds[${j}]`, r);
      if (!ID_PATTERN.test(rid)) fail(`${where}.replicationIds[${j}] must match ${ID_PATTERN}.`);
      return rid;
    });
    if (new Set(replicationIds).size !== replicationIds.length)
      fail(`${where}.replicationIds has duplicates.`);
    const instance: InstanceConfig = { id, type: item.type, replicationIds };
    if (item.name !== undefined) instance.name = nonEmptyString(`${where}.name`, item.name);
    return instance;
  });
}

/** Fills in defaults and checks every option; throws {@link EmulatorConfigError} naming the bad one. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const ak = options.ak === undefined ? DEFAULT_AK : nonEmptyString("ak", options.ak);
  const sk = options.sk === undefined ? DEFAULT_SK : nonEmptyString("sk", options.sk);
  const projectId =
    options.projectId === undefined ? DEFAULT_PROJECT_ID : nonEmptyString("projectId", options.projectId);
  if (!ID_PATTERN.test(projectId)) fail(`projectId must match ${ID_PATTERN}.`);
  const tokens = options.tokens === undefined ? [...DEFAULT_TOKENS] : options.tokens;
  if (!Array.isArray(tokens)) fail("tokens must be an array of strings.");
  for (const [i, t] of tokens.entries()) nonEmptyString(`tokens[${i}]`, t);
  const temporaryCredentials = options.temporaryCredentials ?? [];
  if (!Array.isArray(temporaryCredentials)) fail("temporaryCredentials must be an array.");
  temporaryCredentials.forEach((c, i) => {
    if (typeof c !== "object" || c === null) fail(`temporaryCredentials[${i}] must be an object.`);
    nonEmptyString(`temporaryCredentials[${i}].ak`, c.ak);
    nonEmptyString(`temporaryCredentials[${i}].sk`, c.sk);
    nonEmptyString(`temporaryCredentials[${i}].securityToken`, c.securityToken);
    if (c.ak === ak) fail(`temporaryCredentials[${i}].ak is the permanent ak.`);
  });
  let faults: FaultRule[];
  try {
    faults = parseFaults(options.faults ?? []);
  } catch (error) {
    fail((error as Error).message);
  }
  if (options.logger !== undefined && typeof options.logger !== "function")
    fail("logger must be a function.");
  if (options.now !== undefined && typeof options.now !== "function") fail("now must be a function.");
  return {
    host: options.host === undefined ? DEFAULT_HOST : nonEmptyString("host", options.host),
    port: options.port === undefined ? DEFAULT_PORT : integer("port", options.port, 0, 65_535),
    ak,
    sk,
    projectId,
    tokens: [...tokens],
    temporaryCredentials: temporaryCredentials.map((c) => ({ ...c })),
    instances:
      options.instances === undefined
        ? DEFAULT_INSTANCES.map((i) => ({ ...i }))
        : checkInstances(options.instances),
    collectDelayMs:
      options.collectDelayMs === undefined
        ? DEFAULT_COLLECT_DELAY_MS
        : integer("collectDelayMs", options.collectDelayMs, 0),
    logSize: options.logSize === undefined ? DEFAULT_LOG_SIZE : integer("logSize", options.logSize, 0),
    linkTtlSeconds:
      options.linkTtlSeconds === undefined
        ? DEFAULT_LINK_TTL_SECONDS
        : integer("linkTtlSeconds", options.linkTtlSeconds, 0, 10 * 365 * 86_400),
    seed: options.seed === undefined ? DEFAULT_SEED : integer("seed", options.seed, 0, 2 ** 32 - 1),
    faults,
    admin: options.admin === undefined ? false : Boolean(options.admin),
    logger: options.logger,
    now: options.now ?? Date.now,
  };
}

/** Checks the parsed content of a `--config` file and returns it as options. */
export function optionsFromConfig(value: unknown, source: string): EmulatorOptions {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(`${source}: the config must be a JSON object.`);
  const unknown = Object.keys(value).filter((k) => !(CONFIG_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0)
    fail(`${source}: unknown key(s) ${unknown.join(", ")}; allowed: ${CONFIG_KEYS.join(", ")}.`);
  const options = value as EmulatorOptions;
  if (options.admin !== undefined && typeof options.admin !== "boolean")
    fail(`${source}: admin must be true or false.`);
  try {
    resolveOptions(options);
  } catch (error) {
    fail(`${source}: ${(error as Error).message}`);
  }
  return options;
}
