/** Bodies the emulator answers with, spelled as the real services spell them; typed by the spec. */
import type { DcsError, GatewayError } from "@org/dcs-redislog-types";

export function gatewayError(code: string, message: string, requestId: string): GatewayError {
  return { error_code: code, error_msg: message, request_id: requestId };
}

export function dcsError(code: string, message: string): DcsError {
  return { error_code: code, error_msg: message, error_ext_msg: null };
}

export const GATEWAY = {
  notFound: ["APIGW.0101", "The API does not exist or has not been published in the environment."],
  badRequest: ["APIGW.0201", "API request error."],
  tooLarge: ["APIGW.0201", "Request entity too large."],
  headersTooLarge: ["APIGW.0201", "Request header fields too large."],
  throttled: [
    "APIGW.0308",
    "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute",
  ],
  badGateway: ["APIGW.0502", "Bad gateway."],
  unavailable: ["APIGW.0613", "The IAM service is currently unavailable."],
} as const satisfies Record<string, readonly [string, string]>;

export const DCS = {
  internal: ["DCS.5000", "Internal service error."],
  noInstance: ["DCS.3022", "This DCS instance does not exist."],
  noUrl: ["DCS.4001", "The requested URL does not exist."],
  jobRunning: ["DCS.4017", "This DCS instance job task is still running."],
  instanceIdFormat: ["DCS.4061", "Invalid instance ID format."],
  nodeId: ["DCS.3053", "Incorrect node ID."],
} as const satisfies Record<string, readonly [string, string]>;

/** `Invalid logType.` and the like (DCS.4800). */
export function invalidParameter(name: string): DcsError {
  return dcsError("DCS.4800", `Invalid ${name}.`);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An OBS (S3-style) XML error document. */
export function obsError(code: string, message: string, requestId: string, resource?: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    (resource === undefined ? "" : `<Resource>${escapeXml(resource)}</Resource>`) +
    `<RequestId>${requestId}</RequestId><HostId>${requestId.slice(0, 16)}</HostId></Error>`
  );
}

/** A body that starts like JSON and stops in the middle of a string. */
export const MALFORMED_JSON = '{"total_num": 1, "file_list": [{"id": "e79f2d97-e972-41f2-b51c-d18f6';
