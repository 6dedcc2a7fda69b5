import { type FileHandle, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RunLog } from "@org/dcs-redislog-types";
import type { DcsRedislogClient, DownloadSource } from "../client.js";
import {
  CHUNKS,
  type ChunkSource,
  DOWNLOAD_FETCH,
  type DownloadOptions,
  type DownloadProgress,
} from "../download.js";
import { aborted, downloadError } from "../errors.js";
import { checkInt } from "../validate.js";
import { nodeFetch } from "./http.js";

export interface DownloadedFile {
  /** The final path (written only once complete). */
  path: string;
  size: number;
  etag: string | undefined;
  requestId: string | undefined;
}

/** Bytes gathered before each write to the file. */
const WRITE_BATCH = 1 << 20;

/**
 * Downloads to `<path>.part`, checks the size, and renames it to `path` only when complete. On any failure
 * the partial file is removed, so `path` is either the whole file or untouched. Memory stays constant: each
 * chunk is awaited into a FileHandle (Node 20's `Writable.toWeb` pipe buffered whole bodies). A client with
 * the global fetch downloads through node:http (see nodeFetch); one with its own fetch or requestInitExt
 * (a proxy dispatcher) through that.
 */
export async function downloadToFile(
  dcs: DcsRedislogClient,
  source: DownloadSource,
  path: string,
  options: DownloadOptions = {},
): Promise<DownloadedFile> {
  const part = `${path}.part`;
  const result = await dcs.download(source, { ...options, [DOWNLOAD_FETCH]: nodeFetch } as DownloadOptions);
  // The chunks without the web stream around them, when the client is this library's (not a stand-in).
  const reader = (result as { [CHUNKS]?: ChunkSource })[CHUNKS] ?? result.body.getReader();
  let handle: FileHandle | undefined;
  let written = 0;
  try {
    handle = await open(part, "w");
    const file = handle;
    // Network chunks are small (16–64 KiB); gathering them into 1 MiB writes halves the system calls and awaits.
    const batch = new Uint8Array(WRITE_BATCH);
    let filled = 0;
    const flush = async (bytes: Uint8Array) => {
      for (let offset = 0; offset < bytes.byteLength; ) {
        offset += (await file.write(bytes, offset, bytes.byteLength - offset)).bytesWritten;
      }
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.byteLength > WRITE_BATCH) {
        await flush(batch.subarray(0, filled));
        filled = 0;
      }
      if (value.byteLength >= WRITE_BATCH) await flush(value);
      else {
        batch.set(value, filled);
        filled += value.byteLength;
      }
      written += value.byteLength;
    }
    await flush(batch.subarray(0, filled));
    await handle.sync();
    await handle.close();
    handle = undefined;
    const onDisk = (await stat(part)).size;
    if ((result.size !== undefined && written !== result.size) || onDisk !== written) {
      throw downloadError(`wrote ${onDisk} bytes to ${part}`, "size-mismatch", written, result.size);
    }
    await rename(part, path);
    return { path, size: written, etag: result.etag, requestId: result.requestId };
  } catch (error) {
    await reader.cancel().catch(() => {});
    await handle?.close().catch(() => {});
    await rm(part, { force: true });
    throw error;
  }
}

export interface FetchRunLogsOptions {
  instanceId: string;
  /** Days to collect: 0 (today), 1, 3 or 7. @default 0 */
  queryTime?: 0 | 1 | 3 | 7 | undefined;
  /** Replica to collect from; required for instances that are not single-node. */
  replicationId?: string | undefined;
  /** Folder for the files (created if missing). File names come from `file_name`, made safe (see fileNameFor). */
  outDir: string;
  /** Files downloaded at the same time. @default 2 */
  concurrency?: number | undefined;
  /**
   * Time limit of each request: an attempt of the API calls, and a download's wait for its answer or its next
   * chunk. @default the client's `timeoutMs` (30000)
   */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** How long to wait for the collection. @default 300000 */
  waitTimeoutMs?: number | undefined;
  /** First delay between two polls of the waiter. @default 1000 */
  minDelayMs?: number | undefined;
  /** Longest delay between two polls of the waiter. @default 15000 */
  maxDelayMs?: number | undefined;
  /**
   * Called after each poll of the waiter with the collection's files listed so far and the number expected,
   * e.g. for "2 of 3 files ready" (those with status `succeed`).
   */
  onPoll?: ((files: RunLog[], expected: number) => void) | undefined;
  /** Called once the collection is ready, before any download: every file that will be fetched. */
  onFiles?: ((logs: RunLog[]) => void) | undefined;
  /** Called when the download of a file starts, with the path it will have. */
  onFileStart?: ((log: RunLog, path: string) => void) | undefined;
  /** Called for every chunk of every file. */
  onProgress?: ((progress: DownloadProgress & { log: RunLog }) => void) | undefined;
  /** Called when a file is complete under its final name. */
  onFileDone?: ((file: FetchedRunLog) => void) | undefined;
}

export interface FetchedRunLog {
  path: string;
  size: number;
  /** Request id of storage's answer for this file. */
  requestId: string | undefined;
  /** The list item of the file, with the API's field names. */
  log: RunLog;
}

/**
 * A file name that cannot leave its folder, whatever the service sends: the last path segment of `name`
 * (a `file_name`, or a link's object name) reduced to `[A-Za-z0-9._-]` without leading dots; `<id>.log`
 * when nothing is left. fetchRunLogs names its files this way (prefixing `<id>-` to a name already taken).
 */
export function fileNameFor(name: string | undefined, id: string): string {
  return (
    (name ?? "")
      .split(/[\\/]/)
      .pop()
      ?.replace(/[^A-Za-z0-9._-]/g, "_")
      .replace(/^\.+/, "") || `${id}.log`
  );
}

/**
 * The whole flow in one call: collect, wait for the collection's files, then link and download each of them
 * (`concurrency` at a time) into `outDir`. Links are minted just before each download and re-minted once if
 * they expire. Returns the files written. On failure the other downloads are cancelled and the error thrown.
 */
export async function fetchRunLogs(
  dcs: DcsRedislogClient,
  options: FetchRunLogsOptions,
): Promise<FetchedRunLog[]> {
  const { signal, timeoutMs } = options;
  const concurrency =
    options.concurrency === undefined ? 2 : checkInt("concurrency", options.concurrency, 1, 16);
  const collection = await dcs.collectRunLogs({
    instanceId: options.instanceId,
    queryTime: options.queryTime,
    replicationId: options.replicationId,
    signal,
    timeoutMs,
  });
  const logs = await dcs.waitForRunLogs({
    instanceId: collection.instanceId,
    replicationId: collection.replicationId,
    knownIds: collection.knownIds,
    queryTime: collection.queryTime,
    timeoutMs: options.waitTimeoutMs,
    minDelayMs: options.minDelayMs,
    maxDelayMs: options.maxDelayMs,
    signal,
    onPoll: options.onPoll,
  });
  await mkdir(options.outDir, { recursive: true });

  const taken = new Set<string>();
  const jobs = logs.map((log) => {
    let name = fileNameFor(log.file_name, log.id);
    if (taken.has(name)) name = `${log.id}-${name}`;
    taken.add(name);
    return { log, path: join(options.outDir, name) };
  });
  options.onFiles?.(logs);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const results: FetchedRunLog[] = [];
  let next = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < jobs.length && !stop.signal.aborted) {
      const { log, path } = jobs[next++] as (typeof jobs)[number];
      try {
        options.onFileStart?.(log, path);
        const file = await downloadToFile(dcs, { instanceId: collection.instanceId, logId: log.id }, path, {
          signal: stop.signal,
          timeoutMs,
          onProgress: (p) => options.onProgress?.({ ...p, log }),
        });
        const fetched = { path: file.path, size: file.size, requestId: file.requestId, log };
        results.push(fetched);
        options.onFileDone?.(fetched);
      } catch (error) {
        firstError ??= error;
        stop.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (signal?.aborted) throw aborted("Download");
  if (firstError !== undefined) throw firstError;
  // Keep the order of the list, not of completion.
  return jobs.flatMap((job) => results.filter((r) => r.log === job.log));
}
