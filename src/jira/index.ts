// What src/jira offers the other folders of src/: they import from this file only
// (eslint.config.js, "Layers"). Not a package entry: the public surface is src/index.ts.
export type { JiraAuthConfig } from './auth.js';
export { JiraClient } from './client.js';
export type { CreateIssueInput, JiraDeployment, JiraIssue } from './types.js';
export type { JiraTransition } from './types.js';
export type { JiraAccount } from './users.js';
export { isTransitionNotAvailableError } from './errors.js';
export { textToAdf } from './adf.js';
export type { CustomerRequest } from './service-desk/types.js';
