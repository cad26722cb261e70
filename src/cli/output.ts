import { scrubSecrets } from '../core/redact.js';

/** Where the CLI writes: `process.stdout`/`process.stderr`, or anything with `write` in tests. */
export interface TextSink {
  write(chunk: string): unknown;
}

/**
 * Every line the CLI prints goes through here, and every known secret value
 * (from flags, the environment or the config file) is replaced on the way out,
 * whatever produced the text.
 */
export class Output {
  private readonly secrets = new Set<string>();

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
    this.stderrSink.write(this.scrub(text));
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
