import fc from 'fast-check';
import { recordFigures } from './results.js';
import { ProcessWatch } from './watch.js';

/** Cases each property runs under `npm run reliability` (the target: 10,000 per parser, builder and renderer). */
export const RELIABILITY_RUNS = 10_000;

/**
 * The case count for a property: {@link RELIABILITY_RUNS} when the run
 * records figures for the report (`ITSMKIT_RELIABILITY_RESULTS` set by
 * `npm run reliability`), else `quick`, so `npm test` stays fast.
 */
export function runs(quick: number): number {
  return process.env['ITSMKIT_RELIABILITY_RESULTS'] ? RELIABILITY_RUNS : quick;
}

/** Counts calls made inside a property, for the report. */
export class CallCounter {
  calls = 0;
  /** Counts one call and returns its result. */
  count<T>(fn: () => T): T {
    this.calls++;
    return fn();
  }
}

/**
 * `fc.assert` with the figures recorded: `numRuns` cases, the calls the
 * property counted. On failure fast-check throws with the shrunk
 * counterexample and the seed to replay it.
 */
export async function checkProperty(
  area: string,
  scenario: string,
  numRuns: number,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any tuple of generated values
  build: (counter: CallCounter) => fc.IRawProperty<any, boolean>,
): Promise<void> {
  const counter = new CallCounter();
  const watch = new ProcessWatch();
  let failed = false;
  let watched: { unhandled: unknown[]; leaked: string[] } = { unhandled: [], leaked: [] };
  try {
    await fc.assert(build(counter), { numRuns });
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    watched = await watch.stop();
    recordFigures({
      group: 'fuzz',
      area,
      scenario,
      cases: numRuns,
      calls: counter.calls,
      duplicates: 0,
      lost: 0,
      untypedErrors: failed ? 1 : 0,
      unhandledRejections: watched.unhandled.length,
      leakedHandles: watched.leaked.length,
      note: failed ? 'FAILED: see the counterexample in the test output' : 'property held',
    });
  }
  if (watched.unhandled.length || watched.leaked.length) throw new Error(`property left ${watched.unhandled.length} unhandled rejections and open handles: ${watched.leaked.join(', ')}`);
}
