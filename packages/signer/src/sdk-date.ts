import { SignerError } from "./errors.js";

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

// Signatures made within the same second share their X-Sdk-Date; formatting it once per second is free.
let cachedSecond = Number.NaN;
let cachedText = "";

/** Formats a date as `X-Sdk-Date` wants it: UTC `YYYYMMDDTHHMMSSZ`, e.g. `20191115T033655Z`. */
export function formatSdkDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second === cachedSecond) return cachedText;
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) {
    throw new SignerError("invalid-option", "date must be a valid Date between the years 1000 and 9999");
  }
  const text = `${year}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}T${pad2(date.getUTCHours())}${pad2(
    date.getUTCMinutes(),
  )}${pad2(date.getUTCSeconds())}Z`;
  cachedSecond = second;
  cachedText = text;
  return text;
}

const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses a `YYYYMMDDTHHMMSSZ` value strictly; `undefined` for anything else, including impossible dates. */
export function parseSdkDate(value: string): Date | undefined {
  const m = SDK_DATE.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1000) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20240231 over into March; a round trip rejects such values.
  return formatSdkDate(date) === value ? date : undefined;
}
