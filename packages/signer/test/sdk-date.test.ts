import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSdkDate, parseSdkDate } from "../src/node.js";

describe("X-Sdk-Date", () => {
  it("formats UTC as YYYYMMDDTHHMMSSZ, dropping milliseconds", () => {
    expect(formatSdkDate(new Date("2019-11-15T03:36:55.999Z"))).toBe("20191115T033655Z");
    expect(formatSdkDate(new Date("2006-01-02T15:04:05+02:00"))).toBe("20060102T130405Z");
  });

  it("round-trips every second of years 1000 to 9999", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1000-01-01T00:00:00Z"),
          max: new Date("9999-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        (d) => {
          const text = formatSdkDate(d);
          expect(text).toMatch(/^\d{8}T\d{6}Z$/);
          expect(parseSdkDate(text)?.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("parses strictly", () => {
    for (const bad of [
      "20240230T000000Z",
      "20241301T000000Z",
      "20240101T240000Z",
      "20240101T000060Z",
      "20240101T000000",
      "2024-01-01T00:00:00Z",
      "20240101t000000z",
      " 20240101T000000Z",
      "09990101T000000Z",
      "",
    ]) {
      expect(parseSdkDate(bad), bad).toBeUndefined();
    }
    expect(parseSdkDate("20240229T235959Z")).toEqual(new Date("2024-02-29T23:59:59Z"));
  });

  it("refuses dates it cannot write", () => {
    expect(() => formatSdkDate(new Date(Number.NaN))).toThrow(
      expect.objectContaining({ code: "invalid-option" }),
    );
    expect(() => formatSdkDate(new Date("+010000-01-01T00:00:00Z"))).toThrow(
      expect.objectContaining({ code: "invalid-option" }),
    );
  });
});
