import { compilePayloadValidators, snakeToCamel, TICKET_TYPES, type TicketPlatform } from '../tickets/index.js';
import type { CommandGroup } from './context.js';
import { EXIT } from './exit-codes.js';
import { ITSM_CONFIG_SETTING, itsmConfig } from './itsm-config.js';
import { parseJsonInput } from '../core/index.js';
import { addSettingOptions } from './settings.js';

const DEFAULT_TYPE: Readonly<Record<TicketPlatform, string>> = { servicenow: 'incident', jira: 'issue' };

/** `itsmkit validate`: a ticket payload against the field rules, every issue at once. */
export const validateCommands: CommandGroup = {
  name: 'validate',
  settings: [ITSM_CONFIG_SETTING],
  register(program, ctx) {
    const command = program
      .command('validate')
      .description('check a ticket payload (SDK field names) against the field rules and print every issue; exit 1 when invalid')
      .argument('<payload>', 'the payload as a JSON object: a file, or - for stdin')
      .requiredOption('--platform <platform>', `${Object.keys(TICKET_TYPES).join(' or ')}`)
      .option('--type <type>', `ticket type: ${Object.entries(TICKET_TYPES).map(([p, types]) => `${types.join(', ')} (${p})`).join('; ')}; default incident or issue`)
      .addHelpText('after', '\nExample:\n  itsmkit validate --platform servicenow --type incident payload.json')
      .action(
        ctx.action(async (call) => {
          const platform = String(call.options['platform']);
          // snake_case spellings (change_request) name the same type.
          const type = snakeToCamel(String(call.options['type'] ?? DEFAULT_TYPE[platform as TicketPlatform] ?? ''));
          const { config, source } = await itsmConfig(ctx, call);
          if (call.flags.verbose) ctx.out.stderr(`# field rules from ${source}\n`);
          const validator = compilePayloadValidators(config).get(platform, type);
          const payload = parseJsonInput(await ctx.readInput(call.args[0] as string, 'payload'), 'The payload');
          const result = validator.validate(payload);
          ctx.out.result(call.flags.json, { valid: result.ok, platform, type, issues: result.issues, ...(result.ok ? { wire: result.value } : {}) }, () =>
            result.ok
              ? [`valid ${platform} ${type}`]
              : [`invalid ${platform} ${type}: ${result.issues.length} issue${result.issues.length > 1 ? 's' : ''}`, ...result.issues.map((i) => `  ${i.field}: ${i.message} (${i.rule})`)],
          );
          return result.ok ? EXIT.ok : EXIT.failed;
        }),
      );
    addSettingOptions(command, [ITSM_CONFIG_SETTING], 'Field rules');
  },
};
