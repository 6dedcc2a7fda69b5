// Validates responses against spec/dcs-redislog.yaml with a real JSON Schema 2020-12 validator (Ajv), so
// the emulator and the spec cannot drift: the status must be declared for the operation, the body must match
// the declared schema and media type, and declared headers must match their schemas.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import * as formatsModule from "ajv-formats";
import { parse } from "yaml";

type Json = Record<string, unknown>;

export const specPath = fileURLToPath(new URL("../../../../spec/dcs-redislog.yaml", import.meta.url));
export const arazzoPath = fileURLToPath(
  new URL("../../../../spec/dcs-redislog.arazzo.yaml", import.meta.url),
);
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

const spec = parse(readFileSync(specPath, "utf8")) as Json;
const SPEC_ID = "https://dcs-redislog.invalid/spec.json";

// ajv-formats is CommonJS; its plugin is the module itself or its default, depending on the loader.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formatsExport = formatsModule as unknown as { default: FormatsPlugin | { default: FormatsPlugin } };
const addFormats: FormatsPlugin =
  typeof formatsExport.default === "function" ? formatsExport.default : formatsExport.default.default;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The schemas refer to each other as "#/components/schemas/X": register them under one document id.
ajv.addSchema({ $id: SPEC_ID, components: (spec as { components: Json }).components });

const validators = new Map<string, ValidateFunction>();
function validatorFor(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

function resolve(node: unknown): Json {
  let current = node as Json;
  for (let i = 0; i < 10 && typeof current?.$ref === "string"; i++) {
    const ref = current.$ref as string;
    if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
    current = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((acc, key) => (acc as Json)[key], spec) as Json;
  }
  return current;
}

/** The operation of a method and path, found through the spec's path templates. */
export function findOperation(
  method: string,
  path: string,
): { operationId: string; operation: Json } | undefined {
  const paths = spec.paths as Record<string, Json>;
  for (const [template, item] of Object.entries(paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (!pattern.test(path)) continue;
    const operation = item[method.toLowerCase()] as Json | undefined;
    if (operation) return { operationId: operation.operationId as string, operation };
  }
  return undefined;
}

export interface ResponseToCheck {
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
}

function schemaPointer(schema: Json | undefined): string | undefined {
  const ref = schema?.$ref;
  return typeof ref === "string" ? ref : undefined;
}

function checkSchema(where: string, schema: Json, value: unknown, pointerHint?: string): string[] {
  const validate = pointerHint ? validatorFor(pointerHint) : ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message ?? "is invalid"}`);
}

/**
 * Every way the response disagrees with the spec for `method path`; empty when it conforms.
 * `path` is the request path without the query string.
 */
export function specProblems(method: string, path: string, response: ResponseToCheck): string[] {
  const found = findOperation(method, path);
  if (!found) return [`${method} ${path} is not an operation of the spec`];
  const responses = found.operation.responses as Record<string, unknown>;
  const declared =
    responses[String(response.status)] ?? responses[`${String(response.status)[0]}XX`] ?? responses.default;
  if (!declared) {
    return [
      `${found.operationId}: status ${response.status} is not declared (declared: ${Object.keys(responses).join(", ")})`,
    ];
  }
  const spec = resolve(declared);
  const problems: string[] = [];

  for (const [name, headerNode] of Object.entries((spec.headers ?? {}) as Record<string, unknown>)) {
    const header = resolve(headerNode);
    const value = response.headers.get(name);
    if (value === null) {
      // Every response of this spec declares X-Request-Id, and the contract says it is always sent.
      if (header.required === true || name.toLowerCase() === "x-request-id")
        problems.push(`header ${name} is missing`);
      continue;
    }
    const schema = header.schema as Json;
    const typed = schema.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
    problems.push(...checkSchema(`header ${name}`, schema, typed));
  }

  const content = spec.content as Record<string, Json> | undefined;
  if (!content) {
    if (response.text !== "")
      problems.push(`${found.operationId} ${response.status} declares no body but got one`);
    return problems;
  }
  const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  const media = content[mediaType];
  if (!media) {
    problems.push(
      `content-type "${mediaType}" is not declared (declared: ${Object.keys(content).join(", ")})`,
    );
    return problems;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    problems.push(`body is not valid JSON: ${JSON.stringify(response.text.slice(0, 80))}`);
    return problems;
  }
  const schema = media.schema as Json;
  problems.push(...checkSchema("body", schema, body, schemaPointer(schema)));
  return problems;
}

/** Problems of a body against one named component schema, e.g. "GatewayError". */
export function schemaProblems(name: string, value: unknown): string[] {
  return checkSchema(name, {}, value, `#/components/schemas/${name}`);
}
