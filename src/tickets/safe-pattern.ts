/**
 * Regular expressions from configuration are untrusted: a pattern such as
 * `(a+)+$` backtracks exponentially and would freeze the process on a short
 * hostile input. Two bounds keep pattern rules safe:
 *
 * 1. **At load**, {@link compileSafePattern} rejects the constructs behind
 *    catastrophic backtracking: a quantifier inside a repeated group
 *    (`(a+)+`, `(a*)*`, `(ab?){2,}`, `(-\w+)*`), a repeated group whose branches
 *    may start alike (`(a|a)*`, `(ab|a)+`, `(\d|x)*`), and backreferences
 *    (`\1`, `\k<name>`). The check is conservative: some harmless patterns are
 *    refused too; write them without nesting, or use a `custom` check.
 * 2. **At check time**, the validator does not run a pattern on input longer
 *    than `maxPatternInput` characters (default {@link DEFAULT_MAX_PATTERN_INPUT});
 *    such a value fails the `pattern` rule without being matched. This bounds
 *    the polynomial cases the load check lets through (`\d+\d+x`).
 */

/** The longest input a pattern rule runs on. @default 1024 */
export const DEFAULT_MAX_PATTERN_INPUT = 1024;

interface Frame {
  /** A quantifier appears somewhere inside this group. */
  quantified: boolean;
  alternation: boolean;
  /** The first token of each finished branch: a literal character, or `null` for anything wider. */
  readonly firsts: (string | null)[];
  /** First token of the branch being read; `undefined` while the branch is empty. */
  first: string | null | undefined;
}

type Atom = { readonly group: Frame } | { readonly literal: string | null };

const newFrame = (): Frame => ({ quantified: false, alternation: false, firsts: [], first: undefined });

/**
 * Why `source` could backtrack catastrophically, or `undefined` when it is
 * considered safe. Syntax errors are left to the `RegExp` constructor.
 */
export function unsafePatternReason(source: string): string | undefined {
  const stack: Frame[] = [newFrame()];
  let last: Atom | undefined;
  const top = (): Frame => stack[stack.length - 1] as Frame;
  const atom = (a: Atom): void => {
    const frame = top();
    if (frame.first === undefined) frame.first = 'literal' in a ? a.literal : null;
    last = a;
  };

  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next)) return `backreference \\${next} at ${i}`;
      if (next === 'k' && source[i + 2] === '<') return `named backreference at ${i}`;
      if ((next === 'p' || next === 'P' || next === 'u') && source[i + 2] === '{') {
        const end = source.indexOf('}', i + 3);
        i = end < 0 ? source.length : end;
      } else {
        i += next === 'u' ? 5 : next === 'x' ? 3 : next === 'c' ? 2 : 1;
      }
      atom({ literal: /^[^A-Za-z0-9]$/.test(next) ? next : null });
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      i = j;
      atom({ literal: null });
      continue;
    }
    if (ch === '(') {
      stack.push(newFrame());
      if (source[i + 1] === '?') {
        // Skip the group's prefix: ?: ?= ?! ?<= ?<! ?<name>
        if (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
          const end = source.indexOf('>', i);
          i = end < 0 ? source.length : end;
        } else {
          i += source[i + 2] === '<' ? 3 : 2;
        }
      }
      last = undefined;
      continue;
    }
    if (ch === ')') {
      if (stack.length === 1) continue; // unbalanced: the RegExp constructor reports it
      const frame = stack.pop() as Frame;
      frame.firsts.push(frame.first ?? null);
      if (frame.quantified) top().quantified = true;
      atom({ group: frame });
      continue;
    }
    if (ch === '|') {
      const frame = top();
      frame.alternation = true;
      frame.firsts.push(frame.first ?? null);
      frame.first = undefined;
      last = undefined;
      continue;
    }
    const quantifier = readQuantifier(source, i);
    if (quantifier) {
      if (last && 'group' in last && quantifier.repeats) {
        if (last.group.quantified) return `nested quantifier at ${i}: a repeated group contains a quantifier`;
        if (last.group.alternation && !distinctLiteralFirsts(last.group.firsts)) {
          return `repeated alternation at ${i}: branches may match the same input`;
        }
      }
      top().quantified = true;
      i = quantifier.end;
      if (source[i + 1] === '?') i++; // lazy
      last = undefined;
      continue;
    }
    if (ch === '^' || ch === '$') {
      last = undefined;
      continue;
    }
    atom({ literal: ch === '.' ? null : ch });
  }
  return undefined;
}

function readQuantifier(source: string, i: number): { repeats: boolean; end: number } | undefined {
  const ch = source[i];
  if (ch === '*' || ch === '+') return { repeats: true, end: i };
  if (ch === '?') return { repeats: false, end: i };
  if (ch !== '{') return undefined;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : match[3] ? Number(match[3]) : Number.POSITIVE_INFINITY;
  return { repeats: max > 1, end: i + match[0].length - 1 };
}

function distinctLiteralFirsts(firsts: readonly (string | null)[]): boolean {
  const seen = new Set<string>();
  for (const first of firsts) {
    if (first === null || seen.has(first)) return false;
    seen.add(first);
  }
  return true;
}

/**
 * Compiles a pattern rule (Unicode mode), or returns why it is refused: a
 * syntax error or a construct that can backtrack catastrophically.
 */
export function compileSafePattern(source: string): { regex: RegExp } | { error: string } {
  const unsafe = unsafePatternReason(source);
  if (unsafe) return { error: `pattern is refused as unsafe (${unsafe})` };
  try {
    return { regex: new RegExp(source, 'u') };
  } catch (e) {
    return { error: `pattern is not a valid regular expression (${(e as Error).message})` };
  }
}
