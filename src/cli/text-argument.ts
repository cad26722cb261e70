import type { CliContext } from './context.js';

/** A text argument (a comment, a note) as given, or stdin for `-` (without its final newline). */
export async function textArgument(ctx: CliContext, value: string): Promise<string> {
  return value === '-' ? (await ctx.readInput('-', '<text>')).replace(/\r?\n$/, '') : value;
}
