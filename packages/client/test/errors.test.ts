import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parseErrorBody } from "../src/errors.js";
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  DcsApiError,
  DcsRedislogError,
  LinkExpiredError,
  MalformedResponseError,
  NotFoundError,
  PermissionDeniedError,
  ServerError,
  ThrottledError,
  TimeoutError,
} from "../src/index.js";
import { CLUSTER, clientFor, collectAndWait, rejection, SINGLE, useEmulator } from "./helpers.js";

const emulator = useEmulator();
const REQUEST_ID = /^[0-9a-f]{32}$/;

describe("DcsApiError families", () => {
  it("400 BadRequestError: missing replica on a cluster (DCS.4800) and a running collection (DCS.4017)", async () => {
    const dcs = clientFor(emulator());
    const missing = await rejection(dcs.collectRunLogs({ instanceId: CLUSTER }));
    expect(missing).toBeInstanceOf(BadRequestError);
    expect(missing).toMatchObject({
      status: 400,
      errorCode: "DCS.4800",
      errorMessage: "Invalid replicationId.",
      operation: "CreateRedislog",
      requestId: expect.stringMatching(REQUEST_ID),
    });
    expect(missing.message).toMatch(
      /^CreateRedislog failed: HTTP 400 DCS\.4800 "Invalid replicationId\." \(request id/,
    );

    await dcs.collectRunLogs({ instanceId: SINGLE });
    const busy = await rejection(dcs.collectRunLogs({ instanceId: SINGLE }));
    expect(busy).toBeInstanceOf(BadRequestError);
    expect(busy).toMatchObject({ errorCode: "DCS.4017" });
    expect(busy.message).toContain("wait for it (waitForRunLogs)");
    await dcs.waitForRunLogs({ instanceId: SINGLE, minDelayMs: 50 });
  });

  it("401 AuthenticationError from the gateway body, with the request id", async () => {
    const dcs = clientFor(emulator(), { credentials: { ak: emulator().ak, sk: "wrong-secret-key-000000" } });
    const error = await rejection(dcs.listRunLogs({ instanceId: SINGLE }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      errorCode: "APIGW.0301",
      requestId: expect.stringMatching(REQUEST_ID),
    });
    expect(error.message).toContain("Check the AK/SK or token, and this machine's clock.");
    const token = await rejection(
      clientFor(emulator(), { credentials: { token: "not-a-token" } }).listRunLogs({ instanceId: SINGLE }),
    );
    expect(token).toBeInstanceOf(AuthenticationError);
  });

  it("403 PermissionDeniedError for a project the credentials do not cover", async () => {
    const dcs = clientFor(emulator(), { projectId: "11111111111111111111111111111111" });
    const error = await rejection(dcs.listRunLogs({ instanceId: SINGLE }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ status: 403, errorCode: "APIGW.0302", attempts: 1 });
  });

  it("404 NotFoundError for an unknown instance (DCS.3022) and an unknown log (DCS.4001)", async () => {
    const dcs = clientFor(emulator());
    const instance = await rejection(dcs.listRunLogs({ instanceId: "0f0e0d0c-0000-4000-8000-000000000000" }));
    expect(instance).toBeInstanceOf(NotFoundError);
    expect(instance).toMatchObject({ errorCode: "DCS.3022", operation: "ListRedislog" });
    expect(instance.message).toContain("Check the instance ID, the region or endpoint, and the project ID.");
    const log = await rejection(dcs.createDownloadLink({ instanceId: SINGLE, logId: "no-such-log" }));
    expect(log).toBeInstanceOf(NotFoundError);
    expect(log).toMatchObject({ errorCode: "DCS.4001", operation: "CreateRedislogDownloadLink" });
  });

  it("429 ThrottledError and 5xx ServerError once retries are spent", async () => {
    const dcs = clientFor(emulator(), { retry: { maxRetries: 1, baseDelayMs: 1, maxRetryAfterMs: 10 } });
    emulator().setFaults("ListRedislog:throttle");
    const throttled = await rejection(dcs.listRunLogs({ instanceId: SINGLE }));
    expect(throttled).toBeInstanceOf(ThrottledError);
    expect(throttled).toMatchObject({ status: 429, errorCode: "APIGW.0308", attempts: 2 });
    for (const [kind, status] of [
      ["error500", 500],
      ["error502", 502],
      ["error503", 503],
    ] as const) {
      emulator().setFaults(`ListRedislog:${kind}`);
      const error = await rejection(dcs.listRunLogs({ instanceId: SINGLE }));
      expect(error).toBeInstanceOf(ServerError);
      expect(error).toMatchObject({ status, attempts: 2, requestId: expect.stringMatching(REQUEST_ID) });
      expect(error.message).toContain("after 2 attempts");
    }
    emulator().clearFaults();
  });

  it("MalformedResponseError for a 200 whose body is not JSON", async () => {
    const dcs = clientFor(emulator());
    emulator().setFaults("ListRedislog:malformed-json,CreateRedislogDownloadLink:malformed-json");
    const list = await rejection(dcs.listRunLogs({ instanceId: SINGLE }));
    expect(list).toBeInstanceOf(MalformedResponseError);
    expect(list).toBeInstanceOf(DcsApiError);
    expect(list).toMatchObject({ status: 200, attempts: 4, requestId: expect.stringMatching(REQUEST_ID) });
    const link = await rejection(dcs.createDownloadLink({ instanceId: SINGLE, logId: "x" }));
    expect(link).toBeInstanceOf(MalformedResponseError);
    emulator().clearFaults();
  });

  it("parses both body shapes, the legacy one, OBS XML, and nothing from malformed bodies", () => {
    expect(
      parseErrorBody('{"error_code":"DCS.4800","error_msg":"Invalid logType.","error_ext_msg":null}'),
    ).toEqual({
      code: "DCS.4800",
      message: "Invalid logType.",
      requestId: undefined,
    });
    expect(parseErrorBody('{"error_code":"APIGW.0308","error_msg":"Throttled","request_id":"abc"}')).toEqual({
      code: "APIGW.0308",
      message: "Throttled",
      requestId: "abc",
    });
    expect(parseErrorBody('{"error":{"code":"111404022","message":"gone"}}')).toMatchObject({
      code: "111404022",
      message: "gone",
    });
    expect(
      parseErrorBody("<Error><Code>AccessDenied</Code><Message>Expired</Message></Error>"),
    ).toMatchObject({
      code: "AccessDenied",
      message: "Expired",
    });
    expect(parseErrorBody('{"error_code": "DCS.48')).toEqual({});
    expect(parseErrorBody("null")).toEqual({});
    expect(parseErrorBody("")).toEqual({});
  });

  it("keeps the status, request id and a clear message when an error body cannot be parsed", async () => {
    // A gateway in between that answers with HTML: the real client, fed by a scripted fetch.
    const dcs = clientFor(emulator(), {
      fetch: async () =>
        new Response("<html>bad gateway</html>", {
          status: 502,
          headers: { "X-Request-Id": "feedfacefeedfacefeedfacefeedface" },
        }),
      retry: false,
    });
    const error = await rejection(dcs.listRunLogs({ instanceId: SINGLE }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      status: 502,
      errorCode: undefined,
      requestId: "feedfacefeedfacefeedfacefeedface",
    });
    expect(error.message).toContain("(body is not a known error format)");
    const json = await rejection(
      clientFor(emulator(), {
        fetch: async () => new Response('{"error_code": "DCS.5', { status: 500 }),
        retry: false,
      }).listRunLogs({ instanceId: SINGLE }),
    );
    expect(json).toMatchObject({ status: 500, errorCode: undefined });
  });
});

describe("errors without an answer", () => {
  it("ConnectionError when nothing listens, with the code and the attempts", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const dcs = clientFor(emulator(), {
      endpoint: `http://127.0.0.1:${port}`,
      retry: { maxRetries: 2, baseDelayMs: 1 },
    });
    const error = await rejection(dcs.listRunLogs({ instanceId: SINGLE }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", attempts: 3, operation: "ListRedislog" });
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
    expect(error.message).toContain("Check the endpoint or region and the network.");
  });

  it("TimeoutError when the service hangs, per attempt and per call", async () => {
    const dcs = clientFor(emulator(), { timeoutMs: 100, retry: { maxRetries: 1, baseDelayMs: 1 } });
    emulator().setFaults("ListRedislog:hang");
    const attempt = await rejection(dcs.listRunLogs({ instanceId: SINGLE }));
    expect(attempt).toBeInstanceOf(TimeoutError);
    expect(attempt).toMatchObject({ timeoutMs: 100, attempts: 2 });
    const deadline = await rejection(
      dcs.listRunLogs({ instanceId: SINGLE, timeoutMs: 1_000, deadlineMs: 150 }),
    );
    expect(deadline).toBeInstanceOf(TimeoutError);
    expect(deadline.message).toContain("deadlineMs (150 ms)");
    emulator().clearFaults();
  });

  it("AbortError when the caller aborts, before or during the call, and no retry follows", async () => {
    const dcs = clientFor(emulator());
    const aborted = AbortSignal.abort();
    const before = await rejection(dcs.listRunLogs({ instanceId: SINGLE, signal: aborted }));
    expect(before).toBeInstanceOf(AbortError);

    emulator().setFaults("ListRedislog:hang");
    const from = emulator().requests.length;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const during = await rejection(dcs.listRunLogs({ instanceId: SINGLE, signal: controller.signal }));
    expect(during).toBeInstanceOf(AbortError);
    expect(during.message).toContain("cancelled by the caller's AbortSignal");
    expect(emulator().requests.length - from).toBe(1);
    emulator().clearFaults();
  });

  it("LinkExpiredError when storage refuses a link and there is no way to mint another", async () => {
    const dcs = clientFor(emulator());
    const [file] = await collectAndWait(dcs, SINGLE);
    if (!file) throw new Error("no file");
    const { link } = await dcs.createDownloadLink({ instanceId: SINGLE, logId: file.id });
    const tampered = link.replace(/Signature=[^&]+/, "Signature=AAAA");
    const error = await rejection(dcs.download(tampered));
    expect(error).toBeInstanceOf(LinkExpiredError);
    expect(error).toMatchObject({ status: 403, operation: "Download" });
    expect((error as LinkExpiredError).link).not.toContain("Signature");
    expect(error.message).toContain("createDownloadLink()");
  });

  it("every error is a DcsRedislogError", () => {
    for (const E of [AbortError, ConnectionError, TimeoutError, LinkExpiredError, DcsApiError, ServerError]) {
      expect(E.prototype).toBeInstanceOf(DcsRedislogError);
    }
    expect(new AbortError("ListRedislog").name).toBe("AbortError");
  });
});
