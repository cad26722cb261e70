import type { FakeStore } from './store.js';
import type { Row } from './tables.js';

/** How a response should show records. */
export interface RenderOptions {
  /** `sysparm_display_value`. */
  readonly mode: 'false' | 'true' | 'all';
  /** `sysparm_exclude_reference_link`. */
  readonly excludeLinks: boolean;
  /** `sysparm_fields`, or every field. */
  readonly fields: readonly string[] | undefined;
  /** The instance origin for reference links. */
  readonly origin: string;
  /** A user's display name by sys_id, for journal headers. */
  readonly userName: (sysIdOrUserName: string) => string;
}

const ELEMENT_LABEL: Record<string, string> = { work_notes: 'Work notes', comments: 'Additional comments' };

/**
 * A stored row as the Table API shows it: strings in `false` mode, references
 * as `{link, value}` (or `""`), display texts in `true` mode, `{display_value,
 * value}` in `all` mode; journal fields `""` unless display values are asked for.
 */
export function renderRow(store: FakeStore, table: string, row: Row, options: RenderOptions): Record<string, unknown> {
  const def = store.definition(table);
  const out: Record<string, unknown> = {};
  const fields = options.fields ?? Object.keys(row);
  for (const field of fields) {
    const value = store.read(table, row, field);
    if (value === undefined) continue; // invalid fields are ignored
    const refTable = def.refs[field];
    const link = refTable && value ? `${options.origin}/api/now/table/${refTable}/${value}` : undefined;
    let display: string;
    if (refTable) display = value ? store.displayOf(refTable, value) : '';
    else if (def.journal.includes(field)) display = journalText(store, table, row, field, options);
    else display = def.choices[field]?.[value] ?? value;

    if (options.mode === 'false') {
      out[field] = link && !options.excludeLinks ? { link, value } : value;
    } else if (options.mode === 'true') {
      out[field] = link && !options.excludeLinks ? { display_value: display, link } : display;
    } else {
      out[field] = link && !options.excludeLinks ? { display_value: display, link, value } : { display_value: display, value };
    }
  }
  return out;
}

function journalText(store: FakeStore, table: string, row: Row, element: string, options: RenderOptions): string {
  return store
    .journalOf(table, row['sys_id'] ?? '', element)
    .map((e) => `${e['sys_created_on']} - ${options.userName(e['sys_created_by'] ?? '')} (${ELEMENT_LABEL[element] ?? element})\n${e['value']}\n\n`)
    .join('');
}
