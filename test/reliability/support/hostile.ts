import fc from 'fast-check';
import { isItsmError } from '../../../src/core/errors.js';

/**
 * Values from outside that break code walking them: deep nesting, cycles,
 * BigInt, getters and Proxy traps that throw, Symbols, functions, NaN and
 * Infinity, prototype-pollution keys, huge strings. Each is generated as a
 * named recipe and built inside the property, so fast-check never walks,
 * prints or shrinks a trap itself.
 */
export interface HostileRecipe {
  readonly name: string;
  readonly make: () => unknown;
  /** A getter, Proxy trap or conversion that throws: only code handed live objects meets these, never a JSON body. */
  readonly trap?: true;
}

/** An object nested `depth` levels under `key` (an array when `key` is a number). */
export function nested(depth: number, key: string | number = 'a', leaf: unknown = 'x'): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = typeof key === 'number' ? [value] : { [key]: value };
  return value;
}

const throwing = () => {
  throw new Error('getter trap');
};

const RECIPES: readonly HostileRecipe[] = [
  { name: 'deep object (3,000)', make: () => nested(3_000) },
  { name: 'deep array (3,000)', make: () => nested(3_000, 0) },
  { name: 'deep object (20,000)', make: () => nested(20_000, 'content') },
  { name: 'cycle', make: () => { const o: Record<string, unknown> = { a: 1 }; o['self'] = o; return o; } },
  { name: 'array cycle', make: () => { const a: unknown[] = ['x']; a.push(a); return a; } },
  { name: 'bigint', make: () => 10n ** 30n },
  { name: 'object with bigint', make: () => ({ a: 1n, b: [2n] }) },
  { name: 'symbol', make: () => Symbol('s') },
  { name: 'object with symbol', make: () => ({ a: Symbol('s'), [Symbol('k')]: 1 }) },
  { name: 'function', make: () => () => 1 },
  { name: 'NaN', make: () => Number.NaN },
  { name: 'Infinity', make: () => Number.POSITIVE_INFINITY },
  { name: '-0', make: () => -0 },
  { name: 'undefined', make: () => undefined },
  { name: 'null', make: () => null },
  { name: 'throwing getter', trap: true, make: () => Object.defineProperty({}, 'a', { get: throwing, enumerable: true }) },
  { name: 'throwing toJSON', trap: true, make: () => ({ toJSON: throwing }) },
  { name: 'throwing toString', trap: true, make: () => ({ toString: throwing, valueOf: throwing }) },
  { name: 'throwing toPrimitive', trap: true, make: () => ({ [Symbol.toPrimitive]: throwing }) },
  { name: 'throwing proxy', trap: true, make: () => new Proxy({}, { get: throwing, has: throwing, ownKeys: throwing, getOwnPropertyDescriptor: throwing, getPrototypeOf: throwing }) },
  { name: 'throwing array proxy', trap: true, make: () => new Proxy(['a'], { get: throwing, ownKeys: throwing, getOwnPropertyDescriptor: throwing }) },
  { name: 'null prototype', make: () => Object.create(null) as object },
  { name: '__proto__ own key', make: () => JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') as unknown },
  { name: 'Map', make: () => new Map([['a', 1]]) },
  { name: 'Date (invalid)', make: () => new Date(Number.NaN) },
  { name: 'RegExp', make: () => /x/g },
  { name: 'Uint8Array', make: () => new Uint8Array([0xff, 0xfe, 0]) },
  { name: 'huge string (100,000 code units)', make: () => '\u{1F4A5}\ud800a'.repeat(25_000) },
  { name: 'huge array (20,000)', make: () => new Array<string>(20_000).fill('x') },
  { name: 'sparse array', make: () => { const a: unknown[] = []; a[5] = 1; return a; } },
  { name: 'frozen', make: () => Object.freeze({ a: Object.freeze(['x']) }) },
];

/** Strings that break parsers: any Unicode (lone surrogates included), controls, quotes. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\udfff', '"', '\\', '{', '}', '{{', '}}', '{a}', '__proto__', 'constructor', 'prototype', '..', '.', '%', '%zz', '^NQ', 'javascript:x', '\u2028', '💥'.repeat(10)),
);

/** A recipe for one hostile value (traps included, or left out), or a plain arbitrary value (fast-check's `anything`, strings, numbers). */
function hostileOf(recipes: readonly HostileRecipe[]): fc.Arbitrary<HostileRecipe> {
  return fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...recipes) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withNullPrototype: true, withObjectString: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true }).map((v): HostileRecipe => ({ name: 'anything', make: () => v })) },
  { weight: 1, arbitrary: hostileString.map((s): HostileRecipe => ({ name: `string ${JSON.stringify(s).slice(0, 40)}`, make: () => s })) },
  { weight: 1, arbitrary: fc.double().map((n): HostileRecipe => ({ name: `number ${n}`, make: () => n })) },
  );
}

/** Every hostile value, traps included: for code handed live objects (configs, template variables, payloads, builders). */
export const hostile = hostileOf(RECIPES);

/** Hostile values without traps: what a parser of decoded data (a JSON body, a broker message) can meet. */
export const hostileData = hostileOf(RECIPES.filter((r) => !r.trap));

/**
 * A hostile value placed at a path in an otherwise plausible value:
 * `place(base, ['templates', 't', 'fields', 'summary'], recipe)`.
 */
export function place(base: unknown, at: readonly (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const [head, ...rest] = at as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(base) ? [...(base as unknown[])] : { ...(typeof base === 'object' && base !== null ? base : {}) }) as Record<string | number, unknown>;
  // An own key even for `__proto__` (as JSON.parse makes it), never a prototype change.
  const inner = place(Object.hasOwn(copy, head) ? copy[head] : undefined, rest, value);
  Object.defineProperty(copy, head, { value: inner, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * Runs `fn`: a return is fine, a throw must be an itsmkit error (message
 * names what went wrong). Any other throw fails with the recipe's name.
 */
export function returnsOrThrowsTyped(fn: () => unknown, what: string): unknown {
  try {
    return fn();
  } catch (error) {
    if (!isItsmError(error)) throw new Error(`${what}: threw ${(error as Error)?.name ?? typeof error}: ${String((error as Error)?.message ?? error).slice(0, 200)}`, { cause: error });
    return error;
  }
}
