/** Text and values every store must keep exactly (none has NUL or half a surrogate pair: no store is handed those). */

/** Characters outside the Basic Multilingual Plane (surrogate pairs in UTF-16). */
export const ASTRAL = '🧭𝔘𠜎👩🏽‍💻';

export const HOSTILE_STRINGS: readonly string[] = [
  ASTRAL,
  '',
  ' ',
  'plain',
  "quote ' double \" backslash \\ backtick ` dollar $1 $$ percent %s",
  'lines\r\nand\rbreaks\n\u2028\u2029',
  'right-to-left \u202Eevil\u202C and zero-width \u200B\u200D\uFEFF',
  'combining e\u0301 and replacement \uFFFD and private \uE000 and \uFFFF',
  'control \u0001\u001F\u007F\u0085',
  'json-ish {"a":[1,2]} and sql-ish \'); DROP TABLE x; --',
  '{}',
  'null',
  '__proto__',
];

/** The first `length` UTF-16 units of `text`, one fewer if that would split a surrogate pair. */
export function cut(text: string, length: number): string {
  const head = text.slice(0, length);
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}

/** A string of about `length` UTF-16 units mixing plain and astral text. */
export function huge(length: number): string {
  const unit = `abc ${ASTRAL} `;
  return cut(unit.repeat(Math.ceil(length / unit.length)), length);
}

/** The earliest and latest instants a store keeps (years 0001 and 9999). */
export const EARLIEST = '0001-01-01T00:00:00.000Z';
export const LATEST = '9999-12-31T23:59:59.999Z';

/** A UUID in upper case. */
export const upper = (id: string): string => id.toUpperCase();
