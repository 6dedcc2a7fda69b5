import { EXIT, type ExitCode } from "./exit-codes.js";

/** Bad input found by the CLI itself, before anything is sent. The message says how to fix it. */
export class UsageError extends Error {
  static {
    UsageError.prototype.name = "UsageError";
  }
  readonly exitCode: ExitCode;
  /** The command whose `--help` helps, when there is one. */
  readonly command: string | undefined;
  constructor(message: string, options: { command?: string | undefined; exitCode?: ExitCode } = {}) {
    super(message);
    this.command = options.command;
    this.exitCode = options.exitCode ?? EXIT.usage;
  }
}
