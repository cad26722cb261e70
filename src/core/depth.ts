/**
 * Checks for values from outside (configs, template variables, payloads,
 * server answers) that code walks: past a depth limit, a stack overflow would
 * become an untyped `RangeError`, a cycle would never end, and a getter or
 * Proxy trap that throws would escape as whatever it threw.
 */

/** Objects walked at most: a value with cycles that fan out would otherwise take exponential time to reach the depth limit. */
const MAX_NODES = 1_000_000;

/** Why a value cannot be walked, and where. */
export interface WalkProblem {
  /** Dotted path of the value (`templates.t.fields.summary`, `a.0.b`), `(root)` for the value itself. */
  readonly path: string;
  /** `depth`: nested deeper than the limit (or a cycle); `unreadable`: reading its keys or a property threw. */
  readonly rule: 'depth' | 'unreadable';
  readonly message: string;
}

/**
 * What stops code from walking `value` (own enumerable keys, without
 * recursion): a getter or Proxy trap that throws (the first one met, reported
 * before any depth problem, since a caller that stops at the depth limit
 * would still read the rest), else the first object nested deeper than `max`
 * levels (cycles included), or the object reached when a value holds more
 * than a million. `undefined` when the whole value can be read.
 */
export function walkProblem(value: unknown, max: number): WalkProblem | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  let visited = 0;
  let tooDeep: WalkProblem | undefined;
  while (stack.length) {
    const [node, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof node !== 'object' || node === null) continue;
    const at = path || '(root)';
    if (++visited > MAX_NODES) return tooDeep ?? { path: at, rule: 'depth', message: `holds more than ${MAX_NODES} objects (or refers to itself)` };
    if (depth > max) {
      tooDeep ??= { path: at, rule: 'depth', message: `nests deeper than ${max} levels (or refers to itself)` };
      continue;
    }
    let keys: string[];
    try {
      keys = Object.keys(node);
    } catch (error) {
      return { path: at, rule: 'unreadable', message: `its keys cannot be read (${describeThrow(error)})` };
    }
    for (const key of keys) {
      const child = path ? `${path}.${key}` : key;
      try {
        stack.push([(node as Record<string, unknown>)[key], child, depth + 1]);
      } catch (error) {
        return { path: child, rule: 'unreadable', message: `reading it threw (${describeThrow(error)})` };
      }
    }
  }
  return tooDeep;
}

/** What a getter or trap threw, in a few words, never its stack. */
function describeThrow(error: unknown): string {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return 'an unprintable value';
  }
}
