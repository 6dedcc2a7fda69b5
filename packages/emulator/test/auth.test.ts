// Authentication as the API gateway does it: AK/SK signatures (checked with the official Huawei SDK signer
// and with ours), IAM tokens, temporary credentials, and the project checks.
import { request } from "node:http";
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import { api, type JsonBody } from "./helpers/api.js";
import { CLUSTER, manualClock, SINGLE, useEmulators } from "./helpers/emulator.js";
import { specProblems } from "./helpers/spec.js";

const start = useEmulators();
const require = createRequire(import.meta.url);

interface SdkSigner {
  sign(request: object, credential: object): Record<string, string>;
}
interface SdkCredentials {
  withAk(ak: string): SdkCredentials;
  withSk(sk: string): SdkCredentials;
  withProjectId(id: string): SdkCredentials;
}
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js") as {
  AKSKSigner: SdkSigner;
};
const { BasicCredentials } = require("@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js") as {
  BasicCredentials: new () => SdkCredentials;
};

/** Sends exactly these headers with node:http (fetch would rewrite Host) and checks the answer against the spec. */
function send(method: string, url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; json: JsonBody }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === "string") responseHeaders.set(name, value);
        }
        const problems = specProblems(method, new URL(url).pathname, {
          status: res.statusCode ?? 0,
          headers: responseHeaders,
          text,
        });
        if (problems.length > 0) reject(new Error(`breaks the spec: ${problems.join("; ")}`));
        else resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the official Huawei Cloud SDK signer (AKSKSigner)", () => {
  test("a request it signs is accepted; the same request with one byte changed is refused", async () => {
    const emulator = await start({ collectDelayMs: 0 });
    const credentials = new BasicCredentials()
      .withAk(emulator.ak)
      .withSk(emulator.sk)
      .withProjectId(emulator.projectId);
    const path = `/v2/${emulator.projectId}/instances/${SINGLE}/redislog`;
    const signed = AKSKSigner.sign(
      {
        endpoint: `${emulator.endpoint}${path}`,
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Project-Id": emulator.projectId },
        queryParams: { log_type: "run", query_time: 7 },
      },
      credentials,
    );
    expect(signed.Authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=EMULATORAK0000000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );

    const ok = await send("POST", `${emulator.endpoint}${path}?log_type=run&query_time=7`, signed);
    expect(ok.status).toBe(204);
    expect(emulator.requests.at(-1)).toMatchObject({ operation: "CreateRedislog", status: 204 });

    // One byte of the query: query_time=7 → query_time=3.
    const query = await send("POST", `${emulator.endpoint}${path}?log_type=run&query_time=3`, signed);
    expect(query.status).toBe(401);
    expect(query.json).toMatchObject({
      error_code: "APIGW.0301",
      error_msg: "Incorrect IAM authentication information: verify aksk signature fail",
    });
    expect(query.json.request_id).toMatch(/^[0-9a-f]{32}$/);

    // One byte of a signed header.
    const header = await send("POST", `${emulator.endpoint}${path}?log_type=run&query_time=7`, {
      ...signed,
      "Content-Type": "application/jsoN",
    });
    expect(header.status).toBe(401);
    expect(header.json.error_code).toBe("APIGW.0301");

    // One byte of the signature itself.
    const authorization = signed.Authorization ?? "";
    const last = authorization.at(-1) === "0" ? "1" : "0";
    const signature = await send("POST", `${emulator.endpoint}${path}?log_type=run&query_time=7`, {
      ...signed,
      Authorization: `${authorization.slice(0, -1)}${last}`,
    });
    expect(signature.status).toBe(401);
    expect(signature.json.error_msg).toBe(
      "Incorrect IAM authentication information: verify aksk signature fail",
    );

    // And a GET it signs (list) is accepted too.
    const list = AKSKSigner.sign(
      {
        endpoint: `${emulator.endpoint}${path}`,
        method: "GET",
        headers: { "Content-Type": "application/json" },
        queryParams: { log_type: "run", offset: 0, limit: 10 },
      },
      credentials,
    );
    const listed = await send("GET", `${emulator.endpoint}${path}?log_type=run&offset=0&limit=10`, list);
    expect(listed.status).toBe(200);
    expect(listed.json.total_num).toBe(7);
  });
});

describe("AK/SK", () => {
  test("an unknown AK gets the masked `ak not exist` message", async () => {
    const emulator = await start();
    const result = await api(emulator).list(SINGLE, "log_type=run", {
      auth: { ak: "UNKNOWNAK", sk: emulator.sk },
    });
    expect(result.status).toBe(401);
    expect(result.json.error_msg).toBe(
      "Incorrect IAM authentication information: Get secretKey failed,ak:******,err:ak not exist",
    );
    expect(result.text).not.toContain("UNKNOWNAK");
  });

  test("a wrong SK is a bad signature", async () => {
    const emulator = await start();
    const result = await api(emulator).list(SINGLE, "log_type=run", {
      auth: { ak: emulator.ak, sk: "wrong" },
    });
    expect(result.status).toBe(401);
    expect(result.json.error_msg).toBe(
      "Incorrect IAM authentication information: verify aksk signature fail",
    );
  });

  test("X-Sdk-Date more than 15 minutes off is refused; within 15 minutes accepted", async () => {
    const clock = manualClock();
    const emulator = await start({ now: clock.now });
    const dcs = api(emulator);
    const at = (offsetMs: number) => ({
      ak: emulator.ak,
      sk: emulator.sk,
      date: new Date(clock.now() + offsetMs),
    });
    for (const offset of [-14 * 60_000, 14 * 60_000]) {
      expect((await dcs.list(SINGLE, "log_type=run", { auth: at(offset) })).status).toBe(204);
    }
    for (const offset of [-16 * 60_000, 16 * 60_000]) {
      const refused = await dcs.list(SINGLE, "log_type=run", { auth: at(offset) });
      expect(refused.status).toBe(401);
      expect(refused.json.error_code).toBe("APIGW.0301");
      expect(refused.json.error_msg).toMatch(
        /^Incorrect IAM authentication information: verify aksk signature fail, signature expired, signature time:\d{8}T\d{6}Z,server time:20210416T100000Z$/,
      );
    }
  });

  test("a missing or malformed X-Sdk-Date is refused", async () => {
    const emulator = await start();
    const dcs = api(emulator);
    const auth = {
      Authorization: `SDK-HMAC-SHA256 Access=${emulator.ak}, SignedHeaders=host, Signature=${"0".repeat(64)}`,
    };
    const missing = await dcs.list(SINGLE, "log_type=run", { auth: "none", headers: auth });
    expect(missing.status).toBe(401);
    expect(missing.json.error_code).toBe("APIGW.0301");
    const malformed = await dcs.list(SINGLE, "log_type=run", {
      auth: "none",
      headers: { ...auth, "X-Sdk-Date": "yesterday" },
    });
    expect(malformed.status).toBe(401);
    const garbage = await dcs.list(SINGLE, "log_type=run", {
      auth: "none",
      headers: { Authorization: "Basic abc" },
    });
    expect(garbage.status).toBe(401);
    expect(garbage.json.error_msg).toBe(
      "Incorrect IAM authentication information: verify aksk signature fail",
    );
  });
});

describe("IAM tokens", () => {
  test("a known token is accepted; an unknown one gets `decrypt token fail`", async () => {
    const emulator = await start({ tokens: ["t-1", "t-2"] });
    const dcs = api(emulator);
    expect((await dcs.list(SINGLE, "log_type=run", { auth: { token: "t-2" } })).status).toBe(204);
    const refused = await dcs.list(SINGLE, "log_type=run", { auth: { token: "emulator-token" } });
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({
      error_code: "APIGW.0301",
      error_msg: "Incorrect IAM authentication information: decrypt token fail",
    });
  });

  test("no credentials at all → `x-auth-token not found`", async () => {
    const emulator = await start();
    for (const call of [
      () => api(emulator).collect(SINGLE, "log_type=run", { auth: "none" }),
      () => api(emulator).list(SINGLE, "log_type=run", { auth: "none" }),
      () => api(emulator).link(SINGLE, "abc", { auth: "none" }),
    ]) {
      const result = await call();
      expect(result.status).toBe(401);
      expect(result.json.error_msg).toBe("Incorrect IAM authentication information: x-auth-token not found");
    }
  });
});

describe("temporary credentials", () => {
  const temporary = { ak: "TEMPAK00000000000001", sk: "temp-secret", securityToken: "sts-token-1" };

  test("accepted with their security token (signed), refused without it or with another", async () => {
    const emulator = await start({ temporaryCredentials: [temporary] });
    const dcs = api(emulator);
    expect((await dcs.list(SINGLE, "log_type=run", { auth: temporary })).status).toBe(204);

    const without = await dcs.list(SINGLE, "log_type=run", { auth: { ak: temporary.ak, sk: temporary.sk } });
    expect(without.status).toBe(401);
    expect(without.json.error_msg).toBe(
      "Incorrect IAM authentication information: x-security-token not found",
    );

    const wrong = await dcs.list(SINGLE, "log_type=run", { auth: { ...temporary, securityToken: "other" } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error_msg).toBe("Incorrect IAM authentication information: verify security token fail");
  });

  test("a permanent AK with a security token is refused", async () => {
    const emulator = await start({ temporaryCredentials: [temporary] });
    const result = await api(emulator).list(SINGLE, "log_type=run", {
      auth: { ak: emulator.ak, sk: emulator.sk, securityToken: temporary.securityToken },
    });
    expect(result.status).toBe(401);
  });
});

describe("projects", () => {
  test("X-Project-Id that differs from the path → 401 DCS.1004; equal → accepted", async () => {
    const emulator = await start();
    const dcs = api(emulator);
    for (const auth of ["token", "aksk"] as const) {
      const ok = await dcs.list(SINGLE, "log_type=run", {
        auth,
        headers: { "X-Project-Id": emulator.projectId },
      });
      expect(ok.status).toBe(204);
      const mismatch = await dcs.list(SINGLE, "log_type=run", {
        auth,
        headers: { "X-Project-Id": "another-project" },
      });
      expect(mismatch.status).toBe(401);
      expect(mismatch.json).toEqual({
        error_code: "DCS.1004",
        error_msg: "Project ID does not match the token.",
        error_ext_msg: null,
      });
    }
  });

  test("a path project that is not the emulator's → 403 APIGW.0302", async () => {
    const emulator = await start();
    const dcs = api(emulator);
    for (const auth of ["token", "aksk"] as const) {
      for (const [method, path] of [
        ["POST", `/v2/other-project/instances/${CLUSTER}/redislog?log_type=run`],
        ["GET", `/v2/other-project/instances/${SINGLE}/redislog?log_type=run`],
        ["POST", `/v2/other-project/instances/${SINGLE}/redislog/abc/links`],
      ] as const) {
        const result = await dcs.call(method, path, { auth });
        expect(result.status).toBe(403);
        expect(result.json).toMatchObject({
          error_code: "APIGW.0302",
          error_msg: "The IAM user is not authorized to access the API.",
        });
      }
    }
  });

  test("a custom project id is served instead of the default", async () => {
    const emulator = await start({ projectId: "my-project" });
    expect(emulator.projectId).toBe("my-project");
    expect((await api(emulator).list(SINGLE)).status).toBe(204);
  });
});
