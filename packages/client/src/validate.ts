import { ValidationError } from "./errors.js";

// Ids go into the request path or query. Only these characters are allowed, so no id can add a path
// segment, a query, a fragment, a host or a header line, whatever encoding a layer below applies.
const ID = /^[A-Za-z0-9][\w-]{0,63}$/;

type Check<T> = (option: string, value: unknown, Err?: typeof ValidationError) => T;

const fail = (Err: typeof ValidationError, option: string, rule: string, value: unknown): never => {
  const got =
    typeof value === "string"
      ? value.length > 64
        ? `${value.length} characters`
        : JSON.stringify([...value].find((c) => !/[\w-]/.test(c)) ?? value.slice(0, 1))
      : String(value);
  throw new Err(option, `${option} must be ${rule} (got ${got}).`);
};

/** Throws a ValidationError naming `option` unless `value` is a safe id. */
export const checkId: Check<string> = (option, value, Err = ValidationError) =>
  typeof value === "string" && ID.test(value)
    ? value
    : fail(Err, option, "1–64 characters of A–Z a–z 0–9 - _, starting with a letter or digit", value);

export const checkOptionalId: Check<string | undefined> = (option, value) =>
  value === undefined ? undefined : checkId(option, value);

/** An integer in [min, max]. */
export const checkInt = (
  option: string,
  value: unknown,
  min: number,
  max: number,
  Err = ValidationError,
): number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? (value as number)
    : fail(Err, option, `an integer from ${min} to ${max}`, value);

/** Milliseconds: a number ≥ 0 (Infinity allowed, meaning no limit). */
export const checkMs: Check<number> = (option, value, Err = ValidationError) =>
  typeof value === "number" && value >= 0 ? value : fail(Err, option, "a number of milliseconds ≥ 0", value);

export const checkOneOf = <T>(option: string, value: unknown, allowed: readonly T[]): T =>
  allowed.includes(value as T)
    ? (value as T)
    : fail(ValidationError, option, `one of ${allowed.join(", ")}`, value);
