import type { RunLog } from "@org/dcs-redislog-client";
import { integerFlag, requiredFlag } from "../config.js";
import type { Command } from "../context.js";
import { formatTable } from "../format.js";
import { UsageError } from "../usage-error.js";

interface Plan {
  instanceId: string;
  all: boolean;
  offset: number | undefined;
  limit: number | undefined;
}

function table(files: RunLog[]): string {
  return formatTable(
    ["ID", "FILE", "STATUS", "DATE", "SHARD", "REPLICA IP"],
    files.map((f) => [
      f.id,
      f.file_name ?? "",
      f.status ?? "",
      f.time ?? "",
      f.group_name ?? "",
      f.replication_ip ?? "",
    ]),
  );
}

export const list: Command<Plan> = {
  prepare(values) {
    const plan = {
      instanceId: requiredFlag(values, "instance", "ID"),
      all: values.all === true,
      offset: integerFlag(values, "offset", 0, Number.MAX_SAFE_INTEGER),
      limit: integerFlag(values, "limit", 1, 1000),
    };
    if (plan.all && (plan.offset !== undefined || plan.limit !== undefined)) {
      throw new UsageError("--all lists every page: leave out --offset and --limit, or drop --all.");
    }
    return plan;
  },
  async run(plan, { dcs, out, signal, dryRun }) {
    const none = `No run log files on instance ${plan.instanceId}. Collect some with \`dcs-redislog collect --instance ${plan.instanceId}\`.`;
    if (plan.all) {
      const files: RunLog[] = [];
      const pages = dcs.runLogs({ instanceId: plan.instanceId, signal });
      for await (const file of pages) files.push(file);
      if (dryRun) return dryRun.print(out, "list", "the next pages, until every file is listed");
      out.result(
        { total_num: files.length, file_list: files, request_ids: pages.requestIds },
        files.length === 0 ? none : `${table(files)}\n\n${files.length} file(s).`,
      );
      return;
    }
    const page = await dcs.listRunLogs({ ...plan, signal });
    if (dryRun) return dryRun.print(out, "list");
    const offset = plan.offset ?? 0;
    const shown = page.file_list.length;
    let footer = `${page.total_num} file(s).`;
    if (shown < page.total_num) {
      const more =
        offset + shown < page.total_num ? ` Next page: --offset ${offset + shown}; every file: --all.` : "";
      footer = `Files ${shown === 0 ? 0 : offset + 1}–${offset + shown} of ${page.total_num}.${more}`;
    }
    out.result(
      {
        total_num: page.total_num,
        offset,
        limit: plan.limit ?? 10,
        file_list: page.file_list,
        request_id: page.requestId ?? null,
      },
      page.total_num === 0 ? none : `${shown > 0 ? `${table(page.file_list)}\n\n` : ""}${footer}`,
    );
  },
};
