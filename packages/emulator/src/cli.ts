import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { EmulatorError } from "./errors.js";
import { formatFaults } from "./faults.js";
import { optionsFromConfig, resolveOptions } from "./options.js";
import { startEmulator } from "./server.js";
import type { Emulator, EmulatorOptions } from "./types.js";

const USAGE = `Usage: dcs-redislog-emulator [options]

A local DCS redislog server (collect, list, link, download) for development and tests.

Options:
  --host HOST               interface to listen on (default 127.0.0.1)
  --port N                  port; 0 picks a free one (default 8920)
  --ak AK --sk SK           the accepted access key and secret key
  --project-id ID           the project the emulator serves
  --config FILE             JSON file with any startEmulator option (flags win over it)
  --collect-delay-ms N      time until collected logs are "succeed" (default 1500)
  --log-size BYTES          size of each log file; suffixes K, M, G (KiB, MiB, GiB) allowed (default 1M)
  --link-ttl-seconds N      validity of download links (default 86400)
  --seed N                  seed of the log content and ids (default 1)
  --faults SPEC             faults to inject, e.g. "ListRedislog:throttle:times=2,Download:truncate"
  --admin                   enable GET/POST/DELETE /_emulator/faults
  --json                    print one JSON line with endpoint and credentials, and nothing else
  --help                    show this help

Stop it with Ctrl+C (SIGINT) or SIGTERM.`;

/** A usage error: printed with a hint, exit code 2. */
class UsageError extends EmulatorError {
  constructor(message: string) {
    super("usage", message);
  }
}

function integerFlag(name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${name} must be an integer, got "${value}".`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be from ${min} to ${max}, got ${n}.`);
  return n;
}

function sizeFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\s*([KMG]?)(?:i?B)?$/i.exec(value.trim());
  if (!match)
    throw new UsageError(`--log-size must be a number of bytes, optionally with K, M or G, got "${value}".`);
  const units: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
  const size = Number(match[1]) * (units[(match[2] ?? "").toUpperCase()] ?? 1);
  if (!Number.isSafeInteger(size)) throw new UsageError(`--log-size is too large: "${value}".`);
  return size;
}

const FLAGS = {
  host: { type: "string" },
  port: { type: "string" },
  ak: { type: "string" },
  sk: { type: "string" },
  "project-id": { type: "string" },
  config: { type: "string" },
  "collect-delay-ms": { type: "string" },
  "log-size": { type: "string" },
  "link-ttl-seconds": { type: "string" },
  seed: { type: "string" },
  faults: { type: "string" },
  admin: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses the command line into emulator options; throws {@link UsageError}. */
export function parseCli(argv: string[]): { help: boolean; json: boolean; options: EmulatorOptions } {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return { help: true, json: false, options: {} };
  if ((values.ak === undefined) !== (values.sk === undefined))
    throw new UsageError("--ak and --sk go together.");

  let options: EmulatorOptions = {};
  if (values.config !== undefined) {
    let text: string;
    try {
      text = readFileSync(values.config, "utf8");
    } catch (error) {
      throw new UsageError(
        `cannot read --config ${values.config}: ${(error as NodeJS.ErrnoException).code ?? "error"}.`,
      );
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--config ${values.config} is not valid JSON: ${(error as Error).message}`);
    }
    try {
      options = { ...optionsFromConfig(data, values.config) };
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const flags: EmulatorOptions = {};
  if (values.host !== undefined) flags.host = values.host;
  const port = integerFlag("port", values.port, 0, 65_535);
  if (port !== undefined) flags.port = port;
  if (values.ak !== undefined) flags.ak = values.ak;
  if (values.sk !== undefined) flags.sk = values.sk;
  if (values["project-id"] !== undefined) flags.projectId = values["project-id"];
  const delay = integerFlag("collect-delay-ms", values["collect-delay-ms"], 0);
  if (delay !== undefined) flags.collectDelayMs = delay;
  const size = sizeFlag(values["log-size"]);
  if (size !== undefined) flags.logSize = size;
  const ttl = integerFlag("link-ttl-seconds", values["link-ttl-seconds"], 0);
  if (ttl !== undefined) flags.linkTtlSeconds = ttl;
  const seed = integerFlag("seed", values.seed, 0, 2 ** 32 - 1);
  if (seed !== undefined) flags.seed = seed;
  if (values.faults !== undefined) flags.faults = values.faults;
  if (values.admin) flags.admin = true;
  options = { ...options, ...flags };
  try {
    resolveOptions(options);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { help: false, json: Boolean(values.json), options };
}

function banner(emulator: Emulator, faults: string, admin: boolean): string {
  const [first] = emulator.instances;
  const lines = [
    `DCS redislog emulator listening on ${emulator.endpoint}`,
    "",
    `  project id   ${emulator.projectId}`,
    `  AK / SK      ${emulator.ak} / ${emulator.sk}`,
    `  IAM token    ${emulator.tokens.join(", ") || "(none)"}  (header X-Auth-Token)`,
    "  instances",
    ...emulator.instances.map(
      (i) => `    ${i.id}  ${i.type.padEnd(7)}  replication ids: ${i.replicationIds.join(", ")}`,
    ),
  ];
  if (faults) lines.push(`  faults       ${faults}`);
  if (admin) lines.push(`  admin        ${emulator.endpoint}/_emulator/faults (GET, POST, DELETE)`);
  lines.push(
    "",
    "Point the CLI at it:",
    `  export DCS_ENDPOINT=${emulator.endpoint} HUAWEICLOUD_SDK_AK=${emulator.ak} HUAWEICLOUD_SDK_SK=${emulator.sk} HUAWEICLOUD_SDK_PROJECT_ID=${emulator.projectId}`,
    `  dcs-redislog fetch --instance ${first?.id ?? "<instance id>"}`,
    "",
    "Press Ctrl+C to stop.",
  );
  return `${lines.join("\n")}\n`;
}

/** Runs the command line; resolves with the exit code once the emulator stops (or fails to start). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(argv);
  } catch (error) {
    process.stderr.write(
      `dcs-redislog-emulator: ${(error as Error).message}\nRun dcs-redislog-emulator --help for usage.\n`,
    );
    return 2;
  }
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options: EmulatorOptions = { ...cli.options };
  // In --json mode stdout carries one line only, and nothing else is written: a parent that never reads
  // stderr must not block the emulator.
  if (!cli.json) options.logger = (line) => process.stderr.write(`${line}\n`);
  let emulator: Emulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const hint =
      err.code === "EADDRINUSE" ? " (the port is in use; pick another with --port, or --port 0)" : "";
    process.stderr.write(`dcs-redislog-emulator: cannot start: ${err.message}${hint}\n`);
    return 1;
  }
  if (cli.json) {
    process.stdout.write(
      `${JSON.stringify({
        endpoint: emulator.endpoint,
        projectId: emulator.projectId,
        ak: emulator.ak,
        sk: emulator.sk,
        instances: emulator.instances.map((i) => ({
          id: i.id,
          type: i.type,
          replicationIds: i.replicationIds,
        })),
      })}\n`,
    );
  } else {
    const resolved = resolveOptions(options);
    process.stdout.write(banner(emulator, formatFaults(resolved.faults), resolved.admin));
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      emulator.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
