import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignableRequest, VerifyResult } from "../src/node.js";
import { builds } from "./builds.js";

const AK = "EMULATORAK0000000001";
const SK = "emulator-secret-key-0000000000000000000000";
const TOKEN = "temporary-security-token-value";
const NOW = new Date("2024-03-01T12:00:00Z");
const lookup = (ak: string) => (ak === AK ? SK : undefined);

const BASE: SignableRequest = {
  method: "POST",
  url: "https://dcs.example.com/v2/p/instances/i/redislog?log_type=run&query_time=7&replication_id=r1",
  headers: { "Content-Type": "application/json", "X-Project-Id": "p" },
  body: '{"a":1}',
};

type Received = Omit<SignableRequest, "headers"> & { headers: Record<string, string> };

/** The request as the server receives it: the signer's headers added. */
async function signed(
  sign: (typeof builds)[number][1]["sign"],
  request: SignableRequest = BASE,
  credentials = { ak: AK, sk: SK },
  date = NOW,
): Promise<Received> {
  const { headers } = await sign(request, credentials, { date });
  return { ...request, headers: { ...(request.headers as Record<string, string>), ...headers } };
}

function expectFailure(result: VerifyResult, reason: string): void {
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.reason).toBe(reason);
    expect(result.message).not.toContain(SK);
    expect(result.message).not.toContain(TOKEN);
  }
}

describe.each(builds)("verify (%s build)", (_, { sign, verify }) => {
  it("accepts what sign produced and reports AK, date and signed headers", async () => {
    const result = await verify(await signed(sign), lookup, { now: NOW });
    expect(result).toEqual({
      ok: true,
      ak: AK,
      date: NOW,
      signedHeaders: ["content-type", "host", "x-project-id", "x-sdk-date"],
    });
  });

  it("reports the security token of temporary credentials, which is signed", async () => {
    const request = await signed(sign, BASE, { ak: AK, sk: SK, securityToken: TOKEN } as never);
    const result = await verify(request, lookup, { now: NOW });
    expect(result).toMatchObject({ ok: true, securityToken: TOKEN });
    expect(result.ok && result.signedHeaders).toContain("x-security-token");
  });

  it("round-trips generated requests, including unicode paths and queries", async () => {
    const segment = fc.string({ maxLength: 6, unit: "grapheme" });
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { maxLength: 4 }),
        fc.array(
          fc.tuple(
            fc.string({ unit: "grapheme", maxLength: 5 }),
            fc.string({ unit: "grapheme", maxLength: 5 }),
          ),
          {
            maxLength: 4,
          },
        ),
        fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
        fc.constantFrom("GET", "POST", "DELETE", "patch"),
        async (segments, query, body, method) => {
          const url = new URL("http://127.0.0.1:8920");
          url.pathname = segments.map((s) => `/${encodeURIComponent(s)}`).join("");
          for (const [k, v] of query) url.searchParams.append(k, v);
          const request = await signed(sign, { method, url: url.href, headers: { "x-extra": "1" }, body });
          const result = await verify(request, lookup, { now: NOW });
          expect(result.ok).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  const tampered: [string, (r: Received) => SignableRequest][] = [
    ["method", (r) => ({ ...r, method: "PUT" })],
    ["path", (r) => ({ ...r, url: String(r.url).replace("/redislog", "/redislogs") })],
    ["query value", (r) => ({ ...r, url: String(r.url).replace("query_time=7", "query_time=1") })],
    ["query parameter added", (r) => ({ ...r, url: `${r.url}&offset=1` })],
    ["query parameter removed", (r) => ({ ...r, url: String(r.url).replace("&replication_id=r1", "") })],
    ["host", (r) => ({ ...r, url: String(r.url).replace("dcs.example.com", "dcs.example.org") })],
    ["signed header", (r) => ({ ...r, headers: { ...r.headers, "X-Project-Id": "q" } })],
    ["body", (r) => ({ ...r, body: '{"a":2}' })],
    ["body removed", (r) => ({ ...r, body: null })],
    [
      "date (one second later)",
      (r) => ({ ...r, headers: { ...r.headers, "X-Sdk-Date": "20240301T120001Z" } }),
    ],
    [
      "signature",
      (r) => ({
        ...r,
        headers: {
          ...r.headers,
          Authorization: r.headers.Authorization?.replace(/.$/, (c) => (c === "0" ? "1" : "0")) as string,
        },
      }),
    ],
    [
      "SignedHeaders list (a header dropped from it)",
      (r) => ({
        ...r,
        headers: {
          ...r.headers,
          Authorization: r.headers.Authorization?.replace("x-project-id;", "") as string,
        },
      }),
    ],
  ];
  it.each(tampered)("refuses a change of the %s with bad-signature", async (_, change) => {
    const request = await signed(sign);
    expect((await verify(request, lookup, { now: NOW })).ok).toBe(true);
    expectFailure(await verify(change(request), lookup, { now: NOW }), "bad-signature");
  });

  it("refuses a signature made with another secret key", async () => {
    const request = await signed(sign, BASE, { ak: AK, sk: `${SK}x` });
    expectFailure(await verify(request, lookup, { now: NOW }), "bad-signature");
  });

  it("ignores changes to headers that were not signed", async () => {
    const request = await signed(sign);
    const result = await verify(
      { ...request, headers: { ...request.headers, "User-Agent": "other" } },
      lookup,
      {
        now: NOW,
      },
    );
    expect(result.ok).toBe(true);
  });

  it("refuses a SignedHeaders entry that the request does not carry, with bad-signature", async () => {
    const request = await signed(sign);
    const { "X-Project-Id": _dropped, ...rest } = request.headers;
    expectFailure(await verify({ ...request, headers: rest }, lookup, { now: NOW }), "bad-signature");
  });

  it("missing-authorization", async () => {
    const { Authorization: _a, ...headers } = (await signed(sign)).headers;
    expectFailure(await verify({ ...BASE, headers }, lookup, { now: NOW }), "missing-authorization");
  });

  it.each([
    ["another scheme", "Bearer abc"],
    [
      "the legacy Credential form",
      `SDK-HMAC-SHA256 Credential=${AK}/20240301/region/dcs/sdk_request, SignedHeaders=x-sdk-date, Signature=${"a".repeat(64)}`,
    ],
    ["a missing Signature", `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-sdk-date`],
    [
      "an upper-case signature",
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-sdk-date, Signature=${"A".repeat(64)}`,
    ],
    ["a short signature", `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-sdk-date, Signature=abc`],
    [
      "an empty header name",
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;;x-sdk-date, Signature=${"a".repeat(64)}`,
    ],
    [
      "a repeated parameter",
      `SDK-HMAC-SHA256 Access=${AK}, Access=${AK}, SignedHeaders=x-sdk-date, Signature=${"a".repeat(64)}`,
    ],
    [
      "SignedHeaders without x-sdk-date",
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host, Signature=${"a".repeat(64)}`,
    ],
  ])("malformed-authorization: %s", async (_, authorization) => {
    const request = await signed(sign);
    const result = await verify(
      { ...request, headers: { ...request.headers, Authorization: authorization } },
      lookup,
      {
        now: NOW,
      },
    );
    expectFailure(result, "malformed-authorization");
  });

  it("accepts parameters in another order and without spaces, as the client sent them", async () => {
    const request = await signed(sign);
    const m = /^SDK-HMAC-SHA256 (Access=[^,]+), (SignedHeaders=[^,]+), (Signature=\w+)$/.exec(
      request.headers.Authorization ?? "",
    );
    expect(m).not.toBeNull();
    const reordered = `SDK-HMAC-SHA256 ${m?.[3]},${m?.[1]},${m?.[2]}`;
    const result = await verify(
      { ...request, headers: { ...request.headers, Authorization: reordered } },
      lookup,
      {
        now: NOW,
      },
    );
    expect(result.ok).toBe(true);
  });

  it("works with whatever SignedHeaders list the client sent (Go style: only x-sdk-date, unsorted lists)", async () => {
    const { headers } = await sign(BASE, { ak: AK, sk: SK }, { date: NOW, signedHeaders: [] });
    expect(headers.Authorization).toContain("SignedHeaders=x-sdk-date,");
    const request = { ...BASE, headers: { ...(BASE.headers as Record<string, string>), ...headers } };
    expect(await verify(request, lookup, { now: NOW })).toMatchObject({
      ok: true,
      signedHeaders: ["x-sdk-date"],
    });
  });

  it("missing-date", async () => {
    const { "X-Sdk-Date": _d, ...headers } = (await signed(sign)).headers;
    expectFailure(await verify({ ...BASE, headers }, lookup, { now: NOW }), "missing-date");
  });

  it.each(["2024-03-01T12:00:00Z", "20240301T120000", "20240230T120000Z", "20240301T246000Z", ""])(
    "malformed-date: %j",
    async (value) => {
      const request = await signed(sign);
      const result = await verify(
        { ...request, headers: { ...request.headers, "X-Sdk-Date": value } },
        lookup,
        {
          now: NOW,
        },
      );
      expectFailure(result, "malformed-date");
    },
  );

  it.each([
    ["exactly 15 min behind", -900_000, true],
    ["exactly 15 min ahead", 900_000, true],
    ["15 min 1 s behind", -901_000, false],
    ["15 min 1 s ahead", 901_000, false],
  ])("skew %s", async (_, offsetMs, ok) => {
    const request = await signed(sign, BASE, { ak: AK, sk: SK }, new Date(NOW.getTime() + offsetMs));
    const result = await verify(request, lookup, { now: NOW.getTime() });
    if (ok) expect(result.ok).toBe(true);
    else expectFailure(result, "date-out-of-range");
  });

  it("honours maxSkewMs", async () => {
    const request = await signed(sign, BASE, { ak: AK, sk: SK }, new Date(NOW.getTime() - 61_000));
    expectFailure(await verify(request, lookup, { now: NOW, maxSkewMs: 60_000 }), "date-out-of-range");
    expect((await verify(request, lookup, { now: NOW, maxSkewMs: 61_000 })).ok).toBe(true);
  });

  it("unknown-ak, with a synchronous or an asynchronous lookup", async () => {
    const request = await signed(sign, BASE, { ak: "OTHERAK", sk: SK });
    expectFailure(await verify(request, lookup, { now: NOW }), "unknown-ak");
    expectFailure(await verify(request, async () => undefined, { now: NOW }), "unknown-ak");
    const result = await verify(request, async () => SK, { now: NOW });
    expect(result).toMatchObject({ ok: true, ak: "OTHERAK" });
  });

  it("reads Headers objects, [name, value] pairs and node:http records with arrays", async () => {
    const request = await signed(sign, { ...BASE, headers: { "X-Multi": "a" } });
    const record = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(
      (await verify({ ...request, headers: new Headers(request.headers) }, lookup, { now: NOW })).ok,
    ).toBe(true);
    expect(
      (await verify({ ...request, headers: Object.entries(request.headers) }, lookup, { now: NOW })).ok,
    ).toBe(true);
    expect(
      (await verify({ ...request, headers: { ...record, "x-other": ["1", "2"] } }, lookup, { now: NOW })).ok,
    ).toBe(true);
  });

  it("rejects invalid options instead of guessing", async () => {
    const request = await signed(sign);
    await expect(verify(request, lookup, { now: Number.NaN })).rejects.toMatchObject({
      code: "invalid-option",
    });
    await expect(verify(request, lookup, { maxSkewMs: -1 })).rejects.toMatchObject({
      code: "invalid-option",
    });
    await expect(verify({ ...request, url: "/relative" }, lookup)).rejects.toMatchObject({
      code: "invalid-url",
    });
  });

  it("never puts the secret key or security token into a message or error", async () => {
    const credentials = { ak: AK, sk: SK, securityToken: TOKEN };
    const request = await signed(sign, BASE, credentials as never);
    const failures = [
      await verify({ ...request, body: "changed" }, lookup, { now: NOW }),
      await verify(request, lookup, { now: NOW.getTime() + 3_600_000 }),
      await verify({ ...request, headers: { ...request.headers, "X-Sdk-Date": TOKEN } }, lookup, {
        now: NOW,
      }),
    ];
    for (const result of failures) expect(JSON.stringify(result)).not.toMatch(new RegExp(`${SK}|${TOKEN}`));
    const errors = await Promise.all([
      sign({ ...BASE, url: "not a url" }, credentials).catch((e: Error) => e),
      sign(BASE, { ...credentials, ak: "" }).catch((e: Error) => e),
      sign({ ...BASE, body: new Blob(["x"]) as never }, credentials).catch((e: Error) => e),
      sign({ ...BASE, headers: { "bad name": "v" } }, credentials).catch((e: Error) => e),
      sign(BASE, credentials, { signedHeaders: ["x-missing"] }).catch((e: Error) => e),
      sign(BASE, credentials, { date: new Date(Number.NaN) }).catch((e: Error) => e),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(`${(error as Error).message} ${(error as Error).stack}`).not.toMatch(
        new RegExp(`${SK}|${TOKEN}`),
      );
    }
  });
});

describe("over real HTTP on 127.0.0.1", () => {
  const { sign, verify } = builds[0][1];
  let server: ReturnType<typeof createServer>;
  let origin = "";
  const results: VerifyResult[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const result = await verify(
          {
            method: req.method ?? "GET",
            url: `http://${req.headers.host}${req.url}`,
            headers: req.headers,
            body: new Uint8Array(Buffer.concat(chunks)),
          },
          lookup,
        );
        results.push(result);
        res.writeHead(result.ok ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("verifies what fetch sent: raw unicode path and query, padded header values, a body", async () => {
    const url = `${origin}/v2/项目/instances/a b/redislog?log_type=run&q=ä ö&q=a+b&z=%2F`;
    const headers = { "Content-Type": "application/json", "X-Padded": "  value  " };
    const body = JSON.stringify({ emoji: "😀" });
    const signature = await sign({ method: "POST", url, headers, body }, { ak: AK, sk: SK });
    const response = await fetch(url, {
      method: "POST",
      headers: { ...headers, ...signature.headers },
      body,
    });
    expect(results.at(-1)).toMatchObject({ ok: true, ak: AK });
    expect(response.status).toBe(204);
  });

  it("refuses over the wire when the body differs from the signed one", async () => {
    const url = `${origin}/v2/p/instances/i/redislog`;
    const signature = await sign({ method: "POST", url, body: "signed" }, { ak: AK, sk: SK });
    const response = await fetch(url, { method: "POST", headers: signature.headers, body: "sent" });
    expect(response.status).toBe(401);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "bad-signature" });
  });
});
