import { sign } from "@org/dcs-redislog-signer";
import type { StaticCredentials } from "./credentials.js";
import { idText, MalformedResponseError, type Operation } from "./errors.js";
import { type Exchange, exchange } from "./exchange.js";
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

/** What one call carries into the transport, and what the transport reports back. */
export interface CallState {
  operation?: Operation;
  options?: CallOptions;
  /** Requests sent, retries included. */
  attempts?: number;
  /**
   * Controller of the first attempt, whose signal the request was built with: that request is then signed
   * and sent as is instead of copied.
   */
  controller?: AbortController;
}

/** The client-wide half of an Exchange; the transport fills in the per-call half. */
export type TransportConfig = Omit<
  Exchange,
  "operation" | "sideEffects" | "signal" | "request" | "buffer" | "bad" | "recover"
> & {
  projectId: string;
  credentials: () => Promise<StaticCredentials>;
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
 * The `fetch` given to openapi-fetch. Retries happen here, beneath the middleware chain (which cannot
 * resend), and every attempt is signed as its very last step, with a fresh `X-Sdk-Date`.
 */
export function createTransport(config: TransportConfig) {
  return async (request: Request, init?: RequestInit, state: CallState = {}): Promise<Response> => {
    const operation = state.operation ?? operationOf(request.method, request.url);
    // Typed calls pass their options (signal included) here; a `raw` call's only signal is its request's.
    const options = state.options ?? { signal: request.signal };
    // A Request body can be read only once: keep the bytes so each attempt sends and signs the same ones.
    const body = request.body && (await request.arrayBuffer());
    const first = !body && request.redirect === "manual" ? state.controller : undefined;
    let credentials: StaticCredentials | undefined;
    let skewFixed = false;
    const result = await exchange({
      ...config,
      operation,
      sideEffects: operation === "CreateRedislog" || (operation === "Unknown" && request.method !== "GET"),
      signal: options.signal,
      controller: first,
      timeoutMs: options.timeoutMs ?? config.timeoutMs,
      deadlineMs: options.deadlineMs ?? config.deadlineMs,
      retry:
        options.retry !== false &&
        config.retry &&
        (options.retry ? { ...config.retry, ...options.retry } : config.retry),
      init: init ?? config.init,
      buffer: true,
      async request(signal) {
        credentials = await config.credentials();
        // The first attempt of a typed call already follows `signal` and redirects nothing: sign it in place.
        const reuse = signal === first?.signal;
        const headers = reuse ? request.headers : new Headers(request.headers);
        headers.delete("authorization");
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
        headers.set("x-project-id", config.projectId);
        if ("token" in credentials) headers.set("x-auth-token", credentials.token);
        else {
          const { url, method } = request;
          const date = new Date(Date.now() + config.clock.offsetMs);
          const signed = await sign({ method, url, headers, body }, credentials, { date });
          for (const name in signed.headers) headers.set(name, signed.headers[name] as string);
        }
        if (reuse) return request;
        // No redirects: a 3xx from the API is unexpected, and following it would carry the credentials along.
        return new Request(request.url, {
          method: request.method,
          headers,
          body,
          signal,
          redirect: "manual",
        });
      },
      recover: (response) => response.status === 401 && fixSkew(response),
      // The answers that openapi-fetch parses as JSON.
      json: operation === "ListRedislog" || operation === "CreateRedislogDownloadLink",
    });
    state.attempts = result.attempts;
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
    // openapi-fetch would parse the buffered body a second time: hand it the value parsed already.
    if (result.data !== undefined) {
      const { data } = result;
      response.json = () => Promise.resolve(data);
    }
    return response;

    // The gateway refuses an X-Sdk-Date more than 15 minutes off: after its APIGW.0301, adopt the offset of
    // a Date that looks like a live server clock (no cache `Age`, after 2020-01-01) when it is over 5 minutes.
    async function fixSkew(response: Response) {
      const date = Date.parse(response.headers.get("date") ?? "");
      const skew = date - Date.now() - config.clock.offsetMs;
      if (
        skewFixed ||
        !credentials ||
        "token" in credentials ||
        response.headers.has("age") ||
        !(date > 1577836800000) ||
        !(Math.abs(skew) > 300_000) ||
        !/"APIGW?\.0301"/.test(await response.clone().text())
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
  };
}
