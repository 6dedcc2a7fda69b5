import type { FetchLike } from "@org/dcs-redislog-client";
import type { Output } from "./output.js";

export interface CapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export interface DryRun {
  /** Given to the client instead of the network: records the signed request and answers it locally. */
  fetch: FetchLike;
  requests: CapturedRequest[];
  /** Prints what was recorded, plus `then` (what the real run would do next). */
  print(out: Output, command: string, then?: string): void;
}

const REDACTED = "[REDACTED]";
const SECRET_HEADERS = new Set(["x-auth-token", "x-security-token", "cookie", "proxy-authorization"]);

function redactHeaders(headers: Headers, url: string): Record<string, string> {
  // fetch adds Host on the wire; it is signed, so show it.
  const out: Record<string, string> = { host: new URL(url).host };
  for (const [name, value] of headers) {
    if (name === "authorization") {
      out[name] = value.replace(/(Access=|Signature=)[^,\s]+/g, `$1${REDACTED}`);
    } else {
      out[name] = SECRET_HEADERS.has(name) ? REDACTED : value;
    }
  }
  return out;
}

/**
 * The answers stand in for an instance with no files yet: 204 for the list and the collect, and a
 * placeholder link, so the client proceeds through the requests a real run would send first.
 */
function answer(request: Request): Response {
  const headers = { "x-request-id": "dry-run", date: new Date().toUTCString() };
  if (request.method === "POST" && /\/links\/?$/.test(new URL(request.url).pathname)) {
    const id = new URL(request.url).pathname.split("/").at(-2) ?? "dry-run";
    return Response.json({ id, link: "https://dry-run.invalid/dry-run.log" }, { status: 200, headers });
  }
  return new Response(null, { status: 204, headers });
}

export function createDryRun(): DryRun {
  const requests: CapturedRequest[] = [];
  return {
    requests,
    fetch: async (request) => {
      requests.push({
        method: request.method,
        url: request.url,
        headers: redactHeaders(request.headers, request.url),
      });
      return answer(request);
    },
    print(out, command, then) {
      const human = [
        `dry run: nothing was sent. \`dcs-redislog ${command}\` would send:`,
        ...requests.map((r) =>
          [
            "",
            `${r.method} ${r.url}`,
            ...Object.entries(r.headers)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([name, value]) => `  ${name}: ${value}`),
          ].join("\n"),
        ),
        ...(then ? ["", `then: ${then}`] : []),
      ].join("\n");
      out.result({ dry_run: true, requests, ...(then ? { then } : {}) }, human);
    },
  };
}
