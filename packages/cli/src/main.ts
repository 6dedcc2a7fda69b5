import { createDcsRedislogClient, type Logger } from "@org/dcs-redislog-client";
import { parseCommandLine } from "./args.js";
import { collect } from "./commands/collect.js";
import { download } from "./commands/download.js";
import { fetch } from "./commands/fetch.js";
import { link } from "./commands/link.js";
import { list } from "./commands/list.js";
import { type Env, resolveConnection, type Stdin } from "./config.js";
import type { Command } from "./context.js";
import { describeError, type Failure } from "./describe-error.js";
import { createDryRun } from "./dry-run.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { commandHelp, mainHelp } from "./help.js";
import { Output, type OutStream } from "./output.js";
import { liveProgress, type Progress, plainProgress, silentProgress } from "./progress.js";
import type { CommandName } from "./spec.js";
import { UsageError } from "./usage-error.js";

export interface Io {
  argv: string[];
  env: Env;
  stdout: OutStream;
  stderr: OutStream;
  /** Read only for --sk-stdin, so that nothing else touches stdin. */
  stdin: () => Stdin;
  cwd: string;
  /** Fires on Ctrl-C / SIGTERM; its reason is the signal name. */
  signal: AbortSignal;
  version: string;
}

// biome-ignore lint/suspicious/noExplicitAny: each command has its own plan type
const COMMANDS: Record<CommandName, Command<any>> = { collect, list, link, download, fetch };

function chooseProgress(io: Io, quiet: boolean): Progress {
  if (quiet) return silentProgress();
  const live = io.stderr.isTTY === true && io.env.TERM !== "dumb";
  return live ? liveProgress(io.stderr) : plainProgress(io.stderr);
}

function fieldsText(fields: Record<string, unknown> | undefined): string {
  if (!fields) return "";
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function interruptedCode(signal: AbortSignal): ExitCode {
  return signal.reason === "SIGTERM" ? EXIT.terminated : EXIT.interrupted;
}

/** Runs one command line; returns the exit code. Writes only to io.stdout and io.stderr. */
export async function main(io: Io): Promise<ExitCode> {
  let out = new Output(io.stdout, io.argv.includes("--json"));
  let progress: Progress = silentProgress();
  let verbose = false;
  let endpoint: string | undefined;
  try {
    const { command, values } = parseCommandLine(io.argv);
    out = new Output(io.stdout, values.json === true);
    if (values.version) {
      io.stdout.write(`${io.version}\n`);
      return EXIT.ok;
    }
    if (!command) {
      if (values.help) {
        io.stdout.write(mainHelp(io.version));
        return EXIT.ok;
      }
      io.stderr.write(mainHelp(io.version));
      throw new UsageError("no command given. Run `dcs-redislog --help`.");
    }
    if (values.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    if (values.quiet && values.verbose)
      throw new UsageError("--quiet and --verbose contradict each other: pick one.");
    verbose = values.verbose === true;
    const impl = COMMANDS[command.name];
    const plan = await impl.prepare(values, io.cwd);
    const connection = await resolveConnection(values, io.env, io.stdin);
    out.addSecrets(connection.secrets);
    progress = chooseProgress(io, values.quiet === true);
    const note = (prefix: string) => (message: string, fields?: Record<string, unknown>) =>
      progress.note(out.redact(`${prefix}${message}${fieldsText(fields)}`));
    const logger: Logger = {
      debug: note("debug: "),
      info: note(""),
      warn: note("warning: "),
      error: note("error: "),
    };
    const dryRun = values["dry-run"] ? createDryRun() : undefined;
    const dcs = createDcsRedislogClient({
      ...connection.options,
      fetch: dryRun?.fetch,
      logger,
      logLevel: verbose ? "debug" : values.quiet ? "off" : "info",
    });
    endpoint = dcs.endpoint;
    await impl.run(plan, {
      dcs,
      out,
      progress,
      signal: io.signal,
      dryRun,
      timeoutMs: connection.options.timeoutMs,
    });
    progress.stop();
    return io.signal.aborted ? interruptedCode(io.signal) : EXIT.ok;
  } catch (error) {
    progress.stop();
    let failure: Failure = describeError(error, { endpoint });
    if (io.signal.aborted) {
      // Whatever the abort surfaced as (AbortError, a cancelled stream), the cause was the signal.
      failure = {
        exitCode: interruptedCode(io.signal),
        kind: "interrupted",
        message: `interrupted (${String(io.signal.reason)}); no partial file was kept.`,
      };
    }
    io.stderr.write(out.redact(`error: ${failure.message}\n`));
    if (verbose && error instanceof Error && error.stack) {
      io.stderr.write(out.redact(`${error.stack}\n`));
      if (error.cause instanceof Error && error.cause.stack)
        io.stderr.write(out.redact(`cause: ${error.cause.stack}\n`));
    }
    if (out.json) {
      const { exitCode, kind, message, status, errorCode, requestId } = failure;
      out.result(
        {
          error: {
            exit_code: exitCode,
            kind,
            message,
            status: status ?? null,
            error_code: errorCode ?? null,
            request_id: requestId ?? null,
          },
        },
        "",
      );
    }
    return failure.exitCode;
  }
}
