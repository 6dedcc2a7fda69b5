import { describe, expect, it } from "vitest";
import { builds } from "./builds.js";

const E = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const GO = { ak: "AccessKey", sk: "SecretKey" };
const GO_DATE = new Date("2006-01-02T15:04:05Z");

describe.each(builds)("official vectors (%s build)", (_, { sign, EMPTY_BODY_SHA256 }) => {
  it("V1: the signing guide's GET, canonical request and Authorization byte for byte", async () => {
    const result = await sign(
      {
        method: "GET",
        url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        headers: { "Content-Type": "application/json" },
      },
      { ak: "QTWAOYTTINDUT2QVKYUC", sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc" },
      { date: new Date("2019-11-15T03:36:55Z") },
    );
    expect(result.canonicalRequest).toBe(
      [
        "GET",
        "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
        "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        "content-type:application/json",
        "host:service.region.example.com",
        "x-sdk-date:20191115T033655Z",
        "",
        "content-type;host;x-sdk-date",
        E,
      ].join("\n"),
    );
    expect(result.stringToSign).toBe(
      "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
    );
    expect(result.headers).toEqual({
      "X-Sdk-Date": "20191115T033655Z",
      Authorization:
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    });
    expect(result.signedHeaders).toEqual(["content-type", "host", "x-sdk-date"]);
    expect(EMPTY_BODY_SHA256).toBe(E);
  });

  // The Go SDK signs neither Host nor Content-Type: signedHeaders reproduces exactly its header set.
  it("V2: Go SDK GET with only x-sdk-date signed", async () => {
    const result = await sign({ method: "GET", url: "https://example.huaweicloud.com/path?limit=1" }, GO, {
      date: GO_DATE,
      signedHeaders: [],
    });
    expect(result.canonicalRequest).toBe(
      `GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n${E}`,
    );
    expect(result.headers.Authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
    );
  });

  it("V3: Go SDK POST, JSON body with its trailing newline hashed, Content-Type sent but not signed", async () => {
    const result = await sign(
      {
        method: "POST",
        url: "https://example.huaweicloud.com/path?key=value",
        headers: { "Content-Type": "application/json" },
        body: '{"Name":"test","Id":1}\n',
      },
      GO,
      { date: GO_DATE, signedHeaders: ["X-Sdk-Date"] },
    );
    expect(result.signedHeaders).toEqual(["x-sdk-date"]);
    expect(result.headers.Authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
    );
  });
});

const DCS =
  "https://dcs.eu-de.otc.t-systems.com/v2/a4d31cb6-3d72-4fdc-8ec9-6e3a41e47f71/instances/5560df16-cebf-4473-95c4-d1b573c16e79/redislog";

describe.each(builds)("derived and own regression vectors (%s build)", (_, { sign }) => {
  it("V4: ListRedislog", async () => {
    const result = await sign(
      {
        method: "GET",
        url: `${DCS}?log_type=run&offset=0&limit=10`,
        headers: { "Content-Type": "application/json" },
      },
      GO,
      { date: new Date("2024-01-01T00:00:00Z") },
    );
    expect(result.canonicalRequest.split("\n")[2]).toBe("limit=10&log_type=run&offset=0");
    expect(result.stringToSign.split("\n")[2]).toBe(
      "d8d6c2de7fed1f2ccbff0696429c71e1929909f5c41613ef8bdf2d184f4ef640",
    );
    expect(result.headers.Authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=content-type;host;x-sdk-date, Signature=abb55503d8bb3f8e36d8d9245eca211b37712045ed335cb3379422afef7b20bc",
    );
  });

  it("V5: CreateRedislog with temporary credentials (X-Security-Token added and signed)", async () => {
    const result = await sign(
      {
        method: "post",
        url: `${DCS}?log_type=run&query_time=7`,
        headers: { "X-Project-Id": "a4d31cb6-3d72-4fdc-8ec9-6e3a41e47f71" },
      },
      { ...GO, securityToken: "TOKEN" },
      { date: new Date("2024-01-01T00:00:00Z") },
    );
    expect(result.headers).toEqual({
      "X-Sdk-Date": "20240101T000000Z",
      Authorization:
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature=530ec29577e93584ae46d9add31ebd9d52798c0c6e75ae63ab0da884c963925d",
      "X-Security-Token": "TOKEN",
    });
  });

  // Expected values below were computed with sha256sum and `openssl dgst -hmac` from the canonical request
  // shown, not with this package.
  it("orders signed headers by bytes: '-' (0x2d) before '_' (0x5f)", async () => {
    const result = await sign(
      {
        method: "GET",
        url: "https://example.huaweicloud.com/path",
        headers: { X_A: "1", "X-Sdk_Date": "underscore" },
      },
      GO,
      { date: GO_DATE },
    );
    expect(result.canonicalRequest).toBe(
      `GET\n/path/\n\nhost:example.huaweicloud.com\nx-sdk-date:20060102T150405Z\nx-sdk_date:underscore\nx_a:1\n\nhost;x-sdk-date;x-sdk_date;x_a\n${E}`,
    );
    expect(result.headers.Authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date;x-sdk_date;x_a, Signature=6f63f7a4181d2fc47697c613291afd41ebfa12cd82ffa2dfc1e142b501283be8",
    );
  });

  const P2 = [
    "GET",
    "/a%2Fb/%E4%B8%80%20x/",
    "e=&k=%EE%80%80&k=%F0%9F%98%80&q=a%20b&q=a%2Bb&~=1",
    "host:example.huaweicloud.com",
    "x-sdk-date:20060102T150405Z",
    "",
    "host;x-sdk-date",
    E,
  ].join("\n");
  const P2_AUTH =
    "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=4c5a83f7f104239a2fc5889b69c2a941892fe14c995ab169bb9435eb61895bcc";

  it.each([
    [
      "percent-encoded",
      "https://example.huaweicloud.com/a%2Fb/%E4%B8%80%20x/?k=%F0%9F%98%80&k=%EE%80%80&q=a+b&q=a%2Bb&%7E=1&e",
    ],
    [
      "lower-case escapes",
      "https://example.huaweicloud.com/a%2fb/%e4%b8%80%20x/?k=%f0%9f%98%80&k=%ee%80%80&q=a%20b&q=a%2bb&~=1&e=",
    ],
    ["raw characters", "https://example.huaweicloud.com/a%2Fb/一 x/?k=😀&k=\uE000&q=a+b&q=a%2Bb&~=1&e"],
  ])("decodes then encodes path and query (%s), sorts by bytes, reads '+' as space", async (_, url) => {
    const result = await sign({ method: "GET", url }, GO, { date: GO_DATE });
    expect(result.canonicalRequest).toBe(P2);
    expect(result.headers.Authorization).toBe(P2_AUTH);
  });

  it("hashes binary bodies byte for byte and keeps a non-default port in host", async () => {
    const result = await sign(
      {
        method: "POST",
        url: "http://127.0.0.1:8920/v2/p/instances/i/redislog?query_time=1&log_type=run",
        headers: { "content-type": "application/octet-stream" },
        body: new Uint8Array([0x00, 0xff, 0x01]),
      },
      GO,
      { date: GO_DATE },
    );
    expect(
      result.canonicalRequest.endsWith("47ffa3ea45a70b8a41c2c0825df323c00a8b7a01c1ea06083cc41dddcc001123"),
    ).toBe(true);
    expect(result.headers.Authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=content-type;host;x-sdk-date, Signature=d41eb6fa297bac14bca879b2d7c852f0ca051ab06dc85fecdb891afeae14fea1",
    );
  });
});
