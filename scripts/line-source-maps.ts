/**
 * Shrinks the build's source maps to what a stack trace and a debugger use:
 * one mapping per generated line (more only where a line holds code from
 * several source lines), into the package's own src/ only. The full maps
 * bundlers write map every token, and the bundled dependencies (zod) into
 * files the package does not ship; they were as large as the code itself.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

interface SourceMap {
  version: number;
  file?: string;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
}

/** Keeps, per generated line, the first segment of each source line that `keep` accepts the file of. */
export function lineSourceMap(map: SourceMap, keep: (source: string) => boolean): SourceMap {
  const sources: string[] = [];
  const index = map.sources.map((source) => (keep(source) ? sources.push(source) - 1 : -1));
  const lines = decode(map.mappings).map((line) => {
    const kept: SourceMapSegment[] = [];
    let last: [number, number, number, number] | undefined;
    for (const segment of line) {
      if (segment.length === 1) continue;
      const [column, source, sourceLine, sourceColumn] = segment;
      const to = index[source] ?? -1;
      if (to === -1 || (last && last[1] === to && last[2] === sourceLine)) continue;
      last = [column, to, sourceLine, sourceColumn];
      kept.push(last);
    }
    return kept;
  });
  return { version: map.version, ...(map.file === undefined ? {} : { file: map.file }), sources, names: [], mappings: encode(lines) };
}

/** The src/ folders package.json#files leaves out (the fakes, the adapters, the CLI): a mapping into them would dangle. */
const UNSHIPPED_SOURCES = /(^|\/)src\/(testing|adapters|cli)\//;

/** Rewrites every `.js.map` under `dir` (recursively) to its line map into `src/`. */
export async function lineSourceMaps(dir: string): Promise<void> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.js.map'));
  await Promise.all(
    files.map(async (file) => {
      const path = join(dir, file);
      const map = JSON.parse(await readFile(path, 'utf8')) as SourceMap;
      const own = (source: string): boolean => /(^|\/)src\//.test(source) && !source.includes('node_modules/') && !UNSHIPPED_SOURCES.test(source);
      await writeFile(path, JSON.stringify(lineSourceMap(map, own)));
    }),
  );
}
