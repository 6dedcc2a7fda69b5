// The one page layout of the site: every part (Redoc reference, guide pages, TypeDoc pages) gets the same
// navigation bar from here, so a part added or renamed changes everywhere at once.
import { readFileSync } from "node:fs";

/** The parts of the site, in navigation order. `href` is relative to the site root. */
export const SITE_PARTS = [
  { id: "reference", title: "API reference", href: "index.html" },
  { id: "guide", title: "Client guide", href: "guide/index.html" },
  { id: "client-api", title: "Client API", href: "client-api/index.html" },
];

/** Height of the navigation bar in CSS pixels; Redoc offsets its sticky sidebar and anchors by it. */
export const NAV_HEIGHT = 48;

const template = readFileSync(new URL("../templates/page.html", import.meta.url), "utf8");

/** @param {string} text */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The navigation bar.
 * @param {{ current: string, root: string }} options current: a SITE_PARTS id; root: relative path to the site
 *   root from the page ("" at the root, "../" one folder down).
 */
export function siteNav({ current, root }) {
  const links = SITE_PARTS.map((part) => {
    const attrs = part.id === current ? ' aria-current="page"' : "";
    return `<a href="${root}${part.href}"${attrs}>${escapeHtml(part.title)}</a>`;
  }).join("");
  return `<nav class="site-nav" aria-label="Site"><a class="site-nav-brand" href="${root}index.html">dcs-redislog</a><div class="site-nav-links">${links}</div></nav>`;
}

/**
 * A whole page in the site layout.
 * @param {{ titleHtml: string, current: string, root: string, head?: string, content: string, bodyClass?: string }} page
 *   titleHtml is inserted as is (escape it first); head and content are HTML.
 */
export function renderPage({ titleHtml, current, root, head = "", content, bodyClass = "" }) {
  const slots = {
    TITLE: titleHtml,
    ROOT: root,
    HEAD: head,
    NAV: siteNav({ current, root }),
    CONTENT: content,
    BODY_CLASS: `site-${current} ${bodyClass}`.trim(),
  };
  // A function replacer: `$` sequences in the content (code samples) must not be read as patterns.
  return template.replace(
    /@@([A-Z_]+)@@/g,
    (match, name) => slots[/** @type {keyof slots} */ (name)] ?? match,
  );
}

/**
 * The relative path from a page to the site root.
 * @param {string} pagePath the page's path relative to the site root, with forward slashes.
 */
export function rootFrom(pagePath) {
  const depth = pagePath.split("/").length - 1;
  return "../".repeat(depth);
}
