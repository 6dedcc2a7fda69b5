// Serves the built docs site (dist/) on loopback. Used by `pnpm docs`, `pnpm start` and the browser test.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const distDir = fileURLToPath(new URL("../dist/", import.meta.url));

/** @type {Record<string, string>} */
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".yaml": "application/yaml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * @param {string} root
 * @param {string} urlPath
 */
async function resolveFile(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0] ?? "/");
  } catch {
    return undefined;
  }
  const file = normalize(join(root, path));
  if (file !== root.replace(/[\\/]$/, "") && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
    return undefined;
  }
  for (const candidate of [file, join(file, "index.html")]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return { file: candidate, size: info.size };
  }
  return undefined;
}

/**
 * Starts a static file server for the docs site.
 * @param {{ host?: string, port?: number, root?: string }} [options] port 0 picks a free port; default 8921.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function serveDocs({ host = "127.0.0.1", port = 8921, root = distDir } = {}) {
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const found = await resolveFile(root, req.url ?? "/");
    if (!found) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res.writeHead(200, {
      "content-type": types[extname(found.file)] ?? "application/octet-stream",
      "content-length": found.size,
      "cache-control": "no-cache",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(found.file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const url = `http://${host}:${typeof address === "object" && address ? address.port : port}/`;
      resolve({
        url,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
