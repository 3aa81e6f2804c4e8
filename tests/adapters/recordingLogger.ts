// A logger that keeps what an adapter logs, so a test can check that a failure was reported
// rather than swallowed (or thrown).
import { pino } from "pino";
import type { Logger } from "../../src/log.ts";

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export function recordingLogger(): { log: Logger; lines: LogLine[]; matching(re: RegExp): LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines, matching: (re) => lines.filter((l) => re.test(l.msg)) };
}
