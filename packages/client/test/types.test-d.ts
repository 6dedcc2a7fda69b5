import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  type CollectResult,
  createDcsRedislogClient,
  type DcsRedislogClient,
  type DownloadBody,
  type DownloadLinkResult,
  HUAWEI_CLOUD_REGIONS,
  type HuaweiCloudRegion,
  type Region,
  type RunLog,
  type RunLogFiles,
  type RunLogPage,
} from "../src/index.js";
import { credentialsFromEnv, type FetchedRunLog, fetchRunLogs } from "../src/node/index.js";

const dcs = createDcsRedislogClient({ region: "eu-de", projectId: "p", credentials: { ak: "a", sk: "b" } });
const instanceId = "i";

describe("public types", () => {
  it("returns results with the API's field names plus requestId", () => {
    expectTypeOf(dcs).toEqualTypeOf<DcsRedislogClient>();
    expectTypeOf(dcs.listRunLogs({ instanceId })).resolves.toEqualTypeOf<RunLogPage>();
    expectTypeOf<RunLogPage["file_list"][number]>().toEqualTypeOf<RunLog>();
    expectTypeOf<RunLog>().toHaveProperty("replication_ip").toEqualTypeOf<string>();
    expectTypeOf<RunLog["backup_id"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf(dcs.collectRunLogs({ instanceId })).resolves.toEqualTypeOf<CollectResult>();
    expectTypeOf(
      dcs.createDownloadLink({ instanceId, logId: "l" }),
    ).resolves.toEqualTypeOf<DownloadLinkResult>();
    expectTypeOf<DownloadLinkResult["link"]>().toEqualTypeOf<string>();
    expectTypeOf(dcs.waitForRunLogs({ instanceId })).resolves.toEqualTypeOf<RunLogFiles>();
    expectTypeOf<RunLogFiles["requestId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf(dcs.download("https://x")).resolves.toEqualTypeOf<DownloadBody>();
    expectTypeOf<DownloadBody["body"]>().toEqualTypeOf<ReadableStream<Uint8Array>>();
    expectTypeOf(dcs.runLogs({ instanceId })).toMatchTypeOf<AsyncIterable<RunLog>>();
    expectTypeOf(fetchRunLogs(dcs, { instanceId, outDir: "x" })).resolves.toEqualTypeOf<FetchedRunLog[]>();
  });

  it("refuses what the API refuses", () => {
    // @ts-expect-error query_time is 0, 1, 3 or 7
    assertType(dcs.collectRunLogs({ instanceId, queryTime: 2 }));
    // @ts-expect-error credentials need ak and sk, or a token
    assertType(createDcsRedislogClient({ region: "eu-de", projectId: "p", credentials: { ak: "a" } }));
    // @ts-expect-error projectId is required
    assertType(createDcsRedislogClient({ region: "eu-de", credentials: { token: "t" } }));
    assertType(createDcsRedislogClient({ region: "eu-de", ...credentialsFromEnv() }));
    assertType(
      createDcsRedislogClient({
        region: "any-region-string",
        projectId: "p",
        credentials: async () => ({ token: "t" }),
      }),
    );
  });

  it("names every region in its type, though the list is one string split at run time", () => {
    assertType<HuaweiCloudRegion>("cn-north-12");
    assertType<HuaweiCloudRegion>("af-south-1");
    // @ts-expect-error not a Huawei Cloud region
    assertType<HuaweiCloudRegion>("mars-north-1");
    assertType<Region>("eu-de");
    expectTypeOf(HUAWEI_CLOUD_REGIONS).toEqualTypeOf<readonly HuaweiCloudRegion[]>();
    expectTypeOf<string>().not.toMatchTypeOf<HuaweiCloudRegion>();
  });

  it("passes the expected count to onPoll and types fetchRunLogs' events", () => {
    assertType(
      fetchRunLogs(dcs, {
        instanceId,
        outDir: "x",
        timeoutMs: 1,
        onPoll: (files, expected) => assertType<[RunLog[], number]>([files, expected]),
        onFiles: (logs) => assertType<RunLog[]>(logs),
        onFileStart: (log, path) => assertType<[RunLog, string]>([log, path]),
        onFileDone: (file) => assertType<FetchedRunLog>(file),
      }),
    );
  });

  it("types the raw openapi-fetch client from the spec", async () => {
    const { data } = await dcs.raw.GET("/v2/{project_id}/instances/{instance_id}/redislog", {
      params: { path: { project_id: "p", instance_id: instanceId }, query: { log_type: "run" } },
    });
    expectTypeOf(data).toEqualTypeOf<{ total_num: number; file_list: RunLog[] } | undefined>();
    const path = { project_id: "p", instance_id: "i" };
    assertType(
      dcs.raw.GET("/v2/{project_id}/instances/{instance_id}/redislog", {
        // @ts-expect-error log_type is "run"
        params: { path, query: { log_type: "slow" } },
      }),
    );
  });
});
