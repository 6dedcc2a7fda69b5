// Pins the wire contract of the three redislog operations. A spec edit that changes a path, a parameter or a
// response shape makes one of these fail, so the change is seen in review.
import { describe, expectTypeOf, test } from "vitest";
import type {
  DcsError,
  DownloadLink,
  ErrorBody,
  GatewayError,
  operations,
  paths,
  QUERY_TIMES,
  QueryTime,
  RunLog,
  RunLogList,
} from "../src/index.js";

type Redislog = paths["/v2/{project_id}/instances/{instance_id}/redislog"];
type Links = paths["/v2/{project_id}/instances/{instance_id}/redislog/{id}/links"];
type Json<O, S extends number> = O extends {
  responses: { [K in S]: { content: { "application/json": infer B } } };
}
  ? B
  : never;
type Body<O, S extends number> = O extends { responses: { [K in S]: infer R } } ? R : never;

describe("paths", () => {
  test("the three operations sit on the documented paths and methods", () => {
    expectTypeOf<Redislog["post"]>().toEqualTypeOf<operations["CreateRedislog"]>();
    expectTypeOf<Redislog["get"]>().toEqualTypeOf<operations["ListRedislog"]>();
    expectTypeOf<Links["post"]>().toEqualTypeOf<operations["CreateRedislogDownloadLink"]>();
    expectTypeOf<Redislog["put"]>().toEqualTypeOf<undefined>();
    expectTypeOf<Links["get"]>().toEqualTypeOf<undefined>();
  });

  test("path parameters", () => {
    expectTypeOf<Redislog["parameters"]["path"]>().toEqualTypeOf<{
      project_id: string;
      instance_id: string;
    }>();
    expectTypeOf<Links["parameters"]["path"]>().toEqualTypeOf<{
      project_id: string;
      instance_id: string;
      id: string;
    }>();
  });
});

describe("CreateRedislog", () => {
  type Op = operations["CreateRedislog"];
  test("query: log_type required, query_time 0|1|3|7, replication_id optional", () => {
    expectTypeOf<Op["parameters"]["query"]>().toEqualTypeOf<{
      log_type: "run";
      query_time?: 0 | 1 | 3 | 7;
      replication_id?: string;
    }>();
  });
  test("204 has no body", () => {
    expectTypeOf<Body<Op, 204>["content"]>().toEqualTypeOf<never | undefined>();
  });
  test("errors: DCS body on 500, either body on 400/401/403/404, gateway body on 413/429/502/503", () => {
    expectTypeOf<Json<Op, 400>>().toEqualTypeOf<ErrorBody>();
    expectTypeOf<Json<Op, 401>>().toEqualTypeOf<ErrorBody>();
    expectTypeOf<Json<Op, 403>>().toEqualTypeOf<ErrorBody>();
    expectTypeOf<Json<Op, 404>>().toEqualTypeOf<ErrorBody>();
    expectTypeOf<Json<Op, 413>>().toEqualTypeOf<GatewayError>();
    expectTypeOf<Json<Op, 429>>().toEqualTypeOf<GatewayError>();
    expectTypeOf<Json<Op, 500>>().toEqualTypeOf<DcsError>();
    expectTypeOf<Json<Op, 502>>().toEqualTypeOf<GatewayError>();
    expectTypeOf<Json<Op, 503>>().toEqualTypeOf<GatewayError>();
  });
});

describe("ListRedislog", () => {
  type Op = operations["ListRedislog"];
  test("query: log_type required, offset and limit optional integers", () => {
    expectTypeOf<Op["parameters"]["query"]>().toEqualTypeOf<{
      log_type: "run";
      offset?: number;
      limit?: number;
    }>();
  });
  test("200 is a page, 204 has no body", () => {
    expectTypeOf<Json<Op, 200>>().toEqualTypeOf<RunLogList>();
    expectTypeOf<Body<Op, 204>["content"]>().toEqualTypeOf<never | undefined>();
  });
  test("a page and its items keep the API's field names", () => {
    expectTypeOf<RunLogList>().toEqualTypeOf<{ total_num: number; file_list: RunLog[] }>();
    expectTypeOf<RunLog>().toEqualTypeOf<{
      id: string;
      file_name: string;
      group_name: string;
      replication_ip: string;
      status: string;
      time: string;
      backup_id?: string;
    }>();
  });
  test("the 429 response declares Retry-After, every response X-Request-Id", () => {
    expectTypeOf<Body<Op, 429>["headers"]>().toHaveProperty("Retry-After");
    expectTypeOf<Body<Op, 200>["headers"]>().toHaveProperty("X-Request-Id");
    expectTypeOf<Body<Op, 204>["headers"]>().toHaveProperty("X-Request-Id");
  });
});

describe("CreateRedislogDownloadLink", () => {
  type Op = operations["CreateRedislogDownloadLink"];
  test("no query, 200 is a link", () => {
    expectTypeOf<Op["parameters"]["query"]>().toEqualTypeOf<undefined>();
    expectTypeOf<Json<Op, 200>>().toEqualTypeOf<DownloadLink>();
    expectTypeOf<DownloadLink>().toEqualTypeOf<{ id: string; backup_id?: string; link: string }>();
  });
});

describe("errors and enums", () => {
  test("error bodies", () => {
    expectTypeOf<DcsError>().toEqualTypeOf<{
      error_code: string;
      error_msg: string;
      error_ext_msg?: string | null;
    }>();
    expectTypeOf<GatewayError>().toEqualTypeOf<{
      error_code: string;
      error_msg: string;
      request_id: string;
    }>();
    expectTypeOf<ErrorBody>().toEqualTypeOf<DcsError | GatewayError>();
  });
  test("query_time", () => {
    expectTypeOf<QueryTime>().toEqualTypeOf<0 | 1 | 3 | 7>();
  });
});

describe("runtime constants", () => {
  test("QUERY_TIMES holds every QueryTime and nothing else", () => {
    expectTypeOf<(typeof QUERY_TIMES)[number]>().toEqualTypeOf<QueryTime>();
  });
});
