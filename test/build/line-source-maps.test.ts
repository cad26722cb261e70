import { decode, encode } from '@jridgewell/sourcemap-codec';
import { describe, expect, it } from 'vitest';
import { lineSourceMap } from '../../scripts/line-source-maps.js';

describe('lineSourceMap', () => {
  const map = {
    version: 3,
    file: 'chunk.js',
    sources: ['../src/a.ts', '../node_modules/zod/v4/core.js', '../src/b.ts'],
    names: ['x'],
    mappings: encode([
      // line 0: three tokens of src/a.ts line 4, then a token of zod
      [[0, 0, 4, 2], [6, 0, 4, 8, 0], [10, 0, 4, 12], [14, 1, 90, 0]],
      // line 1: src/b.ts line 1, then src/a.ts line 5 (two source lines on one generated line)
      [[2, 2, 1, 0], [8, 2, 1, 6], [12, 0, 5, 0]],
      // line 2: only zod
      [[0, 1, 91, 4]],
      // line 3: a segment with no source
      [[0]],
    ]),
  };

  it('keeps one mapping per generated line and source line, into the kept sources only', () => {
    const line = lineSourceMap(map, (source) => source.includes('/src/'));
    expect(line.sources).toEqual(['../src/a.ts', '../src/b.ts']);
    expect(line.names).toEqual([]);
    expect(line.file).toBe('chunk.js');
    expect(decode(line.mappings)).toEqual([[[0, 0, 4, 2]], [[2, 1, 1, 0], [12, 0, 5, 0]], [], []]);
  });

  it('carries no source text', () => {
    const line = lineSourceMap({ ...map, sourcesContent: ['a', 'z', 'b'] }, () => true);
    expect(line).not.toHaveProperty('sourcesContent');
    expect(line.sources).toHaveLength(3);
  });
});
