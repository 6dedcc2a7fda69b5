import { SignerError } from "./errors.js";

/** The parts of a URL the signature covers, as WHATWG `URL` reports them. */
export interface UrlParts {
  host: string;
  pathname: string;
  search: string;
}

export function urlParts(url: string | URL): UrlParts {
  try {
    return typeof url === "string" ? new URL(url) : url;
  } catch {
    throw new SignerError("invalid-url", "request.url must be an absolute URL");
  }
}
