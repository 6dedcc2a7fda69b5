import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { startEmulator } from "@org/dcs-redislog-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDcsRedislogClient, type DcsRedislogClient, type Logger } from "../src/index.js";
import { downloadToFile } from "../src/node/index.js";
import { CLUSTER, readAll, SINGLE } from "./helpers.js";

// Canary secrets: planted everywhere a secret can be, then looked for everywhere output can go.
const AK = "CANARYAK7Q3Z9X1W5V2U";
const SK = "canary-secret-sk-7Q3Z9X1W5V2U4T6S";
const STS = "canary-sts-token-8P4O2N6M1B";
const TOKEN = "canary-iam-token-5L7K3J9H2G";
const canaries = new Set([AK, SK, STS, TOKEN]);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
const output: string[] = [];
const logger: Logger = Object.fromEntries(
  (["debug", "info", "warn", "error"] as const).map((level) => [
    level,
    (message: string, fields?: Record<string, unknown>) => {
      output.push(`${level} ${message} ${JSON.stringify(fields)} ${inspect(fields, { depth: 10 })}`);
    },
  ]),
) as unknown as Logger;

/** A fetch that records every Authorization signature it sends, so those count as canaries too. */
const recordingFetch = async (request: Request, init?: RequestInit) => {
  const authorization = request.headers.get("authorization");
  const signature = authorization?.match(/Signature=([0-9a-f]+)/)?.[1];
  if (signature) canaries.add(signature);
  return fetch(request, init);
};

function client(options: Partial<Parameters<typeof createDcsRedislogClient>[0]> = {}): DcsRedislogClient {
  return createDcsRedislogClient({
    endpoint: emulator.endpoint,
    projectId: emulator.projectId,
    credentials: { ak: AK, sk: SK, securityToken: STS },
    logger,
    logLevel: "debug",
    fetch: recordingFetch,
    retry: { maxRetries: 1, baseDelayMs: 1, maxRetryAfterMs: 5 },
    timeoutMs: 300,
    ...options,
  });
}

/** Everything a program could print about an error. */
function describeError(error: unknown): string {
  const e = error as Error;
  return [String(e), e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })].join(
    "\n",
  );
}

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    collectDelayMs: 50,
    logSize: 4096,
    tokens: [TOKEN],
    temporaryCredentials: [{ ak: AK, sk: SK, securityToken: STS }],
  });
});
afterAll(async () => {
  await emulator.stop();
});

describe("canary secrets", () => {
  it("never appear in messages, stacks, JSON, inspect or logs on any path", async () => {
    const dcs = client();
    const errors: unknown[] = [];
    const attempt = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        errors.push(error);
      }
    };

    // Success paths, with their logs: collect, wait, link, download.
    await dcs.collectRunLogs({ instanceId: SINGLE });
    const [file] = await dcs.waitForRunLogs({ instanceId: SINGLE, minDelayMs: 20 });
    if (!file) throw new Error("no file");
    const link = await dcs.createDownloadLink({ instanceId: SINGLE, logId: file.id });
    const query = new URL(link.link).searchParams;
    for (const name of ["AWSAccessKeyId", "Signature"]) canaries.add(query.get(name) ?? "missing");
    output.push(
      JSON.stringify(link),
      inspect(link, { depth: 10 }),
      String(inspect({ wrapped: link }, { depth: 10 })),
    );
    await readAll((await dcs.download(link)).body);
    output.push(inspect(dcs, { depth: 10 }));

    // Every failure path.
    const wrongSecret = client({ credentials: { ak: AK, sk: `${SK}x`, securityToken: STS } });
    await attempt(() => wrongSecret.listRunLogs({ instanceId: SINGLE }));
    await attempt(() =>
      client({ credentials: { ak: AK, sk: SK, securityToken: `${STS}x` } }).listRunLogs({
        instanceId: SINGLE,
      }),
    );
    await attempt(() => client({ credentials: { ak: AK, sk: SK } }).listRunLogs({ instanceId: SINGLE }));
    await attempt(() => client({ credentials: { token: `${TOKEN}x` } }).listRunLogs({ instanceId: SINGLE }));
    await attempt(() =>
      client({ credentials: { token: TOKEN } }).listRunLogs({
        instanceId: "00000000-0000-4000-8000-000000000000",
      }),
    );
    await attempt(() =>
      client({ projectId: "11111111111111111111111111111111" }).listRunLogs({ instanceId: SINGLE }),
    );
    await attempt(() => dcs.collectRunLogs({ instanceId: CLUSTER }));
    await attempt(() => dcs.createDownloadLink({ instanceId: SINGLE, logId: "missing" }));
    await attempt(() => dcs.listRunLogs({ instanceId: `../${SK}` }));
    await attempt(() => dcs.download(`ftp://${AK}:${SK}@example.invalid/`));
    await attempt(() =>
      client({
        credentials: async () => {
          throw new Error(`vault refused ${AK} ${SK} ${STS}`);
        },
      }).listRunLogs({ instanceId: SINGLE }),
    );
    for (const fault of [
      "throttle",
      "error500",
      "error503",
      "malformed-json",
      "hang",
      "reset",
      "clock-skew:skewMs=1800000",
    ]) {
      emulator.setFaults(`ListRedislog:${fault}`);
      await attempt(() => dcs.listRunLogs({ instanceId: SINGLE }));
    }
    emulator.clearFaults();
    await attempt(() => dcs.listRunLogs({ instanceId: SINGLE }));
    const controller = new AbortController();
    controller.abort();
    await attempt(() => dcs.listRunLogs({ instanceId: SINGLE, signal: controller.signal }));

    // Links: expired or tampered, truncated downloads, a link that fails to connect.
    const tampered = link.link.replace(/Signature=[^&]+/, "Signature=tampered");
    await attempt(() => dcs.download(tampered));
    await attempt(() => dcs.download(tampered, { relink: async () => tampered }));
    emulator.setFaults("Download:truncate:truncateAtBytes=100");
    await attempt(async () => readAll((await dcs.download(link, { maxResumes: 1 })).body));
    await attempt(() => downloadToFile(dcs, link, "/nonexistent-dir/x.log"));
    emulator.setFaults("Download:error500");
    await attempt(async () => readAll((await dcs.download(link)).body));
    emulator.clearFaults();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const deadLink = `http://127.0.0.1:${port}/b/k?AWSAccessKeyId=${AK}&Expires=9999999999&Signature=${SK}`;
    await attempt(async () => readAll((await dcs.download(deadLink)).body));
    await attempt(() => client({ endpoint: `http://127.0.0.1:${port}` }).listRunLogs({ instanceId: SINGLE }));

    // A scripted answer that echoes the secrets back, as a misbehaving proxy might.
    const echo = client({
      fetch: async (request) =>
        Response.json(
          {
            error_code: "DCS.5000",
            error_msg: `echo ${request.headers.get("authorization")} ${request.headers.get("x-security-token")}`,
          },
          { status: 500 },
        ),
    });
    await attempt(() => echo.listRunLogs({ instanceId: SINGLE }));

    const names = new Set(errors.map((e) => (e as Error).name));
    for (const name of [
      "AuthenticationError",
      "NotFoundError",
      "PermissionDeniedError",
      "BadRequestError",
      "ValidationError",
      "ConfigError",
      "ThrottledError",
      "ServerError",
      "MalformedResponseError",
      "TimeoutError",
      "ConnectionError",
      "AbortError",
      "LinkExpiredError",
      "DownloadError",
    ]) {
      expect(names, name).toContain(name);
    }
    const everything = [...output, ...errors.map(describeError)].join("\n");
    expect(output.length).toBeGreaterThan(20);
    for (const canary of canaries) {
      expect(everything.includes(canary), `canary ${canary.slice(0, 6)}… leaked`).toBe(false);
    }
    expect(everything).not.toMatch(/Signature=(?!\[REDACTED\])/);
    expect(everything).toContain("[REDACTED]");
  });
});
