import { describe, expect, it } from "vitest";
import { urlParts } from "../src/url.js";

describe("urlParts", () => {
  it("reports host, path and query as WHATWG URL does", () => {
    for (const href of [
      "https://dcs.eu-de.otc.t-systems.com/v2/p/instances/i/redislog?log_type=run&offset=0&limit=10",
      "https://example.com:443/a",
      "https://EXAMPLE.com/a?",
      "http://127.0.0.1:8920/a",
      "https://example.com/a/../b",
      "https://example.com/a/%2e%2E/b",
      "https://example.com/a b",
      "https://example.com/a#frag",
    ]) {
      const whatwg = new URL(href);
      expect(urlParts(href)).toMatchObject({
        host: whatwg.host,
        pathname: whatwg.pathname,
        search: whatwg.search,
      });
    }
    const parsed = new URL("https://example.com/a");
    expect(urlParts(parsed)).toBe(parsed);
  });

  it("refuses relative and broken URLs with invalid-url", () => {
    for (const bad of ["/v2/p", "https://", "http://exa mple.com/"]) {
      expect(() => urlParts(bad)).toThrow(expect.objectContaining({ code: "invalid-url" }));
    }
  });
});
