import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { clientFor, collectAndWait, SINGLE, useEmulator } from "./helpers.js";

const SIZE = 256 * 1024 * 1024;
const emulator = useEmulator({ logSize: SIZE });

// Node 20's fetch piped through Writable.toWeb(createWriteStream()) once held a whole 1 GiB body in memory.
// The built client, in its own process so that nothing else counts, must stream with constant memory.
it("downloads 256 MiB to a file with less than 100 MB of RSS growth", async () => {
  const dcs = clientFor(emulator());
  const [file] = await collectAndWait(dcs, SINGLE);
  if (!file) throw new Error("no file");
  const dir = await mkdtemp(join(tmpdir(), "dcs-memory-"));
  try {
    const out = join(dir, "big.log");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--expose-gc",
        fileURLToPath(new URL("./fixtures/download-memory.mjs", import.meta.url)),
        emulator().endpoint,
        emulator().projectId,
        emulator().ak,
        emulator().sk,
        SINGLE,
        file.id,
        out,
      ],
      { cwd: fileURLToPath(new URL("..", import.meta.url)) },
    );
    const { baseline, peak, size } = JSON.parse(stdout) as { baseline: number; peak: number; size: number };
    expect(size).toBe(SIZE);
    expect((await stat(out)).size).toBe(SIZE);
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
