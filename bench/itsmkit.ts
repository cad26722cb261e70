/**
 * What the bench measures: the built package in `dist/` (what users run),
 * typed from the sources it is built from. Running the sources through tsx
 * instead adds the transpiler's helpers to every SDK call (about 25 µs per
 * ServiceNow create). `npm run bench` builds first.
 */
import { existsSync } from 'node:fs';
import type * as AmqpEntry from '../src/adapters/amqp/index.js';
import type * as PostgresEntry from '../src/adapters/postgres/index.js';
import type * as RootEntry from '../src/index.js';
import type * as TestingEntry from '../src/testing/index.js';

async function load<T>(entry: string): Promise<T> {
  const url = new URL(`../dist/${entry}`, import.meta.url);
  if (!existsSync(url)) throw new Error(`bench: dist/${entry} is missing; run \`npm run build\` (npm run bench does)`);
  return (await import(url.href)) as T;
}

/** `itsmkit`. */
export const itsmkit = await load<typeof RootEntry>('index.js');
/** `itsmkit/testing`. */
export const testing = await load<typeof TestingEntry>('testing/index.js');
/** `itsmkit/postgres`. */
export const postgres = await load<typeof PostgresEntry>('postgres/index.js');
/** `itsmkit/amqp`. */
export const amqp = await load<typeof AmqpEntry>('amqp/index.js');
