import { SignerError } from "./errors.js";

/** The parts of a URL the signature covers, as WHATWG `URL` reports them. */
export interface UrlParts {
  host: string;
  pathname: string;
  search: string;
}

// `http(s)://host[:port][/path][?query]` made only of characters that the WHATWG parser leaves as they are:
// a lower-case host whose last label starts with a letter (IP literals, numeric and IDNA hosts get
// normalised), a port without leading zero, and path/query characters outside every percent-encode set.
const PLAIN_URL =
  /^(https?):\/\/((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(?::([1-9][0-9]{0,4}))?(\/[A-Za-z0-9\-._~!$&()*+,;=:@/%]*)?(\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?$/;
// Dot segments ("/." also catches "/.x", which only costs the fast path) and IDNA labels need the parser.
const NEEDS_PARSER = /\/\.|%2e|xn--/i;

/**
 * Splits a plain URL string without the WHATWG parser, or returns `undefined` when the parser is needed.
 * A test checks it against `new URL()` on generated URLs.
 */
export function splitPlainUrl(url: string): UrlParts | undefined {
  const m = PLAIN_URL.exec(url);
  if (m === null || NEEDS_PARSER.test(url)) return undefined;
  const [, scheme, hostname, port, pathname, search] = m;
  if (port !== undefined && (Number(port) > 65535 || port === (scheme === "https" ? "443" : "80")))
    return undefined;
  return {
    host: port === undefined ? (hostname as string) : `${hostname}:${port}`,
    pathname: pathname ?? "/",
    // WHATWG reports a lone "?" (empty query) as "".
    search: search === undefined || search.length === 1 ? "" : search,
  };
}

export function urlParts(url: string | URL): UrlParts {
  if (typeof url !== "string") return url;
  const plain = splitPlainUrl(url);
  if (plain !== undefined) return plain;
  try {
    return new URL(url);
  } catch {
    throw new SignerError("invalid-url", "request.url must be an absolute URL such as https://host/path");
  }
}
