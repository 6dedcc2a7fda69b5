// The client's API reference: TypeDoc over @org/dcs-redislog-client's source entries, in the site layout.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, JSX, LogLevel, ReflectionKind } from "typedoc";
import { rootFrom, siteNav } from "./layout.mjs";

const require = createRequire(import.meta.url);

export const CLIENT_PACKAGE = "@org/dcs-redislog-client";

/**
 * The client's public entries (package.json `exports` subpath → source file). A test checks this against the
 * client's package.json, so a new subpath export cannot go undocumented.
 */
export const CLIENT_ENTRIES = {
  ".": "src/index.ts",
  "./node": "src/node/index.ts",
};

export function clientPackageDir() {
  return dirname(require.resolve(`${CLIENT_PACKAGE}/package.json`));
}

/** @param {string} subpath */
function moduleName(subpath) {
  return subpath === "." ? CLIENT_PACKAGE : `${CLIENT_PACKAGE}/${subpath.slice(2)}`;
}

/**
 * Builds `<outDir>/client-api/`.
 * @param {{ outDir: string }} options
 */
export async function buildClientApi({ outDir }) {
  const clientDir = clientPackageDir();
  const out = join(outDir, "client-api");
  const entries = Object.entries(CLIENT_ENTRIES).map(([subpath, file]) => ({
    subpath,
    file: join(clientDir, file),
  }));
  const manifest = JSON.parse(await readFile(join(clientDir, "package.json"), "utf8"));
  const app = await Application.bootstrapWithPlugins({
    name: CLIENT_PACKAGE,
    entryPoints: entries.map((e) => e.file),
    tsconfig: join(clientDir, "tsconfig.json"),
    out,
    readme: fileURLToPath(new URL("../templates/client-api.md", import.meta.url)),
    // The client's own `lint` task type-checks it; a type error in a test file must not break the docs.
    skipErrorChecking: true,
    excludePrivate: true,
    excludeInternal: true,
    disableSources: true,
    githubPages: false,
    cleanOutputDir: true,
    includeVersion: false,
    logLevel: LogLevel.Warn,
    validation: { notExported: false, invalidLink: true, notDocumented: false },
    navigationLinks: {},
    favicon: fileURLToPath(new URL("../assets/favicon.svg", import.meta.url)),
  });
  app.logger.info(`documenting ${manifest.name}`);

  // Entry modules are named after their import path, not after their file ("index", "node").
  app.converter.on("resolveBegin", (context) => {
    const modules = context.project.getReflectionsByKind(ReflectionKind.Module);
    for (const entry of entries) {
      const module = modules.find((m) => m.name === nameOf(entry.file, clientDir));
      if (!module) {
        throw new Error(
          `TypeDoc has no module for ${entry.file} (modules: ${modules.map((m) => m.name).join(", ")}); ` +
            "update nameOf in scripts/client-api.mjs",
        );
      }
      module.name = moduleName(entry.subpath);
    }
  });
  app.renderer.hooks.on("head.end", (context) =>
    JSX.createElement(JSX.Raw, {
      html: `<link rel="stylesheet" href="${siteRoot(context.page.url)}assets/site.css" />`,
    }),
  );
  app.renderer.hooks.on("body.begin", (context) =>
    JSX.createElement(JSX.Raw, {
      html: siteNav({ current: "client-api", root: siteRoot(context.page.url) }),
    }),
  );

  const project = await app.convert();
  if (!project) throw new Error("TypeDoc could not convert the client's source (see the messages above)");
  await app.generateDocs(project, out);
  if (app.logger.hasErrors()) throw new Error("TypeDoc reported errors (see above)");
  return out;
}

/**
 * TypeDoc names a module after its path relative to the common root of the entry points.
 * @param {string} file
 * @param {string} clientDir
 */
function nameOf(file, clientDir) {
  return file
    .slice(join(clientDir, "src").length + 1)
    .replace(/\.ts$/, "")
    .replace(/\/index$/, "");
}

/** @param {string} pageUrl the TypeDoc page's path relative to client-api/ */
function siteRoot(pageUrl) {
  return `../${rootFrom(pageUrl)}`;
}
