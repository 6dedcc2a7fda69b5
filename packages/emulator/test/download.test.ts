// Download links: OBS-style pre-signed URLs on the emulator's origin, byte-exact Range support for resuming,
// expiry, tampering, and streaming of files far larger than memory.
import { createHash } from "node:crypto";
import { request } from "node:http";
import { describe, expect, test } from "vitest";
import type { Emulator } from "../src/index.js";
import { createRandom } from "../src/random.js";
import { api, checkedFetch, download } from "./helpers/api.js";
import { manualClock, SINGLE, useEmulators } from "./helpers/emulator.js";

const start = useEmulators();

/** Collects today's log of the single-node instance and returns a download link for it. */
async function linkFor(emulator: Emulator, now?: () => number): Promise<string> {
  const dcs = api(emulator, now ? { now } : {});
  expect((await dcs.collect(SINGLE)).status).toBe(204);
  const [item] = (await dcs.list(SINGLE)).json.file_list;
  const linked = await dcs.link(SINGLE, item.id);
  expect(linked.status).toBe(200);
  return linked.json.link;
}

const range = (link: string, value: string, extra: Record<string, string> = {}) =>
  download(link, { headers: { Range: value, ...extra } });

describe("Range and resume", () => {
  test("any range returns exactly that slice of the full file, and a resumed download is byte-identical", async () => {
    const emulator = await start({ collectDelayMs: 0, logSize: 300_000 });
    const link = await linkFor(emulator);
    const full = await download(link);
    expect(full.status).toBe(200);
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    expect(full.body.length).toBe(300_000);

    // Slices across block boundaries (64 KiB), at the edges, and single bytes.
    for (const [from, to] of [
      [0, 0],
      [0, 99],
      [65_530, 65_545],
      [65_536, 131_071],
      [100_000, 250_000],
      [299_999, 299_999],
    ] as const) {
      const part = await range(link, `bytes=${from}-${to}`);
      expect(part.status).toBe(206);
      expect(part.headers.get("content-range")).toBe(`bytes ${from}-${to}/300000`);
      expect(part.body.equals(full.body.subarray(from, to + 1))).toBe(true);
    }

    // Resume: the first 123,457 bytes, then the rest with an open range.
    const head = await range(link, "bytes=0-123456");
    const tail = await range(link, "bytes=123457-", { "If-Range": full.headers.get("etag") ?? "" });
    expect(tail.status).toBe(206);
    expect(Buffer.concat([head.body, tail.body]).equals(full.body)).toBe(true);

    const suffix = await range(link, "bytes=-500");
    expect(suffix.headers.get("content-range")).toBe("bytes 299500-299999/300000");
    expect(suffix.body.equals(full.body.subarray(299_500))).toBe(true);

    const clamped = await range(link, "bytes=299000-999999");
    expect(clamped.headers.get("content-range")).toBe("bytes 299000-299999/300000");
  });

  test("random ranges across 64 KiB blocks and 256 KiB chunks equal their slices of the full download", async () => {
    const size = 1536 * 1024 + 321;
    const emulator = await start({ collectDelayMs: 0, logSize: size });
    const link = await linkFor(emulator);
    const full = await download(link);
    expect(full.body.length).toBe(size);
    expect(full.body.at(-1)).toBe(0x0a);
    const random = createRandom(11);
    const boundaries = [65_536, 262_144, 524_288, 1_048_576, size - 321];
    for (let i = 0; i < 30; i++) {
      // Half straddle a block or chunk boundary, half fall anywhere.
      const anchor =
        i % 2 === 0 ? (boundaries[i % boundaries.length] as number) : Math.floor(random() * size);
      const from = Math.max(0, anchor - Math.floor(random() * 70_000));
      const to = Math.min(size - 1, anchor + Math.floor(random() * 300_000));
      const part = await range(link, `bytes=${from}-${to}`);
      expect(part.status).toBe(206);
      expect(part.body.equals(full.body.subarray(from, to + 1)), `bytes=${from}-${to}`).toBe(true);
    }
  });

  test("unsatisfiable ranges → 416 with Content-Range bytes */size; malformed or multiple ranges → whole file", async () => {
    const emulator = await start({ collectDelayMs: 0, logSize: 1000 });
    const link = await linkFor(emulator);
    for (const value of ["bytes=1000-", "bytes=5000-6000", "bytes=-0"]) {
      const refused = await range(link, value);
      expect(refused.status).toBe(416);
      expect(refused.errorCode).toBe("InvalidRange");
      expect(refused.headers.get("content-range")).toBe("bytes */1000");
    }
    for (const value of ["bytes=0-10,20-30", "items=0-10", "bytes=10-5", "bytes=abc"]) {
      const whole = await range(link, value);
      expect(whole.status).toBe(200);
      expect(whole.body.length).toBe(1000);
    }
  });

  test("If-Range with another ETag sends the whole file", async () => {
    const emulator = await start({ collectDelayMs: 0, logSize: 1000 });
    const link = await linkFor(emulator);
    const stale = await range(link, "bytes=0-9", { "If-Range": '"0123456789abcdef0123456789abcdef"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(1000);
  });

  test("content and ETag are the same for the same seed and day, and differ for another seed", async () => {
    const fetchFile = async (seed: number) => {
      const clock = manualClock();
      const emulator = await start({ collectDelayMs: 0, logSize: 100_000, seed, now: clock.now });
      const file = await download(await linkFor(emulator, clock.now));
      return { etag: file.headers.get("etag"), sha: createHash("sha256").update(file.body).digest("hex") };
    };
    const a = await fetchFile(42);
    expect(await fetchFile(42)).toEqual(a);
    const b = await fetchFile(43);
    expect(b.sha).not.toBe(a.sha);
    expect(b.etag).not.toBe(a.etag);
  });
});

describe("link signature and expiry", () => {
  test("a link is valid for linkTtlSeconds, then 403 AccessDenied `Request has expired`", async () => {
    const clock = manualClock();
    const emulator = await start({ collectDelayMs: 0, logSize: 100, linkTtlSeconds: 60, now: clock.now });
    const link = await linkFor(emulator, clock.now);
    expect(Number(new URL(link).searchParams.get("Expires"))).toBe(clock.now() / 1000 + 60);
    clock.advance(60_000);
    expect((await download(link)).status).toBe(200);
    clock.advance(1000);
    const expired = await download(link);
    expect(expired.status).toBe(403);
    expect(expired.errorCode).toBe("AccessDenied");
    expect(expired.body.toString()).toContain("<Message>Request has expired</Message>");
  });

  test("the default validity is 24 hours", async () => {
    const clock = manualClock();
    const emulator = await start({ collectDelayMs: 0, logSize: 100, now: clock.now });
    const link = await linkFor(emulator, clock.now);
    clock.advance(86_400_000);
    expect((await download(link)).status).toBe(200);
    clock.advance(1000);
    expect((await download(link)).status).toBe(403);
  });

  test("tampered links are refused with OBS XML errors", async () => {
    const emulator = await start({ collectDelayMs: 0, logSize: 100 });
    const link = new URL(await linkFor(emulator));
    const variant = (edit: (u: URL) => void) => {
      const copy = new URL(link);
      edit(copy);
      return download(copy.toString());
    };
    const signature = link.searchParams.get("Signature") ?? "";
    const flipped = `${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    const cases: [string, (u: URL) => void, string][] = [
      ["signature", (u) => u.searchParams.set("Signature", flipped), "SignatureDoesNotMatch"],
      [
        "expiry pushed out",
        (u) => u.searchParams.set("Expires", String(Number(u.searchParams.get("Expires")) + 1)),
        "SignatureDoesNotMatch",
      ],
      ["another object", (u) => (u.pathname = u.pathname.replace(/\.log$/, ".lo")), "SignatureDoesNotMatch"],
      ["access key", (u) => u.searchParams.set("AWSAccessKeyId", "SOMEONEELSE"), "InvalidAccessKeyId"],
      ["no signature", (u) => u.searchParams.delete("Signature"), "AccessDenied"],
      ["no query at all", (u) => (u.search = ""), "AccessDenied"],
    ];
    for (const [name, edit, code] of cases) {
      const refused = await variant(edit);
      expect(refused.status, name).toBe(403);
      expect(refused.errorCode, name).toBe(code);
    }
    expect((await download(link.toString())).status).toBe(200);
  });

  test("a valid signature for an object this emulator does not have → 404 NoSuchKey", async () => {
    const a = await start({ collectDelayMs: 0, logSize: 100 });
    const b = await start({ collectDelayMs: 0, logSize: 100 });
    const link = new URL(await linkFor(a));
    const missing = await download(`${b.endpoint}${link.pathname}${link.search}`);
    expect(missing.status).toBe(404);
    expect(missing.errorCode).toBe("NoSuchKey");
  });

  test("downloads need no DCS credentials, and other methods are refused", async () => {
    const emulator = await start({ collectDelayMs: 0, logSize: 100 });
    const link = await linkFor(emulator);
    expect((await download(link, { method: "POST" })).status).toBe(405);
    expect((await download(link, { method: "DELETE" })).status).toBe(405);
    // Like S3/OBS, the signature covers the method: a GET link does not authorize HEAD.
    expect((await download(link, { method: "HEAD" })).status).toBe(403);
  });

  test("the link is built on the host the client used", async () => {
    const emulator = await start({ collectDelayMs: 0 });
    const dcs = api(emulator);
    await dcs.collect(SINGLE);
    const [item] = (await dcs.list(SINGLE)).json.file_list;
    const { port } = new URL(emulator.endpoint);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${emulator.endpoint}/v2/${emulator.projectId}/instances/${SINGLE}/redislog/${item.id}/links`,
        { method: "POST", headers: { "X-Auth-Token": "emulator-token", Host: `emulator.example:${port}` } },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(JSON.parse(body).link).toMatch(new RegExp(`^http://emulator\\.example:${port}/`));
  });
});

describe("large files", () => {
  test("a 5 GiB file: ranges past 4 GiB are served at once, and a full GET streams with bounded memory", async () => {
    const size = 5 * 1024 ** 3;
    const emulator = await start({ collectDelayMs: 0, logSize: size });
    const link = await linkFor(emulator);
    const tail = await range(link, `bytes=${size - 4096}-`);
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${size - 4096}-${size - 1}/${size}`);
    expect(tail.body.length).toBe(4096);
    expect(tail.body.at(-1)).toBe(0x0a);
    const again = await range(link, `bytes=${size - 2048}-${size - 1025}`);
    expect(again.body.equals(tail.body.subarray(2048, 3072))).toBe(true);

    const before = process.memoryUsage();
    const peek = await new Promise<{ length: string | undefined; read: number; growth: number }>(
      (resolve, reject) => {
        const req = request(link, (res) => {
          let read = 0;
          res.on("data", (chunk: Buffer) => {
            read += chunk.length;
            if (read >= 4 * 1024 ** 2 && !res.isPaused()) {
              res.pause();
              // A server that ignored backpressure would keep queueing the 5 GiB meanwhile.
              setTimeout(() => {
                const now = process.memoryUsage();
                const growth = now.heapUsed + now.arrayBuffers - (before.heapUsed + before.arrayBuffers);
                req.destroy();
                resolve({ length: res.headers["content-length"], read, growth });
              }, 500);
            }
          });
        });
        req.on("error", (error) => {
          if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
        });
        req.end();
      },
    );
    expect(peek.length).toBe(String(size));
    expect(peek.read).toBeLessThan(64 * 1024 ** 2);
    expect(peek.growth).toBeLessThan(96 * 1024 ** 2);
  });

  test("a 16 MiB file streams whole and equals its parts", async () => {
    const size = 16 * 1024 ** 2;
    const emulator = await start({ collectDelayMs: 0, logSize: size });
    const link = await linkFor(emulator);
    const hashOf = async (headers: Record<string, string> = {}) => {
      const response = await checkedFetch(link, { headers });
      const hash = createHash("sha256");
      let length = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        length += chunk.length;
      }
      return { status: response.status, length, hash };
    };
    const whole = await hashOf();
    expect(whole.status).toBe(200);
    expect(whole.length).toBe(size);
    const first = await range(link, "bytes=0-1048575");
    const rest = await checkedFetch(link, { headers: { Range: "bytes=1048576-" } });
    expect(rest.status).toBe(206);
    const combined = createHash("sha256").update(first.body);
    for await (const chunk of rest.body as unknown as AsyncIterable<Uint8Array>) combined.update(chunk);
    expect(combined.digest("hex")).toBe(whole.hash.digest("hex"));
  });
});
