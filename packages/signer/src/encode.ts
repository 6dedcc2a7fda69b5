// Canonical encoding of URL components (RFC 3986): a component is first percent-decoded to its bytes, then
// every byte outside the unreserved set `A-Z a-z 0-9 - . _ ~` is written as upper-case `%XY`. Decoding first
// makes an already-encoded URL and a raw one sign the same, and `%2f` and `%2F` alike.
//
// Decoded components are kept as "byte strings" (one char per byte, 0-255): plain string comparison then
// orders them by bytes, as the gateway (Go `sort.Strings`) does, and no UTF-8 decode can fail or alter them.

const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  UNRESERVED[c] =
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e
      ? 1
      : 0;
}

const HEX = "0123456789ABCDEF";
const ESCAPED: string[] = [];
for (let b = 0; b < 256; b++) {
  ESCAPED.push(b < 128 && UNRESERVED[b] === 1 ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/** UTF-8 bytes of the code point starting at `s[i]`; a lone surrogate becomes U+FFFD, as `TextEncoder` does. */
function utf8At(s: string, i: number): { bytes: string; width: number } {
  let cp = s.charCodeAt(i);
  let width = 1;
  if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
    const lo = s.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
      width = 2;
    }
  }
  if (width === 1 && cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  const f = String.fromCharCode;
  if (cp < 0x800) return { bytes: f(0xc0 | (cp >> 6), 0x80 | (cp & 63)), width };
  if (cp < 0x10000) return { bytes: f(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)), width };
  return {
    bytes: f(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)),
    width,
  };
}

/**
 * Percent-decodes one raw component to a byte string. `plusIsSpace` is for query components, where the
 * gateway (and `URLSearchParams`) read `+` as a space. A `%` not followed by two hex digits stays literal.
 */
export function decodeComponent(raw: string, plusIsSpace: boolean): string {
  let out = "";
  let last = 0;
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 < n) {
        const hi = hexValue(raw.charCodeAt(i + 1));
        const lo = hexValue(raw.charCodeAt(i + 2));
        if (hi >= 0 && lo >= 0) {
          out += raw.slice(last, i) + String.fromCharCode((hi << 4) | lo);
          i += 2;
          last = i + 1;
        }
      }
    } else if (c === 0x2b) {
      if (plusIsSpace) {
        out += `${raw.slice(last, i)} `;
        last = i + 1;
      }
    } else if (c >= 0x80) {
      const { bytes, width } = utf8At(raw, i);
      out += raw.slice(last, i) + bytes;
      i += width - 1;
      last = i + 1;
    }
  }
  return last === 0 ? raw : out + raw.slice(last);
}

/** Encodes a byte string canonically. */
export function encodeComponent(bytes: string): string {
  let out = "";
  let last = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes.charCodeAt(i);
    if (c < 128 && UNRESERVED[c] === 1) continue;
    out += bytes.slice(last, i) + ESCAPED[c & 255];
    last = i + 1;
  }
  return last === 0 ? bytes : out + bytes.slice(last);
}

// Paths are usually plain ASCII: one regex test is cheaper than a char-by-char scan in V8.
const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** Canonical URI: every `/`-separated segment re-encoded, always ending in `/`. */
export function canonicalUri(pathname: string): string {
  const plain = PLAIN_PATH.test(pathname);
  const uri = plain
    ? pathname
    : pathname
        .split("/")
        .map((segment) => encodeComponent(decodeComponent(segment, false)))
        .join("/");
  return uri.endsWith("/") ? uri : `${uri}/`;
}

/**
 * Canonical query string from a URL's `search` (with or without the leading `?`): pairs decoded, sorted by
 * name then value in byte order, re-encoded, joined with `&`. A name without `=` has an empty value.
 */
export function canonicalQuery(search: string): string {
  const n = search.length;
  let start = n > 0 && search.charCodeAt(0) === 0x3f ? 1 : 0;
  if (n <= start) return "";
  const names: string[] = [];
  const values: string[] = [];
  let eq = -1;
  let plain = true;
  for (let i = start; i <= n; i++) {
    const c = i === n ? 0x26 : search.charCodeAt(i);
    if (c === 0x26) {
      if (i > start) {
        const nameEnd = eq < 0 ? i : eq;
        let name = search.slice(start, nameEnd);
        let value = eq < 0 ? "" : search.slice(eq + 1, i);
        if (!plain) {
          name = decodeComponent(name, true);
          value = decodeComponent(value, true);
        }
        names.push(name);
        values.push(value);
      }
      start = i + 1;
      eq = -1;
      plain = true;
    } else if (c === 0x3d) {
      if (eq < 0) eq = i;
      else plain = false;
    } else if (c >= 128 || UNRESERVED[c] === 0) {
      plain = false;
    }
  }
  sortPairs(names, values);
  let out = "";
  for (let k = 0; k < names.length; k++) {
    out += `${k === 0 ? "" : "&"}${encodeComponent(names[k] as string)}=${encodeComponent(values[k] as string)}`;
  }
  return out;
}

/** Sorts parallel name/value arrays by name, then value (byte strings, so by bytes). */
export function sortPairs(names: string[], values: string[]): void {
  const n = names.length;
  // Queries have a handful of pairs: insertion sort beats Array#sort with a comparator there, and the
  // general sort keeps a long query (a hostile one, in verify) from taking quadratic time.
  if (n > 16) {
    const order = names.map((_, k) => k);
    order.sort((a, b) => {
      const na = names[a] as string;
      const nb = names[b] as string;
      if (na !== nb) return na < nb ? -1 : 1;
      const va = values[a] as string;
      const vb = values[b] as string;
      return va === vb ? 0 : va < vb ? -1 : 1;
    });
    const sortedNames = order.map((k) => names[k] as string);
    const sortedValues = order.map((k) => values[k] as string);
    for (let k = 0; k < n; k++) {
      names[k] = sortedNames[k] as string;
      values[k] = sortedValues[k] as string;
    }
    return;
  }
  for (let i = 1; i < n; i++) {
    const name = names[i] as string;
    const value = values[i] as string;
    let k = i;
    while (k > 0) {
      const prev = names[k - 1] as string;
      if (prev < name || (prev === name && (values[k - 1] as string) <= value)) break;
      names[k] = prev;
      values[k] = values[k - 1] as string;
      k--;
    }
    names[k] = name;
    values[k] = value;
  }
}
