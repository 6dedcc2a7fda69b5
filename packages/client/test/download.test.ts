import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator } from "@org/dcs-redislog-emulator";
import { afterEach, describe, expect, it } from "vitest";
import { DOWNLOAD_FETCH } from "../src/download.js";
import {
  AbortError,
  createDcsRedislogClient,
  type DcsRedislogClient,
  DownloadError,
  type DownloadOptions,
  LinkExpiredError,
} from "../src/index.js";
import { nodeFetch } from "../src/node/http.js";
import { clientFor, collectAndWait, readAll, rejection, SINGLE, served } from "./helpers.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A throwaway storage server on loopback, for behaviour the emulator does not script. */
async function storage(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A client whose API endpoint is never called: these tests only talk to storage. */
const storageOnlyClient = () =>
  createDcsRedislogClient({
    endpoint: "http://127.0.0.1:9",
    projectId: "0524e839a54847039e9b2b46e8aa788a",
    credentials: { ak: "CANARYAK000000000001", sk: "canary-sk-000000", securityToken: "canary-sts" },
  });

const FILE = Buffer.from(Array.from({ length: 4000 }, (_, i) => i % 251));
/** An emulator whose clock a test can move, so links expire without waiting. */
const dcsFor = async () => {
  const clock = { shiftMs: 0 };
  const emu = await startEmulator({
    port: 0,
    collectDelayMs: 100,
    logSize: 64 * 1024,
    linkTtlSeconds: 1,
    now: () => Date.now() + clock.shiftMs,
  });
  return { emu, clock, dcs: clientFor(emu) };
};

describe("links that expire", () => {
  it("fails with LinkExpiredError, re-mints through relink, and gives up after one fresh link", async () => {
    const { emu, clock, dcs } = await dcsFor();
    try {
      // Collected and minted 3 s ago, valid for 1 s: expired for storage and, by its Expires, for the client.
      clock.shiftMs = -3_000;
      const [file] = await collectAndWait(dcs, SINGLE);
      if (!file) throw new Error("no file");
      const { link } = await dcs.createDownloadLink({ instanceId: SINGLE, logId: file.id });
      clock.shiftMs = 0;

      let from = emu.requests.length;
      expect(await rejection(dcs.download(link))).toBeInstanceOf(LinkExpiredError);
      expect(emu.requests.slice(from).map((r) => r.status)).toEqual([403]);

      // A link known to be stale (Expires in the past) is replaced before it is tried.
      let mints = 0;
      const relink = async () => {
        mints++;
        return dcs.createDownloadLink({ instanceId: SINGLE, logId: file.id });
      };
      from = emu.requests.length;
      const body = await dcs.download(link, { relink });
      expect((await readAll(body.body)).byteLength).toBe(64 * 1024);
      expect(mints).toBe(1);
      expect(served(emu, "Download", from)).toBe(1);

      // A refused link that looks fresh: 403, one re-mint, then success.
      const fresh = (await dcs.createDownloadLink({ instanceId: SINGLE, logId: file.id })).link;
      const tampered = fresh.replace(/Signature=[^&]+/, "Signature=AAAA");
      from = emu.requests.length;
      await readAll((await dcs.download(tampered, { relink })).body);
      expect(
        emu.requests
          .slice(from)
          .filter((r) => r.operation === "Download")
          .map((r) => r.status),
      ).toEqual([403, 200]);

      // A re-mint that is refused too: no loop.
      const error = await rejection(dcs.download(tampered, { relink: async () => tampered }));
      expect(error).toBeInstanceOf(LinkExpiredError);
      expect(error.message).toContain("A freshly minted link was refused too");
    } finally {
      await emu.stop();
    }
  });

  it("re-mints when the link expires in the middle of a resumed download", async () => {
    const { emu, clock, dcs } = await dcsFor();
    try {
      const [file] = await collectAndWait(dcs, SINGLE);
      if (!file) throw new Error("no file");
      emu.setFaults("Download:truncate:times=1:truncateAtBytes=1000");
      const from = emu.requests.length;
      const download = await dcs.download({ instanceId: SINGLE, logId: file.id });
      const reader = download.body.getReader();
      const first = await reader.read();
      // The link expires (for storage) before the client asks for the rest.
      clock.shiftMs = 3_000;
      let received = first.value?.byteLength ?? 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
      }
      expect(received).toBe(64 * 1024);
      const statuses = emu.requests
        .slice(from)
        .filter((r) => r.operation === "Download")
        .map((r) => r.status);
      expect(statuses).toEqual([200, 403, 206]);
      expect(served(emu, "CreateRedislogDownloadLink", from)).toBe(2);
    } finally {
      await emu.stop();
    }
  });
});

// Every transport test runs twice: through fetch (download()), and through the node:http transport that
// downloadToFile uses when the client has the global fetch.
describe.each([
  ["fetch", {}],
  ["node:http, as downloadToFile", { [DOWNLOAD_FETCH]: nodeFetch }],
])("download transport: %s", (_name, transport) => {
  const download = (dcs: DcsRedislogClient, source: string, options: DownloadOptions = {}) =>
    dcs.download(source, { ...options, ...transport });

  it("sends no DCS credential to storage, not even across a redirect to another origin", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const target = await storage((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "Content-Length": String(FILE.length) }).end(FILE);
    });
    const origin = await storage((req, res) => {
      seen.push(req.headers);
      res.writeHead(302, { Location: `${target}/elsewhere/file.log` }).end();
    });
    const body = await download(
      storageOnlyClient(),
      `${origin}/bucket/file.log?AWSAccessKeyId=X&Expires=9999999999&Signature=Y`,
    );
    expect(await readAll(body.body)).toEqual(FILE);
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      for (const name of [
        "authorization",
        "x-auth-token",
        "x-security-token",
        "x-sdk-date",
        "x-project-id",
        "cookie",
      ]) {
        expect(headers[name], name).toBeUndefined();
      }
    }
  });

  it("resumes after a stall (idle timeout) with a Range request", async () => {
    const ranges: (string | undefined)[] = [];
    const url = await storage((req, res) => {
      ranges.push(req.headers.range);
      if (!req.headers.range) {
        res.writeHead(200, { "Content-Length": String(FILE.length), ETag: '"v1"' });
        res.write(FILE.subarray(0, 1500)); // …then nothing: a stalled connection
        return;
      }
      const start = Number(req.headers.range.match(/bytes=(\d+)-/)?.[1]);
      res.writeHead(206, {
        "Content-Length": String(FILE.length - start),
        "Content-Range": `bytes ${start}-${FILE.length - 1}/${FILE.length}`,
        ETag: '"v1"',
      });
      res.end(FILE.subarray(start));
    });
    const dcs = storageOnlyClient();
    {
      const progress: number[] = [];
      const body = await download(dcs, `${url}/f`, {
        timeoutMs: 150,
        onProgress: (p) => progress.push(p.received),
      });
      expect(await readAll(body.body)).toEqual(FILE);
      expect(ranges).toEqual([undefined, "bytes=1500-"]);
      expect(progress.at(-1)).toBe(FILE.length);
      expect(body.etag).toBe('"v1"');

      // No resumes allowed: the stall is a DownloadError.
      ranges.length = 0;
      const once = await download(dcs, `${url}/f`, { timeoutMs: 150, maxResumes: 0 });
      const error = await rejection(readAll(once.body));
      expect(error).toBeInstanceOf(DownloadError);
      expect(error).toMatchObject({ reason: "truncated", received: 1500, expected: 4000 });
      expect(error.message).toContain("no data for 150 ms");
    }
  });

  it("refuses to stitch ranges of a file that changed or of a server that ignores Range", async () => {
    for (const resume of ["other-etag", "ignores-range"] as const) {
      const url = await storage((req, res) => {
        if (!req.headers.range) {
          res.writeHead(200, { "Content-Length": String(FILE.length), ETag: '"v1"' });
          res.write(FILE.subarray(0, 1000), () => res.destroy());
        } else if (resume === "other-etag") {
          res
            .writeHead(206, { "Content-Range": `bytes 1000-3999/4000`, ETag: '"v2"' })
            .end(FILE.subarray(1000));
        } else {
          res.writeHead(200, { ETag: '"v1"' }).end(FILE);
        }
      });
      const body = await download(storageOnlyClient(), `${url}/f`);
      const error = await rejection(readAll(body.body));
      expect(error, resume).toBeInstanceOf(DownloadError);
      expect(error).toMatchObject({ reason: "changed" });
    }
  });

  it("never takes a body shorter than its Content-Length as complete: it resumes, or reports truncation", async () => {
    // Storage that closes cleanly (FIN, not a reset) after part of the file, on the first answer and on one
    // resumed answer: each cut is resumed from the byte where it stopped.
    const cuts = [1000, 2500];
    const ranges: (string | undefined)[] = [];
    const url = await storage((req, res) => {
      ranges.push(req.headers.range);
      const start = Number(req.headers.range?.match(/bytes=(\d+)-/)?.[1] ?? 0);
      const cut = cuts.shift() ?? FILE.length;
      res.writeHead(start ? 206 : 200, {
        "Content-Length": String(FILE.length - start),
        ...(start ? { "Content-Range": `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}),
        Connection: "close",
      });
      res.write(FILE.subarray(start, cut), () => res.socket?.end());
    });
    const dcs = storageOnlyClient();
    expect(await readAll((await download(dcs, `${url}/f`)).body)).toEqual(FILE);
    expect(ranges).toEqual([undefined, "bytes=1000-", "bytes=2500-"]);

    cuts.push(1000);
    const error = await rejection(readAll((await download(dcs, `${url}/f`, { maxResumes: 0 })).body));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error).toMatchObject({ reason: "truncated", received: 1000, expected: FILE.length });
  });

  it("checks the length even when the body ends without an error (a fetch that reports a clean end)", async () => {
    // A fetch that ends the body after 1000 of 4000 announced bytes, as a proxy or a cache might, then
    // serves the rest: the same logic resumes it.
    const answers: Response[] = [];
    const dcs = createDcsRedislogClient({
      endpoint: "http://127.0.0.1:9",
      projectId: "0524e839a54847039e9b2b46e8aa788a",
      credentials: { ak: "AK0000000000", sk: "SK0000000000" },
      fetch: async (request) => {
        const range = request.headers.get("range");
        const answer = range
          ? new Response(FILE.subarray(1000), {
              status: 206,
              headers: { "Content-Range": `bytes 1000-3999/4000`, "Content-Length": "3000" },
            })
          : new Response(FILE.subarray(0, 1000), { headers: { "Content-Length": "4000" } });
        answers.push(answer);
        return answer;
      },
    });
    expect(await readAll((await download(dcs, "http://storage.invalid/f")).body)).toEqual(FILE);
    expect(answers.map((a) => a.status)).toEqual([200, 206]);
    const error = await rejection(
      readAll((await download(dcs, "http://storage.invalid/f", { maxResumes: 0 })).body),
    );
    expect(error).toMatchObject({
      name: "DownloadError",
      reason: "truncated",
      received: 1000,
      expected: 4000,
    });
    expect(error.message).toContain("the body ended early");
  });

  it("compares decoded bytes with nothing when storage sends the file content-encoded", async () => {
    const { gzipSync } = await import("node:zlib");
    const gzipped = gzipSync(FILE);
    const url = await storage((_req, res) => {
      res
        .writeHead(200, { "Content-Encoding": "gzip", "Content-Length": String(gzipped.length) })
        .end(gzipped);
    });
    const body = await download(storageOnlyClient(), `${url}/f`);
    expect(body.size).toBeUndefined();
    expect(await readAll(body.body)).toEqual(FILE);
  });

  it("waits for storage as long as the client's timeoutMs unless the call sets its own", async () => {
    const url = await storage((_req, res) => {
      res.writeHead(200, { "Content-Length": String(FILE.length) });
      res.write(FILE.subarray(0, 100)); // …then nothing
    });
    const dcs = createDcsRedislogClient({
      endpoint: "http://127.0.0.1:9",
      projectId: "0524e839a54847039e9b2b46e8aa788a",
      credentials: { ak: "AK0000000000", sk: "SK0000000000" },
      timeoutMs: 120,
    });
    const error = await rejection(readAll((await download(dcs, `${url}/f`, { maxResumes: 0 })).body));
    expect(error.message).toContain("no data for 120 ms");
  });

  it("aborts with AbortError, and closes the connection on abort and on cancel", async () => {
    const closed: boolean[] = [];
    const url = await storage((req, res) => {
      const index = closed.push(false) - 1;
      req.socket.on("close", () => {
        closed[index] = true;
      });
      res.writeHead(200, { "Content-Length": String(FILE.length * 100) });
      res.write(FILE);
    });
    const dcs = storageOnlyClient();
    const controller = new AbortController();
    const body = await download(dcs, `${url}/f`, { signal: controller.signal });
    const reader = body.body.getReader();
    await reader.read();
    controller.abort();
    expect(await rejection(reader.read())).toBeInstanceOf(AbortError);
    await expect.poll(() => closed[0]).toBe(true);

    const cancelled = await download(dcs, `${url}/f`);
    await cancelled.body.cancel();
    await expect.poll(() => closed[1]).toBe(true);
  });
});
