import { formatBytes, formatDuration, formatSpeed } from "./format.js";

/** Where progress and status go: a terminal (live, redrawn) or anything else (plain lines). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What the commands report; the renderer decides how it looks. */
export interface Progress {
  /** A status that replaces the previous one (collecting…, waiting…). */
  status(text: string): void;
  /** A permanent line. */
  note(text: string): void;
  fileStarted(key: string, name: string, size: number | undefined): void;
  fileProgress(key: string, received: number, size: number | undefined): void;
  fileDone(key: string, detail: string): void;
  /** Clears the live area (and restores the cursor); safe to call twice. */
  stop(): void;
}

interface FileState {
  name: string;
  size: number | undefined;
  received: number;
  started: number;
  state: "active" | "done";
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
const FRAME_MS = 100;

/** Draws nothing: --quiet, or --json with no terminal to draw on. */
export function silentProgress(): Progress {
  const nothing = () => {};
  return {
    status: nothing,
    note: nothing,
    fileStarted: nothing,
    fileProgress: nothing,
    fileDone: nothing,
    stop: nothing,
  };
}

/** One line per change of status, and per file started and finished. */
export function plainProgress(stream: ProgressStream): Progress {
  let last = "";
  const files = new Map<string, FileState>();
  const line = (text: string) => stream.write(`${text}\n`);
  return {
    status(text) {
      if (text !== last) line(text);
      last = text;
    },
    note: line,
    fileStarted(key, name, size) {
      files.set(key, { name, size, received: 0, started: Date.now(), state: "active" });
      line(`downloading ${name}${size === undefined ? "" : ` (${formatBytes(size)})`}`);
    },
    fileProgress() {},
    fileDone(key, detail) {
      const file = files.get(key);
      line(`done ${file?.name ?? key}: ${detail}`);
    },
    stop() {},
  };
}

/** A spinner status line, a bar per active file and a total bar, redrawn in place with ANSI escapes. */
export function liveProgress(stream: ProgressStream): Progress {
  const files = new Map<string, FileState>();
  let status = "";
  let statusSince = Date.now();
  let drawnLines = 0;
  let frame = 0;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let firstStart = 0;

  // A pty with no size set reports 0 columns.
  const width = () => Math.max(40, Math.min(stream.columns || 80, 160));

  function bar(fraction: number, cells: number): string {
    const full = Math.round(Math.max(0, Math.min(1, fraction)) * cells);
    return `${"█".repeat(full)}${"░".repeat(cells - full)}`;
  }

  function fileLine(
    label: string,
    received: number,
    size: number | undefined,
    started: number,
    done: boolean,
  ) {
    const elapsed = Math.max(1, Date.now() - started);
    const speed = (received / elapsed) * 1000;
    const fraction = size ? received / size : 0;
    const eta = done
      ? "done"
      : size && speed > 0
        ? `ETA ${formatDuration(((size - received) / speed) * 1000)}`
        : "";
    const amount =
      size === undefined ? formatBytes(received) : `${formatBytes(received)}/${formatBytes(size)}`;
    const tail =
      ` ${String(Math.floor(fraction * 100)).padStart(3)}% ${amount} ${formatSpeed(speed)} ${eta}`.trimEnd();
    const labelWidth = Math.min(36, Math.max(12, width() - tail.length - 24));
    const name = label.length > labelWidth ? `…${label.slice(-(labelWidth - 1))}` : label.padEnd(labelWidth);
    const cells = Math.max(10, width() - labelWidth - tail.length - 4);
    return `${name} ${bar(fraction, cells)}${tail}`.slice(0, width() - 1);
  }

  function lines(): string[] {
    const out: string[] = [];
    if (status) {
      const spin = SPINNER[frame % SPINNER.length];
      out.push(`${spin} ${status} (${formatDuration(Date.now() - statusSince)})`.slice(0, width() - 1));
    }
    const active = [...files.values()].filter((f) => f.state === "active");
    for (const f of active) out.push(fileLine(f.name, f.received, f.size, f.started, false));
    if (files.size > 0) {
      const all = [...files.values()];
      const received = all.reduce((n, f) => n + f.received, 0);
      const known = all.every((f) => f.size !== undefined);
      const size = known ? all.reduce((n, f) => n + (f.size ?? 0), 0) : undefined;
      const finished = all.filter((f) => f.state !== "active").length;
      const complete = active.length === 0;
      out.push(fileLine(`total ${finished}/${all.length} files`, received, size, firstStart, complete));
    }
    return out;
  }

  function draw(permanent?: string) {
    if (stopped) return;
    let text = drawnLines > 0 ? `\r\x1b[${drawnLines}A` : "\r";
    text += "\x1b[0J";
    if (permanent !== undefined) text += `${permanent}\n`;
    const live = lines();
    for (const l of live) text += `${l}\n`;
    drawnLines = live.length;
    stream.write(text);
  }

  function ensureTimer() {
    if (timer || stopped) return;
    stream.write(HIDE_CURSOR);
    timer = setInterval(() => {
      frame++;
      draw();
    }, FRAME_MS);
    timer.unref();
  }

  return {
    status(text) {
      // The elapsed time counts from the first status of a phase, not from each update.
      if (!status) statusSince = Date.now();
      status = text;
      ensureTimer();
      draw();
    },
    note(text) {
      draw(text);
    },
    fileStarted(key, name, size) {
      if (files.size === 0) firstStart = Date.now();
      status = "";
      files.set(key, { name, size, received: 0, started: Date.now(), state: "active" });
      ensureTimer();
      draw();
    },
    fileProgress(key, received, size) {
      const file = files.get(key);
      if (!file) return;
      file.received = received;
      if (size !== undefined) file.size = size;
    },
    fileDone(key, detail) {
      const file = files.get(key);
      if (!file) return;
      file.state = "done";
      if (file.size !== undefined) file.received = file.size;
      draw(`✓ ${file.name}: ${detail}`);
    },
    stop() {
      if (stopped) return;
      if (timer) clearInterval(timer);
      frame++;
      status = "";
      // Leave the final total on screen when files were downloaded; clear the spinner otherwise.
      draw();
      stopped = true;
      stream.write(SHOW_CURSOR);
    },
  };
}
