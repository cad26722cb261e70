#!/usr/bin/env node
/**
 * The `itsmkit` bin: runs the CLI on the process's arguments and streams,
 * turning Ctrl-C (SIGINT) and SIGTERM into an orderly stop.
 */
import { run } from './run.js';

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
process.exitCode = await run(process.argv.slice(2), { signal: stop.signal });
