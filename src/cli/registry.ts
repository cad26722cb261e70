import { classifyCommands } from './classify.js';
import { connectionsCommands } from './connections.js';
import type { CommandGroup } from './context.js';
import { jiraCommands } from './jira.js';
import { sandboxCommands } from './sandbox.js';
import { serviceNowCommands } from './servicenow.js';
import { templateCommands } from './template.js';
import { validateCommands } from './validate.js';

/**
 * Every command group of the CLI, in help order. A new group is one file in
 * src/cli exporting a {@link CommandGroup}, and one line here; its settings
 * then also become valid config file keys.
 */
export const commandGroups: readonly CommandGroup[] = [
  sandboxCommands,
  serviceNowCommands,
  jiraCommands,
  connectionsCommands,
  validateCommands,
  templateCommands,
  classifyCommands,
];
