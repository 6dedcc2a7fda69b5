// The built site (dist/, made by `pnpm build`) in Debian's Chromium, served by serveDocs on loopback. Every page
// must render, and no page may reach beyond loopback: such requests are blocked (so the test also runs offline)
// and fail the test, as do console errors.
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { readGuide } from "../scripts/guide.mjs";
import { SITE_PARTS } from "../scripts/layout.mjs";
import { SAMPLE_KINDS } from "../scripts/samples.mjs";
import { serveDocs } from "../scripts/serve.mjs";
import {
  browserRequired,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  distDir,
  hasChromium,
  isLocalUrl,
  loadSpec,
  resultsDir,
} from "./helpers.js";

if (!hasChromium) {
  console.log(
    browserRequired
      ? `docs browser test: FAILED, DCS_REQUIRE_BROWSER=1 and there is no Chromium at ${CHROMIUM_PATH}`
      : `docs browser test: SKIPPED, no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium to run it)`,
  );
}

// Registered only when it must fail, so that a normal run shows no permanently skipped test.
if (!hasChromium && browserRequired) {
  describe("docs in a browser (required by DCS_REQUIRE_BROWSER=1)", () => {
    test("Chromium is installed", () => {
      expect.fail(`no Chromium at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\``);
    });
  });
}

/** Redoc renders and indexes after load; on a busy machine that takes more than expect.poll's default 1 s. */
const SLOW = { timeout: 20_000 };

/** Markdown as Redoc shows it as text: no code or emphasis marks. */
function plainText(markdown: string) {
  return markdown.replace(/[`*]/g, "").trim();
}

const { operations, raw } = await loadSpec();
const info = raw.info as { title: string };
const guide = await readGuide();

describe.skipIf(!hasChromium)("the docs site in Chromium", () => {
  let site: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const outside: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(distDir, "index.html"))) {
      throw new Error("packages/docs/dist/index.html is missing: run `pnpm build` first");
    }
    await mkdir(resultsDir, { recursive: true });
    site = await serveDocs({ port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    context.on("request", (request) => {
      if (!isLocalUrl(request.url())) outside.push(request.url());
    });
    await context.route(
      (url) => !isLocalUrl(url.href),
      (route) => route.abort("blockedbyclient"),
    );
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  // Checked after every test, so that each one answers for the pages it opened.
  afterEach(() => {
    const requests = outside.splice(0);
    const errors = consoleErrors.splice(0);
    expect(requests, "requests beyond loopback").toEqual([]);
    expect(errors, "console errors").toEqual([]);
  });

  const operationSection = (operationId: string) =>
    page.locator(`[data-section-id$="/${operationId.toLowerCase()}"]`);

  test("the API reference opens with the spec's introduction: flow, authentication, error codes", async () => {
    await page.goto(site.url);
    await expect.poll(() => page.locator("h1").first().textContent(), SLOW).toContain(info.title);
    for (const heading of ["The flow", "Authentication", "Errors"]) {
      await page.locator("h2", { hasText: heading }).first().waitFor();
    }
    const table = page.locator("table", { hasText: "DCS.4800" });
    expect(await table.locator("tr").count()).toBeGreaterThan(10);
    expect(await table.textContent()).toContain("APIGW.0308");
    const nav = page.locator("nav.site-nav");
    for (const part of SITE_PARTS) {
      expect(await nav.getByRole("link", { name: part.title, exact: true }).getAttribute("href")).toBe(
        part.href,
      );
    }
    await page.screenshot({ path: join(resultsDir, "docs-reference.png") });
  });

  test.each(operations.map((op) => [op.operationId, op] as const))(
    "%s: summary, parameters, every response with its examples, and the code samples",
    async (operationId, op) => {
      await page.goto(`${site.url}#operation/${operationId}`);
      const section = operationSection(operationId);
      await expect.poll(() => section.locator("h2").first().textContent(), SLOW).toContain(op.summary);

      for (const name of op.parameters.map((p) => p.name)) {
        await section.getByText(name, { exact: true }).first().waitFor();
      }

      const tabs = section.locator('[role=tablist][aria-label="Response status"] [role=tab]');
      const responsePanel = section.locator("[data-component-name='Panel/Panel']").filter({
        has: page.locator("[data-component-name='Panel/PanelHeaderTitle']", { hasText: /^Response$/ }),
      });
      expect(await tabs.allInnerTexts()).toEqual(Object.keys(op.responses));
      for (const [code, response] of Object.entries(op.responses)) {
        await tabs.filter({ hasText: code }).first().click();
        await section.getByText(plainText(response.description), { exact: true }).first().waitFor();
        // The panel shows the first example; with several, a picker names it by its summary.
        const examples = Object.values(response.content?.["application/json"]?.examples ?? {});
        const first = examples[0];
        if (!first) continue;
        if (examples.length > 1 && first.summary) {
          await responsePanel.getByText(first.summary, { exact: true }).waitFor();
        }
        const value = first.value as Record<string, unknown>;
        const shown = Object.values(value).find((v) => typeof v === "string") ?? `"${Object.keys(value)[0]}"`;
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: only what is shown counts.
        await expect.poll(() => responsePanel.innerText(), SLOW).toContain(shown);
      }

      const samples = section.locator(".panel-request-samples");
      const code = samples.locator("[data-component-name='CodeBlock/CodeBlock']").first();
      for (const [i, kind] of SAMPLE_KINDS.entries()) {
        if (i > 0) {
          await samples
            .getByText(SAMPLE_KINDS[0]?.label ?? "", { exact: true })
            .first()
            .click();
          await page
            .locator("[data-component-name='Dropdown/DropdownMenuItem']:visible", { hasText: kind.label })
            .click();
        }
        const expected = op["x-codeSamples"]?.find((s) => s.label === kind.label)?.source;
        expect(expected, `${operationId} has a ${kind.label} sample`).toBeTruthy();
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps the code's line breaks.
        await expect.poll(async () => (await code.innerText()).trim(), SLOW).toBe(expected?.trim());
      }
      // Back to the first language, which Redoc remembers across operations.
      await samples
        .getByText(SAMPLE_KINDS[1]?.label ?? "", { exact: true })
        .first()
        .click();
      await page
        .locator("[data-component-name='Dropdown/DropdownMenuItem']:visible", {
          hasText: SAMPLE_KINDS[0]?.label ?? "",
        })
        .click();
    },
  );

  test("the security details explain AK/SK signing and IAM tokens", async () => {
    const first = operations[0];
    if (!first) throw new Error("the spec has no operation");
    await page.goto(`${site.url}#operation/${first.operationId}`);
    const section = operationSection(first.operationId);
    expect(await page.getByText("canonical request").count()).toBe(0);
    await section.getByText("View security details").click();
    // The security schemes' descriptions, in a modal with one tab per scheme.
    await page.getByText("canonical request").first().waitFor();
    await page.getByText("SDK-HMAC-SHA256").first().waitFor();
    await page.getByText("iamToken", { exact: true }).last().click();
    await page.getByText("X-Subject-Token").first().waitFor();
    await page.keyboard.press("Escape");
  });

  test('Redoc\'s search finds "download link"', async () => {
    const link = operations.find((op) => op.operationId === "CreateRedislogDownloadLink");
    if (!link) throw new Error("the spec has no CreateRedislogDownloadLink");
    await page.goto(site.url);
    const trigger = page.getByTestId("search-trigger");
    // "Loading..." until the search index is built.
    await expect.poll(() => trigger.textContent(), SLOW).toContain("Search");
    await trigger.click();
    await page.keyboard.type("download link");
    const hit = page.getByText(link.path).first();
    await hit.waitFor();
    await page
      .getByText(link.summary.replace(/download link$/, "").trim())
      .first()
      .waitFor();
    await page.screenshot({ path: join(resultsDir, "docs-search.png") });
    await hit.click();
    await expect.poll(() => page.url(), SLOW).toContain(link.operationId.toLowerCase());
  });

  test("every guide page renders in the site layout, and the navigation leads there from the reference", async () => {
    await page.goto(site.url);
    await page.locator("nav.site-nav").getByRole("link", { name: "Client guide" }).click();
    await page.waitForURL(/\/guide\/index\.html$/);
    for (const entry of guide) {
      await page.goto(`${site.url}guide/${entry.name}.html`);
      const title = await page.locator("main h1").textContent();
      expect(title?.replace(/\s+/g, " ")).toBe(entry.title.replace(/`/g, ""));
      expect(await page.locator("nav.site-nav [aria-current=page]").textContent()).toBe("Client guide");
      expect(await page.locator("nav.guide-toc li").count()).toBe(guide.length);
      expect(await page.locator("main p").count()).toBeGreaterThan(0);
      if (entry.name === "index") await page.screenshot({ path: join(resultsDir, "docs-guide.png") });
    }
  });

  test("the guide's links into the API reference land on their section", async () => {
    const targets = new Set<string>();
    for (const entry of guide) {
      const html = await readFile(join(distDir, "guide", `${entry.name}.html`), "utf8");
      for (const match of html.matchAll(/href="\.\.\/index\.html(#[^"]+)"/g)) targets.add(match[1] ?? "");
    }
    expect(targets.size).toBeGreaterThan(2);
    for (const hash of targets) {
      await page.goto(`${site.url}${hash}`);
      // Redoc turns legacy anchors into its own routes (`#/log-management/listredislog`).
      await expect.poll(() => new URL(page.url()).hash, { ...SLOW, message: hash }).toMatch(/^#\//);
      const route = new URL(page.url()).hash.slice(1);
      await page.locator(`[data-section-id="${route}"]`).locator("h1, h2").first().waitFor();
    }
  });

  test("the client API reference (TypeDoc) renders both entry points in the site layout", async () => {
    await page.goto(`${site.url}client-api/index.html`);
    await page.locator(".col-content h1", { hasText: "@org/dcs-redislog-client" }).waitFor();
    await page.locator(".col-content", { hasText: "generated with TypeDoc" }).waitFor();
    await page.screenshot({ path: join(resultsDir, "docs-client-api.png") });
    await page.goto(`${site.url}client-api/modules.html`);
    for (const name of ["@org/dcs-redislog-client", "@org/dcs-redislog-client/node"]) {
      await page.locator(".col-content").getByRole("link", { name, exact: true }).first().waitFor();
    }
    await page
      .locator(".col-content")
      .getByRole("link", { name: "@org/dcs-redislog-client", exact: true })
      .click();
    await page.getByRole("link", { name: "createDcsRedislogClient" }).first().click();
    await page.locator("h1", { hasText: "createDcsRedislogClient" }).waitFor();
    await page.locator("nav.site-nav").getByRole("link", { name: "API reference" }).click();
    await expect.poll(() => page.locator("h1").first().textContent(), SLOW).toContain(info.title);
  });
});
