// What src/servicenow offers the other folders of src/: they import from this file only
// (eslint.config.js, "Layers"). Not a package entry: the public surface is src/index.ts.
export type { ServiceNowAuthConfig } from './auth.js';
export { CHANGE_REQUEST_TABLE } from './change-requests.js';
export { CHANGE_TASK_TABLE } from './change-tasks.js';
export { ServiceNowClient } from './client.js';
export { CONFIGURATION_ITEM_TABLE } from './configuration-items.js';
export type { TableDeclaration } from './define-table.js';
export { encodedQuery } from './encoded-query.js';
export { GROUP_TABLE } from './groups.js';
export { INCIDENT_TABLE } from './incidents.js';
export type { Incident, IncidentCreate, IncidentField, IncidentFilter } from './incidents.js';
export { PROBLEM_TABLE } from './problems.js';
export { REQUESTED_ITEM_TABLE } from './requested-items.js';
export { USER_TABLE } from './users.js';
export { toCamelCase } from './mapper.js';
export type { IncidentUpdate } from './incidents.js';
