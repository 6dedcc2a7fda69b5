// The API reference: Redoc, rendered by `redocly build-docs --inlineBundle` into one self-contained page, in the
// site layout (a Handlebars template made from templates/page.html).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NAV_HEIGHT, renderPage } from "./layout.mjs";
import { SAMPLE_KINDS } from "./samples.mjs";

const require = createRequire(import.meta.url);
const redoclyBin = require.resolve("@redocly/cli/bin/cli.js");

/** Redoc options (`--openapi`); see https://redocly.com/docs/redoc/config. */
export const redocOptions = {
  // The site navigation bar is sticky above Redoc: its sidebar and anchor jumps start below it.
  scrollYOffset: NAV_HEIGHT,
  // Redoc 3 shows an operation's x-codeSamples only for the languages listed here (matched by label).
  codeSamples: { languages: SAMPLE_KINDS.map(({ lang, label }) => ({ lang, label })) },
};

/**
 * Redoc's sidebar footer loads the Redocly logo from cdn.redoc.ly. The site must work offline and make no
 * request beyond its own host, so the bundle is pointed at local copies instead. If Redoc changes these URLs
 * the build fails here rather than shipping a page that reaches the internet.
 */
export const LOGO_REWRITES = [
  { from: "https://cdn.redoc.ly/redoc/logo-mini-full.svg", to: "assets/redocly-logo.svg" },
  { from: "https://cdn.redoc.ly/redoc/logo-mini.svg", to: "assets/redocly-logo-mini.svg" },
];

/** @param {string[]} args */
function redocly(args) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [redoclyBin, ...args],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: "off" } },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`redocly ${args[0]} failed:\n${stdout}${stderr}`));
          return;
        }
        resolve(undefined);
      },
    );
  });
}

/**
 * Builds `<outDir>/index.html` from the spec.
 * @param {{ spec: string, outDir: string, config: string }} options config: the redocly.yaml to use
 *   (telemetry off).
 */
export async function buildReference({ spec, outDir, config }) {
  const work = await mkdtemp(join(tmpdir(), "dcs-docs-redoc-"));
  try {
    const template = join(work, "template.hbs");
    await writeFile(
      template,
      renderPage({
        titleHtml: "{{title}} · API reference",
        current: "reference",
        root: "",
        head: "{{{redocHead}}}",
        content: "{{{redocHTML}}}",
      }),
    );
    const output = join(outDir, "index.html");
    await redocly([
      "build-docs",
      spec,
      "--config",
      config,
      "--inlineBundle",
      "--template",
      template,
      "--openapi",
      JSON.stringify(redocOptions),
      "--output",
      output,
    ]);
    let html = await readFile(output, "utf8");
    for (const { from, to } of LOGO_REWRITES) {
      if (!html.includes(from)) {
        throw new Error(
          `the Redoc bundle no longer contains ${from}; update LOGO_REWRITES in scripts/reference.mjs ` +
            "(run the browser test to see which outside URL the page now requests)",
        );
      }
      html = html.replaceAll(from, to);
    }
    await writeFile(output, html);
    return output;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
