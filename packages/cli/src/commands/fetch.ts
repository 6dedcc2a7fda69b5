import { fetchRunLogs } from "@org/dcs-redislog-client/node";
import { checkOutDir, daysFlag, integerFlag, requiredFlag } from "../config.js";
import { type Command, daysText, displayPath } from "../context.js";
import { formatBytes, formatDuration } from "../format.js";

interface Plan {
  instanceId: string;
  queryTime: 0 | 1 | 3 | 7;
  replicationId: string | undefined;
  outDir: string;
  concurrency: number | undefined;
  waitTimeoutMs: number | undefined;
  cwd: string;
}

export const fetch: Command<Plan> = {
  async prepare(values, cwd) {
    return {
      instanceId: requiredFlag(values, "instance", "ID"),
      queryTime: daysFlag(values) ?? 0,
      replicationId: values.replication as string | undefined,
      concurrency: integerFlag(values, "concurrency", 1, 16),
      waitTimeoutMs: integerFlag(values, "wait-timeout", 1, 24 * 3_600_000),
      outDir: await checkOutDir(cwd, values.out as string | undefined),
      cwd,
    };
  },
  async run(plan, { dcs, out, progress, signal, dryRun, timeoutMs }) {
    const flow = {
      instanceId: plan.instanceId,
      queryTime: plan.queryTime,
      replicationId: plan.replicationId,
    };
    if (dryRun) {
      await dcs.collectRunLogs({ ...flow, signal });
      return dryRun.print(
        out,
        "fetch",
        "ListRedislog until the collected files are all succeed; then, for each file, CreateRedislogDownloadLink " +
          "and a GET of its link (no credentials attached) into NAME.part, renamed when complete",
      );
    }
    const started = Date.now();
    const replica = plan.replicationId ? `, replica ${plan.replicationId}` : "";
    progress.status(`collecting the logs of ${plan.instanceId} (${daysText(plan.queryTime)}${replica})`);
    const files = await fetchRunLogs(dcs, {
      ...flow,
      outDir: plan.outDir,
      concurrency: plan.concurrency,
      waitTimeoutMs: plan.waitTimeoutMs,
      timeoutMs,
      signal,
      onPoll: (seen, expected) => {
        const ready = seen.filter((log) => log.status === "succeed").length;
        progress.status(`waiting for the collection: ${ready} of ${expected} file(s) ready`);
      },
      onFiles: (logs) => progress.status(`all ${logs.length} file(s) ready; downloading them`),
      onFileStart: (log) => progress.fileStarted(log.id, log.file_name ?? log.id, undefined),
      onProgress: ({ log, received, total }) => progress.fileProgress(log.id, received, total),
      onFileDone: ({ log, size }) => progress.fileDone(log.id, formatBytes(size)),
    });
    progress.stop();
    const totalSize = files.reduce((n, f) => n + f.size, 0);
    const took = formatDuration(Date.now() - started);
    const width = Math.max(...files.map((f) => displayPath(plan.cwd, f.path).length));
    out.result(
      {
        instance_id: plan.instanceId,
        replication_id: plan.replicationId ?? null,
        query_time: plan.queryTime,
        out_dir: plan.outDir,
        files: files.map((f) => ({ ...f.log, path: f.path, size: f.size })),
        total_size: totalSize,
      },
      [
        `Fetched ${files.length} file(s), ${formatBytes(totalSize)}, in ${took}:`,
        ...files.map((f) => `  ${displayPath(plan.cwd, f.path).padEnd(width)}  ${formatBytes(f.size)}`),
      ].join("\n"),
    );
  },
};
