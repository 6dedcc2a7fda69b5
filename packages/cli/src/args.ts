import { parseArgs } from "node:util";
import {
  COMMAND_NAMES,
  COMMANDS,
  type CommandSpec,
  commandSpec,
  GLOBAL_OPTIONS,
  type OptionSpec,
} from "./spec.js";
import { UsageError } from "./usage-error.js";

export type Values = Record<string, string | boolean | undefined>;

export interface CommandLine {
  /** Undefined when no command was given (then `values.help` / `values.version` may be set). */
  command: CommandSpec | undefined;
  values: Values;
}

const ALL_OPTIONS = [...GLOBAL_OPTIONS, ...COMMANDS.flatMap((c) => c.options)];
const TAKES_VALUE = new Set(
  ALL_OPTIONS.filter((o) => o.type === "string").flatMap((o) => [
    `--${o.name}`,
    ...(o.short ? [`-${o.short}`] : []),
  ]),
);

/** The index of the command word: the first argument that is neither an option nor an option's value. */
function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (!arg.startsWith("-") || arg === "-") return i;
    if (!arg.includes("=") && TAKES_VALUE.has(arg)) i++;
  }
  return -1;
}

function toParseArgsConfig(options: OptionSpec[]) {
  const config: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const o of options) config[o.name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  return config;
}

function helpHint(command: CommandSpec | undefined): string {
  return command ? `Run \`dcs-redislog ${command.name} --help\`.` : "Run `dcs-redislog --help`.";
}

/** Splits argv into the command and its option values; throws UsageError with the fix on bad syntax. */
export function parseCommandLine(argv: string[]): CommandLine {
  const index = commandIndex(argv);
  const word = index >= 0 ? argv[index] : undefined;
  const command = word === undefined ? undefined : commandSpec(word);
  if (word !== undefined && !command) {
    throw new UsageError(
      `unknown command ${JSON.stringify(word)}. Commands: ${COMMAND_NAMES.join(", ")}. Run \`dcs-redislog --help\`.`,
    );
  }
  const options = command ? [...command.options, ...GLOBAL_OPTIONS] : GLOBAL_OPTIONS;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: toParseArgsConfig(options),
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${parseArgsMessage(error, command)} ${helpHint(command)}`, {
      command: command?.name,
    });
  }
  const extra = parsed.positionals.filter((p, i) => !(i === 0 && p === word));
  if (extra.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}. ${helpHint(command)}`, {
      command: command?.name,
    });
  }
  return { command, values: parsed.values as Values };
}

function parseArgsMessage(error: unknown, command: CommandSpec | undefined): string {
  const e = error as { code?: string; message?: string };
  const where = command ? ` for \`${command.name}\`` : "";
  const option = e.message?.match(/'(-[^' ]+)/)?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const elsewhere = option && ALL_OPTIONS.some((o) => `--${o.name}` === option);
      return elsewhere && command
        ? `option ${option} does not apply to \`${command.name}\`.`
        : elsewhere
          ? `option ${option} needs a command before it applies.`
          : `unknown option ${option ?? ""}${where}.`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return option
        ? `option ${option} ${/argument missing|ambiguous/.test(e.message ?? "") ? "needs a value" : "takes no value"}.`
        : "an option has an invalid value.";
    default:
      return e.message ?? "invalid arguments.";
  }
}
