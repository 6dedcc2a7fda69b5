import {
  AbortError,
  apiError,
  DownloadError,
  errorCode,
  LinkExpiredError,
  ValidationError,
} from "./errors.js";
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
   * cut off while data flows).
   * @default 30000
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

function checkLink(link: unknown): string {
  try {
    const url = new URL(String(link));
    if (/^https?:$/.test(url.protocol) && !url.username && !url.password) return url.href;
  } catch {}
  throw new ValidationError("link", "link must be the http(s) URL that createDownloadLink() returned.");
}

const requestIdOf = (response: Response) =>
  response.headers.get("x-request-id") ?? response.headers.get("x-obs-request-id") ?? undefined;

/**
 * Opens the link and resolves with the first answer's headers and a pull-based body stream. No DCS
 * credential is ever sent: only `Range` when resuming, so redirects cannot leak anything either.
 */
export async function startDownload(
  initialLink: string,
  options: DownloadOptions,
  ctx: DownloadContext,
  relink: (() => Promise<string>) | undefined,
): Promise<DownloadBody> {
  const { signal, timeoutMs = 30_000, maxResumes = 3 } = options;
  const retry = options.retry === false ? false : ctx.retry && { ...ctx.retry, ...options.retry };
  let link = checkLink(initialLink);
  let relinked = !relink;
  let size: number | undefined;
  let etag: string | undefined;
  let received = 0;
  let resumes = 0;

  const mint = async () => {
    relinked = true;
    link = checkLink(await (relink as () => Promise<string>)());
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
      retry,
      buffer: false,
      request: async (s) =>
        new Request(link, { headers: from ? { range: `bytes=${from}-` } : {}, signal: s }),
      async recover(response) {
        if (response.status !== 403 || relinked) return false;
        await response.body?.cancel();
        await mint();
        return true;
      },
    });
    const { response } = opened;
    const fail = (error: Error) => {
      opened.abort();
      opened.release();
      return error;
    };
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw fail(
        response.status === 403
          ? new LinkExpiredError(403, requestIdOf(response), link, !!relink)
          : apiError(
              response.status,
              "Download",
              text,
              requestIdOf(response),
              opened.attempts,
              ctx.secrets(),
            ),
      );
    }
    if (from === 0) {
      const length = response.headers.get("content-length");
      size = length && /^\d+$/.test(length) ? Number(length) : undefined;
      etag = response.headers.get("etag") ?? undefined;
    } else {
      // A resumed answer must be the rest of the same object.
      const range = response.headers.get("content-range")?.match(/^bytes (\d+)-\d+\/(\d+|\*)$/);
      const tag = response.headers.get("etag");
      if (
        response.status !== 206 ||
        Number(range?.[1]) !== from ||
        (size !== undefined && range?.[2] !== "*" && Number(range?.[2]) !== size) ||
        (etag && tag && tag !== etag)
      ) {
        throw fail(
          new DownloadError(
            "the file changed between two ranges, or storage ignored Range",
            "changed",
            from,
            size,
          ),
        );
      }
    }
    return opened;
  }

  let current = await open(0);
  const first = current.response;
  let reader = (first.body as ReadableStream<Uint8Array>).getReader();

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let idle = false;
          const timer = setTimeout(() => {
            idle = true;
            current.abort();
          }, timeoutMs);
          let chunk: ReadableStreamReadResult<Uint8Array> | undefined;
          let failure: unknown;
          try {
            chunk = await reader.read();
          } catch (error) {
            failure = error;
          } finally {
            clearTimeout(timer);
          }
          const stop = (error: Error) => {
            current.abort();
            current.release();
            controller.error(error);
          };
          if (signal?.aborted) return stop(new AbortError("Download"));
          if (chunk?.done === false) {
            received += chunk.value.byteLength;
            if (size !== undefined && received > size) {
              return stop(
                new DownloadError("storage sent more bytes than announced", "size-mismatch", received, size),
              );
            }
            options.onProgress?.({ received, total: size });
            return controller.enqueue(chunk.value);
          }
          if (chunk?.done && (size === undefined || received === size)) {
            current.release();
            return controller.close();
          }
          // A dropped connection, a stall, or fewer bytes than announced: ask for the rest.
          if (resumes >= maxResumes || size === undefined) {
            const why = idle
              ? `no data for ${timeoutMs} ms`
              : chunk
                ? "the body ended early"
                : "the connection broke";
            return stop(
              new DownloadError(
                `incomplete, ${why}, after ${resumes} resume(s)`,
                "truncated",
                received,
                size,
              ),
            );
          }
          resumes++;
          ctx.log("info", `Download interrupted at byte ${received}; resuming (${resumes}/${maxResumes})`, {
            reason: idle ? "idle" : chunk ? "short body" : (errorCode(failure) ?? "connection lost"),
          });
          reader.cancel().catch(() => {});
          current.release();
          try {
            current = await open(received);
          } catch (error) {
            return controller.error(error);
          }
          reader = (current.response.body as ReadableStream<Uint8Array>).getReader();
        }
      },
      async cancel(reason) {
        await reader.cancel(reason).catch(() => {});
        current.abort();
        current.release();
      },
      // Pull only when the consumer reads: nothing is fetched ahead, so memory stays at one chunk.
    },
    { highWaterMark: 0 },
  );

  ctx.log("debug", `Download of ${redactUrl(link)} started`, { size });
  return {
    body,
    size,
    etag,
    contentType: first.headers.get("content-type") ?? undefined,
    requestId: requestIdOf(first),
  };
}
