import { EXIT_CODES } from "./exit-codes.js";
import { COMMANDS, type CommandSpec, GLOBAL_OPTIONS, type OptionSpec } from "./spec.js";

function optionLines(options: OptionSpec[]): string {
  const flags = options.map((o) => {
    const short = o.short ? `-${o.short}, ` : "    ";
    return `${short}--${o.name}${o.value ? ` ${o.value}` : ""}`;
  });
  const width = Math.max(...flags.map((f) => f.length));
  return options.map((o, i) => `  ${(flags[i] ?? "").padEnd(width)}  ${o.description}`).join("\n");
}

const ENVIRONMENT = `Environment:
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK  access key and secret key (signed requests)
  HUAWEICLOUD_SDK_SECURITY_TOKEN          security token of temporary AK/SK
  DCS_AUTH_TOKEN                          an IAM token instead of AK/SK (project-scoped)
  HUAWEICLOUD_SDK_PROJECT_ID              project ID (or --project-id)
  DCS_REGION, DCS_ENDPOINT                region or endpoint (or --region / --endpoint)
  Secrets are read from the environment or stdin only, and never printed.`;

function exitCodeLines(): string {
  return EXIT_CODES.map((e) => `  ${String(e.code).padStart(3)}  ${e.meaning}`).join("\n");
}

/** `dcs-redislog --help`. */
export function mainHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `dcs-redislog ${version}: collect and download the Redis run logs of DCS instances
(Open Telekom Cloud, Huawei Cloud, or the local emulator).

Usage: dcs-redislog <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Global options:
${optionLines(GLOBAL_OPTIONS)}

${ENVIRONMENT}

Output: results go to stdout (a JSON document with --json); progress, notes and errors go to
stderr, drawn live when stderr is a terminal and as plain lines otherwise.

Exit codes:
${exitCodeLines()}

Run \`dcs-redislog <command> --help\` for the options of a command.
`;
}

/** `dcs-redislog <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  return `dcs-redislog ${command.name}: ${command.summary}

Usage: dcs-redislog ${command.name} ${command.usage} [global options]

${command.details}

Options:
${optionLines(command.options)}

Global options:
${optionLines(GLOBAL_OPTIONS)}

${ENVIRONMENT}

Exit codes:
${exitCodeLines()}

Example${command.examples.length > 1 ? "s" : ""}:
${command.examples.map((e) => `  ${e}`).join("\n")}
`;
}
