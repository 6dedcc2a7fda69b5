import { redactText } from "./redact.js";

/** Any console-like logger (console, pino, winston…). Gets a message and a fields object, both redacted. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

export const LOG_LEVELS: LogLevel[] = ["debug", "info", "warn", "error", "off"];

export type Log = ((
  level: Exclude<LogLevel, "off">,
  message: string,
  fields?: Record<string, unknown>,
) => void) & {
  /** Whether debug lines reach a logger: lets a hot path skip building them. */
  debug?: boolean;
};

/** A level-gated writer that redacts before the logger sees anything; a no-op without a logger. */
export function createLog(
  logger: Logger | undefined,
  level: LogLevel,
  secrets: () => readonly string[],
): Log {
  const log: Log = (at, message, fields = {}) => {
    if (!logger || LOG_LEVELS.indexOf(at) < LOG_LEVELS.indexOf(level)) return;
    const clean: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      clean[key] = typeof value === "string" ? redactText(value, secrets()) : value;
    }
    try {
      logger[at](redactText(message, secrets()), clean);
    } catch {
      // A failing logger must not fail the request it describes.
    }
  };
  log.debug = !!logger && level === "debug";
  return log;
}
