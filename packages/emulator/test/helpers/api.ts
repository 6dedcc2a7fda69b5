// The only way tests talk to the emulator over fetch: every answer is checked here, against the spec for the
// DCS operations, against the gateway error schema for routes outside the spec, and for the OBS shape on
// downloads. A test cannot forget the check because there is no unchecked path.
import { sign } from "@org/dcs-redislog-signer";
import type { Emulator } from "../../src/index.js";
import { schemaProblems, specProblems } from "./spec.js";

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked against the spec at run time; tests then read them freely.
export type JsonBody = any;

export type Auth =
  | "token"
  | "aksk"
  | "none"
  | { token: string }
  | { ak: string; sk: string; securityToken?: string; date?: Date };

export interface CallOptions {
  auth?: Auth;
  /** Extra headers, sent (and signed) as given. */
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** The answer is expected to break the spec (a fault that sends broken JSON): assert that it does. */
  expectSpecViolation?: boolean;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when there is none or it does not parse. */
  json: JsonBody;
  /** What the spec validator found (empty unless `expectSpecViolation`). */
  problems: string[];
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function commonProblems(headers: Headers): string[] {
  const problems: string[] = [];
  if (!headers.get("x-request-id")) problems.push("X-Request-Id is missing");
  const date = headers.get("date");
  if (!date || Number.isNaN(Date.parse(date))) problems.push(`Date header is missing or invalid: ${date}`);
  return problems;
}

async function authHeaders(
  emulator: Emulator,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  auth: Auth,
  now: (() => number) | undefined,
): Promise<Record<string, string>> {
  if (auth === "none") return {};
  if (auth === "token") return { "X-Auth-Token": emulator.tokens[0] ?? "" };
  if (auth === "aksk") auth = { ak: emulator.ak, sk: emulator.sk };
  if ("token" in auth) return { "X-Auth-Token": auth.token };
  const credentials = {
    ak: auth.ak,
    sk: auth.sk,
    ...(auth.securityToken ? { securityToken: auth.securityToken } : {}),
  };
  const date = auth.date ?? (now ? new Date(now()) : undefined);
  const signed = await sign({ method, url, headers, body: body ?? null }, credentials, date ? { date } : {});
  return signed.headers;
}

/** A checked client for one emulator. `now` dates AK/SK signatures when the emulator runs on a test clock. */
export function api(emulator: Emulator, clientOptions: { now?: () => number } = {}) {
  async function call(method: string, pathAndQuery: string, options: CallOptions = {}): Promise<ApiResult> {
    const url = `${emulator.endpoint}${pathAndQuery}`;
    const headers: Record<string, string> = { "Content-Type": "application/json", ...options.headers };
    const auth = await authHeaders(
      emulator,
      method,
      url,
      headers,
      options.body,
      options.auth ?? "token",
      clientOptions.now,
    );
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...auth },
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = await response.text();
    const path = new URL(url).pathname;
    const problems = [
      ...commonProblems(response.headers),
      ...specProblems(method, path, { status: response.status, headers: response.headers, text }),
    ];
    if (options.expectSpecViolation) {
      if (problems.length === 0)
        throw new Error(`${method} ${path}: expected a spec violation, the answer conforms`);
    } else if (problems.length > 0) {
      throw new Error(
        `${method} ${path} -> ${response.status} breaks the spec:\n  ${problems.join("\n  ")}\n${text}`,
      );
    }
    return { status: response.status, headers: response.headers, text, json: parseJson(text), problems };
  }

  const base = `/v2/${emulator.projectId}/instances`;
  return {
    call,
    base,
    collect: (instanceId: string, query = "log_type=run", options?: CallOptions) =>
      call("POST", `${base}/${instanceId}/redislog?${query}`, options),
    list: (instanceId: string, query = "log_type=run", options?: CallOptions) =>
      call("GET", `${base}/${instanceId}/redislog?${query}`, options),
    link: (instanceId: string, logId: string, options?: CallOptions) =>
      call("POST", `${base}/${instanceId}/redislog/${logId}/links`, options),
  };
}

export interface GatewayResult {
  status: number;
  headers: Headers;
  json: JsonBody;
}

/** A request to a route outside the spec: the answer must be a gateway error body with X-Request-Id. */
export async function gatewayCall(url: string, init: RequestInit = {}): Promise<GatewayResult> {
  const response = await fetch(url, init);
  const text = await response.text();
  const json = parseJson(text);
  const problems = [...commonProblems(response.headers), ...schemaProblems("GatewayError", json)];
  if (problems.length > 0) throw new Error(`${url} -> ${response.status}: ${problems.join("; ")}\n${text}`);
  return { status: response.status, headers: response.headers, json };
}

export interface DownloadResult {
  status: number;
  headers: Headers;
  body: Buffer;
  /** OBS error code of an error answer. */
  errorCode?: string;
}

/** A GET (or HEAD) of a download link: checks the OBS-style answer shape. */
export async function download(link: string, init: RequestInit = {}): Promise<DownloadResult> {
  const response = await fetch(link, init);
  const body = Buffer.from(await response.arrayBuffer());
  const problems = commonProblems(response.headers);
  let errorCode: string | undefined;
  if (response.status >= 400) {
    const xml = body.toString("utf8");
    const match =
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>([A-Za-z]+)<\/Code><Message>[^<]+<\/Message>/.exec(
        xml,
      );
    if (init.method !== "HEAD" && !match) problems.push(`not an OBS XML error: ${xml.slice(0, 120)}`);
    if (response.headers.get("content-type") !== "application/xml")
      problems.push("error content-type is not XML");
    errorCode = match?.[1];
  } else if (init.method !== "HEAD") {
    const length = Number(response.headers.get("content-length"));
    if (length !== body.length) problems.push(`Content-Length ${length} but ${body.length} bytes`);
    if (!/^"[0-9a-f]{32}"$/.test(response.headers.get("etag") ?? ""))
      problems.push("ETag is missing or malformed");
  }
  if (problems.length > 0) throw new Error(`download -> ${response.status}: ${problems.join("; ")}`);
  return { status: response.status, headers: response.headers, body, ...(errorCode ? { errorCode } : {}) };
}

/** A fetch outside the spec (admin, preflight, streamed downloads): still checks X-Request-Id and Date. */
export async function checkedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, init);
  const problems = commonProblems(response.headers);
  if (response.status >= 400 && response.headers.get("content-type") === null && init.method !== "HEAD") {
    problems.push("an error without a body");
  }
  if (problems.length > 0) throw new Error(`${url} -> ${response.status}: ${problems.join("; ")}`);
  return response;
}

/** A call of the admin endpoint: `{faults: [...]}` on success, `{error}` on failure, nothing on 204. */
export async function adminCall(
  url: string,
  method: string,
  body?: string,
): Promise<{ status: number; json: JsonBody }> {
  const response = await checkedFetch(url, { method, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  const json = parseJson(text) as JsonBody;
  const shapeOk =
    response.status === 204
      ? text === ""
      : response.status === 200
        ? Array.isArray(json?.faults)
        : typeof json?.error === "string";
  if (!shapeOk) throw new Error(`admin ${method} -> ${response.status}: unexpected body ${text}`);
  return { status: response.status, json };
}
