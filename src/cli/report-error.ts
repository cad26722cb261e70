import { CommanderError } from 'commander';
import {
  type FieldIssue,
  hasErrorKind,
  isAmbiguousMatchError,
  isAttachmentSourceError,
  isAttachmentTooLargeError,
  isConnectionError,
  isHttpError,
  isItsmError,
  isRateLimitError,
} from '../core/index.js';
import { isTransitionNotAvailableError } from '../jira/index.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { OptionNames } from './option-names.js';

/** Errors that mean "fix the command line, the config or the input": nothing was sent. */
const USAGE_KINDS = ['ConfigError', 'ValidationError', 'TemplateError'];

/**
 * A file to upload that is not there (or not a file), or over the size limit
 * before anything was sent: the local input is at fault, as with any other
 * input file. A file that failed while it was read, or a size the server
 * refused, is a failed operation.
 */
function isLocalInputError(error: unknown): boolean {
  if (isAttachmentSourceError(error)) return error.reason !== 'read-failed';
  return isAttachmentTooLargeError(error) && error.source === 'client';
}

/** The exit code an error ends the run with. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError || isLocalInputError(error)) return EXIT.usage;
  return USAGE_KINDS.some((kind) => hasErrorKind(error, kind)) ? EXIT.usage : EXIT.failed;
}

/**
 * An error as lines a person reads: `name: message`, then the HTTP status and
 * request id when there is one. With `verbose`, the platform's detail, retry
 * metadata, the cause chain and the stack. Never the response body. A
 * `ConnectionError`'s option to check is named as the CLI setting (`names`).
 */
export function describeError(error: unknown, verbose: boolean, names?: OptionNames): string[] {
  if (!(error instanceof Error)) return [`Error: ${String(error)}`];
  const lines = [`${error.name}: ${messageOf(error, names)}`];
  if (isHttpError(error)) {
    const parts = [`status ${error.status}`];
    if (error.requestId) parts.push(`request id ${error.requestId}`);
    if (isRateLimitError(error) && error.retryAfterMs !== undefined) parts.push(`retry after ${Math.ceil(error.retryAfterMs / 1000)} s`);
    lines.push(`  ${parts.join(', ')}`);
    if (verbose && error.platformError?.detail) lines.push(`  detail: ${error.platformError.detail}`);
    for (const issue of error.platformError?.issues ?? []) lines.push(`  ${issue.field}: ${issue.message}`);
  }
  if (!verbose) {
    if (!isItsmError(error)) lines.push('  (run with --verbose for the stack)');
    return lines;
  }
  const retry = (error as { retry?: { attempts: number; elapsedMs: number } }).retry;
  if (retry) lines.push(`  attempts: ${retry.attempts}, elapsed ${Math.round(retry.elapsedMs)} ms`);
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    lines.push(`  caused by ${cause.name}: ${cause.message}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (error.stack) lines.push(...error.stack.split('\n').slice(1).map((l) => `  ${l.trim()}`));
  return lines;
}

/**
 * An error as the JSON document `--json` prints on stderr: `{ error: {...} }`.
 * A `ConnectionError` keeps the SDK's `option` and adds the CLI `setting` for it;
 * a lookup that matched several records lists their `candidates`, a transition
 * that is not available the `available` ones; an upload's file error its
 * `path` and `reason`, a size refusal the sizes and who refused it (`source`).
 */
export function errorJson(error: unknown, names?: OptionNames): { error: Record<string, unknown> } {
  if (!(error instanceof Error)) return { error: { name: 'Error', message: String(error) } };
  if (error instanceof CommanderError) return { error: usageJson(error) };
  const out: Record<string, unknown> = { name: error.name, message: messageOf(error, names), exitCode: exitCodeFor(error) };
  if (isConnectionError(error)) Object.assign(out, { reason: error.reason, option: error.option, setting: names?.setting(error.option) ?? null });
  if (isHttpError(error)) {
    Object.assign(out, { status: error.status, requestId: error.requestId ?? null, method: error.method, url: error.url, platform: error.platform });
    if (error.platformError) out['platformError'] = error.platformError;
  }
  const issues = (error as { issues?: readonly FieldIssue[] }).issues;
  if (Array.isArray(issues)) out['issues'] = issues;
  if (isAmbiguousMatchError(error)) out['candidates'] = error.candidates;
  if (isAttachmentSourceError(error)) Object.assign(out, { path: error.path ?? null, reason: error.reason });
  if (isAttachmentTooLargeError(error)) Object.assign(out, { fileName: error.fileName, sizeBytes: error.sizeBytes ?? null, limitBytes: error.limitBytes ?? null, source: error.source });
  if (isTransitionNotAvailableError(error)) out['available'] = error.available.map((t) => ({ id: t.id, name: t.name, to: t.to?.name ?? null }));
  const retry = (error as { retry?: unknown }).retry;
  if (isItsmError(error) && retry) out['retry'] = retry;
  return { error: out };
}

/** The error's message; a `ConnectionError`'s hint names CLI settings instead of SDK options (its URL is left as is). */
function messageOf(error: Error, names: OptionNames | undefined): string {
  if (!names || !isConnectionError(error)) return error.message;
  const prefix = `${error.platform} ${error.method} ${error.url}: `;
  return error.message.startsWith(prefix) ? prefix + names.translate(error.message.slice(prefix.length)) : names.translate(error.message);
}

/** A command-line parse error as `{ name: 'UsageError', message, code, exitCode: 2 }` (`code` is commander's, e.g. `commander.unknownCommand`). */
function usageJson(error: CommanderError): Record<string, unknown> {
  const message = error.code === 'commander.help' ? 'missing command (run with --help for usage)' : error.message.replace(/^error: /, '');
  return { name: 'UsageError', message, code: error.code, exitCode: EXIT.usage };
}
