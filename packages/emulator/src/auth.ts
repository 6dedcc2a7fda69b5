import { formatSdkDate, verify } from "@org/dcs-redislog-signer";
import { MAX_CLOCK_SKEW_MS } from "./defaults.js";

/** What the gateway needs to know to authenticate a request. */
export interface AuthContext {
  projectId: string;
  ak: string;
  sk: string;
  tokens: ReadonlySet<string>;
  temporary: ReadonlyMap<string, { sk: string; securityToken: string }>;
}

export interface AuthRequest {
  method: string;
  /** Absolute URL as received (path still percent-encoded). */
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Project id from the path. */
  pathProjectId: string;
  /** Server time for the ±15 min check, epoch ms. */
  now: number;
}

export type AuthFailure = {
  status: 401 | 403;
  code: "APIGW.0301" | "APIGW.0302" | "DCS.1004";
  message: string;
};

export type AuthResult =
  | { ok: true; principal: "aksk" | "temporary" | "token" }
  | ({ ok: false } & AuthFailure);

const IAM = "Incorrect IAM authentication information";

function iamFailure(detail: string): { ok: false } & AuthFailure {
  return { ok: false, status: 401, code: "APIGW.0301", message: `${IAM}: ${detail}` };
}

/**
 * Authenticates like the API gateway in front of DCS: an IAM token in `X-Auth-Token`, or an AK/SK signature
 * (`SDK-HMAC-SHA256`, with `X-Security-Token` for temporary keys); then the project checks.
 */
export async function authenticate(ctx: AuthContext, request: AuthRequest): Promise<AuthResult> {
  const { headers } = request;
  const token = headers["x-auth-token"];
  let principal: "aksk" | "temporary" | "token";
  if (token !== undefined) {
    if (!ctx.tokens.has(token)) return iamFailure("decrypt token fail");
    principal = "token";
  } else if (headers.authorization !== undefined) {
    const result = await verify(
      { method: request.method, url: request.url, headers, body: request.body },
      (ak) => (ak === ctx.ak ? ctx.sk : ctx.temporary.get(ak)?.sk),
      { now: request.now, maxSkewMs: MAX_CLOCK_SKEW_MS },
    );
    if (!result.ok) {
      switch (result.reason) {
        case "missing-authorization":
          return iamFailure("x-auth-token not found");
        case "unknown-ak":
          return iamFailure("Get secretKey failed,ak:******,err:ak not exist");
        case "date-out-of-range": {
          const sent = headers["x-sdk-date"] ?? "";
          return iamFailure(
            `verify aksk signature fail, signature expired, signature time:${sent},server time:${formatSdkDate(new Date(request.now))}`,
          );
        }
        default:
          return iamFailure("verify aksk signature fail");
      }
    }
    const temporary = ctx.temporary.get(result.ak);
    const securityToken = headers["x-security-token"];
    if (temporary) {
      if (securityToken === undefined) return iamFailure("x-security-token not found");
      if (securityToken !== temporary.securityToken) return iamFailure("verify security token fail");
      principal = "temporary";
    } else {
      // A permanent key with a security token is a client mix-up the gateway refuses too.
      if (securityToken !== undefined) return iamFailure("verify security token fail");
      principal = "aksk";
    }
  } else {
    return iamFailure("x-auth-token not found");
  }

  // X-Project-Id scopes the credential; the path must name that project.
  const scoped = headers["x-project-id"];
  if (scoped !== undefined && scoped !== request.pathProjectId) {
    return { ok: false, status: 401, code: "DCS.1004", message: "Project ID does not match the token." };
  }
  if (request.pathProjectId !== ctx.projectId) {
    return {
      ok: false,
      status: 403,
      code: "APIGW.0302",
      message: "The IAM user is not authorized to access the API.",
    };
  }
  return { ok: true, principal };
}
