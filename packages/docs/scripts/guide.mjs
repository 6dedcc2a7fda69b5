// The client guide: guide/*.md rendered with marked into the site layout, one HTML page per file.
//
// A line `<!-- generated: dcs-redislog [command] --help -->` is replaced by that command's output at build
// time, so the CLI reference in the guide is always the built CLI's own.
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Marked } from "marked";
import { escapeHtml, renderPage } from "./layout.mjs";

const require = createRequire(import.meta.url);

export const guideDir = fileURLToPath(new URL("../guide/", import.meta.url));

/** Reading order of the guide; every guide/*.md must be listed here, and every entry must exist. */
export const GUIDE_ORDER = [
  "index",
  "credentials",
  "regions",
  "flow",
  "errors",
  "timeouts",
  "proxies",
  "emulator",
  "cli",
];

/** @param {string} text */
function slugify(text) {
  return (
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, "")
      .replace(/&[a-z0-9#]+;/g, "")
      .replace(/[^a-z0-9 _-]/g, "")
      .trim()
      .replace(/[\s_]+/g, "-") || "section"
  );
}

/**
 * A link written for the Markdown sources (`flow.md#waiting`) also works on the site (`flow.html#waiting`).
 * @param {string} href
 */
export function rewriteHref(href) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#") || href.startsWith("/")) return href;
  return href.replace(/^([^#?]*?)\.md(?=$|[#?])/, (_m, path) => `${path}.html`);
}

function createMarked() {
  /** @type {Map<string, number>} */
  let seen = new Map();
  const marked = new Marked({ gfm: true });
  marked.use({
    hooks: {
      preprocess(markdown) {
        seen = new Map();
        return markdown;
      },
    },
    renderer: {
      heading({ tokens, depth }) {
        const html = this.parser.parseInline(tokens);
        const base = slugify(html);
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        const id = count ? `${base}-${count}` : base;
        if (depth === 1) return `<h1 id="${id}">${html}</h1>\n`;
        return `<h${depth} id="${id}"><a class="anchor" href="#${id}">${html}</a></h${depth}>\n`;
      },
      link({ href, title, tokens }) {
        const text = this.parser.parseInline(tokens);
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : "";
        return `<a href="${escapeHtml(rewriteHref(href))}"${titleAttr}>${text}</a>`;
      },
      code({ text, lang }) {
        const language = (lang ?? "").split(/\s/)[0];
        const cls = language ? ` class="language-${escapeHtml(language)}"` : "";
        return `<pre><code${cls}>${escapeHtml(text)}</code></pre>\n`;
      },
    },
  });
  return marked;
}

const GENERATED = /^<!-- generated: dcs-redislog((?: [a-z][a-z-]*)*) --help -->$/gm;

/** The built `dcs-redislog` entry point (a devDependency, built before the docs by turbo's `^build`). */
export function cliBin() {
  const manifest = require.resolve("@org/dcs-redislog-cli/package.json");
  const { bin } = require(manifest);
  const entry = typeof bin === "string" ? bin : bin?.["dcs-redislog"];
  if (!entry) throw new Error("@org/dcs-redislog-cli has no `dcs-redislog` bin");
  return join(dirname(manifest), entry);
}

/**
 * Runs the CLI and returns its stdout, with an environment that cannot leak into the docs.
 * @param {string[]} args
 */
export function runCli(args) {
  try {
    return execFileSync(process.execPath, [cliBin(), ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const detail = /** @type {{ stderr?: string }} */ (error).stderr ?? String(error);
    throw new Error(
      `\`dcs-redislog ${args.join(" ")}\` failed; build the CLI first (pnpm --filter @org/dcs-redislog-cli build):\n${detail}`,
    );
  }
}

/**
 * Replaces the `<!-- generated: … -->` lines of a page with a text block of the command's output.
 * @param {string} markdown
 */
export function expandGenerated(markdown) {
  return markdown.replace(GENERATED, (_line, command = "") => {
    const args = [...command.trim().split(" ").filter(Boolean), "--help"];
    const output = runCli(args).replace(/\s+$/, "");
    return `\`\`\`text\n${output}\n\`\`\``;
  });
}

/**
 * The guide's pages in reading order, with their Markdown and title (the first `# ` heading).
 * @param {string} [dir]
 */
export async function readGuide(dir = guideDir) {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3));
  const unlisted = files.filter((f) => !GUIDE_ORDER.includes(f));
  const missing = GUIDE_ORDER.filter((f) => !files.includes(f));
  if (unlisted.length || missing.length) {
    throw new Error(
      `guide/ and GUIDE_ORDER in scripts/guide.mjs disagree: ${[
        ...unlisted.map((f) => `${f}.md is not listed`),
        ...missing.map((f) => `${f}.md does not exist`),
      ].join("; ")}`,
    );
  }
  return Promise.all(
    GUIDE_ORDER.map(async (name) => {
      const markdown = await readFile(join(dir, `${name}.md`), "utf8");
      const title = /^# (.+)$/m.exec(markdown)?.[1]?.trim();
      if (!title) throw new Error(`guide/${name}.md has no "# Title" line`);
      return { name, title, markdown };
    }),
  );
}

/**
 * Renders every guide page into `<outDir>/guide/`.
 * @param {{ outDir: string, dir?: string }} options
 */
export async function buildGuide({ outDir, dir = guideDir }) {
  const pages = await readGuide(dir);
  const marked = createMarked();
  const target = join(outDir, "guide");
  await mkdir(target, { recursive: true });
  const titleText = (/** @type {string} */ md) =>
    marked.parseInline(md, { async: false }).replace(/<[^>]*>/g, "");
  const toc = (/** @type {string} */ current) =>
    `<nav class="guide-toc" aria-label="Guide"><ol>${pages
      .map((p) => {
        const attrs = p.name === current ? ' aria-current="page"' : "";
        return `<li><a href="${p.name}.html"${attrs}>${titleText(p.title)}</a></li>`;
      })
      .join("")}</ol></nav>`;
  const written = [];
  for (const [i, page] of pages.entries()) {
    const body = marked.parse(expandGenerated(page.markdown), { async: false });
    const prev = pages[i - 1];
    const next = pages[i + 1];
    const pager = `<nav class="guide-pager" aria-label="Previous and next">${
      prev ? `<a href="${prev.name}.html" rel="prev">← ${titleText(prev.title)}</a>` : "<span></span>"
    }${next ? `<a href="${next.name}.html" rel="next">${titleText(next.title)} →</a>` : "<span></span>"}</nav>`;
    const html = renderPage({
      titleHtml: `${escapeHtml(titleText(page.title))} · dcs-redislog guide`,
      current: "guide",
      root: "../",
      content: `<div class="guide-layout">${toc(page.name)}<main class="guide-content">${body}${pager}</main></div>`,
    });
    const file = join(target, `${page.name}.html`);
    await writeFile(file, html);
    written.push(file);
  }
  return written;
}
