// The spec validator behind every test must be able to fail, or the other tests prove nothing.
import { describe, expect, test } from "vitest";
import { findOperation, schemaProblems, specProblems } from "./helpers/spec.js";

const list = "/v2/0524e839a54847039e9b2b46e8aa788a/instances/5560df16-cebf-4473-95c4-d1b573c16e79/redislog";
const json = (body: unknown, extra: Record<string, string> = {}) => ({
  headers: new Headers({ "content-type": "application/json", "x-request-id": "abc", ...extra }),
  text: JSON.stringify(body),
});
const item = {
  id: "e79f2d97-e972-41f2-b51c-d18f65f39a45",
  file_name: "redis_192.168.0.142_2021-04-16.log",
  group_name: "group-0",
  replication_ip: "192.168.0.142",
  status: "succeed",
  time: "2021-04-16",
};

describe("specProblems", () => {
  test("finds operations by method and path template", () => {
    expect(findOperation("GET", list)?.operationId).toBe("ListRedislog");
    expect(findOperation("POST", list)?.operationId).toBe("CreateRedislog");
    expect(findOperation("POST", `${list}/abc/links`)?.operationId).toBe("CreateRedislogDownloadLink");
    expect(findOperation("PUT", list)).toBeUndefined();
  });

  test("accepts a conforming answer", () => {
    expect(specProblems("GET", list, { status: 200, ...json({ total_num: 1, file_list: [item] }) })).toEqual(
      [],
    );
    expect(
      specProblems("POST", list, { status: 204, headers: new Headers({ "x-request-id": "a" }), text: "" }),
    ).toEqual([]);
  });

  test.each([
    ["an undeclared status", 201, json({ total_num: 0, file_list: [] }), /status 201 is not declared/],
    ["a missing required field", 200, json({ total_num: 1 }), /must have required property 'file_list'/],
    ["a wrong type", 200, json({ total_num: "1", file_list: [] }), /total_num must be integer/],
    [
      "a bad date format",
      200,
      json({ total_num: 1, file_list: [{ ...item, time: "16.04.2021" }] }),
      /time must match format "date"/,
    ],
    [
      "a missing X-Request-Id",
      200,
      {
        headers: new Headers({ "content-type": "application/json" }),
        text: '{"total_num":0,"file_list":[]}',
      },
      /X-Request-Id is missing/,
    ],
    [
      "another media type",
      200,
      { headers: new Headers({ "content-type": "text/plain", "x-request-id": "a" }), text: "{}" },
      /content-type "text\/plain" is not declared/,
    ],
    [
      "broken JSON",
      200,
      { headers: new Headers({ "content-type": "application/json", "x-request-id": "a" }), text: '{"a":' },
      /not valid JSON/,
    ],
    [
      "a bad Retry-After",
      429,
      json({ error_code: "APIGW.0308", error_msg: "x", request_id: "r" }, { "retry-after": "soon" }),
      /header Retry-After must be integer/,
    ],
    [
      "a DCS body where the gateway body is declared",
      429,
      json({ error_code: "APIGW.0308", error_msg: "x" }),
      /required property 'request_id'/,
    ],
  ])("reports %s", (_name, status, response, message) => {
    expect(specProblems("GET", list, { status, ...response }).join("\n")).toMatch(message);
  });

  test("a body on a 204 is reported", () => {
    expect(specProblems("POST", list, { status: 204, ...json({}) }).join("\n")).toMatch(/declares no body/);
  });

  test("schemaProblems checks one named schema", () => {
    expect(
      schemaProblems("GatewayError", { error_code: "APIGW.0101", error_msg: "x", request_id: "r" }),
    ).toEqual([]);
    expect(schemaProblems("GatewayError", { error_code: "APIGW.0101", error_msg: "x" })).not.toEqual([]);
  });
});
