import { daysFlag, requiredFlag } from "../config.js";
import { type Command, daysText } from "../context.js";

interface Plan {
  instanceId: string;
  queryTime: 0 | 1 | 3 | 7;
  replicationId: string | undefined;
}

export const collect: Command<Plan> = {
  prepare(values) {
    return {
      instanceId: requiredFlag(values, "instance", "ID"),
      queryTime: daysFlag(values) ?? 0,
      replicationId: values.replication as string | undefined,
    };
  },
  async run(plan, { dcs, out, signal, dryRun }) {
    const result = await dcs.collectRunLogs({ ...plan, signal });
    if (dryRun) return dryRun.print(out, "collect");
    const replica = plan.replicationId ? `, replica ${plan.replicationId}` : "";
    out.result(
      {
        instance_id: plan.instanceId,
        replication_id: plan.replicationId ?? null,
        query_time: plan.queryTime,
        status: "collecting",
        request_id: result.requestId ?? null,
      },
      `Collecting the run logs of instance ${plan.instanceId} (${daysText(plan.queryTime)}${replica})` +
        `${result.requestId ? `, request id ${result.requestId}` : ""}.\n` +
        `The files appear in \`dcs-redislog list --instance ${plan.instanceId}\`, with status collecting and then succeed.`,
    );
  },
};
