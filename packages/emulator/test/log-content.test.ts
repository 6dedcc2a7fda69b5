// The generated log files: exact sizes, whole lines, realistic Redis lines, and any byte range reproducible.
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { BLOCK_SIZE, createLogStream, generateBlock, type LogFileSpec, logEtag } from "../src/log-content.js";
import { parseRange } from "../src/range.js";

const spec = (size: number, seed = 1): LogFileSpec => ({
  seed,
  key: "instance/replica/2021-04-16",
  size,
  day: "2021-04-16",
  ip: "192.168.0.142",
});

async function read(file: LogFileSpec, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createLogStream(file, start, end)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const LINE = /^\d{4,5}:[MC] 16 Apr 2021 (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3} [.*#-] \S.*$/;

describe("log content", () => {
  test.each([1, 50, 127, 128, 129, 1000, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 3 * BLOCK_SIZE + 17])(
    "a file of %i bytes has exactly that many, ending with a newline",
    async (size) => {
      const bytes = await read(spec(size), 0, size - 1);
      expect(bytes.length).toBe(size);
      expect(bytes.at(-1)).toBe(0x0a);
    },
  );

  test("every line is a Redis log line with timestamps of its day, in order", async () => {
    const text = (await read(spec(5 * BLOCK_SIZE), 0, 5 * BLOCK_SIZE - 1)).toString("latin1");
    const lines = text.split("\n").slice(0, -1);
    expect(lines.length).toBeGreaterThan(1000);
    let previous = "";
    for (const line of lines) {
      expect(line).toMatch(LINE);
      const time = line.split(" ").slice(1, 5).join(" ");
      expect(time >= previous).toBe(true);
      previous = time;
    }
    expect(text).toContain("Background saving started by pid");
    expect(text).toContain("DB saved on disk");
  });

  test("each 64 KiB block ends on a line break, so lines stay whole across blocks", () => {
    for (let i = 0; i < 4; i++) {
      const block = generateBlock(spec(10 * BLOCK_SIZE), i);
      expect(block.length).toBe(BLOCK_SIZE);
      expect(block.at(-1)).toBe(0x0a);
    }
  });

  test("any range equals the slice of the whole file; the same seed gives the same bytes", async () => {
    const size = 4 * BLOCK_SIZE + 1234;
    const whole = await read(spec(size), 0, size - 1);
    for (const [start, end] of [
      [0, 0],
      [BLOCK_SIZE - 3, BLOCK_SIZE + 3],
      [12_345, 3 * BLOCK_SIZE + 5],
      [size - 1, size - 1],
    ] as const) {
      expect((await read(spec(size), start, end)).equals(whole.subarray(start, end + 1))).toBe(true);
    }
    const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(sha(await read(spec(size), 0, size - 1))).toBe(sha(whole));
    expect(sha(await read(spec(size, 2), 0, size - 1))).not.toBe(sha(whole));
    expect(logEtag(spec(size))).toBe(logEtag(spec(size)));
    expect(logEtag(spec(size))).not.toBe(logEtag(spec(size, 2)));
  });
});

describe("parseRange", () => {
  test.each([
    ["bytes=0-9", { start: 0, end: 9 }],
    ["bytes=5-", { start: 5, end: 99 }],
    ["bytes=-10", { start: 90, end: 99 }],
    ["bytes=-1000", { start: 0, end: 99 }],
    ["bytes=90-1000", { start: 90, end: 99 }],
    ["bytes=100-", "unsatisfiable"],
    ["bytes=-0", "unsatisfiable"],
    ["bytes=9-5", undefined],
    ["bytes=0-1,5-6", undefined],
    ["bits=0-1", undefined],
    ["bytes=-", undefined],
  ])("%s of 100 bytes → %j", (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });
});
