// The one description of every command and option: the parser, `--help` and the README test read it.

export interface OptionSpec {
  name: string;
  type: "string" | "boolean";
  short?: string;
  /** Placeholder of the value in help, e.g. `ID`. */
  value?: string;
  description: string;
}

export type CommandName = "collect" | "list" | "link" | "download" | "fetch";

export interface CommandSpec {
  name: CommandName;
  summary: string;
  usage: string;
  options: OptionSpec[];
  details: string;
  examples: string[];
}

const instance: OptionSpec = {
  name: "instance",
  type: "string",
  value: "ID",
  description: "DCS instance ID (required)",
};
const days: OptionSpec = {
  name: "days",
  type: "string",
  value: "0|1|3|7",
  description: "collect the logs of today (0) or of the last 1, 3 or 7 days (default 0)",
};
const replication: OptionSpec = {
  name: "replication",
  type: "string",
  value: "ID",
  description: "replica ID; required unless the instance is single-node (console: Shards and Replicas)",
};
const log: OptionSpec = {
  name: "log",
  type: "string",
  value: "ID",
  description: "run log ID, as `list` shows it (required)",
};
const out: OptionSpec = {
  name: "out",
  type: "string",
  value: "DIR",
  description: "directory for the files, created if missing (default: the current directory)",
};

export const GLOBAL_OPTIONS: OptionSpec[] = [
  {
    name: "region",
    type: "string",
    value: "R",
    description: "region: eu-de, eu-nl (Open Telekom Cloud), ap-southeast-1, … (Huawei Cloud) [DCS_REGION]",
  },
  {
    name: "endpoint",
    type: "string",
    value: "URL",
    description: "endpoint instead of a region, e.g. the emulator's http://127.0.0.1:8920 [DCS_ENDPOINT]",
  },
  {
    name: "project-id",
    type: "string",
    value: "P",
    description: "project ID of the region [HUAWEICLOUD_SDK_PROJECT_ID]",
  },
  {
    name: "sk-stdin",
    type: "boolean",
    description: "read the secret key from stdin instead of HUAWEICLOUD_SDK_SK",
  },
  { name: "json", type: "boolean", description: "print one JSON document on stdout, nothing else" },
  {
    name: "timeout",
    type: "string",
    value: "MS",
    description: "time limit of each HTTP request, in ms (default 30000)",
  },
  {
    name: "quiet",
    short: "q",
    type: "boolean",
    description: "no progress or notes on stderr (results and errors still print)",
  },
  {
    name: "verbose",
    short: "v",
    type: "boolean",
    description: "log every request (secrets redacted) and show stack traces",
  },
  {
    name: "dry-run",
    type: "boolean",
    description: "print the signed requests, secrets redacted, and send nothing",
  },
  { name: "help", short: "h", type: "boolean", description: "show help" },
  { name: "version", type: "boolean", description: "print the version" },
];

export const COMMANDS: CommandSpec[] = [
  {
    name: "collect",
    summary: "start collecting the run logs of an instance",
    usage: "--instance ID [--days 0|1|3|7] [--replication ID]",
    options: [instance, days, replication],
    details:
      "Starts the collection and returns at once; the files show up in `list`, with status\n" +
      "`collecting` and then `succeed`. Use `fetch` to collect, wait and download in one go.",
    examples: ["dcs-redislog collect --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --days 3"],
  },
  {
    name: "list",
    summary: "list the collected run log files",
    usage: "--instance ID [--all | --offset N --limit N]",
    options: [
      instance,
      { name: "all", type: "boolean", description: "every file, all pages" },
      { name: "offset", type: "string", value: "N", description: "first record to show, from 0 (default 0)" },
      { name: "limit", type: "string", value: "N", description: "records per page, 1 to 1000 (default 10)" },
    ],
    details:
      "Prints one page (the first 10 files unless --offset/--limit say otherwise), or every file with --all.",
    examples: [
      "dcs-redislog list --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --all",
      "dcs-redislog list --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --offset 10 --limit 10 --json",
    ],
  },
  {
    name: "link",
    summary: "print a pre-signed download link of one log file",
    usage: "--instance ID --log ID",
    options: [instance, log],
    details:
      "The link is valid for 24 hours and works without credentials: treat it like a password.\n" +
      "It is printed on stdout only, never in logs.",
    examples: [
      'curl -o run.log "$(dcs-redislog link --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --log <log id>)"',
    ],
  },
  {
    name: "download",
    summary: "download one log file",
    usage: "--instance ID --log ID [--out DIR]",
    options: [instance, log, out],
    details:
      "Gets a link and downloads the file to DIR under its own name. The data is written to NAME.part\n" +
      "and renamed to NAME only when complete.",
    examples: [
      "dcs-redislog download --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --log <log id> --out ./logs",
    ],
  },
  {
    name: "fetch",
    summary: "collect, wait, and download every file (the whole flow)",
    usage:
      "--instance ID [--days 0|1|3|7] [--replication ID] [--out DIR] [--concurrency N] [--wait-timeout MS]",
    options: [
      instance,
      days,
      replication,
      out,
      {
        name: "concurrency",
        type: "string",
        value: "N",
        description: "files downloaded at the same time, 1 to 16 (default 2)",
      },
      {
        name: "wait-timeout",
        type: "string",
        value: "MS",
        description: "how long to wait for the collection to finish (default 300000, 5 minutes)",
      },
    ],
    details:
      "Starts a collection, waits until its files are ready, then downloads them all into DIR and\n" +
      "prints each file's path and size. Each file is written to NAME.part and renamed when complete.",
    examples: [
      "dcs-redislog fetch --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --days 3 --out ./logs",
      "dcs-redislog fetch --instance 5c597ce5-9823-48aa-bf4d-2defb9385b4a \\\n" +
        "    --replication c2f7be38-1b8f-4a64-8e62-7d2e903f4b02 --days 7 --json > result.json",
    ],
  },
];

export const COMMAND_NAMES = COMMANDS.map((c) => c.name);

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
