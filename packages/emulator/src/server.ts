import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { pipeline } from "node:stream/promises";
import type { DownloadLink, RunLogList } from "@org/dcs-redislog-types";
import { type AuthContext, authenticate } from "./auth.js";
import {
  ID_PATTERN,
  LINK_ACCESS_KEY_ID,
  LINK_BUCKET,
  MAX_BODY_BYTES,
  MAX_HEADER_BYTES,
  MAX_REQUEST_LOG,
} from "./defaults.js";
import { type FaultDecision, FaultSet } from "./faults.js";
import { createLogStream, logEtag } from "./log-content.js";
import { resolveOptions } from "./options.js";
import { checkPresigned, type LinkSigningKey, presignUrl } from "./presign.js";
import { createRandom, seedFrom } from "./random.js";
import { parseRange } from "./range.js";
import {
  DCS,
  dcsError,
  GATEWAY,
  gatewayError,
  invalidParameter,
  MALFORMED_JSON,
  obsError,
} from "./responses.js";
import { EmulatorState } from "./state.js";
import type { Emulator, EmulatorOptions, FaultRule, ServedRequest } from "./types.js";

type ApiOperation = "CreateRedislog" | "ListRedislog" | "CreateRedislogDownloadLink";

type Route =
  | { kind: "api"; operation: ApiOperation; segments: string[] }
  | { kind: "download" }
  | { kind: "admin" }
  | { kind: "preflight" }
  | { kind: "none" };

/** An answer that is built first and sent later, so that faults can still change or break it. */
interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; `undefined` for none. */
  json?: unknown;
}

const QUERY_TIMES = new Set(["0", "1", "3", "7"]);
const MAX_INT32 = 2 ** 31 - 1;
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const EXPOSED_HEADERS =
  "Date, X-Request-Id, Retry-After, ETag, Content-Range, Accept-Ranges, Content-Disposition";

function route(method: string, rawPath: string, bucket: string): Route {
  if (method === "OPTIONS") return { kind: "preflight" };
  const segments = rawPath.split("/").slice(1);
  const [first] = segments;
  if (first === "_emulator" && segments.length === 2 && segments[1] === "faults") return { kind: "admin" };
  if (first === bucket && segments.length >= 2) return { kind: "download" };
  if (first === "v2" && segments[2] === "instances" && segments[4] === "redislog") {
    if (segments.length === 5 && method === "POST")
      return { kind: "api", operation: "CreateRedislog", segments };
    if (segments.length === 5 && method === "GET")
      return { kind: "api", operation: "ListRedislog", segments };
    if (segments.length === 7 && segments[6] === "links" && method === "POST") {
      return { kind: "api", operation: "CreateRedislogDownloadLink", segments };
    }
  }
  return { kind: "none" };
}

/** Reads the body up to `limit` bytes; `undefined` when it is larger (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        req.off("data", onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("the client closed the connection mid-request"));
    });
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

/** Starts a DCS redislog emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const config = resolveOptions(options);
  const state = new EmulatorState(config.instances, config.seed, config.logSize);
  const faults = new FaultSet(createRandom(seedFrom(config.seed, "faults")));
  faults.set(config.faults);
  const auth: AuthContext = {
    projectId: config.projectId,
    ak: config.ak,
    sk: config.sk,
    tokens: new Set(config.tokens),
    temporary: new Map(
      config.temporaryCredentials.map((c) => [c.ak, { sk: c.sk, securityToken: c.securityToken }]),
    ),
  };
  const linkKey: LinkSigningKey = {
    accessKeyId: LINK_ACCESS_KEY_ID,
    secret: createHmac("sha256", config.sk).update("dcs-redislog-emulator links").digest("hex"),
  };
  const requests: ServedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let endpoint = "";

  const log = (line: string) => {
    try {
      config.logger?.(line);
    } catch {
      // A failing logger must not take the server down.
    }
  };

  const record = (entry: ServedRequest) => {
    if (requests.length >= MAX_REQUEST_LOG) requests.splice(0, MAX_REQUEST_LOG / 10);
    requests.push(entry);
  };

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that went away mid-request is not an error of the emulator.
      if (req.destroyed || res.destroyed) return;
      log(`internal error: ${(error as Error)?.message ?? String(error)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, {
        "Content-Type": "application/json",
        "X-Request-Id": randomBytes(16).toString("hex"),
        Date: new Date(config.now()).toUTCString(),
      });
      res.end(JSON.stringify(dcsError(...DCS.internal)));
    });
  });

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    record({ operation: "Invalid", method: "", path: "", status });
    const requestId = randomBytes(16).toString("hex");
    const [code, message] = status === 431 ? GATEWAY.headersTooLarge : GATEWAY.badRequest;
    const body = JSON.stringify(gatewayError(code, message, requestId));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n` +
        `Date: ${new Date(config.now()).toUTCString()}\r\nConnection: close\r\n\r\n${body}`,
    );
    log(`(unparsable request) -> ${status}`);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = randomBytes(16).toString("hex");
    const method = req.method ?? "GET";
    let target = req.url ?? "/";
    // Absolute-form targets (proxies) carry the origin; only the path matters here.
    if (/^https?:\/\//i.test(target)) target = target.replace(/^https?:\/\/[^/]*/i, "") || "/";
    const queryAt = target.indexOf("?");
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? "" : target.slice(queryAt + 1);
    const matched = route(method, rawPath, LINK_BUCKET);
    const entry: ServedRequest = { operation: "Unknown", method, path: rawPath, status: 0 };
    switch (matched.kind) {
      case "api":
        entry.operation = matched.operation;
        break;
      case "download":
        entry.operation = "Download";
        break;
      case "admin":
        entry.operation = config.admin ? "Admin" : "Unknown";
        break;
      case "preflight":
        entry.operation = "Preflight";
        break;
    }
    record(entry);
    res.on("close", () => {
      log(
        `${method} ${rawPath} -> ${entry.status || "no answer"} ${entry.operation} ${Date.now() - started}ms`,
      );
    });

    let skewMs = 0;
    const clock = () => config.now() + skewMs;
    const hostHeader = req.headers.host;
    const origin =
      hostHeader !== undefined && HOST_PATTERN.test(hostHeader) ? `http://${hostHeader}` : endpoint;

    const baseHeaders = (): Record<string, string> => {
      const headers: Record<string, string> = {
        "X-Request-Id": requestId,
        Date: new Date(clock()).toUTCString(),
      };
      if (req.headers.origin !== undefined) {
        headers["Access-Control-Allow-Origin"] = "*";
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS;
      }
      return headers;
    };

    const send = (reply: Reply) => {
      entry.status = reply.status;
      res.sendDate = false;
      const headers = { ...baseHeaders(), ...reply.headers };
      if (reply.json === undefined) {
        res.writeHead(reply.status, headers);
        res.end();
        return;
      }
      const body = Buffer.from(JSON.stringify(reply.json));
      res.writeHead(reply.status, {
        ...headers,
        "Content-Type": "application/json",
        "Content-Length": String(body.length),
      });
      res.end(body);
    };

    const sendXml = (status: number, xml: string, extra: Record<string, string> = {}) => {
      entry.status = status;
      res.sendDate = false;
      const body = Buffer.from(xml);
      res.writeHead(status, {
        ...baseHeaders(),
        "x-obs-request-id": requestId,
        "Content-Type": "application/xml",
        "Content-Length": String(body.length),
        ...extra,
      });
      res.end(method === "HEAD" ? undefined : body);
    };

    const gateway = (
      status: number,
      [code, message]: readonly [string, string],
      headers?: Record<string, string>,
    ) => send({ status, json: gatewayError(code, message, requestId), ...(headers ? { headers } : {}) });

    /** Sends `reply` with the body cut short: full Content-Length, then the connection closes. */
    const sendTruncated = (reply: Reply, rule: FaultRule) => {
      const body = Buffer.from(reply.json === undefined ? "" : JSON.stringify(reply.json));
      entry.status = reply.status;
      res.sendDate = false;
      res.writeHead(reply.status, {
        ...baseHeaders(),
        ...reply.headers,
        "Content-Type": "application/json",
        "Content-Length": String(body.length),
      });
      const cut = Math.min(body.length, rule.truncateAtBytes ?? Math.floor(body.length / 2));
      res.write(body.subarray(0, cut));
      res.socket?.end();
    };

    const reset = () => {
      entry.status = 0;
      const socket = req.socket;
      if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
      else socket.destroy();
    };

    const malformed = () => {
      entry.status = 200;
      res.sendDate = false;
      res.writeHead(200, {
        ...baseHeaders(),
        "Content-Type": "application/json",
        "Content-Length": String(Buffer.byteLength(MALFORMED_JSON)),
      });
      res.end(MALFORMED_JSON);
    };

    /** Applies latency and the faults that answer before the request is handled; true when answered. */
    const preFaults = async (decision: FaultDecision, xml: boolean): Promise<boolean> => {
      if (decision.latencyMs > 0) await delay(decision.latencyMs, timers);
      if (stopped) return true;
      const rule = decision.action;
      if (!rule) return false;
      const retryAfter = (fallback: number | undefined): Record<string, string> => {
        const seconds = rule.retryAfterSeconds ?? fallback;
        return seconds === undefined ? {} : { "Retry-After": String(seconds) };
      };
      switch (rule.kind) {
        case "hang":
          entry.status = 0;
          return true;
        case "throttle":
          if (xml)
            sendXml(
              429,
              obsError("TooManyRequests", "Please reduce your request rate.", requestId),
              retryAfter(1),
            );
          else gateway(429, GATEWAY.throttled, retryAfter(1));
          return true;
        case "error500":
          if (xml)
            sendXml(
              500,
              obsError("InternalError", "We encountered an internal error. Please try again.", requestId),
            );
          else send({ status: 500, json: dcsError(...DCS.internal) });
          return true;
        case "error502":
          if (xml) sendXml(502, obsError("BadGateway", "Bad gateway.", requestId));
          else gateway(502, GATEWAY.badGateway);
          return true;
        case "error503":
          if (xml)
            sendXml(
              503,
              obsError("ServiceUnavailable", "Please reduce your request rate.", requestId),
              retryAfter(undefined),
            );
          else gateway(503, GATEWAY.unavailable, retryAfter(undefined));
          return true;
        default:
          return false;
      }
    };

    if (matched.kind === "preflight") {
      // Browsers ask before sending auth headers; the emulator allows any origin so browser clients can be tested.
      entry.status = 204;
      res.sendDate = false;
      res.writeHead(204, {
        ...baseHeaders(),
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, HEAD, DELETE",
        "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "*",
        "Access-Control-Max-Age": "600",
      });
      res.end();
      return;
    }

    if (matched.kind === "none" || (matched.kind === "admin" && !config.admin)) {
      req.resume();
      gateway(404, GATEWAY.notFound);
      return;
    }

    if (matched.kind === "admin") {
      const body = await readBody(req, 1024 * 1024);
      if (body === undefined) {
        send({
          status: 413,
          headers: { Connection: "close" },
          json: { error: "The body is larger than 1 MiB." },
        });
        return;
      }
      if (method === "GET") send({ status: 200, json: { faults: faults.list() } });
      else if (method === "DELETE") {
        faults.clear();
        send({ status: 204 });
      } else if (method === "POST") {
        const text = body.toString("utf8");
        try {
          let input: FaultRule[] | string = text;
          try {
            const parsed: unknown = JSON.parse(text);
            if (typeof parsed === "object" && parsed !== null && "faults" in parsed) {
              input = (parsed as { faults: FaultRule[] | string }).faults;
            }
          } catch {
            // Not JSON: the string form.
          }
          faults.set(input);
          send({ status: 200, json: { faults: faults.list() } });
        } catch (error) {
          send({ status: 400, json: { error: (error as Error).message } });
        }
      } else
        send({
          status: 405,
          headers: { Allow: "GET, POST, DELETE" },
          json: { error: "Use GET, POST or DELETE." },
        });
      return;
    }

    if (matched.kind === "download") {
      req.resume();
      if (method !== "GET" && method !== "HEAD") {
        sendXml(
          405,
          obsError(
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
            requestId,
          ),
          {
            Allow: "GET, HEAD",
          },
        );
        return;
      }
      const decision = faults.decide("Download");
      skewMs = decision.skewMs;
      if (await preFaults(decision, true)) return;
      const check = checkPresigned(
        method,
        rawPath,
        new URLSearchParams(rawQuery),
        linkKey,
        Math.floor(clock() / 1000),
      );
      if (!check.ok) {
        sendXml(403, obsError(check.code, check.message, requestId, rawPath));
        return;
      }
      const key = rawPath.split("/").slice(2).map(decodeSegment);
      const object = key.includes(undefined) ? undefined : state.findObject(key.join("/"));
      if (!object) {
        sendXml(404, obsError("NoSuchKey", "The specified key does not exist.", requestId, rawPath));
        return;
      }
      const rule = decision.action;
      if (rule?.kind === "reset") return reset();
      if (rule?.kind === "malformed-json") return malformed();
      const size = object.file.size;
      const etag = logEtag(object.file);
      const lastModified = new Date(object.readyAt).toUTCString();
      const ifRange = req.headers["if-range"];
      const rangeHeader = req.headers.range;
      const range =
        rangeHeader !== undefined && (ifRange === undefined || ifRange === etag || ifRange === lastModified)
          ? parseRange(rangeHeader, size)
          : undefined;
      const headers: Record<string, string> = {
        ...baseHeaders(),
        "x-obs-request-id": requestId,
        "Content-Type": "application/octet-stream",
        "Content-Disposition": `attachment; filename="${object.fileName}"`,
        "Accept-Ranges": "bytes",
        ETag: etag,
        "Last-Modified": lastModified,
      };
      if (range === "unsatisfiable") {
        sendXml(416, obsError("InvalidRange", "The requested range is not satisfiable", requestId, rawPath), {
          "Content-Range": `bytes */${size}`,
        });
        return;
      }
      const start = range ? range.start : 0;
      const end = range ? range.end : size - 1;
      const length = Math.max(0, end - start + 1);
      if (range) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
      headers["Content-Length"] = String(length);
      entry.status = range ? 206 : 200;
      res.sendDate = false;
      res.writeHead(entry.status, headers);
      if (method === "HEAD" || length === 0) {
        res.end();
        return;
      }
      if (rule?.kind === "truncate") {
        const cut = Math.min(length, rule.truncateAtBytes ?? Math.floor(length / 2));
        if (cut > 0) {
          try {
            await pipeline(createLogStream(object.file, start, start + cut - 1), res, { end: false });
          } catch {
            return;
          }
        }
        res.socket?.end();
        return;
      }
      try {
        await pipeline(createLogStream(object.file, start, end), res);
      } catch {
        // The client went away; the stream is already torn down.
      }
      return;
    }

    // The DCS API, behind the gateway.
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) {
      gateway(413, GATEWAY.tooLarge, { Connection: "close" });
      return;
    }
    const decision = faults.decide(matched.operation);
    skewMs = decision.skewMs;
    if (await preFaults(decision, false)) return;

    const decoded = matched.segments.map(decodeSegment);
    if (decoded.includes(undefined)) {
      gateway(400, GATEWAY.badRequest);
      return;
    }
    const [, projectId = "", , instanceId = "", , logId = ""] = decoded as string[];
    const authResult = await authenticate(auth, {
      method,
      url: `http://${hostHeader ?? "127.0.0.1"}${target}`,
      headers: headerRecord(req),
      body,
      pathProjectId: projectId,
      now: clock(),
    });
    if (!authResult.ok) {
      send({
        status: authResult.status,
        json: authResult.code.startsWith("DCS.")
          ? dcsError(authResult.code, authResult.message)
          : gatewayError(authResult.code, authResult.message, requestId),
      });
      return;
    }

    // A skewed clock shows in Date, in the signature check and in link expiry; collections run on the real
    // clock, so that requests with and without the skew agree on their progress.
    const reply = handleApi(
      matched.operation,
      instanceId,
      logId,
      new URLSearchParams(rawQuery),
      config.now(),
      clock(),
      origin,
    );
    const rule = decision.action;
    if (rule?.kind === "reset") return reset();
    if (rule?.kind === "malformed-json") return malformed();
    if (rule?.kind === "truncate") return sendTruncated(reply, rule);
    send(reply);
  }

  function handleApi(
    operation: ApiOperation,
    instanceId: string,
    logId: string,
    query: URLSearchParams,
    now: number,
    wallClock: number,
    origin: string,
  ): Reply {
    if (!ID_PATTERN.test(instanceId)) return { status: 400, json: dcsError(...DCS.instanceIdFormat) };
    const instance = state.instance(instanceId);
    if (!instance) return { status: 404, json: dcsError(...DCS.noInstance) };

    if (operation === "CreateRedislogDownloadLink") {
      if (!ID_PATTERN.test(logId)) return { status: 400, json: invalidParameter("id") };
      const log = state.findLog(instanceId, logId);
      // A file that is still being collected has no object to link to yet.
      if (!log || now < log.readyAt) return { status: 404, json: dcsError(...DCS.noUrl) };
      const expires = Math.floor(wallClock / 1000) + config.linkTtlSeconds;
      const json: DownloadLink = {
        id: log.id,
        backup_id: log.id,
        link: presignUrl(origin, LINK_BUCKET, log.objectKey, expires, linkKey),
      };
      return { status: 200, json };
    }

    if (query.get("log_type") !== "run") return { status: 400, json: invalidParameter("logType") };

    if (operation === "CreateRedislog") {
      const queryTime = query.get("query_time");
      if (queryTime !== null && !QUERY_TIMES.has(queryTime))
        return { status: 400, json: invalidParameter("queryTime") };
      const replicationId = query.get("replication_id");
      let replicas: string[];
      if (replicationId === null) {
        if (instance.type !== "single") return { status: 400, json: invalidParameter("replicationId") };
        replicas = instance.replicationIds;
      } else {
        if (!ID_PATTERN.test(replicationId)) return { status: 400, json: invalidParameter("replicationId") };
        if (!instance.replicationIds.includes(replicationId))
          return { status: 400, json: dcsError(...DCS.nodeId) };
        replicas = [replicationId];
      }
      const days = Math.max(1, Number(queryTime ?? 0));
      const result = state.collect(instanceId, replicas, days, now, config.collectDelayMs);
      if (!result.ok) return { status: 400, json: dcsError(...DCS.jobRunning) };
      return { status: 204 };
    }

    const offsetRaw = query.get("offset");
    const limitRaw = query.get("limit");
    const offset = offsetRaw === null ? 0 : /^\d{1,10}$/.test(offsetRaw) ? Number(offsetRaw) : Number.NaN;
    if (!(offset >= 0 && offset <= MAX_INT32)) return { status: 400, json: invalidParameter("offset") };
    const limit = limitRaw === null ? 10 : /^\d{1,4}$/.test(limitRaw) ? Number(limitRaw) : Number.NaN;
    if (!(limit >= 1 && limit <= 1000)) return { status: 400, json: invalidParameter("limit") };
    const items = state.list(instanceId, now);
    if (items.length === 0) return { status: 204 };
    const json: RunLogList = { total_num: items.length, file_list: items.slice(offset, offset + limit) };
    return { status: 200, json };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost =
    address.address === "0.0.0.0"
      ? "127.0.0.1"
      : address.address === "::"
        ? "[::1]"
        : address.family === "IPv6"
          ? `[${address.address}]`
          : address.address;
  endpoint = `http://${shownHost}:${address.port}`;

  return {
    endpoint,
    projectId: config.projectId,
    ak: config.ak,
    sk: config.sk,
    tokens: [...config.tokens],
    instances: config.instances.map((i) => ({
      id: i.id,
      type: i.type,
      replicationIds: [...i.replicationIds],
    })),
    requests,
    setFaults: (input) => faults.set(input),
    clearFaults: () => faults.clear(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
