// The small pieces the output is made of, in process (the end-to-end files cover them through the binary).
import { describe, expect, test } from "vitest";
import { formatBytes, formatDuration, formatTable } from "../src/format.js";
import { liveProgress, plainProgress } from "../src/progress.js";
import { plain } from "./helpers.js";

describe("format", () => {
  test.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1536, "1.5 KiB"],
    [64 * 1024, "64 KiB"],
    [3 * 1024 * 1024, "3.0 MiB"],
    [5 * 1024 ** 3, "5.0 GiB"],
  ])("formatBytes(%i) = %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  test.each([
    [1500, "1.5s"],
    [42_000, "42s"],
    [65_000, "1m05s"],
    [3_720_000, "1h02m"],
    [Number.NaN, "?"],
  ])("formatDuration(%d) = %s", (ms, text) => expect(formatDuration(ms)).toBe(text));

  test("formatTable pads every column but the last", () => {
    expect(
      formatTable(
        ["A", "BB"],
        [
          ["xyz", "1"],
          ["", "22"],
        ],
      ),
    ).toBe("A    BB\nxyz  1\n     22");
  });
});

describe("progress", () => {
  function sink(isTTY: boolean) {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY, columns: 100, write: (t: string) => chunks.push(t) } };
  }

  test("plain: one line per step, no escapes", () => {
    const { chunks, stream } = sink(false);
    const p = plainProgress(stream);
    p.status("collecting");
    p.status("collecting");
    p.fileStarted("a", "a.log", 2048);
    p.fileProgress("a", 1024, 2048);
    p.fileDone("a", "2.0 KiB");
    p.stop();
    expect(chunks.join("")).toBe("collecting\ndownloading a.log (2.0 KiB)\ndone a.log: 2.0 KiB\n");
  });

  test("live: hides the cursor, redraws in place, shows it again on stop", () => {
    const { chunks, stream } = sink(true);
    const p = liveProgress(stream);
    p.fileStarted("a", "a.log", 2048);
    p.fileProgress("a", 1024, 2048);
    p.note("a note");
    p.fileDone("a", "2.0 KiB");
    p.stop();
    p.stop();
    const text = chunks.join("");
    expect(text.startsWith("\x1b[?25l")).toBe(true);
    expect(text.endsWith("\x1b[?25h")).toBe(true);
    expect(text.split("\x1b[?25h")).toHaveLength(2);
    expect(text).toContain("a note\n");
    expect(text).toMatch(/a\.log +░+ +0% 0 B\/2\.0 KiB/);
    expect(text).toMatch(/total 1\/1 files +█+ 100% 2\.0 KiB\/2\.0 KiB .* done/);
    for (const line of text.split("\n")) expect(plain(line).length).toBeLessThan(100);
  });
});
