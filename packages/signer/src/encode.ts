// Canonical encoding of URL components (RFC 3986): a component is first percent-decoded to its bytes, then
// every byte outside the unreserved set `A-Z a-z 0-9 - . _ ~` is written as upper-case `%XY`. Decoding first
// makes an already-encoded URL and a raw one sign the same, and `%2f` and `%2F` alike.
//
// Decoded components are kept as "byte strings" (one char per byte, 0-255): plain string comparison then
// orders them by bytes, as the gateway (Go `sort.Strings`) does, and no UTF-8 decode can fail or alter them.

const utf8 = /* @__PURE__ */ new TextEncoder();

/**
 * Percent-decodes one raw component to a byte string. `plusIsSpace` is for query components, where the
 * gateway (and `URLSearchParams`) read `+` as a space. A `%` not followed by two hex digits stays literal;
 * other characters become their UTF-8 bytes (a lone surrogate becomes U+FFFD, as `TextEncoder` does).
 */
export const decodeComponent = (raw: string, plusIsSpace: boolean): string =>
  // Most components are plain ASCII: one test skips the rewrite.
  /[%+\x80-\uffff]/.test(raw)
    ? (plusIsSpace ? raw.replace(/\+/g, " ") : raw).replace(/%([\da-f]{2})|[^\0-\x7f]+/gi, (run, hex) =>
        hex
          ? String.fromCharCode(Number.parseInt(hex, 16))
          : utf8.encode(run).reduce((bytes, byte) => bytes + String.fromCharCode(byte), ""),
      )
    : raw;

/** Encodes a byte string canonically. */
export const encodeComponent = (bytes: string): string =>
  bytes.replace(/[^\w.~-]/g, (c) => `%${(c.charCodeAt(0) + 256).toString(16).slice(1).toUpperCase()}`);

/** Canonical URI: every `/`-separated segment re-encoded, always ending in `/`. */
export function canonicalUri(pathname: string): string {
  const uri = /^[\w.~/-]*$/.test(pathname)
    ? pathname
    : pathname
        .split("/")
        .map((segment) => encodeComponent(decodeComponent(segment, false)))
        .join("/");
  return uri.endsWith("/") ? uri : `${uri}/`;
}

type Pair = [string, string];
const byBytes = (a: Pair, b: Pair) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : +(a[1] > b[1]);

/** Sorts `[name, value]` pairs in place by name, then value (byte strings, so by bytes). */
export function sortPairs<T extends Pair>(pairs: T[]): T[] {
  // A handful of pairs: insertion sort, since V8's Array#sort has a fixed cost as large as the whole
  // signature; a long list (a hostile query, in verify) gets the n·log n sort.
  if (pairs.length > 16) return pairs.sort(byBytes);
  for (let i = 1; i < pairs.length; i++) {
    const pair = pairs[i] as T;
    let k = i;
    while (k && byBytes(pairs[k - 1] as T, pair) > 0) pairs[k] = pairs[--k] as T;
    pairs[k] = pair;
  }
  return pairs;
}

/**
 * Canonical query string from a URL's `search` (with or without the leading `?`): pairs decoded, sorted by
 * name then value in byte order, re-encoded, joined with `&`. A name without `=` has an empty value.
 */
export function canonicalQuery(search: string): string {
  const query = search.charCodeAt(0) === 63 ? search.slice(1) : search;
  // Unreserved characters only, and one `=` per pair: nothing to decode or encode (the usual case).
  let plain = !/[^\w.~=&-]/.test(query);
  const pairs: Pair[] = [];
  // A scan with slices, not split() and map(): this runs for every signature.
  for (let i = 0, start = 0, eq = -1; i <= query.length; i++) {
    const c = query.charCodeAt(i);
    if (c === 61) {
      if (eq < 0) eq = i;
      else plain = false;
    } else if (c === 38 || i === query.length) {
      if (i > start) pairs.push([query.slice(start, eq < 0 ? i : eq), eq < 0 ? "" : query.slice(eq + 1, i)]);
      start = i + 1;
      eq = -1;
    }
  }
  if (!plain) {
    for (const pair of pairs) {
      pair[0] = decodeComponent(pair[0], true);
      pair[1] = decodeComponent(pair[1], true);
    }
  }
  sortPairs(pairs);
  let out = "";
  for (let k = 0; k < pairs.length; k++) {
    const [name, value] = pairs[k] as Pair;
    out += `${k ? "&" : ""}${plain ? name : encodeComponent(name)}=${plain ? value : encodeComponent(value)}`;
  }
  return out;
}
