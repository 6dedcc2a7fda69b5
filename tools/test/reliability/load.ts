// The contract between load.test.ts and its child, driver/load.mjs.

/** What load.test.ts hands to driver/load.mjs. */
export interface LoadPlan {
  endpoint: string;
  projectId: string;
  ak: string;
  sk: string;
  instances: string[];
  outDir: string;
  /** List/link calls measured. */
  requests: number;
  /** List/link calls before the first heap figure. */
  warmup: number;
  /** List/link calls in flight at once. */
  concurrency: number;
}

export interface LoadReport {
  /** Files written by each flow, in instance order. */
  flowFiles: number[];
  flowsMs: number;
  requestsOk: number;
  requestsMs: number;
  heapBefore: number;
  heapAfter: number;
  /** Error message → count. */
  errors: Record<string, number>;
  unhandled: string[];
}
