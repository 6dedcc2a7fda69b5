import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitPlainUrl, urlParts } from "../src/url.js";

describe("splitPlainUrl (the fast path that skips the WHATWG parser)", () => {
  const host = fc.constantFrom(
    "example.com",
    "dcs.eu-de.otc.t-systems.com",
    "Example.COM",
    "a-b.c0",
    "localhost",
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "1.2.3.a",
    "[::1]",
    "xn--bcher-kva.example",
    "bücher.example",
    "a..b",
    ".a",
    "a.",
    "",
    "user@host",
  );
  const port = fc.constantFrom("", ":8920", ":443", ":80", ":0443", ":65535", ":65536", ":", ":99999");
  const pathChar = fc.constantFrom(
    ..."abcXYZ019-._~!$&'()*+,;=:@%/?#\\ \"<>^`{|}[]\t".split(""),
    "%2e",
    "%2E",
    "%41",
    "/.",
    "/..",
    "é",
    "😀",
  );
  const plainHost = fc.constantFrom("example.com", "dcs.eu-de.otc.t-systems.com", "localhost", "a-b.c0");
  const plainChar = fc.constantFrom(..."abcXYZ019-._~!$&()*+,;=:@%/?".split(""));
  const url = fc
    .tuple(
      fc.constantFrom("https://", "http://", "https://", "http://", "HTTPS://", "ftp://"),
      fc.oneof({ arbitrary: plainHost, weight: 3 }, host),
      fc.oneof({ arbitrary: fc.constant(""), weight: 2 }, port),
      fc.oneof(fc.string({ unit: plainChar, maxLength: 16 }), fc.string({ unit: pathChar, maxLength: 16 })),
    )
    .map(
      ([scheme, h, p, rest]) => `${scheme}${h}${p}${rest === "" || /^[/?#]/.test(rest) ? rest : `/${rest}`}`,
    );

  it("agrees with new URL() whenever it takes a URL, and takes most plain ones", () => {
    let taken = 0;
    fc.assert(
      fc.property(url, (href) => {
        const parts = splitPlainUrl(href);
        if (parts === undefined) return;
        taken++;
        const whatwg = new URL(href);
        expect(parts).toEqual({ host: whatwg.host, pathname: whatwg.pathname, search: whatwg.search });
      }),
      { numRuns: 5000 },
    );
    expect(taken).toBeGreaterThan(1000);
  });

  it("takes the ordinary API URLs", () => {
    const href =
      "https://dcs.eu-de.otc.t-systems.com/v2/a4d31cb6-3d72-4fdc-8ec9-6e3a41e47f71/instances/5560df16-cebf-4473-95c4-d1b573c16e79/redislog?log_type=run&offset=0&limit=10";
    expect(splitPlainUrl(href)).toEqual({
      host: "dcs.eu-de.otc.t-systems.com",
      pathname:
        "/v2/a4d31cb6-3d72-4fdc-8ec9-6e3a41e47f71/instances/5560df16-cebf-4473-95c4-d1b573c16e79/redislog",
      search: "?log_type=run&offset=0&limit=10",
    });
    expect(splitPlainUrl("http://localhost:8920")).toEqual({
      host: "localhost:8920",
      pathname: "/",
      search: "",
    });
    expect(splitPlainUrl("https://example.com/a?")).toEqual({
      host: "example.com",
      pathname: "/a",
      search: "",
    });
  });

  it("leaves everything else to the WHATWG parser", () => {
    for (const href of [
      "https://example.com:443/a",
      "https://EXAMPLE.com/a",
      "http://127.0.0.1:8920/a",
      "https://example.com/a/../b",
      "https://example.com/a/%2e%2E/b",
      "https://example.com/a b",
      "https://example.com/a#frag",
    ]) {
      expect(splitPlainUrl(href)).toBeUndefined();
      const whatwg = new URL(href);
      expect(urlParts(href)).toMatchObject({
        host: whatwg.host,
        pathname: whatwg.pathname,
        search: whatwg.search,
      });
    }
  });

  it("refuses relative and broken URLs with invalid-url", () => {
    for (const bad of ["/v2/p", "https://", "http://exa mple.com/"]) {
      expect(() => urlParts(bad)).toThrow(expect.objectContaining({ code: "invalid-url" }));
    }
  });
});
