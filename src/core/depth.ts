/**
 * Depth checks for values from outside (configs, server answers) that
 * recursive code walks: past a limit, a stack overflow would become an untyped
 * `RangeError`, and a cycle would never end.
 */

/** Objects walked at most: a value with cycles that fan out would otherwise take exponential time to reach the depth limit. */
const MAX_NODES = 1_000_000;

/**
 * The path of the first value nested deeper than `max` (walked without
 * recursion), or `undefined`. A value with more than a million objects
 * (cycles included) is reported at the path reached.
 */
export function pathDeeperThan(value: unknown, max: number): string | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  let visited = 0;
  while (stack.length) {
    const [node, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max || ++visited > MAX_NODES) return path || '(root)';
    for (const key of Object.keys(node)) stack.push([(node as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1]);
  }
  return undefined;
}
