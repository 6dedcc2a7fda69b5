// The code samples of the API reference live as real files in samples/ (type-checked and run by the tests) and
// are copied into the spec's `x-codeSamples`, which Redoc shows beside each operation. This keeps the two equal:
//
//   node scripts/samples.mjs            check: exit 1 when the spec's samples differ from the files
//   node scripts/samples.mjs --write    rewrite the x-codeSamples of every operation in the spec from the files
//
// Only `x-codeSamples` blocks are touched; the rest of the spec is left byte for byte.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const samplesDir = fileURLToPath(new URL("../samples/", import.meta.url));
export const defaultSpec = fileURLToPath(new URL("../../../spec/dcs-redislog.yaml", import.meta.url));

/** The samples of every operation, in the order Redoc shows them as tabs. */
export const SAMPLE_KINDS = [
  { lang: "TypeScript", label: "TypeScript client", ext: "ts" },
  { lang: "Shell", label: "dcs-redislog CLI", ext: "sh" },
];

/**
 * samples/<operation-id-in-kebab-case>.<ext>, e.g. CreateRedislogDownloadLink → create-redislog-download-link.ts
 * @param {string} operationId
 * @param {string} ext
 */
export function sampleFileName(operationId, ext) {
  return `${operationId.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}.${ext}`;
}

/**
 * Reads the sample files of one operation. A file must end in exactly one newline: that is what a YAML `|`
 * block gives back.
 * @param {string} operationId
 * @param {string} [dir]
 */
export async function readSamples(operationId, dir = samplesDir) {
  return Promise.all(
    SAMPLE_KINDS.map(async (kind) => {
      const file = sampleFileName(operationId, kind.ext);
      const source = await readFile(join(dir, file), "utf8").catch(() => {
        throw new Error(`samples/${file} is missing: every operation needs a ${kind.lang} sample`);
      });
      if (!source.endsWith("\n") || source.endsWith("\n\n")) {
        throw new Error(`samples/${file} must end with exactly one newline`);
      }
      if (/[ \t]$/m.test(source) || source.includes("\t")) {
        throw new Error(`samples/${file} has tabs or trailing spaces, which the spec's YAML cannot keep`);
      }
      return { ...kind, file, source };
    }),
  );
}

/**
 * The `x-codeSamples:` YAML block of an operation.
 * @param {{ lang: string, label: string, source: string }[]} samples
 * @param {string} indent the operation's key indentation
 */
export function renderCodeSamples(samples, indent) {
  const lines = [`${indent}x-codeSamples:`];
  for (const sample of samples) {
    lines.push(
      `${indent}  - lang: ${sample.lang}`,
      `${indent}    label: ${sample.label}`,
      `${indent}    source: |`,
    );
    for (const line of sample.source.slice(0, -1).split("\n")) {
      lines.push(line === "" ? "" : `${indent}      ${line}`);
    }
  }
  return lines;
}

/**
 * The operations of the spec (their `operationId` lines), found by indentation.
 * @param {string[]} lines
 */
function findOperations(lines) {
  const operations = [];
  for (const [i, line] of lines.entries()) {
    const match = /^( +)operationId: *["']?([A-Za-z0-9_]+)["']?\s*$/.exec(line);
    if (!match) continue;
    const indent = /** @type {string} */ (match[1]);
    // The operation starts after its `get:`/`post:` line and ends before the first line indented less.
    let start = i;
    while (
      start > 0 &&
      (isBlank(lines[start - 1]) || indentOf(/** @type {string} */ (lines[start - 1])) >= indent.length)
    ) {
      start--;
    }
    let end = i + 1;
    while (
      end < lines.length &&
      (isBlank(lines[end]) || indentOf(/** @type {string} */ (lines[end])) >= indent.length)
    ) {
      end++;
    }
    while (end > i + 1 && isBlank(lines[end - 1])) end--;
    operations.push({ operationId: /** @type {string} */ (match[2]), indent, start, end });
  }
  return operations;
}

/** @param {string} line */
function indentOf(line) {
  return /^ */.exec(line)?.[0].length ?? 0;
}

/** @param {string | undefined} line */
function isBlank(line) {
  return line === undefined || line.trim() === "";
}

/**
 * The spec with every operation's `x-codeSamples` set from the sample files (added at the end of the operation
 * when missing). Returns the text unchanged when everything is in sync.
 * @param {string} specText
 * @param {string} [dir]
 */
export async function syncSpecSamples(specText, dir = samplesDir) {
  const lines = specText.split("\n");
  // Last operation first, so that earlier line numbers stay valid.
  for (const op of findOperations(lines).reverse()) {
    const block = renderCodeSamples(await readSamples(op.operationId, dir), op.indent);
    const key = lines.findIndex((l, i) => i >= op.start && i < op.end && l === `${op.indent}x-codeSamples:`);
    if (key === -1) {
      lines.splice(op.end, 0, ...block);
      continue;
    }
    let stop = key + 1;
    while (
      stop < op.end &&
      (isBlank(lines[stop]) || indentOf(/** @type {string} */ (lines[stop])) > op.indent.length)
    ) {
      stop++;
    }
    while (stop > key + 1 && isBlank(lines[stop - 1])) stop--;
    lines.splice(key, stop - key, ...block);
  }
  return lines.join("\n");
}

/** The operationIds of a spec, in order. @param {string} specText */
export function operationIds(specText) {
  return findOperations(specText.split("\n")).map((op) => op.operationId);
}

/** Sample files that belong to no operation of the spec. @param {string} specText @param {string} [dir] */
export async function orphanSamples(specText, dir = samplesDir) {
  const expected = new Set(
    operationIds(specText).flatMap((id) => SAMPLE_KINDS.map((k) => sampleFileName(id, k.ext))),
  );
  return (await readdir(dir)).filter((f) => /\.(ts|sh)$/.test(f) && !expected.has(f));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { write: { type: "boolean" }, spec: { type: "string" } } });
  const spec = resolve(values.spec ?? defaultSpec);
  const text = await readFile(spec, "utf8");
  const synced = await syncSpecSamples(text);
  const orphans = await orphanSamples(text);
  if (orphans.length) {
    console.error(`error: samples without an operation in the spec: ${orphans.join(", ")}`);
    process.exit(1);
  }
  if (synced === text) {
    console.log("x-codeSamples in the spec match packages/docs/samples/");
  } else if (values.write) {
    await writeFile(spec, synced);
    console.log(`updated the x-codeSamples in ${spec}; now run \`pnpm lint:spec\` and \`pnpm generate\``);
  } else {
    console.error("error: the spec's x-codeSamples differ from packages/docs/samples/.");
    console.error(
      "       run `node packages/docs/scripts/samples.mjs --write` to copy the files into the spec.",
    );
    process.exit(1);
  }
}
