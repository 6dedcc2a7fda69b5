import { requiredFlag } from "../config.js";
import type { Command } from "../context.js";

interface Plan {
  instanceId: string;
  logId: string;
}

export const link: Command<Plan> = {
  prepare(values) {
    return { instanceId: requiredFlag(values, "instance", "ID"), logId: requiredFlag(values, "log", "ID") };
  },
  async run(plan, { dcs, out, progress, signal, dryRun }) {
    const result = await dcs.createDownloadLink({ ...plan, signal });
    if (dryRun) return dryRun.print(out, "link");
    // The link is what was asked for, so it is printed whole; the result's own toJSON would hide its query.
    out.result(
      {
        id: result.id,
        backup_id: result.backup_id ?? null,
        link: result.link,
        request_id: result.requestId ?? null,
      },
      result.link,
    );
    progress.note("The link is valid for 24 hours and needs no credentials: share it like a password.");
  },
};
