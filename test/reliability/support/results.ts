import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** What kind of scenario a row of docs/reliability.md is. */
export type ScenarioGroup = 'fault' | 'load' | 'messages' | 'fuzz' | 'canary' | 'isolation';

/** The figures one scenario produced in this run; `npm run reliability` turns them into the table. */
export interface ScenarioFigures {
  readonly group: ScenarioGroup;
  /** `servicenow`, `jira`, `core`, `tickets/servicenow`, `datasources`, `webhook`, `connections`, `tickets`, ... */
  readonly area: string;
  readonly scenario: string;
  /** Cases run: scenario repetitions, or fast-check runs. */
  readonly cases: number;
  /** SDK calls made (creates, or function calls for fuzzing). */
  readonly calls: number;
  /** HTTP requests the fakes received. */
  readonly requests?: number;
  /** Tickets that exist at the end. */
  readonly tickets?: number;
  readonly succeeded?: number;
  /** Calls that failed with a typed itsmkit error. */
  readonly failedTyped?: number;
  /** Failed calls whose ticket may exist and whose error says so (maybeSent / may exist): not lost, not duplicated. */
  readonly flagged?: number;
  readonly duplicates: number;
  /** A success without its ticket, or a failure that left a ticket without saying so. */
  readonly lost: number;
  readonly untypedErrors: number;
  readonly unhandledRejections: number;
  readonly leakedHandles: number;
  readonly canaryLeaks?: number;
  /** Isolation and permission checks that let a call through that should have been refused. */
  readonly breaches?: number;
  /** Disagreements between a target's own books (TicketService metrics) and the calls' outcomes. */
  readonly mismatches?: number;
  /** The longest call, in (virtual or real) ms, against the retry budget. */
  readonly maxElapsedMs?: number;
  readonly budgetMs?: number;
  /** How time was measured: `virtual` (fake timers, exact) or `real` (loopback). */
  readonly time?: 'virtual' | 'real';
  readonly note?: string;
}

/**
 * Records one scenario's figures. A no-op unless `ITSMKIT_RELIABILITY_RESULTS`
 * names a directory (set by scripts/reliability.mjs): each worker appends JSON
 * lines to its own file there.
 */
export function recordFigures(figures: ScenarioFigures): void {
  const dir = process.env['ITSMKIT_RELIABILITY_RESULTS'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), `${JSON.stringify(figures)}\n`);
}
