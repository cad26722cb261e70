import type { Command } from 'commander';
import type { ExitCode } from './exit-codes.js';
import type { OptionNames } from './option-names.js';
import type { Output } from './output.js';
import type { ResolvedSettings, Setting } from './settings.js';

/** The flags every command accepts. */
export interface GlobalFlags {
  /** Machine output: one JSON document on stdout; errors as JSON on stderr. */
  readonly json: boolean;
  /** Request tracing, config sources and stacks on stderr. */
  readonly verbose: boolean;
}

/** What a command's action receives. */
export interface Invocation {
  readonly command: Command;
  /** Positional arguments, in order. */
  readonly args: readonly string[];
  /** The command's own options (commander's camelCase attributes) with the global ones. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly flags: GlobalFlags;
}

/** What every command group gets from {@link run}: I/O, settings and the exit code. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: Output;
  /** Relative paths in flags resolve against it. */
  readonly cwd: string;
  /** The SDK option names this run's clients were built with, and the CLI settings behind them (for error messages). */
  readonly optionNames: OptionNames;
  /** Aborted on Ctrl-C (the bin wires SIGINT/SIGTERM) or by the test that called `run`. */
  readonly signal: AbortSignal;
  /**
   * Wraps a command's action: parses commander's arguments into an
   * {@link Invocation}, and turns the returned code into the run's exit code.
   */
  action(fn: (call: Invocation) => Promise<ExitCode | void>): (...params: unknown[]) => Promise<void>;
  /** Resolves settings for a call: flag > environment > config file (read once per run). */
  settings(call: Invocation, settings: readonly Setting[]): Promise<ResolvedSettings>;
  /**
   * The text of an input file named by a flag (relative to {@link cwd}), or
   * all of stdin for `-`. An unreadable file is a `ConfigError` naming `flag`.
   */
  readInput(path: string, flag: string): Promise<string>;
  /** Stdin as bytes, read as they come (for `-` as an attachment): it can be read once. */
  stdinBytes(): AsyncIterable<Uint8Array>;
}

/**
 * A group of commands (`servicenow ...`, `jira ...`). The CLI is the list of
 * groups in `registry.ts`: a new group is one file and one line there.
 */
export interface CommandGroup {
  readonly name: string;
  /** The settings its commands read; they also define what the config file may hold. */
  readonly settings: readonly Setting[];
  /** Adds the group's commands to the program. */
  register(program: Command, ctx: CliContext): void;
}
