import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { downloadToFile, fileNameFor } from "@org/dcs-redislog-client/node";
import { checkOutDir, requiredFlag } from "../config.js";
import { type Command, displayPath } from "../context.js";
import { formatBytes, formatDuration } from "../format.js";

interface Plan {
  instanceId: string;
  logId: string;
  outDir: string;
  cwd: string;
}

/** The object name of the link (OBS keys end in the log's file name), made safe by the client's rule. */
export function fileNameFromLink(link: string, logId: string): string {
  let base = "";
  try {
    base = decodeURIComponent(new URL(link).pathname.split("/").pop() ?? "");
  } catch {
    // An undecodable name falls back to the log id.
  }
  return fileNameFor(base, logId);
}

export const download: Command<Plan> = {
  async prepare(values, cwd) {
    return {
      instanceId: requiredFlag(values, "instance", "ID"),
      logId: requiredFlag(values, "log", "ID"),
      outDir: await checkOutDir(cwd, values.out as string | undefined),
      cwd,
    };
  },
  async run(plan, { dcs, out, progress, signal, dryRun, timeoutMs }) {
    const target = { instanceId: plan.instanceId, logId: plan.logId };
    const link = await dcs.createDownloadLink({ ...target, signal });
    if (dryRun) {
      return dryRun.print(
        out,
        "download",
        "GET of the returned link (no credentials attached), into NAME.part, renamed when complete",
      );
    }
    const name = fileNameFromLink(link.link, plan.logId);
    await mkdir(plan.outDir, { recursive: true });
    const started = Date.now();
    progress.fileStarted(plan.logId, name, undefined);
    const file = await downloadToFile(dcs, link, join(plan.outDir, name), {
      signal,
      timeoutMs,
      onProgress: (p) => progress.fileProgress(plan.logId, p.received, p.total),
      relink: async () => (await dcs.createDownloadLink({ ...target, signal })).link,
    });
    const took = formatDuration(Date.now() - started);
    progress.fileDone(plan.logId, `${formatBytes(file.size)} in ${took}`);
    progress.stop();
    out.result(
      {
        id: plan.logId,
        path: file.path,
        size: file.size,
        etag: file.etag ?? null,
        request_id: file.requestId ?? null,
      },
      `${displayPath(plan.cwd, file.path)}  ${formatBytes(file.size)}`,
    );
  },
};
