import { CHANGE_REQUEST_TABLE, INCIDENT_TABLE, type TableDeclaration } from '../servicenow/index.js';
import type { FieldRule, ServiceNowTicketType } from './config-schema.js';

/**
 * The ServiceNow table behind each ServiceNow ticket type: the client's own
 * declaration, so the tickets layer has no table names or choice codes of its own.
 */
export const SERVICENOW_TICKET_TABLES: Readonly<Record<ServiceNowTicketType, TableDeclaration>> = {
  incident: INCIDENT_TABLE,
  changeRequest: CHANGE_REQUEST_TABLE,
};

/**
 * A field rule for a declared choice column: its friendly names as the
 * allowed values, each sent as its code (`high` -> `1`). Call it
 * `@__PURE__`-annotated at module level, so bundles without the config drop it.
 */
export function choiceRule(table: TableDeclaration, column: string, rule: FieldRule = {}): FieldRule {
  const choice = table.fields[column]?.choice;
  if (!choice) throw new TypeError(`${table.table}.${column} is not a declared choice column`);
  return { type: 'string', ...rule, enum: Object.keys(choice.codes), wireValues: choice.codes };
}
