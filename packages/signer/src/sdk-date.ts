import { SignerError } from "./errors.js";

// Signatures made within the same second share their X-Sdk-Date: formatting it once per second is free.
let cached: [second: number, text: string] = [Number.NaN, ""];

/** Formats a date as `X-Sdk-Date` wants it: UTC `YYYYMMDDTHHMMSSZ`, e.g. `20191115T033655Z`. */
export function formatSdkDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== cached[0]) {
    const year = date.getUTCFullYear();
    if (!(year >= 1000 && year <= 9999)) {
      throw new SignerError("invalid-option", "date must be a valid Date in the years 1000 to 9999");
    }
    cached = [second, date.toISOString().replace(/[-:]|\.\d+/g, "")];
  }
  return cached[1];
}

/** Parses a `YYYYMMDDTHHMMSSZ` value strictly; `undefined` for anything else, including impossible dates. */
export function parseSdkDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value);
  if (!m || Number(m[1]) < 1000) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20240231 over into March, and reads years below 100 as 19xx; a round trip rejects both.
  return formatSdkDate(date) === value ? date : undefined;
}
