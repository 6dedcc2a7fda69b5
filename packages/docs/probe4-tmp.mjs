import { chromium } from "playwright-core";
import { serveDocs } from "./scripts/serve.mjs";
const site = await serveDocs({ port: 0 });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-quic","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on("console", (m) => { if (m.type() !== "info") console.log("CONSOLE", m.type(), m.text().slice(0, 300)) });
await page.goto(site.url + "#operation/CreateRedislogDownloadLink");
await page.waitForTimeout(1000);
await page.screenshot({ path: "/tmp/docs-exp/op2.png" });
// search
await page.getByPlaceholder(/Search/).first().click();
await page.keyboard.type("download link");
await page.waitForTimeout(1000);
await page.screenshot({ path: "/tmp/docs-exp/search.png" });
const dialog = await page.locator("[role=dialog], [data-component-name*='Search']").allInnerTexts();
console.log(dialog.join("\n----\n").slice(0, 2000));
await browser.close();
await site.close();
