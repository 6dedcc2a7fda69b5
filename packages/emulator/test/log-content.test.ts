// The generated log files: exact sizes, whole lines, realistic Redis lines in time order, any byte range
// reproducible (also after the line pools were evicted), and bounded memory while streaming.
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { BLOCK_SIZE, createLogStream, generateBlock, type LogFileSpec, logEtag } from "../src/log-content.js";
import { createRandom } from "../src/random.js";
import { parseRange } from "../src/range.js";

const GiB = 1024 ** 3;

const spec = (size: number, seed = 1, key = "instance/replica/2021-04-16"): LogFileSpec => ({
  seed,
  key,
  size,
  day: "2021-04-16",
  ip: "192.168.0.142",
});

async function read(file: LogFileSpec, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createLogStream(file, start, end)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const LINE = /^(\d{4,5}):([MC]) 16 Apr 2021 ((?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}) ([.*#-]) (\S.*)$/;

/** Every message shape the generator writes; a line matching none of them is a defect. */
const SHAPES: Record<string, RegExp> = {
  changes: /^\d+ changes in (?:60|300|900|3600) seconds\. Saving\.\.\.$/,
  started: /^Background saving started by pid \d{4,5}$/,
  saved: /^DB saved on disk$/,
  cow: /^Fork CoW for RDB: current \d+ MB, peak \d+ MB, average \d+ MB$/,
  terminated: /^Background saving terminated with success$/,
  asks: /^Replica 192\.168\.0\.\d{1,3}:6379 asks for synchronization$/,
  partial:
    /^Partial resynchronization request from 192\.168\.0\.\d{1,3}:6379 accepted\. Sending \d+ bytes of backlog starting from offset \d+\.$/,
  synced: /^Synchronization with replica 192\.168\.0\.\d{1,3}:6379 succeeded$/,
  lost: /^Connection with replica 192\.168\.0\.\d{1,3}:6379 lost\.$/,
  accepted: /^Accepted 192\.168\.\d{1,3}\.\d{1,3}:\d+$/,
  warning: /^WARNING: \d+ clients connected \(\d+% of maxclients\)$/,
  closed: /^Client closed connection id=\d+ addr=192\.168\.\d{1,3}\.\d{1,3}:\d+ name=[a-z0-9]*$/,
};

interface Line {
  pid: string;
  role: string;
  time: string;
  shape: string;
  message: string;
}

/** Parses whole lines; fails the test on the first one that is not a Redis log line of a known shape. */
function parse(text: string): Line[] {
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((raw) => {
      const match = LINE.exec(raw);
      expect(match, raw).not.toBeNull();
      const [, pid = "", role = "", time = "", , message = ""] = match ?? [];
      const shape = Object.keys(SHAPES).find((name) => SHAPES[name]?.test(message));
      expect(shape, raw).toBeDefined();
      return { pid, role, time, shape: shape ?? "", message };
    });
}

describe("log content", () => {
  test.each([1, 50, 127, 128, 129, 1000, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 3 * BLOCK_SIZE + 17])(
    "a file of %i bytes has exactly that many, ending with a newline",
    async (size) => {
      const bytes = await read(spec(size), 0, size - 1);
      expect(bytes.length).toBe(size);
      expect(bytes.at(-1)).toBe(0x0a);
      // No byte outside printable ASCII and the line break: nothing leaks from uninitialized memory.
      expect(bytes.every((b) => b === 0x0a || (b >= 0x20 && b < 0x7f))).toBe(true);
    },
  );

  test("every line is a Redis log line of a known shape, with timestamps of its day in order", async () => {
    const lines = parse((await read(spec(5 * BLOCK_SIZE), 0, 5 * BLOCK_SIZE - 1)).toString("latin1"));
    expect(lines.length).toBeGreaterThan(3000);
    for (let i = 1; i < lines.length; i++)
      expect((lines[i] as Line).time >= (lines[i - 1] as Line).time, `line ${i}`).toBe(true);
    const shapes = new Set(lines.map((l) => l.shape));
    expect([...shapes].sort()).toEqual(Object.keys(SHAPES).sort());
  });

  test("an RDB save reads as Redis logs it: the forked child's lines carry the pid the master announced", () => {
    const lines = parse(generateBlock(spec(GiB), 1234).toString("latin1"));
    let checked = 0;
    for (let i = 0; i + 2 < lines.length; i++) {
      const started = /by pid (\d+)$/.exec((lines[i] as Line).message);
      if (!started) continue;
      const [saved, cow] = [lines[i + 1] as Line, lines[i + 2] as Line];
      expect(saved).toMatchObject({ pid: started[1], role: "C", shape: "saved" });
      if (cow.shape !== "cow") continue;
      expect(cow).toMatchObject({ pid: started[1], role: "C" });
      const [current, peak, average] = (cow.message.match(/\d+/g) ?? []).map(Number);
      expect(peak).toBeGreaterThanOrEqual(current ?? Number.NaN);
      expect(peak).toBeGreaterThanOrEqual(average ?? Number.NaN);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  test("a 1 GiB file spans its day: times never go back across blocks, from 00:00 to 23:59", () => {
    const size = GiB;
    const blocks = size / BLOCK_SIZE;
    let previous = "";
    for (const index of [0, 1, 2, blocks / 2 - 1, blocks / 2, blocks - 2, blocks - 1]) {
      const lines = parse(generateBlock(spec(size), index).toString("latin1"));
      if (index === 0) expect((lines[0] as Line).time.startsWith("00:00:")).toBe(true);
      if (index === blocks - 1) expect((lines.at(-1) as Line).time.startsWith("23:59:")).toBe(true);
      for (const line of lines) {
        expect(line.time >= previous).toBe(true);
        previous = line.time;
      }
    }
  });

  test("blocks differ from one another, and another file has other lines", () => {
    const body = (block: Buffer) => block.toString("latin1").replace(/\d\d:\d\d:\d\d\.\d{3}/g, "");
    const bodies = new Set(Array.from({ length: 64 }, (_, i) => body(generateBlock(spec(GiB), i * 97))));
    expect(bodies.size).toBe(64);
    expect(body(generateBlock(spec(GiB, 1, "other/replica/2021-04-16"), 0))).not.toBe(
      body(generateBlock(spec(GiB), 0)),
    );
  });

  test("each 64 KiB block ends on a line break, so lines stay whole across blocks", () => {
    for (let i = 0; i < 4; i++) {
      const block = generateBlock(spec(10 * BLOCK_SIZE), i);
      expect(block.length).toBe(BLOCK_SIZE);
      expect(block.at(-1)).toBe(0x0a);
      expect(block.indexOf(0x0a)).toBeGreaterThan(40);
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
    expect(sha(await read(spec(size), 0, size - 1))).toBe(sha(whole));
    expect(sha(await read(spec(size, 2), 0, size - 1))).not.toBe(sha(whole));
  });

  test("200 random ranges of a 3 MiB file, many across block and chunk boundaries, equal their slices", async () => {
    const size = 3 * 1024 ** 2 + 777;
    const whole = await read(spec(size), 0, size - 1);
    expect(whole.length).toBe(size);
    for (let i = 0; i * BLOCK_SIZE < size; i++) {
      const block = generateBlock(spec(size), i);
      expect(block.equals(whole.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE)), `block ${i}`).toBe(true);
    }
    const random = createRandom(7);
    for (let i = 0; i < 200; i++) {
      const start = Math.floor(random() * size);
      // Mostly short ranges around a boundary, some up to 1 MiB.
      const length = 1 + Math.floor(random() * (i % 4 === 0 ? 1024 ** 2 : 3 * BLOCK_SIZE));
      const end = Math.min(size - 1, start + length - 1);
      const part = await read(spec(size), start, end);
      expect(part.equals(whole.subarray(start, end + 1)), `bytes ${start}-${end}`).toBe(true);
    }
  });

  test("the content does not depend on what else was generated: pools evicted and rebuilt give the same bytes", async () => {
    const size = 2 * 1024 ** 2;
    const before = sha(await read(spec(size), 0, size - 1));
    for (let i = 0; i < 20; i++) generateBlock(spec(size, 1, `other-${i}/replica/2021-04-16`), 3);
    expect(sha(await read(spec(size), 0, size - 1))).toBe(before);
  });

  test("the ETag is stable for the same file and differs when seed, key, size, day or ip differ", () => {
    const base = spec(1000);
    expect(logEtag(base)).toBe(logEtag({ ...base }));
    expect(logEtag(base)).toMatch(/^"[0-9a-f]{32}"$/);
    for (const other of [
      { ...base, seed: 2 },
      { ...base, key: "x" },
      { ...base, size: 1001 },
      { ...base, day: "2021-04-17" },
      { ...base, ip: "192.168.0.143" },
    ])
      expect(logEtag(other)).not.toBe(logEtag(base));
  });
});

describe("memory", () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  const used = () => {
    gc?.();
    gc?.();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };

  test("a stream that is not read stops producing: a few chunks buffered, not the 1 GiB", async () => {
    const stream = createLogStream(spec(GiB), 0, GiB - 1);
    let received = 0;
    stream.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received >= 4 * 1024 ** 2) stream.pause();
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.isPaused()).toBe(true);
    expect(received).toBeLessThan(5 * 1024 ** 2);
    expect(stream.readableLength).toBeLessThanOrEqual(1024 ** 2);
    stream.destroy();
  });

  test("the line pools of many files are not all kept", () => {
    expect(gc, "vitest.config.ts passes --expose-gc").toBeTypeOf("function");
    generateBlock(spec(GiB, 1, "warm-up"), 0);
    const baseline = used();
    // Each file's pool is ~0.7 MiB: 40 kept would be near 28 MiB.
    for (let i = 0; i < 40; i++) generateBlock(spec(GiB, 1, `file-${i}/replica/2021-04-16`), i);
    expect(used() - baseline).toBeLessThan(16 * 1024 ** 2);
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
