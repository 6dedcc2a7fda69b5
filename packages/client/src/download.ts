import { aborted, apiError, downloadError, errorCode, LinkExpiredError, ValidationError } from "./errors.js";
import { type Exchange, type Exchanged, exchange } from "./exchange.js";
import { redactUrl } from "./redact.js";
import type { RetryOptions } from "./retry.js";

export interface DownloadProgress {
  /** Bytes delivered so far. */
  received: number;
  /** Size of the file, when storage sent `Content-Length`. */
  total: number | undefined;
}

export interface DownloadOptions {
  /** Cancels the download; the body stream then errors with `AbortError`. */
  signal?: AbortSignal | undefined;
  /** Called after every chunk. */
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /**
   * Mints a fresh link when storage refuses the current one (403, expired); called at most once per
   * download. Not needed with a `{ instanceId, logId }` source, for which the client mints links itself.
   */
  relink?: (() => Promise<string | { link: string }>) | undefined;
  /**
   * Longest wait for the answer's headers, and for each next chunk (an idle timeout: a large file is never
   * cut off while data flows). Also the time limit of minting a link for a `{ instanceId, logId }` source.
   * @default the client's `timeoutMs` (30000)
   */
  timeoutMs?: number | undefined;
  /**
   * Range requests allowed after a dropped connection, a stall or a short body.
   * @default 3
   */
  maxResumes?: number | undefined;
  /** Retries of each request (408/429/5xx, failed connections), merged over the client's; `false`: none. */
  retry?: RetryOptions | false | undefined;
}

/** A download in progress: read `body` to its end, or cancel it. */
export interface DownloadBody {
  /** The file, streamed with constant memory; resumes with Range requests when the connection drops. */
  body: ReadableStream<Uint8Array>;
  /** Size in bytes, from `Content-Length`, when known. */
  size: number | undefined;
  etag: string | undefined;
  contentType: string | undefined;
  /** `X-Request-Id` (or OBS `x-obs-request-id`) of storage's first answer. */
  requestId: string | undefined;
}

/** The client-wide half of an Exchange. */
export type DownloadContext = Pick<
  Exchange,
  "fetch" | "init" | "log" | "secrets" | "budget" | "retry" | "random"
>;

/** A link as a string, a URL, or an object with `link` (what createDownloadLink returns). */
export type Link = string | URL | { link: string };

function checkLink(link: Link): string {
  try {
    const url = new URL(typeof link === "object" && "link" in link ? link.link : link);
    if (/^https?:$/.test(url.protocol) && !url.username && !url.password) return url.href;
  } catch {}
  throw new ValidationError("link", "link must be the http(s) URL that createDownloadLink() returned.");
}

/** Internal, for the Node helpers: a download's chunk source without its ReadableStream around it. */
export const CHUNKS = Symbol.for("@org/dcs-redislog-client/chunks");
export interface ChunkSource {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

/** Internal option of download(), for the Node helpers: the fetch to use when the client has the global one. */
export const DOWNLOAD_FETCH = Symbol.for("@org/dcs-redislog-client/download-fetch");

/**
 * Internal, for the Node helpers: a body that a `fetch` stand-in attached to a 2xx Response (whose own body
 * is null) as a Node stream, read without going through a web stream.
 */
export const NODE_BODY = Symbol.for("@org/dcs-redislog-client/node-body");
type NodeBody = AsyncIterable<Uint8Array> & { destroy(error?: Error): void };

/** Reads a Response's body, or the Node stream attached to it. */
function reading(response: Response): ChunkSource {
  const stream = (response as Response & { [NODE_BODY]?: NodeBody })[NODE_BODY];
  if (stream) {
    const iterator = stream[Symbol.asyncIterator]();
    return {
      read: () => iterator.next() as Promise<ReadableStreamReadResult<Uint8Array>>,
      cancel: async () => stream.destroy(),
    };
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  return { read: () => reader.read(), cancel: (reason) => reader.cancel(reason) };
}

const requestIdOf = (response: Response) =>
  response.headers.get("x-request-id") ?? response.headers.get("x-obs-request-id") ?? undefined;

/**
 * Opens the link and resolves with the first answer's headers and a pull-based body stream. No DCS
 * credential is ever sent: only `Range` when resuming, so redirects cannot leak anything either.
 */
export async function startDownload(
  initialLink: Link,
  options: DownloadOptions,
  ctx: DownloadContext,
  relink: (() => Promise<Link>) | undefined,
): Promise<DownloadBody> {
  const { signal, timeoutMs = 30_000, maxResumes = 3 } = options;
  let link = checkLink(initialLink);
  let relinked = !relink;
  let size: number | undefined;
  let etag: string | undefined;
  let received = 0;
  let resumes = 0;

  const mint = async () => {
    relinked = true;
    link = checkLink(await (relink as () => Promise<Link>)());
    ctx.log("info", "Minted a fresh download link");
  };
  // OBS/S3 `Expires=<epoch seconds>`: a link known to be stale is replaced before it is tried.
  if (!relinked && Number(new URL(link).searchParams.get("Expires") ?? Number.NaN) * 1000 < Date.now())
    await mint();

  async function open(from: number): Promise<Exchanged> {
    const opened = await exchange({
      ...ctx,
      operation: "Download",
      sideEffects: false,
      signal,
      timeoutMs,
      deadlineMs: Number.POSITIVE_INFINITY,
      retry: options.retry !== false && ctx.retry && { ...ctx.retry, ...options.retry },
      buffer: false,
      request: async (s) => ({
        url: link,
        init: { headers: from ? { range: `bytes=${from}-` } : undefined, signal: s },
      }),
      async recover(response) {
        if (response.status !== 403 || relinked) return false;
        await response.body?.cancel();
        await mint();
        return true;
      },
    });
    const { response } = opened;
    const headers = response.headers;
    // A resumed answer must be the rest of the same object.
    const range = headers.get("content-range")?.match(/^bytes (\d+)-\d+\/(\d+|\*)$/);
    const error = !response.ok
      ? response.status === 403
        ? new LinkExpiredError(
            `Download: storage refused the link (HTTP 403): it has expired or is invalid. ${
              relink
                ? "A freshly minted link was refused too; check that the log still exists."
                : "Mint a new one with createDownloadLink(), or pass { instanceId, logId } or relink to download()."
            }`,
            { operation: "Download", status: 403, requestId: requestIdOf(response), link: redactUrl(link) },
          )
        : apiError(
            response.status,
            "Download",
            await response.text().catch(() => ""),
            requestIdOf(response),
            opened.attempts,
            ctx.secrets(),
          )
      : from &&
          (response.status !== 206 ||
            Number(range?.[1]) !== from ||
            (size !== undefined && range?.[2] !== "*" && Number(range?.[2]) !== size) ||
            (etag && headers.get("etag") && headers.get("etag") !== etag))
        ? downloadError(
            "the file changed between two ranges, or storage ignored Range",
            "changed",
            from,
            size,
          )
        : undefined;
    if (error) {
      opened.abort();
      opened.release();
      throw error;
    }
    if (!from) {
      // Content-Length counts encoded bytes; fetch delivers them decoded, so an encoded body's size is unknown.
      size =
        /^\d+$/.test(headers.get("content-length") ?? "") &&
        /^(identity)?$/i.test(headers.get("content-encoding") ?? "")
          ? Number(headers.get("content-length"))
          : undefined;
      etag = headers.get("etag") ?? undefined;
    }
    return opened;
  }

  let current = await open(0);
  const first = current.response;
  let source = reading(current.response);
  const close = () => {
    current.abort();
    current.release();
  };
  const fail = (error: Error): never => {
    close();
    throw error;
  };

  // The next chunk of the file, resuming with a Range request after a drop, a stall or a short body.
  async function next(): Promise<ReadableStreamReadResult<Uint8Array>> {
    for (;;) {
      let idle = false;
      const timer = setTimeout(() => {
        idle = true;
        current.abort();
      }, timeoutMs);
      let chunk: ReadableStreamReadResult<Uint8Array> | undefined;
      let failure: unknown;
      try {
        chunk = await source.read();
      } catch (error) {
        failure = error;
      }
      clearTimeout(timer);
      if (signal?.aborted) return fail(aborted("Download"));
      if (chunk?.done === false) {
        received += chunk.value.byteLength;
        if (size !== undefined && received > size)
          return fail(
            downloadError("storage sent more bytes than announced", "size-mismatch", received, size),
          );
        options.onProgress?.({ received, total: size });
        return chunk;
      }
      if (chunk && (size === undefined || received === size)) {
        current.release();
        return chunk;
      }
      const why = idle
        ? `no data for ${timeoutMs} ms`
        : chunk
          ? "the body ended early"
          : "the connection broke";
      if (resumes >= maxResumes || size === undefined)
        return fail(
          downloadError(`incomplete, ${why}, after ${resumes} resume(s)`, "truncated", received, size),
        );
      ctx.log("info", `Download interrupted at byte ${received}; resuming (${++resumes}/${maxResumes})`, {
        reason: idle ? "idle" : chunk ? "short body" : (errorCode(failure) ?? "connection lost"),
      });
      source.cancel().catch(() => {});
      current.release();
      current = await open(received);
      source = reading(current.response);
    }
  }
  const cancel = async (reason?: unknown) => {
    await source.cancel(reason).catch(() => {});
    close();
  };

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await next();
          if (chunk.done) controller.close();
          else controller.enqueue(chunk.value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel,
    },
    // Pull only when the consumer reads: nothing is fetched ahead, so memory stays at one chunk.
    { highWaterMark: 0 },
  );

  ctx.log("debug", `Download of ${redactUrl(link)} started`, { size });
  // The Node file helper reads chunks straight from `next`, skipping the stream layer around it.
  return Object.defineProperty(
    {
      body,
      size,
      etag,
      contentType: first.headers.get("content-type") ?? undefined,
      requestId: requestIdOf(first),
    },
    CHUNKS,
    { value: { read: next, cancel } satisfies ChunkSource },
  );
}
