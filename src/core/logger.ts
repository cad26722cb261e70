/** Structured fields on a log line. Never put a secret here; the transport redacts what it logs. */
export type LogFields = Record<string, unknown>;

/**
 * The logging port. itsmkit never writes to `console`; pass your own logger
 * (pino, winston and console all fit this shape).
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = () => {};

/** The default logger: discards everything. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
