import { ConfigError } from './errors.js';

/**
 * Parses JSON input a person gave (a file or stdin). The parser's own message
 * is not repeated: on some Node versions it quotes the text around the error,
 * which may be a credential. Only the position is kept.
 */
export function parseJsonInput(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = text.trim() === '' ? 'it is empty' : position ? `at character ${position}` : undefined;
    throw new ConfigError(`${what} is not valid JSON${where ? ` (${where})` : ''}`);
  }
}

/** Parses a JSON object input; anything else is a `ConfigError` saying what was expected. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  const value = parseJsonInput(text, what);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}
