/** Exit codes of `dcs-redislog`. The README and `--help` print EXIT_CODES; a test keeps them in step. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  throttled: 5,
  server: 6,
  network: 7,
  rejected: 8,
  waitTimeout: 9,
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES: readonly { code: ExitCode; meaning: string }[] = [
  { code: EXIT.ok, meaning: "success" },
  { code: EXIT.failure, meaning: "unexpected failure, or a local file could not be written" },
  { code: EXIT.usage, meaning: "usage: unknown command or option, bad value, missing region or project id" },
  { code: EXIT.auth, meaning: "auth: credentials missing, or refused (HTTP 401/403)" },
  { code: EXIT.notFound, meaning: "not found: no such instance or log (HTTP 404)" },
  { code: EXIT.throttled, meaning: "throttled: still HTTP 429 after the retries" },
  {
    code: EXIT.server,
    meaning: "server: HTTP 5xx after the retries, an unreadable answer, a failed collection",
  },
  {
    code: EXIT.network,
    meaning: "network: connection refused or reset, a request timed out, a download cut short",
  },
  {
    code: EXIT.rejected,
    meaning: "rejected: HTTP 400 (e.g. DCS.4017, a collection is still running) or a dead link",
  },
  { code: EXIT.waitTimeout, meaning: "the collected files were not ready within --wait-timeout" },
  { code: EXIT.interrupted, meaning: "interrupted (Ctrl-C, SIGINT)" },
  { code: EXIT.terminated, meaning: "terminated (SIGTERM)" },
];
