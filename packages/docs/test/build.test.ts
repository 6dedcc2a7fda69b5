// The build: a spec edit reaches the site with no other step, every page of dist/ is in the site layout, no
// page loads anything from another host, and every relative link points to a file that exists.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLIENT_ENTRIES, clientPackageDir } from "../scripts/client-api.mjs";
import { GUIDE_ORDER, readGuide, rewriteHref, runCli } from "../scripts/guide.mjs";
import { escapeHtml, renderPage, rootFrom, SITE_PARTS } from "../scripts/layout.mjs";
import { LOGO_REWRITES } from "../scripts/reference.mjs";
import { distDir, docsDir, loadSpec, run, specPath } from "./helpers.js";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "dcs-docs-build-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".html")).map((e) => join(e.parentPath, e.name));
}

describe("building from the spec", () => {
  test("a changed operation summary is in the reference built from that spec, by the same build script", async () => {
    const spec = await readFile(specPath, "utf8");
    const { operations } = await loadSpec();
    const op = operations[0];
    if (!op) throw new Error("the spec has no operation");
    const edited = `${op.summary} (edited ${Date.now()})`;
    const changed = spec.replace(`summary: ${op.summary}\n`, `summary: ${edited}\n`);
    expect(changed).not.toBe(spec);
    await writeFile(join(work, "spec.yaml"), changed);

    const out = join(work, "site");
    const result = await run(process.execPath, [
      join(docsDir, "scripts/build.mjs"),
      "--spec",
      join(work, "spec.yaml"),
      "--out",
      out,
      "--only",
      "reference",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(join(out, "index.html"), "utf8");
    expect(html).toContain(edited);
    expect(html).toContain('class="site-nav"');
    for (const { from, to } of LOGO_REWRITES) {
      expect(html).not.toContain(from);
      expect(html).toContain(to);
    }
    expect(existsSync(join(out, "assets/site.css"))).toBe(true);
  });

  test("an unknown part is refused", async () => {
    const result = await run(process.execPath, [join(docsDir, "scripts/build.mjs"), "--only", "everything"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown part everything");
  });
});

describe("the built site (dist/, from `pnpm build`)", () => {
  beforeAll(() => {
    if (!existsSync(join(distDir, "index.html"))) {
      throw new Error("packages/docs/dist is missing: run `pnpm build` first");
    }
  });

  test("has the three parts: the reference, every guide page and the client API", async () => {
    expect(existsSync(join(distDir, "index.html"))).toBe(true);
    for (const name of GUIDE_ORDER)
      expect(existsSync(join(distDir, "guide", `${name}.html`)), name).toBe(true);
    expect(existsSync(join(distDir, "client-api/index.html"))).toBe(true);
    const modules = await readdir(join(distDir, "client-api/modules"));
    expect(modules.length).toBe(Object.keys(CLIENT_ENTRIES).length);
  });

  test("every page has the site navigation, with links that resolve from where it is", async () => {
    const files = await htmlFiles(distDir);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const html = await readFile(file, "utf8");
      const nav = /<nav class="site-nav"[\s\S]*?<\/nav>/.exec(html)?.[0];
      expect(nav, relative(distDir, file)).toBeDefined();
      for (const part of SITE_PARTS) {
        const href = `${rootFrom(relative(distDir, file))}${part.href}`;
        expect(nav, relative(distDir, file)).toContain(`href="${href}"`);
        expect(existsSync(join(dirname(file), href))).toBe(true);
      }
    }
  });

  test("no page loads a script, style, image or font from another host", async () => {
    for (const file of await htmlFiles(distDir)) {
      const html = await readFile(file, "utf8");
      const where = relative(distDir, file);
      expect(
        html.match(/<(?:script|img|iframe|source)\b[^>]*\bsrc=["']?(?:https?:)?\/\//gi),
        where,
      ).toBeNull();
      expect(html.match(/<link\b[^>]*\bhref=["']?(?:https?:)?\/\/[^>]*>/gi), where).toBeNull();
      expect(html.match(/@import\s+(?:url\()?["']?(?:https?:)?\/\//gi), where).toBeNull();
      expect(html, where).not.toContain("cdn.redoc.ly");
    }
    const css = await readdir(join(distDir, "assets"));
    for (const file of css.filter((f) => f.endsWith(".css"))) {
      expect(await readFile(join(distDir, "assets", file), "utf8")).not.toMatch(
        /url\(\s*["']?(?:https?:)?\/\//,
      );
    }
  });

  test("every relative link and resource of the guide and client API pages exists", async () => {
    const files = (await htmlFiles(distDir)).filter((f) => f !== join(distDir, "index.html"));
    const broken: string[] = [];
    for (const file of files) {
      const html = await readFile(file, "utf8");
      for (const match of html.matchAll(/\b(?:href|src)="([^"]+)"/g)) {
        const url = match[1] ?? "";
        if (/^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(url)) continue;
        const [path = "", fragment] = url.split("#");
        const target = join(dirname(file), decodeURIComponent(path));
        if (!existsSync(target)) {
          broken.push(`${relative(distDir, file)} → ${url}`);
          continue;
        }
        // Anchors into guide pages must exist there (the reference's are Redoc routes, checked in the browser).
        if (fragment && target.startsWith(join(distDir, "guide"))) {
          const page = await readFile(target, "utf8");
          if (!page.includes(`id="${fragment}"`))
            broken.push(`${relative(distDir, file)} → ${url} (no such anchor)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  test("the CLI help in the guide is the built CLI's", async () => {
    const html = await readFile(join(distDir, "guide/cli.html"), "utf8");
    expect(html).not.toContain("<!-- generated:");
    for (const args of [["--help"], ["fetch", "--help"]]) {
      expect(html).toContain(escapeHtml(runCli(args).trim()));
    }
  });
});

describe("pieces", () => {
  test("the client's public entries are exactly the ones TypeDoc documents", async () => {
    const manifest = JSON.parse(await readFile(join(clientPackageDir(), "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(manifest.exports).filter((s) => s !== "./package.json");
    expect(Object.keys(CLIENT_ENTRIES).sort()).toEqual(subpaths.sort());
    for (const file of Object.values(CLIENT_ENTRIES))
      expect(existsSync(join(clientPackageDir(), file))).toBe(true);
  });

  test("the guide's files and its reading order agree, and every page has a title", async () => {
    const pages = await readGuide();
    expect(pages.map((p) => p.name)).toEqual(GUIDE_ORDER);
    expect(pages[0]?.name).toBe("index");
  });

  test("Markdown links between guide pages become links between HTML pages", () => {
    expect(rewriteHref("flow.md")).toBe("flow.html");
    expect(rewriteHref("flow.md#2-wait")).toBe("flow.html#2-wait");
    expect(rewriteHref("../index.html#operation/ListRedislog")).toBe("../index.html#operation/ListRedislog");
    expect(rewriteHref("https://example.com/readme.md")).toBe("https://example.com/readme.md");
    expect(rewriteHref("#errors")).toBe("#errors");
  });

  test("the layout marks the current part and keeps `$` in content as is", () => {
    const html = renderPage({ titleHtml: "T", current: "guide", root: "../", content: "<p>$& $1 $$</p>" });
    expect(html).toContain('<a href="../guide/index.html" aria-current="page">');
    expect(html).toContain("<p>$& $1 $$</p>");
    expect(html).toContain('href="../assets/site.css"');
    expect(rootFrom("index.html")).toBe("");
    expect(rootFrom("client-api/functions/x.html")).toBe("../../");
  });
});
