// Raw TCP requests, for what fetch cannot send (literal `..`, bad encodings, junk, oversize headers). The
// answer is parsed by hand and checked: X-Request-Id on every answer, and a gateway or DCS error body on errors.
import { connect } from "node:net";
import { expect } from "vitest";
import type { JsonBody } from "./api.js";
import { schemaProblems } from "./spec.js";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: JsonBody;
}

/** Sends `payload` as is and resolves with the answer once the server closes or the answer is complete. */
export function raw(
  endpoint: string,
  payload: string | Buffer,
  timeoutMs = 5000,
): Promise<RawResponse | undefined> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(() => {
      done = true;
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = parse(Buffer.concat(chunks));
      if (
        parsed &&
        Buffer.byteLength(parsed.body) >= Number(parsed.headers["content-length"] ?? Number.POSITIVE_INFINITY)
      ) {
        finish();
      }
    });
    socket.on("error", finish);
    socket.on("close", finish);
    socket.write(payload);
  });
}

function parse(data: Buffer): RawResponse | undefined {
  const text = data.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  const body = text.slice(end + 4);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, body, json };
}

/** Asserts a 4xx error answer of the gateway (or of DCS) with a request id. */
export function expectErrorAnswer(response: RawResponse | undefined, status?: number): RawResponse {
  expect(response, "an answer").toBeDefined();
  const answer = response as RawResponse;
  if (status !== undefined) expect(answer.status).toBe(status);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
  const asGateway = schemaProblems("GatewayError", answer.json);
  const asDcs = schemaProblems("DcsError", answer.json);
  expect(asGateway.length === 0 || asDcs.length === 0, `error body: ${answer.body}`).toBe(true);
  return answer;
}
