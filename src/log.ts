import { pino, type Logger } from "pino";

export type { Logger };

// Logs go to stderr so that commands with --json keep stdout for their one result.
// JSON by default; readable lines when a person watches a terminal.
export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  if (process.stderr.isTTY && !process.env.CI) {
    return pino({ level, transport: { target: "pino-pretty", options: { destination: 2, ignore: "pid,hostname" } } });
  }
  return pino({ level }, pino.destination(2));
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = pino({ level: "silent" });
