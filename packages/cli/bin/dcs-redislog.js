#!/usr/bin/env node
// Committed so that `pnpm install` can link the bin before anything is built; the command itself is dist/cli.js.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    "error: dcs-redislog is not built yet. Run `pnpm --filter @org/dcs-redislog-cli... build`.\n",
  );
  process.exit(1);
}
await import(entry.href);
