import type { CommandGroup } from './context.js';
import { jiraCommands } from './jira.js';
import { sandboxCommands } from './sandbox.js';
import { serviceNowCommands } from './servicenow.js';

/**
 * Every command group of the CLI, in help order. A new group (`connections`,
 * `classify`, `template`, `validate`) is one file in src/cli exporting a
 * {@link CommandGroup}, and one line here; its settings then also become
 * valid config file keys.
 */
export const commandGroups: readonly CommandGroup[] = [sandboxCommands, serviceNowCommands, jiraCommands];
