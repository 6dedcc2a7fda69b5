import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { createRandom, seedFrom } from "./random.js";

/**
 * The content of one log file is a pure function of (seed, key, size): it is generated in fixed-size blocks,
 * each from its own PRNG state, so any byte range can be produced without the bytes before it. Every block
 * ends on a line break, which keeps lines whole wherever a block boundary falls.
 */
export const BLOCK_SIZE = 64 * 1024;

export interface LogFileSpec {
  seed: number;
  /** Identity of the file (instance, replica, day); different keys give different content. */
  key: string;
  size: number;
  /** The day the lines are from, `yyyy-MM-dd`. */
  day: string;
  /** IP of the node that wrote the log. */
  ip: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86_400_000;
/** Room kept at the end of a block for the closing line, whose last field stretches to fill the block. */
const FILLER_ROOM = 128;

/** A strong ETag for the file: the same for the same content. */
export function logEtag(spec: LogFileSpec): string {
  const hash = createHash("md5").update(`${spec.seed}\u0000${spec.key}\u0000${spec.size}\u0000${spec.day}`);
  return `"${hash.digest("hex")}"`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

// Lookup tables: the time of day is formatted for every line, and Date objects would dominate the cost.
const TWO = Array.from({ length: 100 }, (_, i) => pad(i, 2));
const THREE = Array.from({ length: 1000 }, (_, i) => pad(i, 3));

/** The date part of a Redis log timestamp: `16 Apr 2021 `. */
function datePrefix(dayStart: number): string {
  const d = new Date(dayStart);
  return `${pad(d.getUTCDate(), 2)} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} `;
}

/** The time part: `10:00:00.123`. */
function timeOfDay(msInDay: number): string {
  const ms = msInDay % 1000;
  const seconds = Math.floor(msInDay / 1000);
  return `${TWO[Math.floor(seconds / 3600)]}:${TWO[Math.floor(seconds / 60) % 60]}:${TWO[seconds % 60]}.${THREE[ms]}`;
}

/** Writes the lines of one block. `random` is the block's own PRNG. */
class BlockWriter {
  readonly #random: () => number;
  readonly #spec: LogFileSpec;
  readonly #pid: number;
  #time: number;
  readonly #dayStart: number;
  readonly #datePrefix: string;
  readonly #end: number;
  readonly #gap: number;

  constructor(spec: LogFileSpec, index: number, blockCount: number, length: number) {
    this.#spec = spec;
    this.#random = createRandom(seedFrom(spec.seed, spec.key, index));
    this.#pid = 1000 + (seedFrom(spec.seed, spec.key, "pid") % 60_000);
    const dayStart = Date.parse(`${spec.day}T00:00:00.000Z`);
    this.#dayStart = dayStart;
    this.#datePrefix = datePrefix(dayStart);
    const span = DAY_MS / blockCount;
    this.#time = dayStart + Math.floor(index * span);
    this.#end = dayStart + Math.floor((index + 1) * span) - 1;
    this.#gap = Math.max(1, Math.floor(span / Math.max(1, length / 90)));
  }

  #int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  #peer(): string {
    return `192.168.${this.#int(0, 3)}.${this.#int(2, 250)}`;
  }

  #tick(): string {
    this.#time = Math.min(this.#end, this.#time + this.#int(1, this.#gap * 2));
    return this.#datePrefix + timeOfDay(this.#time - this.#dayStart);
  }

  line(): string {
    const r = this.#random();
    const child = this.#pid + this.#int(1, 900);
    let role = "M";
    let pid = this.#pid;
    let level = "*";
    let message: string;
    if (r < 0.16)
      message = `${this.#int(1, 10_000)} changes in ${[60, 300, 900, 3600][this.#int(0, 3)]} seconds. Saving...`;
    else if (r < 0.32) message = `Background saving started by pid ${child}`;
    else if (r < 0.44) {
      role = "C";
      pid = child;
      message = "DB saved on disk";
    } else if (r < 0.54) {
      role = "C";
      pid = child;
      message = `Fork CoW for RDB: current ${this.#int(0, 8)} MB, peak ${this.#int(0, 16)} MB, average ${this.#int(0, 8)} MB`;
    } else if (r < 0.7) message = "Background saving terminated with success";
    else if (r < 0.76)
      message = `Replica ${this.#spec.ip.replace(/\d+$/, String(this.#int(2, 250)))}:6379 asks for synchronization`;
    else if (r < 0.82)
      message = `Partial resynchronization request from ${this.#peer()}:6379 accepted. Sending ${this.#int(0, 99_999)} bytes of backlog starting from offset ${this.#int(1, 2_000_000_000)}.`;
    else if (r < 0.88) message = `Synchronization with replica ${this.#peer()}:6379 succeeded`;
    else if (r < 0.93) {
      level = "#";
      message = `Connection with replica ${this.#peer()}:6379 lost.`;
    } else if (r < 0.97) {
      level = "-";
      message = `Accepted ${this.#peer()}:${this.#int(1024, 65_535)}`;
    } else {
      level = "#";
      message = `WARNING: ${this.#int(100, 10_000)} clients connected (${this.#int(70, 99)}% of maxclients)`;
    }
    return `${pid}:${role} ${this.#tick()} ${level} ${message}\n`;
  }

  /** A line of exactly `length` bytes: the client name at its end takes up what is left. */
  filler(length: number): string {
    const head = `${this.#pid}:M ${this.#tick()} * Client closed connection id=${this.#int(1, 999_999)} addr=${this.#peer()}:${this.#int(1024, 65_535)} name=`;
    const room = length - head.length - 1;
    if (room < 0) return `${head.slice(0, Math.max(0, length - 1))}\n`.slice(-length);
    let name = "";
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    while (name.length < room) name += alphabet.charAt(this.#int(0, alphabet.length - 1));
    return `${head}${name}\n`;
  }
}

/** Number of blocks of a file of `size` bytes. */
function blockCount(size: number): number {
  return Math.max(1, Math.ceil(size / BLOCK_SIZE));
}

/** The bytes of block `index` of the file. */
export function generateBlock(spec: LogFileSpec, index: number): Buffer {
  const count = blockCount(spec.size);
  const length = Math.min(BLOCK_SIZE, spec.size - index * BLOCK_SIZE);
  if (length <= 0) return Buffer.alloc(0);
  const writer = new BlockWriter(spec, index, count, length);
  const lines: string[] = [];
  let used = 0;
  for (;;) {
    const line = writer.line();
    if (used + line.length + FILLER_ROOM > length) break;
    lines.push(line);
    used += line.length;
  }
  lines.push(writer.filler(length - used));
  const block = Buffer.from(lines.join(""), "latin1");
  // The filler is exact whenever the block has FILLER_ROOM bytes; a tiny file is cut to its size.
  return block.length === length ? block : block.subarray(0, length);
}

/**
 * A stream of bytes `start..end` (inclusive) of the file, produced block by block as the consumer reads, so
 * memory stays at about one block however large the file is.
 */
export function createLogStream(spec: LogFileSpec, start: number, end: number): Readable {
  let position = start;
  return new Readable({
    highWaterMark: BLOCK_SIZE,
    read() {
      if (position > end) {
        this.push(null);
        return;
      }
      const index = Math.floor(position / BLOCK_SIZE);
      const blockStart = index * BLOCK_SIZE;
      const block = generateBlock(spec, index);
      const from = position - blockStart;
      const to = Math.min(block.length, end - blockStart + 1);
      position = blockStart + to;
      this.push(block.subarray(from, to));
    },
  });
}
