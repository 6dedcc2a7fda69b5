// Builds the docs site into dist/: the API reference (Redoc, from the spec), the client guide (guide/*.md) and
// the client's API reference (TypeDoc, from packages/client/src). `pnpm build` runs it through turbo.
//
//   node scripts/build.mjs [--spec <file>] [--out <dir>] [--only reference,guide,client-api]
import { cp, mkdir, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildClientApi } from "./client-api.mjs";
import { buildGuide } from "./guide.mjs";
import { SITE_PARTS } from "./layout.mjs";
import { buildReference } from "./reference.mjs";

const here = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url));

export const defaults = {
  spec: here("../../../spec/dcs-redislog.yaml"),
  config: here("../../../redocly.yaml"),
  outDir: here("../dist"),
};

/** @typedef {"reference" | "guide" | "client-api"} Part */
/** @type {Part[]} */
export const PARTS = /** @type {Part[]} */ (SITE_PARTS.map((p) => p.id));

/** What each part writes, relative to the output folder. */
const OUTPUTS = { reference: "index.html", guide: "guide", "client-api": "client-api" };

/**
 * Builds the site. A full build empties the output folder first; a partial one replaces only its parts.
 * @param {{ spec?: string, outDir?: string, config?: string, parts?: Part[] }} [options]
 *   spec: the OpenAPI file (default spec/dcs-redislog.yaml); outDir: default packages/docs/dist;
 *   config: the redocly.yaml (default the repository's); parts: default all three.
 */
export async function buildSite(options = {}) {
  const spec = resolve(options.spec ?? defaults.spec);
  const outDir = resolve(options.outDir ?? defaults.outDir);
  const config = resolve(options.config ?? defaults.config);
  const parts = options.parts ?? PARTS;
  const stale =
    parts.length === PARTS.length ? [outDir] : parts.map((part) => resolve(outDir, OUTPUTS[part]));
  for (const path of stale) await rm(path, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await cp(here("../assets"), resolve(outDir, "assets"), { recursive: true });
  /** @type {Record<Part, () => Promise<unknown>>} */
  const builders = {
    reference: () => buildReference({ spec, outDir, config }),
    guide: () => buildGuide({ outDir }),
    "client-api": () => buildClientApi({ outDir }),
  };
  for (const part of parts) {
    const started = Date.now();
    await builders[part]();
    console.log(`    ${part.padEnd(10)} ${Date.now() - started} ms`);
  }
  return { outDir };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      spec: { type: "string" },
      out: { type: "string" },
      config: { type: "string" },
      only: { type: "string" },
    },
  });
  const parts = values.only?.split(",").map((p) => p.trim());
  const unknown = parts?.filter((p) => !PARTS.includes(/** @type {Part} */ (p)));
  if (unknown?.length) {
    console.error(`error: unknown part ${unknown.join(", ")}; choose from ${PARTS.join(", ")}`);
    process.exit(2);
  }
  console.log("==> building the docs site");
  try {
    const { outDir } = await buildSite({
      spec: values.spec,
      outDir: values.out,
      config: values.config,
      parts: /** @type {Part[] | undefined} */ (parts),
    });
    console.log(`    done: ${outDir}`);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    console.error("       fix it, then run `pnpm --filter @org/dcs-redislog-docs build` again.");
    process.exit(1);
  }
}
