import { FaultSpecError } from "./errors.js";
import type { FaultKind, FaultOperation, FaultRule } from "./types.js";

export const FAULT_OPERATIONS: readonly FaultOperation[] = [
  "CreateRedislog",
  "ListRedislog",
  "CreateRedislogDownloadLink",
  "Download",
  "*",
];

export const FAULT_KINDS: readonly FaultKind[] = [
  "throttle",
  "error500",
  "error502",
  "error503",
  "latency",
  "hang",
  "reset",
  "truncate",
  "malformed-json",
  "clock-skew",
];

const NUMERIC_KEYS = [
  "times",
  "probability",
  "latencyMs",
  "retryAfterSeconds",
  "skewMs",
  "truncateAtBytes",
] as const;
type NumericKey = (typeof NUMERIC_KEYS)[number];

const FORMS =
  "Use `Operation:kind[:key=value...]` separated by commas (e.g. `ListRedislog:throttle:times=2,Download:truncate`) " +
  "or a JSON array of rules.";

/** Parses the string form or checks an array of rules; throws {@link FaultSpecError} naming the bad part. */
export function parseFaults(input: FaultRule[] | string): FaultRule[] {
  if (typeof input !== "string") {
    if (!Array.isArray(input))
      throw new FaultSpecError(`Faults must be an array of rules or a string. ${FORMS}`);
    return input.map((rule, i) => checkRule(rule, `rule ${i + 1}`));
  }
  const text = input.trim();
  if (text === "") return [];
  if (text.startsWith("[") || text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new FaultSpecError(`Faults look like JSON but do not parse. ${FORMS}`);
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((rule, i) => checkRule(rule, `rule ${i + 1}`));
  }
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map(parseRuleString);
}

function parseRuleString(part: string): FaultRule {
  const [operation = "", kind = "", ...options] = part.split(":").map((s) => s.trim());
  const rule: Record<string, unknown> = { operation, kind };
  for (const option of options) {
    const eq = option.indexOf("=");
    if (eq <= 0) throw new FaultSpecError(`Fault "${part}": option "${option}" is not key=value. ${FORMS}`);
    const key = option.slice(0, eq);
    const raw = option.slice(eq + 1);
    const value = Number(raw);
    if (raw === "" || !Number.isFinite(value)) {
      throw new FaultSpecError(`Fault "${part}": ${key} must be a number, got "${raw}".`);
    }
    rule[key] = value;
  }
  return checkRule(rule, `"${part}"`);
}

function checkRule(value: unknown, where: string): FaultRule {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FaultSpecError(`Fault ${where} is not an object. ${FORMS}`);
  }
  const raw = value as Record<string, unknown>;
  const operation = FAULT_OPERATIONS.find((op) => op.toLowerCase() === String(raw.operation).toLowerCase());
  if (!operation) {
    throw new FaultSpecError(
      `Fault ${where}: unknown operation "${String(raw.operation)}"; use one of ${FAULT_OPERATIONS.join(", ")}.`,
    );
  }
  const kind = FAULT_KINDS.find((k) => k === String(raw.kind).toLowerCase());
  if (!kind) {
    throw new FaultSpecError(
      `Fault ${where}: unknown kind "${String(raw.kind)}"; use one of ${FAULT_KINDS.join(", ")}.`,
    );
  }
  const rule: FaultRule = { operation, kind };
  for (const key of Object.keys(raw)) {
    if (key === "operation" || key === "kind") continue;
    if (!(NUMERIC_KEYS as readonly string[]).includes(key)) {
      throw new FaultSpecError(`Fault ${where}: unknown option "${key}"; use ${NUMERIC_KEYS.join(", ")}.`);
    }
    const n = raw[key];
    if (typeof n !== "number" || !Number.isFinite(n))
      throw new FaultSpecError(`Fault ${where}: ${key} must be a number.`);
    checkNumber(where, key as NumericKey, n);
    rule[key as NumericKey] = n;
  }
  return rule;
}

function checkNumber(where: string, key: NumericKey, n: number): void {
  const fail = (what: string) => {
    throw new FaultSpecError(`Fault ${where}: ${key} must be ${what}, got ${n}.`);
  };
  switch (key) {
    case "probability":
      if (n < 0 || n > 1) fail("between 0 and 1");
      break;
    case "skewMs":
      if (!Number.isInteger(n)) fail("an integer");
      break;
    default:
      if (!Number.isInteger(n) || n < 0) fail("a non-negative integer");
  }
}

/** Formats rules back into the string form (for banners and logs). */
export function formatFaults(rules: readonly FaultRule[]): string {
  return rules
    .map((rule) => {
      const options = NUMERIC_KEYS.filter((k) => rule[k] !== undefined).map((k) => `:${k}=${rule[k]}`);
      return `${rule.operation}:${rule.kind}${options.join("")}`;
    })
    .join(",");
}

/** Faults that replace or break the answer; at most one applies to a request. */
const ACTION_KINDS: ReadonlySet<FaultKind> = new Set([
  "throttle",
  "error500",
  "error502",
  "error503",
  "hang",
  "reset",
  "truncate",
  "malformed-json",
]);

/** What the faults decided for one request. */
export interface FaultDecision {
  latencyMs: number;
  skewMs: number;
  action?: FaultRule;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/** The active rules and their remaining `times`; picks the faults of each request. */
export class FaultSet {
  #rules: ActiveRule[] = [];
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  set(input: FaultRule[] | string): void {
    this.#rules = parseFaults(input).map((rule) => ({
      rule,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    }));
  }

  clear(): void {
    this.#rules = [];
  }

  /** The rules still in force, with `times` set to what is left of it. */
  list(): FaultRule[] {
    return this.#rules
      .filter((r) => r.remaining > 0)
      .map((r) => (Number.isFinite(r.remaining) ? { ...r.rule, times: r.remaining } : { ...r.rule }));
  }

  /** Decides the faults of one request to `operation` and uses up their `times`. */
  decide(operation: Exclude<FaultOperation, "*">): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, skewMs: 0 };
    for (const active of this.#rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.operation !== "*" && rule.operation !== operation) continue;
      if (ACTION_KINDS.has(rule.kind) && decision.action) continue;
      if ((rule.probability ?? 1) < 1 && this.#random() >= (rule.probability ?? 1)) continue;
      active.remaining -= 1;
      if (rule.kind === "latency") decision.latencyMs += rule.latencyMs ?? 1000;
      else if (rule.kind === "clock-skew") decision.skewMs += rule.skewMs ?? 1_800_000;
      else decision.action = rule;
    }
    return decision;
  }
}
