import type { Command } from 'commander';
import { ConfigError, type FieldIssue, parseJsonObject, ValidationError } from '../core/index.js';
import { type TableDeclaration, toCamelCase } from '../servicenow/index.js';
import type { CliContext, Invocation } from './context.js';

const CUSTOM_FIELD = /^u_[a-z0-9_]+$/;

/** Adds `--set <field=value>` (repeatable) and `-f, --json-input <file | ->` to a command that changes a record. */
export function fieldInputOptions(command: Command, fieldNames: string): Command {
  return command
    .option('--set <field=value>', `a field to change, repeatable (${fieldNames}; wire names and custom u_ fields too); an empty value clears it`, (value: string, previous: string[] = []) => [...previous, value])
    .option('-f, --json-input <file>', 'the fields to change as a JSON object, from a file or - for stdin (--set wins over it)');
}

/** The `--json-input` object's entries, then each `--set`, in order; a `--set` without `=` or a `custom` that is not an object is a `ConfigError`. */
export async function fieldEntries(ctx: CliContext, call: Invocation): Promise<[string, unknown][]> {
  const file = call.options['jsonInput'];
  const entries: [string, unknown][] = [];
  if (typeof file === 'string') {
    for (const [key, value] of Object.entries(parseJsonObject(await ctx.readInput(file, '--json-input'), 'The --json-input'))) {
      if (key !== 'custom') entries.push([key, value]);
      else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((k) => CUSTOM_FIELD.test(k))) entries.push(...Object.entries(value));
      else throw new ConfigError('Invalid --json-input', [{ field: 'custom', rule: 'type', message: 'must be an object of u_ fields (u_ then lower-case letters, digits, _)' }]);
    }
  }
  for (const assignment of (call.options['set'] as string[] | undefined) ?? []) {
    const at = assignment.indexOf('=');
    if (at < 1) throw new ConfigError('Invalid option', [{ field: '--set', rule: 'format', message: `must be field=value, got ${JSON.stringify(assignment)}` }]);
    entries.push([assignment.slice(0, at).trim(), assignment.slice(at + 1)]);
  }
  return entries;
}

/**
 * The update input for a declared table from field entries: each key is a
 * field an update may set, by its camelCase or wire name, or a custom `u_`
 * field. Unknown and read-only fields are named in one {@link ValidationError}
 * (with the settable ones), before anything is sent; `readOnlyHints` says what
 * to do instead for a read-only field, by wire name.
 */
export function updateInput(declaration: TableDeclaration, entries: readonly [string, unknown][], readOnlyHints: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const settable = Object.keys(declaration.updatable).join(', ');
  const wireToCamel = new Map(Object.entries(declaration.updatable).map(([camel, wire]) => [wire, camel]));
  const input: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  if (entries.length === 0) {
    throw new ConfigError(`Nothing to change on the ${declaration.label}`, [{ field: '--set', rule: 'required', message: 'give at least one --set field=value or a --json-input' }]);
  }
  for (const [key, value] of entries) {
    if (CUSTOM_FIELD.test(key)) {
      custom[key] = value;
      continue;
    }
    const camel = Object.hasOwn(declaration.updatable, key) ? key : wireToCamel.get(key);
    if (camel !== undefined) {
      input[camel] = value;
      continue;
    }
    const wire = Object.hasOwn(declaration.fields, key) ? key : Object.keys(declaration.fields).find((w) => toCamelCase(w) === key);
    if (wire === undefined) {
      issues.push({ field: key, rule: 'unknown_field', message: `is not a field of the ${declaration.label}` });
    } else {
      issues.push({ field: key, rule: 'read_only', message: `is read-only on update${Object.hasOwn(readOnlyHints, wire) ? ` (${readOnlyHints[wire]})` : ''}` });
    }
  }
  if (issues.length) throw new ValidationError(`Cannot update the ${declaration.label} (an update sets ${settable}, or custom u_ fields)`, issues);
  return Object.keys(custom).length ? { ...input, custom } : input;
}
