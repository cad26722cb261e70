/**
 * The CLI's exit codes. Scripts branch on them, so they are part of its
 * contract (documented in docs/cli.md).
 */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The operation ran and failed: an HTTP error, a network failure, a failed connection test. */
  failed: 1,
  /** Usage, configuration or input error: nothing was sent. */
  usage: 2,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
