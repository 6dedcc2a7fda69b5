import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as node from "../src/node.js";
import * as web from "../src/web.js";

const request = fc.record({
  method: fc.constantFrom("GET", "POST", "put", "DELETE"),
  path: fc.array(fc.string({ unit: "grapheme", maxLength: 6 }), { maxLength: 4 }),
  query: fc.array(
    fc.tuple(fc.string({ unit: "grapheme", maxLength: 5 }), fc.string({ unit: "grapheme", maxLength: 5 })),
    {
      maxLength: 4,
    },
  ),
  headers: fc.dictionary(fc.stringMatching(/^x-[a-z0-9_-]{1,8}$/), fc.stringMatching(/^[\x20-\x7e]{0,16}$/), {
    maxKeys: 3,
  }),
  body: fc.oneof(fc.constant(undefined), fc.string({ unit: "grapheme" }), fc.uint8Array({ maxLength: 100 })),
  sk: fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }),
  token: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), { nil: undefined }),
  date: fc.date({
    min: new Date("2001-01-01T00:00:00Z"),
    max: new Date("2090-01-01T00:00:00Z"),
    noInvalidDate: true,
  }),
});

describe("the Web Crypto build", () => {
  it("signs exactly as the node:crypto build (long and unicode secret keys included)", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const url = new URL("https://dcs.example.com:8443");
        url.pathname = r.path.map((s) => `/${encodeURIComponent(s)}`).join("");
        for (const [k, v] of r.query) url.searchParams.append(k, v);
        const req = { method: r.method, url: url.href, headers: r.headers, body: r.body };
        const credentials = {
          ak: "AK",
          sk: r.sk,
          ...(r.token === undefined ? {} : { securityToken: r.token }),
        };
        const a = await node.sign(req, credentials, { date: r.date });
        const b = await web.sign(req, credentials, { date: r.date });
        expect(b).toEqual(a);
        // Each build accepts the other's signature.
        const received = { ...req, headers: { ...r.headers, ...a.headers } };
        const lookup = () => r.sk;
        expect(await web.verify(received, lookup, { now: r.date })).toEqual(
          await node.verify(received, lookup, { now: r.date }),
        );
        expect((await web.verify(received, lookup, { now: r.date })).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("refuses tampered requests like the node build", async () => {
    const signed = await web.sign(
      { method: "GET", url: "https://dcs.example.com/v2/p/instances/i/redislog?log_type=run" },
      { ak: "AK", sk: "SK" },
    );
    const tampered = {
      method: "GET",
      url: "https://dcs.example.com/v2/p/instances/i/redislog?log_type=slow",
      headers: signed.headers,
    };
    expect(await web.verify(tampered, () => "SK")).toMatchObject({ ok: false, reason: "bad-signature" });
    expect(await node.verify(tampered, () => "SK")).toMatchObject({ ok: false, reason: "bad-signature" });
  });
});
