import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { createRandom, seedFrom } from "./random.js";

/**
 * The content of one log file is a pure function of (seed, key, size, day, ip), laid out in fixed-size blocks
 * so that any byte range can be produced without the bytes before it. Every block ends on a line break, which
 * keeps lines whole wherever a block boundary falls.
 *
 * Formatting lines one by one runs at ~100 MiB/s, far below what a download over loopback can take, so each
 * file gets a pool of pre-formatted lines once (kept in a small LRU). A block is then one copy of a run of pool
 * lines, its timestamps rewritten in place (they are fixed-width), and a closing line that fills the block
 * exactly: several GiB/s from one core.
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

/** Bumped whenever the bytes for a given spec change, so that an old ETag never validates new content. */
const CONTENT_VERSION = 2;
/** Bytes per push of a stream: large enough to keep per-chunk overhead small, small enough per connection. */
const CHUNK_SIZE = 256 * 1024;
/** Room kept at the end of a block for the closing line, whose last field stretches to fill the block. */
const FILLER_ROOM = 128;
/** Distinct lines per file: each block starts at one of them, so blocks vary while the pool stays small. */
const POOL_BYTES = 512 * 1024;
const MIN_POOL_BYTES = 16 * 1024;
/** Pools kept: enough for a client fetching several files of a cluster at once, ~0.7 MiB each. */
const POOL_CACHE_ENTRIES = 8;
const NAME_CHARS = 1024;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86_400_000;
const NEWLINE = 0x0a;
const ZERO = 0x30;

/** A strong ETag for the file: the same for the same content. */
export function logEtag(spec: LogFileSpec): string {
  const hash = createHash("md5").update(
    `${CONTENT_VERSION}\u0000${spec.seed}\u0000${spec.key}\u0000${spec.size}\u0000${spec.day}\u0000${spec.ip}`,
  );
  return `"${hash.digest("hex")}"`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** The date part of a Redis log timestamp: `16 Apr 2021 `. */
function datePrefix(dayStart: number): string {
  const d = new Date(dayStart);
  return `${pad(d.getUTCDate(), 2)} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} `;
}

/** The time part, `10:00:00.123`, written over the 12 bytes at `at` (the separators are already there). */
function writeTime(out: Buffer, at: number, msInDay: number): void {
  const seconds = (msInDay / 1000) | 0;
  const ms = msInDay - seconds * 1000;
  const hours = (seconds / 3600) | 0;
  const rest = seconds - hours * 3600;
  const minutes = (rest / 60) | 0;
  const secs = rest - minutes * 60;
  out[at] = ZERO + ((hours / 10) | 0);
  out[at + 1] = ZERO + (hours % 10);
  out[at + 3] = ZERO + ((minutes / 10) | 0);
  out[at + 4] = ZERO + (minutes % 10);
  out[at + 6] = ZERO + ((secs / 10) | 0);
  out[at + 7] = ZERO + (secs % 10);
  out[at + 9] = ZERO + ((ms / 100) | 0);
  out[at + 10] = ZERO + (((ms / 10) | 0) % 10);
  out[at + 11] = ZERO + (ms % 10);
}

const TIME_PLACEHOLDER = "00:00:00.000";

/** 32-bit mix of a file seed and a block index (murmur3 finalizer), for cheap per-block choices. */
function mix(seed: number, index: number): number {
  let h = Math.imul(seed ^ Math.imul(index, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One line with its time left as a placeholder, and where that placeholder starts. */
interface TemplateLine {
  text: string;
  stampAt: number;
}

/**
 * Formats the run log of a master with replicas: RDB saves as a real one logs them (trigger, fork, the child's
 * lines under its own pid, the result), replicas syncing and dropping, clients, and the odd warning.
 */
class LineSource {
  readonly #random: () => number;
  readonly #pid: number;
  readonly #ip: string;
  readonly #datePrefix: string;

  constructor(random: () => number, pid: number, ip: string, date: string) {
    this.#random = random;
    this.#pid = pid;
    this.#ip = ip;
    this.#datePrefix = date;
  }

  #int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  #peer(): string {
    return `192.168.${this.#int(0, 3)}.${this.#int(2, 250)}`;
  }

  /** A replica in the node's own subnet. */
  #replica(): string {
    return `${this.#ip.replace(/\d+$/, String(this.#int(2, 250)))}:6379`;
  }

  #line(pid: number, role: "M" | "C", level: "*" | "#" | "-", message: string): TemplateLine {
    const head = `${pid}:${role} ${this.#datePrefix}`;
    return { text: `${head}${TIME_PLACEHOLDER} ${level} ${message}\n`, stampAt: head.length };
  }

  #save(lines: TemplateLine[], trigger: boolean): void {
    const child = this.#pid + this.#int(1, 900);
    if (trigger)
      lines.push(
        this.#line(
          this.#pid,
          "M",
          "*",
          `${this.#int(1, 10_000)} changes in ${[60, 300, 900, 3600][this.#int(0, 3)]} seconds. Saving...`,
        ),
      );
    lines.push(this.#line(this.#pid, "M", "*", `Background saving started by pid ${child}`));
    lines.push(this.#line(child, "C", "*", "DB saved on disk"));
    const peak = this.#int(0, 16);
    lines.push(
      this.#line(
        child,
        "C",
        "*",
        `Fork CoW for RDB: current ${this.#int(0, peak)} MB, peak ${peak} MB, average ${this.#int(0, peak)} MB`,
      ),
    );
    lines.push(this.#line(this.#pid, "M", "*", "Background saving terminated with success"));
  }

  /** The lines of the next event, in order. */
  next(lines: TemplateLine[]): void {
    const r = this.#random();
    if (r < 0.5) this.#save(lines, true);
    else if (r < 0.62) {
      const replica = this.#replica();
      lines.push(this.#line(this.#pid, "M", "*", `Replica ${replica} asks for synchronization`));
      if (this.#random() < 0.5) {
        lines.push(
          this.#line(
            this.#pid,
            "M",
            "*",
            `Partial resynchronization request from ${replica} accepted. Sending ${this.#int(0, 99_999)} bytes of backlog starting from offset ${this.#int(1, 2_000_000_000)}.`,
          ),
        );
      } else {
        this.#save(lines, false);
        lines.push(this.#line(this.#pid, "M", "*", `Synchronization with replica ${replica} succeeded`));
      }
    } else if (r < 0.72)
      lines.push(this.#line(this.#pid, "M", "#", `Connection with replica ${this.#replica()} lost.`));
    else if (r < 0.97)
      lines.push(this.#line(this.#pid, "M", "-", `Accepted ${this.#peer()}:${this.#int(1024, 65_535)}`));
    else
      lines.push(
        this.#line(
          this.#pid,
          "M",
          "#",
          `WARNING: ${this.#int(100, 10_000)} clients connected (${this.#int(70, 99)}% of maxclients)`,
        ),
      );
  }
}

/** The pre-formatted lines of one file. */
interface LinePool {
  /** Lines back to back; the first ones repeat at the end, so a block can start at any of `lineCount` lines. */
  bytes: Buffer;
  lineCount: number;
  /** Byte offset of each line in `bytes`, and one past the last. */
  starts: Int32Array;
  /** Byte offset of each line's `HH:MM:SS.mmm`. */
  stamps: Int32Array;
  /** Where in its time slot each line falls, [0, 1): spacing irregular like real events, never out of order. */
  jitter: Float64Array;
  /** Random characters for the client name that pads the closing line of a block. */
  names: Buffer;
  /** `pid:M dd Mon yyyy `, the start of a master's line. */
  closingHead: string;
  /** Seeds per-block choices (first line, closing line). */
  seed: number;
}

function buildPool(spec: LogFileSpec, poolBytes: number): LinePool {
  const seed = seedFrom(spec.seed, spec.key, spec.day, spec.ip, "lines");
  const random = createRandom(seed);
  const pid = 1000 + (seedFrom(spec.seed, spec.key, "pid") % 60_000);
  const date = datePrefix(Date.parse(`${spec.day}T00:00:00.000Z`));
  const source = new LineSource(random, pid, spec.ip, date);
  const event: TemplateLine[] = [];
  const texts: string[] = [];
  const stampAt: number[] = [];
  let distinct = 0;
  while (distinct < poolBytes) {
    event.length = 0;
    source.next(event);
    for (const line of event) {
      texts.push(line.text);
      stampAt.push(line.stampAt);
      distinct += line.text.length;
    }
  }
  const lineCount = texts.length;
  // Repeat the first lines after the last, so that a block started at the last line still fills up.
  for (let wrapped = 0, i = 0; wrapped < BLOCK_SIZE; i = (i + 1) % lineCount) {
    texts.push(texts[i] as string);
    stampAt.push(stampAt[i] as number);
    wrapped += (texts[i] as string).length;
  }
  const starts = new Int32Array(texts.length + 1);
  const stamps = new Int32Array(texts.length);
  const jitter = new Float64Array(texts.length);
  let offset = 0;
  for (let i = 0; i < texts.length; i++) {
    starts[i] = offset;
    stamps[i] = offset + (stampAt[i] as number);
    // 16 bits keep (rank + jitter) strictly below the next rank after scaling, whatever the float rounding.
    jitter[i] = i < lineCount ? Math.floor(random() * 65_536) / 65_536 : (jitter[i - lineCount] as number);
    offset += (texts[i] as string).length;
  }
  starts[texts.length] = offset;
  let names = "";
  while (names.length < NAME_CHARS) names += ALPHABET.charAt(Math.floor(random() * ALPHABET.length));
  return {
    bytes: Buffer.from(texts.join(""), "latin1"),
    lineCount,
    starts,
    stamps,
    jitter,
    names: Buffer.from(names, "latin1"),
    closingHead: `${pid}:M ${date}`,
    seed,
  };
}

/** Least recently used pools; Map keeps insertion order, so the first key is the oldest. */
const pools = new Map<string, LinePool>();

/** A file's layout: what does not change from block to block. */
interface LogFile {
  spec: LogFileSpec;
  /** Milliseconds of the day per block; block i covers [floor(i·span), floor((i+1)·span)). */
  span: number;
  poolId: string;
  poolBytes: number;
}

function openFile(spec: LogFileSpec): LogFile {
  const blockCount = Math.max(1, Math.ceil(spec.size / BLOCK_SIZE));
  // A small file needs no large pool; its size then is part of the pool's identity.
  const poolBytes = Math.min(POOL_BYTES, Math.max(MIN_POOL_BYTES, spec.size));
  return {
    spec,
    span: DAY_MS / blockCount,
    poolId: `${spec.seed}\u0000${spec.key}\u0000${spec.day}\u0000${spec.ip}\u0000${poolBytes}`,
    poolBytes,
  };
}

function poolOf(file: LogFile): LinePool {
  let pool = pools.get(file.poolId);
  if (pool) {
    pools.delete(file.poolId);
  } else {
    pool = buildPool(file.spec, file.poolBytes);
    if (pools.size >= POOL_CACHE_ENTRIES) {
      const oldest = pools.keys().next();
      if (!oldest.done) pools.delete(oldest.value);
    }
  }
  pools.set(file.poolId, pool);
  return pool;
}

function blockLength(file: LogFile, index: number): number {
  return Math.min(BLOCK_SIZE, file.spec.size - index * BLOCK_SIZE);
}

/** `.000` to `.999` as little-endian int32, to be written four bytes at a time. */
const MILLIS = Int32Array.from({ length: 1000 }, (_, i) =>
  Buffer.from(`.${pad(i, 3)}`, "latin1").readInt32LE(0),
);
const COLON = 0x3a;

/**
 * Writes the times of `lines` pool lines from `first` on, copied to `out` at `shift` bytes from their place in
 * the pool: line k falls in the k-th of `lines + 1` equal slots after `begin`. This loop is most of the cost
 * of a block, hence int32 arithmetic and three 4-byte writes per line; lines are in time order and a block
 * spans a few seconds, so `HH:MM:SS` is formatted again only when the second changes.
 */
function stampLines(
  out: Buffer,
  pool: LinePool,
  first: number,
  lines: number,
  begin: number,
  slot: number,
  shift: number,
): void {
  const { stamps, jitter } = pool;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let second = -DAY_MS;
  let hhmm = 0;
  let mss = 0;
  for (let k = 0; k < lines; k++) {
    const line = first + k;
    const time = (begin + (k + (jitter[line] as number)) * slot) | 0;
    const at = ((stamps[line] as number) + shift) | 0;
    if (((time - second) | 0) >= 1000) {
      const seconds = (time / 1000) | 0;
      second = seconds * 1000;
      const hours = (seconds / 3600) | 0;
      const minutes = ((seconds / 60) | 0) % 60;
      const secs = seconds % 60;
      // "HH:M" and "M:SS", first byte lowest.
      hhmm =
        (ZERO + ((hours / 10) | 0)) |
        ((ZERO + (hours % 10)) << 8) |
        (COLON << 16) |
        ((ZERO + ((minutes / 10) | 0)) << 24);
      mss =
        (ZERO + (minutes % 10)) |
        (COLON << 8) |
        ((ZERO + ((secs / 10) | 0)) << 16) |
        ((ZERO + (secs % 10)) << 24);
    }
    view.setInt32(at, hhmm, true);
    view.setInt32(at + 4, mss, true);
    view.setInt32(at + 8, MILLIS[(time - second) | 0] as number, true);
  }
}

/** Writes block `index` (all `blockLength` bytes of it) into `out` at `at`. */
function writeBlock(file: LogFile, index: number, out: Buffer, at: number): void {
  const pool = poolOf(file);
  const length = blockLength(file, index);
  const { starts } = pool;
  const first = mix(pool.seed, index) % pool.lineCount;
  const from = starts[first] as number;
  // The last line that still leaves FILLER_ROOM: the wrapped tail guarantees one past the block exists.
  const limit = from + length - FILLER_ROOM;
  let low = first;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((starts[middle] as number) <= limit) low = middle;
    else high = middle - 1;
  }
  const lines = low - first;
  const used = lines > 0 ? (starts[low] as number) - from : 0;
  if (used > 0) pool.bytes.copy(out, at, from, from + used);

  const begin = Math.floor(index * file.span);
  const slot = (Math.floor((index + 1) * file.span) - begin) / (lines + 1);
  stampLines(out, pool, first, lines, begin, slot, at - from);

  // The closing line: a client whose name takes up exactly what is left of the block.
  const hash = mix(pool.seed ^ 0x5bd1e995, index);
  const pick = (n: number, min: number, max: number) => min + (mix(hash, n) % (max - min + 1));
  const time = (begin + (lines + (hash & 0xffff) / 65_536) * slot) | 0;
  const head = `${pool.closingHead}${TIME_PLACEHOLDER} * Client closed connection id=${pick(1, 1, 999_999)} addr=192.168.${pick(2, 0, 3)}.${pick(3, 2, 250)}:${pick(4, 1024, 65_535)} name=`;
  const size = length - used;
  const start = at + used;
  if (head.length + 1 > size) {
    // Only a file smaller than one line gets here: it is the start of that line, cut to fit.
    const whole = Buffer.from(head, "latin1");
    writeTime(whole, pool.closingHead.length, time);
    whole.copy(out, start, 0, size - 1);
  } else {
    out.write(head, start, "latin1");
    writeTime(out, start + pool.closingHead.length, time);
    let position = start + head.length;
    const stop = start + size - 1;
    let offset = pick(5, 0, NAME_CHARS - 1);
    while (position < stop) {
      const take = Math.min(stop - position, NAME_CHARS - offset);
      pool.names.copy(out, position, offset, offset + take);
      position += take;
      offset = 0;
    }
  }
  out[start + size - 1] = NEWLINE;
}

/** The bytes of block `index` of the file. */
export function generateBlock(spec: LogFileSpec, index: number): Buffer {
  const file = openFile(spec);
  const length = blockLength(file, index);
  if (length <= 0) return Buffer.alloc(0);
  const block = Buffer.allocUnsafe(length);
  writeBlock(file, index, block, 0);
  return block;
}

/** For blocks cut by a range's edges; only ever used synchronously, so one is enough. */
let scratch: Buffer | undefined;

/** Fills `out` with the file's bytes from `position` on. */
function fillRange(file: LogFile, position: number, out: Buffer): void {
  let at = 0;
  while (at < out.length) {
    const index = Math.floor(position / BLOCK_SIZE);
    const length = blockLength(file, index);
    const from = position - index * BLOCK_SIZE;
    const take = Math.min(length - from, out.length - at);
    if (from === 0 && take === length) {
      writeBlock(file, index, out, at);
    } else {
      scratch ??= Buffer.allocUnsafe(BLOCK_SIZE);
      writeBlock(file, index, scratch, 0);
      scratch.copy(out, at, from, from + take);
    }
    at += take;
    position += take;
  }
}

/**
 * A stream of bytes `start..end` (inclusive) of the file, produced as the consumer reads in chunks of up to
 * 256 KiB, so memory stays at a few chunks per stream however large the file is.
 */
export function createLogStream(spec: LogFileSpec, start: number, end: number): Readable {
  const file = openFile(spec);
  let position = start;
  return new Readable({
    highWaterMark: CHUNK_SIZE,
    read() {
      if (position > end) {
        this.push(null);
        return;
      }
      // Chunks end on block boundaries, so only the first and last block of a range are ever cut.
      const chunkEnd = Math.min(end + 1, Math.floor(position / BLOCK_SIZE) * BLOCK_SIZE + CHUNK_SIZE);
      const chunk = Buffer.allocUnsafe(chunkEnd - position);
      fillRange(file, position, chunk);
      position = chunkEnd;
      this.push(chunk);
    },
  });
}
