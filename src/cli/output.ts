import { scrubSecrets } from '../core/index.js';

/** Where the CLI writes: `process.stdout`/`process.stderr`, or anything with `write` in tests. */
export interface TextSink {
  write(chunk: string): unknown;
  /** A terminal: a status line is rewritten in place instead of printed once per change. */
  readonly isTTY?: boolean;
}

/**
 * Every line the CLI prints goes through here, and every known secret value
 * (from flags, the environment or the config file) is replaced on the way out,
 * whatever produced the text.
 */
export class Output {
  private readonly secrets = new Set<string>();
  /** Length of the status line now shown on a terminal's stderr (0: none). */
  private statusWidth = 0;

  constructor(
    private readonly stdoutSink: TextSink,
    private readonly stderrSink: TextSink,
  ) {}

  /** Registers a value that must never be printed. */
  addSecret(value: string | undefined): void {
    if (value) this.secrets.add(value);
  }

  /** Writes text to stdout as is (plus scrubbing). */
  stdout(text: string): void {
    this.stdoutSink.write(this.scrub(text));
  }

  /** Writes text to stderr as is (plus scrubbing). */
  stderr(text: string): void {
    this.endStatus();
    this.stderrSink.write(this.scrub(text));
  }

  /**
   * A live status line on stderr: on a terminal it replaces the previous one
   * in place; elsewhere (a pipe, a log, a test) each status is its own line.
   */
  status(line: string): void {
    const text = this.scrub(line);
    if (!this.stderrSink.isTTY) {
      this.stderrSink.write(`${text}\n`);
      return;
    }
    this.stderrSink.write(`\r${text.padEnd(this.statusWidth)}`);
    this.statusWidth = text.length;
  }

  /** Ends a terminal's status line so the next output starts on its own line. */
  endStatus(): void {
    if (!this.statusWidth) return;
    this.stderrSink.write('\n');
    this.statusWidth = 0;
  }

  /** One result: pretty JSON with `--json`, else the human lines. */
  result(json: boolean, value: unknown, human: () => readonly string[]): void {
    if (json) this.stdout(`${JSON.stringify(value, null, 2)}\n`);
    else this.stdout(human().map((line) => `${line}\n`).join(''));
  }

  private scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }
}
