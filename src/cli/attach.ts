import { basename, isAbsolute, resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, formatBytes, type TransferProgress, type UploadOptions, type UploadSource } from '../core/index.js';
import type { CliContext, Invocation } from './context.js';

/** What `attach` verbs say in their help after what they do. */
export const ATTACH_NOT_IDEMPOTENT = 'Not idempotent: it is not re-sent after an ambiguous failure, and running it again attaches a second copy';

/** Adds `<file>`, `--file-name` and `--content-type` to an `attach` verb (after its record argument). */
export function attachArguments(command: Command): Command {
  return command
    .argument('<file>', 'the file to upload (streamed, never read whole into memory), or - for stdin (then --file-name is required)')
    .option('--file-name <name>', "the name it is stored under (default: the file's base name)")
    .option('--content-type <type>', "its content type (default: from the name's extension, else application/octet-stream)");
}

/** An upload: what it reads, and its options (name, type, and progress on stderr under `--verbose`). */
export interface CliUpload {
  readonly source: UploadSource;
  readonly options: UploadOptions;
  /** Ends the progress line, once the upload is over. */
  readonly done: () => void;
}

/**
 * The upload `attach <record> <file>` asks for: the file (relative to the
 * current directory) or stdin for `-`, which needs `--file-name`.
 */
export function cliUpload(ctx: CliContext, call: Invocation, file: string): CliUpload {
  const o = call.options;
  const fileName = typeof o['fileName'] === 'string' ? o['fileName'] : undefined;
  if (file === '-' && fileName === undefined) {
    throw new ConfigError('Missing --file-name', [{ field: '--file-name', rule: 'required', message: 'is required when the file is read from stdin (-): the attachment is stored under it' }]);
  }
  const source = file === '-' ? ctx.stdinBytes() : isAbsolute(file) ? file : resolvePath(ctx.cwd, file);
  const options: UploadOptions = {
    ...(fileName === undefined ? {} : { fileName }),
    ...(typeof o['contentType'] === 'string' ? { contentType: o['contentType'] } : {}),
    ...(call.flags.verbose ? { onProgress: progressReporter(ctx, call.flags.json, fileName ?? basename(file)) } : {}),
    signal: ctx.signal,
  };
  return { source, options, done: () => ctx.out.endStatus() };
}

/**
 * `--verbose`: one progress line per change (rewritten in place on a
 * terminal), a JSON object with `--json`; the SDK throttles the calls.
 */
function progressReporter(ctx: CliContext, json: boolean, name: string): (p: TransferProgress) => void {
  let reported = -1;
  return (p) => {
    if (p.loadedBytes === reported) return;
    reported = p.loadedBytes;
    reportProgress(ctx, json, name, p);
  };
}

function reportProgress(ctx: CliContext, json: boolean, name: string, p: TransferProgress): void {
  if (json) {
    ctx.out.stderr(`${JSON.stringify({ trace: 'progress', file: name, loadedBytes: p.loadedBytes, ...(p.totalBytes === undefined ? {} : { totalBytes: p.totalBytes }) })}\n`);
    return;
  }
  const of = p.totalBytes === undefined ? '' : ` of ${formatBytes(p.totalBytes)}${p.totalBytes > 0 ? ` (${Math.floor((p.loadedBytes / p.totalBytes) * 100)}%)` : ''}`;
  ctx.out.status(`uploading ${name}: ${formatBytes(p.loadedBytes)}${of}`);
}
