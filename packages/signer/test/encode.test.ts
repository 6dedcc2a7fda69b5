import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalQuery, canonicalUri, decodeComponent, encodeComponent } from "../src/encode.js";

// The reference: RFC 3986 encoding of UTF-8 (encodeURIComponent leaves !'()* alone), WHATWG decoding.
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const bytesOf = (s: string) => Buffer.from(s, "latin1");

const text = fc.string({ unit: "binary", maxLength: 12 });
const wellFormed = fc.string({ unit: "grapheme", maxLength: 12 });

describe("component encoding", () => {
  it("decode then encode equals RFC 3986 encoding of the UTF-8 bytes (lone surrogates as U+FFFD)", () => {
    fc.assert(
      fc.property(text, (s) => {
        const decoded = decodeComponent(s.replace(/%/g, "%25"), false);
        expect(bytesOf(decoded).equals(Buffer.from(s, "utf8"))).toBe(true);
        // Buffer's UTF-8 round trip turns lone surrogates into U+FFFD, as TextEncoder and fetch do.
        expect(encodeComponent(decoded)).toBe(rfc3986(Buffer.from(s, "utf8").toString("utf8")));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps unreserved characters and encodes every other byte as upper-case %XY", () => {
    expect(encodeComponent("AZaz09-._~")).toBe("AZaz09-._~");
    expect(encodeComponent(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}")).toBe(
      "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D",
    );
    expect(encodeComponent(decodeComponent("%c3%a9%FF%zz%4", false))).toBe("%C3%A9%FF%25zz%254");
  });

  it("reads '+' as a space in queries only", () => {
    expect(decodeComponent("a+b", true)).toBe("a b");
    expect(decodeComponent("a+b", false)).toBe("a+b");
  });
});

describe("canonicalUri", () => {
  it("re-encodes each segment of an encoded path and ends with '/'", () => {
    fc.assert(
      fc.property(fc.array(wellFormed, { maxLength: 5 }), (segments) => {
        const wire = segments.map((s) => `/${encodeURIComponent(s)}`).join("") || "/";
        const expected = segments.map((s) => `/${rfc3986(s)}`).join("");
        expect(canonicalUri(wire)).toBe(expected.endsWith("/") ? expected : `${expected}/`);
      }),
      { numRuns: 500 },
    );
  });

  it("treats an encoded slash as part of its segment", () => {
    expect(canonicalUri("/a%2fb/c")).toBe("/a%2Fb/c/");
    expect(canonicalUri("/")).toBe("/");
    expect(canonicalUri("")).toBe("/");
  });
});

describe("canonicalQuery", () => {
  // Query strings as they may arrive: encoded or raw pieces, '+', stray '%', empty pairs and repeated '='.
  const piece = fc.oneof(
    wellFormed.map(encodeURIComponent),
    wellFormed.map((s) => s.replace(/[&=#%+]/g, "")),
    fc.constantFrom("&", "=", "+", "%", "%g", "&&", "==", "a", "a", "b"),
  );
  const search = fc.array(piece, { maxLength: 10 }).map((xs) => xs.join(""));

  // WHATWG application/x-www-form-urlencoded parsing, transcribed on bytes: "+" is a space, "%XY" a byte.
  // (Node's own URLSearchParams turns "\u00a0%%20" into "\ufffd% ", a bug this oracle does not share.)
  const percentDecode = (s: string): Buffer => {
    const bytes = Buffer.from(s.replace(/\+/g, " "), "utf8");
    const out: number[] = [];
    const hex = (b: number | undefined) => b !== undefined && /[0-9a-f]/i.test(String.fromCharCode(b));
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0x25 && hex(bytes[i + 1]) && hex(bytes[i + 2])) {
        out.push(Number.parseInt(bytes.subarray(i + 1, i + 3).toString("latin1"), 16));
        i += 2;
      } else {
        out.push(bytes[i] as number);
      }
    }
    return Buffer.from(out);
  };
  const encodeBytes = (b: Buffer) =>
    [...b]
      .map((x) =>
        /[A-Za-z0-9\-._~]/.test(String.fromCharCode(x))
          ? String.fromCharCode(x)
          : `%${x.toString(16).toUpperCase().padStart(2, "0")}`,
      )
      .join("");

  it("equals form-urlencoded decoding, byte-order sorting by name then value, RFC 3986 encoding", () => {
    fc.assert(
      fc.property(search, (q) => {
        const pairs = q
          .split("&")
          .filter((part) => part !== "")
          .map((part) => {
            const eq = part.indexOf("=");
            return eq < 0
              ? [percentDecode(part), Buffer.alloc(0)]
              : [percentDecode(part.slice(0, eq)), percentDecode(part.slice(eq + 1))];
          })
          .sort(
            ([an, av], [bn, bv]) =>
              Buffer.compare(an as Buffer, bn as Buffer) || Buffer.compare(av as Buffer, bv as Buffer),
          );
        expect(canonicalQuery(`?${q}`)).toBe(
          pairs.map(([n, v]) => `${encodeBytes(n as Buffer)}=${encodeBytes(v as Buffer)}`).join("&"),
        );
      }),
      { numRuns: 800 },
    );
  });

  it("agrees with URLSearchParams on well-formed queries", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(wellFormed, wellFormed), { maxLength: 6 }), (entries) => {
        const q = new URLSearchParams(entries).toString();
        const pairs = [...new URLSearchParams(q)].sort(
          ([an, av], [bn, bv]) =>
            Buffer.compare(Buffer.from(an), Buffer.from(bn)) ||
            Buffer.compare(Buffer.from(av), Buffer.from(bv)),
        );
        expect(canonicalQuery(q)).toBe(pairs.map(([n, v]) => `${rfc3986(n)}=${rfc3986(v)}`).join("&"));
      }),
      { numRuns: 300 },
    );
    expect(canonicalQuery("?\u00a0%%20")).toBe("%C2%A0%25%20=");
  });

  it("sorts long queries (general sort) the same as short ones (insertion sort)", () => {
    const names = Array.from({ length: 40 }, (_, i) => `k${(i * 7919) % 40}=v${i % 3}`);
    const expected = [...new URLSearchParams(names.join("&"))]
      .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([n, v]) => `${n}=${v}`)
      .join("&");
    expect(canonicalQuery(names.join("&"))).toBe(expected);
  });

  it("keeps invalid UTF-8 as bytes and sorts by bytes", () => {
    expect(canonicalQuery("?b=%FF&b=%C3%A9&a")).toBe("a=&b=%C3%A9&b=%FF");
    expect(canonicalQuery("?")).toBe("");
    expect(canonicalQuery("")).toBe("");
  });
});
