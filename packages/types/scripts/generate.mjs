// Writes src/generated/dcs-redislog.ts from spec/dcs-redislog.yaml with openapi-typescript.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const spec = resolve(here, "../../../spec/dcs-redislog.yaml");
const out = resolve(here, "../src/generated/dcs-redislog.ts");

const header = `/**
 * Generated from spec/dcs-redislog.yaml by openapi-typescript — do not edit; run \`pnpm generate\`.
 */

`;

const ast = await openapiTS(pathToFileURL(spec), { alphabetize: false });
await mkdir(dirname(out), { recursive: true });
await writeFile(out, header + astToString(ast));
console.log(`wrote ${out}`);
