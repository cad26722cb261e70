import { TicketService } from '../tickets/index.js';
import type { CliContext, CommandGroup, Invocation } from './context.js';
import { EXIT } from './exit-codes.js';
import { ITSM_CONFIG_SETTING, itsmConfig } from './itsm-config.js';
import { parseJsonObject } from '../core/index.js';
import { addSettingOptions } from './settings.js';

/** A TicketService with no clients: it renders and validates, and cannot send. */
async function offlineTickets(ctx: CliContext, call: Invocation): Promise<TicketService> {
  const { config, source } = await itsmConfig(ctx, call);
  if (call.flags.verbose) ctx.out.stderr(`# templates from ${source}\n`);
  return new TicketService({ config });
}

/** `itsmkit template list | render`. */
export const templateCommands: CommandGroup = {
  name: 'template',
  settings: [ITSM_CONFIG_SETTING],
  register(program, ctx) {
    const group = program.command('template').description('list ticket templates and render them (from --itsm-config, else the built-in ones); nothing is sent');

    const list = group
      .command('list')
      .description('every template: platform, ticket type and variables (* required)')
      .action(
        ctx.action(async (call) => {
          const templates = (await offlineTickets(ctx, call)).listTemplates();
          ctx.out.result(call.flags.json, { templates }, () =>
            templates.flatMap((t) => [
              `${t.name}  (${t.platform} ${t.ticketType})${t.description ? `: ${t.description}` : ''}`,
              `  variables: ${t.variables.map((v) => `${v}${(t.declared[v]?.required ?? t.declared[v]?.default === undefined) ? '*' : ''}`).join(', ') || '(none)'}`,
            ]),
          );
        }),
      );

    const render = group
      .command('render')
      .description('render a template with variables and check the result against the field rules; exit 1 when it would be refused')
      .argument('<name>', 'template name (see template list)')
      .option('--vars <path>', 'variables as a JSON object, from a file or - for stdin (nested objects fill dotted placeholders: {job.id})')
      .option('--correlation-key <key>', 'the correlation key to preview (default: what the template renders)')
      .addHelpText('after', '\nExample:\n  itsmkit template render jira-job-failure-bug --vars vars.json --json')
      .action(
        ctx.action(async (call) => {
          const tickets = await offlineTickets(ctx, call);
          const vars = typeof call.options['vars'] === 'string' ? parseJsonObject(await ctx.readInput(call.options['vars'], '--vars'), 'The variables') : {};
          const key = call.options['correlationKey'];
          const preview = tickets.previewTemplate(call.args[0] as string, vars, typeof key === 'string' ? { correlationKey: key } : {});
          const valid = preview.issues.length === 0;
          ctx.out.result(call.flags.json, { ...preview, valid }, () => [
            `${preview.template} -> ${preview.platform} ${preview.ticketType}${preview.correlationKey ? `, correlation key ${preview.correlationKey}` : ''}`,
            ...JSON.stringify(preview.payload, null, 2).split('\n'),
            ...(valid ? ['valid: would be sent as is'] : [`invalid: ${preview.issues.length} issue${preview.issues.length > 1 ? 's' : ''}`, ...preview.issues.map((i) => `  ${i.field}: ${i.message} (${i.rule})`)]),
          ]);
          return valid ? EXIT.ok : EXIT.failed;
        }),
      );
    for (const command of [list, render]) addSettingOptions(command, [ITSM_CONFIG_SETTING], 'Templates');
  },
};
