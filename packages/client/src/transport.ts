import { sign } from "@org/dcs-redislog-signer";
import type { StaticCredentials } from "./credentials.js";
import { idText, MalformedResponseError, type Operation } from "./errors.js";
import { type Exchange, type Exchanged, exchange, textOf } from "./exchange.js";
import type { RetryOptions } from "./retry.js";

/** Options every call accepts; each overrides the client's value for this call only. */
export interface CallOptions {
  /** Cancels the call, its retries and waits; the call then rejects with `AbortError`. */
  signal?: AbortSignal | undefined;
  /** Time limit of one attempt, response body included. @default the client's `timeoutMs` (30000) */
  timeoutMs?: number | undefined;
  /** Time limit of the whole call, retries and their waits included. @default the client's `deadlineMs` (120000) */
  deadlineMs?: number | undefined;
  /** Retry settings merged over the client's; `false` sends one attempt only. */
  retry?: RetryOptions | false | undefined;
}

/** The client-wide half of an Exchange; the transport fills in the per-call half. */
export type TransportConfig = Omit<
  Exchange,
  "operation" | "sideEffects" | "signal" | "request" | "buffer" | "json" | "recover"
> & {
  projectId: string;
  /** Called before every attempt; static credentials come back as they are, without a promise. */
  credentials: () => StaticCredentials | Promise<StaticCredentials>;
  /** Added to the local clock when signing; corrected from the gateway's `Date` after APIGW.0301. */
  clock: { offsetMs: number };
};

/** The operation of a request made through `dcs.raw`, from its method and path. */
export function operationOf(method: string, url: string): Operation {
  const path = /\/redislog(\/[^/]+\/links)?\/?$/.exec(new URL(url).pathname);
  return !path
    ? "Unknown"
    : path[1]
      ? method === "POST"
        ? "CreateRedislogDownloadLink"
        : "Unknown"
      : method === "POST"
        ? "CreateRedislog"
        : method === "GET"
          ? "ListRedislog"
          : "Unknown";
}

/**
 * Sends the API's requests: typed calls with `call`, `dcs.raw` through `fetch`, given to openapi-fetch.
 * Retries happen here, beneath openapi-fetch's middleware chain (which cannot resend), and every attempt is
 * signed as its very last step, with a fresh `X-Sdk-Date`.
 */
export function createTransport(config: TransportConfig) {
  /** One call, its answer buffered; `headers` are the ones to sign, all lower-case. */
  async function send(
    operation: Operation,
    method: string,
    url: string,
    headers: Record<string, string>,
    body: ArrayBuffer | null,
    options: CallOptions,
  ): Promise<Exchanged> {
    let credentials: StaticCredentials | undefined;
    let skewFixed = false;
    // Every field written out: a spread of the config would make this object, read all along, a slow one.
    const result = await exchange({
      fetch: config.fetch,
      init: config.init,
      log: config.log,
      secrets: config.secrets,
      budget: config.budget,
      random: config.random,
      operation,
      sideEffects: operation === "CreateRedislog" || (operation === "Unknown" && method !== "GET"),
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? config.timeoutMs,
      deadlineMs: options.deadlineMs ?? config.deadlineMs,
      retry:
        options.retry !== false &&
        config.retry &&
        (options.retry ? { ...config.retry, ...options.retry } : config.retry),
      buffer: true,
      async request(signal) {
        const pending = config.credentials();
        credentials = pending instanceof Promise ? await pending : pending;
        // Not `{ ...headers }`: V8 makes a spread copy slow to add properties to (~1 µs for the two below).
        const sent = Object.assign({}, headers);
        if ("token" in credentials) sent["x-auth-token"] = credentials.token;
        else {
          const date = new Date(Date.now() + config.clock.offsetMs);
          const signed = await sign({ method, url, headers, body }, credentials, { date });
          for (const name in signed.headers) sent[name.toLowerCase()] = signed.headers[name] as string;
        }
        // No redirects: a 3xx from the API is unexpected, and following it would carry the credentials along.
        return { url, init: { method, headers: sent, body, signal, redirect: "manual" } };
      },
      recover: (response, bytes) => response.status === 401 && fixSkew(response, bytes),
      // The answers that are parsed as JSON.
      json: operation === "ListRedislog" || operation === "CreateRedislogDownloadLink",
    });
    const { response } = result;
    if (config.log.debug) {
      config.log("debug", `${operation} ${response.status}`, {
        requestId: response.headers.get("x-request-id"),
        attempts: result.attempts,
      });
    }
    if (result.bad) {
      const requestId = response.headers.get("x-request-id");
      throw new MalformedResponseError(
        `${operation} answered HTTP ${response.status} with invalid JSON${idText(requestId)}. Retry later.`,
        { status: response.status, operation, requestId: requestId ?? undefined, attempts: result.attempts },
      );
    }
    return result;

    // The gateway refuses an X-Sdk-Date more than 15 minutes off: after its APIGW.0301, adopt the offset of
    // a Date that looks like a live server clock (no cache `Age`, after 2020-01-01) when it is over 5 minutes.
    function fixSkew(response: Response, bytes: ArrayBuffer | undefined) {
      const date = Date.parse(response.headers.get("date") ?? "");
      const skew = date - Date.now() - config.clock.offsetMs;
      if (
        skewFixed ||
        !credentials ||
        "token" in credentials ||
        response.headers.has("age") ||
        !(date > 1577836800000) ||
        !(Math.abs(skew) > 300_000) ||
        !/"APIGW?\.0301"/.test(textOf(bytes))
      )
        return false;
      skewFixed = true;
      config.clock.offsetMs += skew;
      config.log(
        "warn",
        `Clock skew of ${Math.round(skew / 1000)} s against the gateway corrected; resending`,
        {
          operation,
        },
      );
      return true;
    }
  }

  return {
    /** A typed call (its ids checked already): the answer, its JSON parsed when it is one that has JSON. */
    call: (operation: Operation, method: "GET" | "POST", url: string, options: CallOptions) =>
      send(
        operation,
        method,
        url,
        { "content-type": "application/json", "x-project-id": config.projectId },
        null,
        options,
      ),

    /** The `fetch` given to openapi-fetch, for `dcs.raw`, whose only signal is its request's. */
    async fetch(request: Request): Promise<Response> {
      // A Request body can be read only once: keep the bytes so each attempt sends and signs the same ones.
      const body = request.body && (await request.arrayBuffer());
      const headers: Record<string, string> = { "content-type": "application/json" };
      for (const [name, value] of request.headers) if (name !== "authorization") headers[name] = value;
      headers["x-project-id"] = config.projectId;
      const { method, url } = request;
      const { response, bytes, data } = await send(operationOf(method, url), method, url, headers, body, {
        signal: request.signal,
      });
      // openapi-fetch reads the body again: give it one, whose headers no longer name the encoding fetch
      // decoded, and the JSON parsed already.
      const answer = new Response(bytes?.byteLength ? bytes : null, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      answer.headers.delete("content-encoding");
      answer.headers.set("content-length", `${bytes?.byteLength ?? 0}`);
      if (data !== undefined) answer.json = () => Promise.resolve(data);
      return answer;
    },
  };
}
