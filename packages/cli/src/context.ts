import type { DcsRedislogClient } from "@org/dcs-redislog-client";
import type { Values } from "./args.js";
import type { DryRun } from "./dry-run.js";
import type { Output } from "./output.js";
import type { Progress } from "./progress.js";

/** What a command runs with, once its flags and the connection are checked. */
export interface Context {
  dcs: DcsRedislogClient;
  out: Output;
  progress: Progress;
  signal: AbortSignal;
  /** Present with --dry-run: the client's requests are recorded here instead of being sent. */
  dryRun: DryRun | undefined;
  /** Per-request time limit from --timeout, when given. */
  timeoutMs: number | undefined;
}

/**
 * A command in two steps: `prepare` checks its own flags (and local paths) before credentials are read
 * or anything is sent; `run` does the work.
 */
export interface Command<Plan> {
  prepare(values: Values, cwd: string): Promise<Plan> | Plan;
  run(plan: Plan, ctx: Context): Promise<void>;
}

/** Shows a path relative to the working directory when it is inside it. */
export function displayPath(cwd: string, path: string): string {
  if (path.startsWith(`${cwd}/`)) return path.slice(cwd.length + 1);
  return path;
}

export function daysText(queryTime: number): string {
  return queryTime === 0 ? "today" : queryTime === 1 ? "the last day" : `the last ${queryTime} days`;
}
