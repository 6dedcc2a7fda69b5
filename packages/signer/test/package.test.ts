// The published shape: which build each runtime's export conditions select, and what each build imports.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = new URL("../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

type Exports = string | { [condition: string]: Exports };

/** Node's algorithm for conditional exports: the first key (in order) that is "default" or a condition. */
function resolve(target: Exports, conditions: string[]): string | undefined {
  if (typeof target === "string") return target;
  for (const [key, value] of Object.entries(target)) {
    if (key === "default" || conditions.includes(key)) {
      const found = resolve(value, conditions);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

describe("package.json", () => {
  const main = pkg.exports["."] as Exports;

  it.each([
    ["Node import", ["node", "import"], "./dist/node.js"],
    ["Node require", ["node", "require"], "./dist/node.cjs"],
    ["Bun", ["bun", "import"], "./dist/node.js"],
    ["Deno", ["deno", "import"], "./dist/node.js"],
    ["browser", ["browser", "import"], "./dist/web.js"],
    ["Cloudflare workerd", ["workerd", "worker", "browser", "import"], "./dist/web.js"],
    ["bundler require for the browser", ["browser", "require"], "./dist/web.cjs"],
    ["TypeScript, Node import", ["types", "node", "import"], "./dist/node.d.ts"],
    ["TypeScript, Node require", ["types", "node", "require"], "./dist/node.d.cts"],
    ["TypeScript, bundler", ["types", "import"], "./dist/web.d.ts"],
  ])("%s resolves to %s", (_, conditions, file) => {
    expect(resolve(main, conditions)).toBe(file);
  });

  it("puts types first in every leaf and is free of side effects and dependencies", () => {
    const leaves = (e: Exports): Record<string, Exports>[] =>
      typeof e === "string"
        ? []
        : "default" in e && typeof e.default === "string"
          ? [e]
          : Object.values(e).flatMap(leaves);
    for (const leaf of leaves(main)) expect(Object.keys(leaf)[0]).toBe("types");
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.dependencies).toBeUndefined();
  });
});

const dist = new URL("dist/", root);
describe.skipIf(!existsSync(dist))("built files (dist/)", () => {
  const read = (name: string) => readFileSync(new URL(name, dist), "utf8");
  /** A file and every chunk it imports, transitively. */
  const closure = (entry: string): string => {
    const seen = new Set<string>();
    const visit = (name: string): string => {
      if (seen.has(name)) return "";
      seen.add(name);
      const code = read(name);
      const chunks = [...code.matchAll(/(?:from |require\()"\.\/([^"]+)"/g)].map((m) => m[1] as string);
      return code + chunks.map(visit).join("\n");
    };
    return visit(entry);
  };

  it("exist for every export target", () => {
    for (const file of [
      "node.js",
      "node.cjs",
      "node.d.ts",
      "node.d.cts",
      "web.js",
      "web.cjs",
      "web.d.ts",
      "web.d.cts",
    ]) {
      expect(existsSync(new URL(file, dist)), file).toBe(true);
    }
  });

  it.each(["node.js", "node.cjs"])(
    "%s uses node:crypto, loaded on first use, and never crypto.subtle",
    (entry) => {
      const code = closure(entry);
      expect(code).toMatch(/getBuiltinModule\("node:crypto"\)/);
      expect(code).toMatch(/import\("node:crypto"\)/);
      // A static import or a top-level require would load node:crypto with the package (issue 7).
      expect(code).not.toMatch(/(?:from |require\()"node:/);
      expect(code).not.toMatch(/subtle/);
    },
  );

  // In a fresh process: the import leaves node:crypto unloaded, the first sign loads it, and both loaders
  // (process.getBuiltinModule and the import() fallback of older Bun and Deno) sign and verify alike.
  it.each([
    ["node.js", "process.getBuiltinModule"],
    ["node.cjs", "process.getBuiltinModule"],
    ["node.js", "import()"],
    ["node.cjs", "import()"],
  ])("%s loads node:crypto on the first sign, not at import (%s)", (entry, loader) => {
    const script = `
      const loaded = () => process.moduleLoadList.includes("NativeModule crypto");
      if (${loader === "import()"}) process.getBuiltinModule = undefined;
      const file = ${JSON.stringify(fileURLToPath(new URL(entry, dist)))};
      const signer = file.endsWith(".cjs") ? createRequire(import.meta.url)(file) : await import(file);
      const atImport = loaded();
      const request = { method: "GET", url: "https://dcs.example.com/v2/p/instances/i/redislog" };
      const { headers } = await signer.sign(request, { ak: "AK", sk: "SK" }, { date: new Date(0) });
      const afterSign = loaded();
      const { ok } = await signer.verify({ ...request, headers }, () => "SK", { now: 0 });
      const tampered = await signer.verify({ ...request, url: request.url + "?x", headers }, () => "SK", { now: 0 });
      console.log(JSON.stringify({ atImport, afterSign, authorization: headers.Authorization, ok, reason: tampered.reason }));
    `;
    const out = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", `import { createRequire } from "node:module";${script}`],
      { encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual({
      atImport: false,
      afterSign: true,
      authorization:
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=bfb7e38885b81c98d9d3566be66291564a27141d254a8ea02e717e6732b80999",
      ok: true,
      reason: "bad-signature",
    });
  });

  it.each(["web.js", "web.cjs"])("%s uses Web Crypto and imports no node: module", (entry) => {
    const code = closure(entry);
    expect(code).toMatch(/crypto\.subtle/);
    expect(code).not.toMatch(/(?:from |import\(|require\()"node:/);
  });

  it("shares one core chunk between both builds", () => {
    const esmChunks = readdirSync(dist).filter((f) => /^core-.*\.js$/.test(f));
    expect(esmChunks).toHaveLength(1);
    expect(read("node.js")).toContain(`./${esmChunks[0]}`);
    expect(read("web.js")).toContain(`./${esmChunks[0]}`);
    // The canonicalisation lives in the core chunk only.
    expect(read("node.js")).not.toMatch(/canonical/i);
    expect(read("web.js")).not.toMatch(/canonical/i);
  });
});
