import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { pipeline, type Readable, type Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { NODE_BODY } from "../download.js";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 204, 205, 304]);
const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};
// An error answer is read whole (to parse its code); anything past this is not needed for that.
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * The `fetch` that downloadToFile gives to download requests on Node, when the client uses the global fetch:
 * a 2xx body stays a Node stream (attached to the Response under NODE_BODY) instead of becoming a web stream.
 * That is what keeps a 1 GiB download at the speed of a bare `http.get` → file pipeline and its memory below
 * fetch's, which holds up to ~64 MB of spent chunks until the next garbage collection.
 *
 * It does what fetch does for a download: follows up to 20 redirects with the same headers (the only one
 * sent is `Range`, never a credential), decodes gzip/deflate/br, and aborts with the request's signal,
 * answer and body included.
 */
export function nodeFetch(request: Request): Promise<Response> {
  return get(request.url, request, 0);
}

function get(url: string, request: Request, redirects: number): Promise<Response> {
  const { signal } = request;
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const outgoing = send(
      target,
      {
        method: request.method,
        headers: { ...Object.fromEntries(request.headers), "accept-encoding": "gzip, deflate, br" },
        signal,
      },
      (incoming) => {
        const status = incoming.statusCode ?? 0;
        const location = incoming.headers.location;
        if (REDIRECTS.has(status) && location) {
          incoming.resume();
          if (redirects >= 20) reject(new TypeError("Download: more than 20 redirects"));
          else resolve(get(new URL(location, target).href, request, redirects + 1));
          return;
        }
        const headers = new Headers();
        const raw = incoming.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
        const init = { status, statusText: incoming.statusMessage, headers };
        if (status < 200 || status > 299) {
          readError(incoming).then(
            (text) => resolve(new Response(NULL_BODY.has(status) ? null : text, init)),
            reject,
          );
          return;
        }
        const decoder = DECODERS[(incoming.headers["content-encoding"] ?? "").trim().toLowerCase()];
        // A broken connection errors the decoder too, so the reader sees it either way.
        const body: Readable = decoder ? pipeline(incoming, decoder(), () => {}) : incoming;
        resolve(Object.defineProperty(new Response(null, init), NODE_BODY, { value: body }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

async function readError(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of incoming) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > ERROR_BODY_LIMIT) {
      incoming.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}
