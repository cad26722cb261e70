import * as z from 'zod/mini';
import { parseJsonInput, ValidationError, zodIssues } from '../core/index.js';
import { type Classification, type ClassificationInput, compileClassifier } from '../tickets/index.js';
import type { CommandGroup } from './context.js';
import { EXIT } from './exit-codes.js';
import { ITSM_CONFIG_SETTING, itsmConfig } from './itsm-config.js';
import { addSettingOptions } from './settings.js';

/** A request as `--request` gives it: a support-counter request (other keys are ignored). */
const requestSchema = z.object({
  category: z.optional(z.string('must be a string')),
  shortDescription: z.string('must be a string'),
  detailedDescription: z.optional(z.nullable(z.string('must be a string'))),
  errorCode: z.optional(z.nullable(z.union([z.string(), z.number()], 'must be a string or a number'))),
});

function describeMatch(c: Classification): string {
  if (c.outcome === 'categoryDefault') return 'no rule matched: the category default';
  if (c.outcome === 'fallback') return 'no rule matched and the category has no default: the fallback';
  const what = [
    ...c.matched.errorCodes.map((code) => `error code ${code}`),
    ...c.matched.keywords.map((k) => `"${k}"`),
  ].join(', ');
  return `rule ${c.ruleId ?? '-'} (${what})${c.runnersUp.length ? `; also matched: ${c.runnersUp.join(', ')}` : ''}`;
}

/** `itsmkit classify`: a support request's topic, recommended resources and why. */
export const classifyCommands: CommandGroup = {
  name: 'classify',
  settings: [ITSM_CONFIG_SETTING],
  register(program, ctx) {
    const command = program
      .command('classify')
      .description('classify a support request: its topic, recommended resources and why (rules from --itsm-config, else the built-in ones)')
      .argument('[text...]', 'the short description')
      .option('--category <name>', 'the request category, e.g. "Network – VPN": rules for other categories do not apply')
      .option('--error-code <code>', 'an error code the request carries (matched exactly)')
      .option('--detail <text>', 'the detailed description (searched for keywords too)')
      .option('--request <path>', 'the request as JSON { category, shortDescription, detailedDescription?, errorCode? } from a file, or - for stdin; flags override its fields')
      .addHelpText('after', '\nExamples:\n  itsmkit classify --category "Network – VPN" "VPN keeps disconnecting"\n  echo \'{"category":"Hardware – Printer","shortDescription":"paper jam"}\' | itsmkit classify --request - --json')
      .action(
        ctx.action(async (call) => {
          const o = call.options;
          const text = call.args.join(' ').trim();
          let base: Partial<ClassificationInput> = {};
          if (typeof o['request'] === 'string') {
            const parsed = requestSchema.safeParse(parseJsonInput(await ctx.readInput(o['request'], '--request'), 'The request'));
            if (!parsed.success) throw new ValidationError('Invalid request', zodIssues(parsed.error));
            const { category, shortDescription, detailedDescription, errorCode } = parsed.data;
            base = {
              shortDescription,
              ...(category === undefined ? {} : { category }),
              ...(detailedDescription == null ? {} : { detailedDescription }),
              ...(errorCode == null ? {} : { errorCode: String(errorCode) }),
            };
          }
          const input: ClassificationInput = {
            category: (o['category'] as string | undefined) ?? base.category ?? '',
            shortDescription: text || base.shortDescription || '',
            detailedDescription: (o['detail'] as string | undefined) ?? base.detailedDescription,
            errorCode: (o['errorCode'] as string | undefined) ?? base.errorCode,
          };
          if (!input.shortDescription.trim() && !input.detailedDescription?.trim() && !input.errorCode?.trim()) {
            throw new ValidationError('Nothing to classify', [{ field: 'text', rule: 'required', message: 'give the short description as arguments, --detail, --error-code, or a --request file (- for stdin)' }]);
          }
          const { config, source } = await itsmConfig(ctx, call);
          if (call.flags.verbose) ctx.out.stderr(`# classification rules from ${source}\n`);
          const result = compileClassifier(config.classification).classify(input);
          ctx.out.result(call.flags.json, result, () => [
            `topic      ${result.topic}`,
            `matched    ${describeMatch(result)}`,
            `reason     ${result.reason}`,
            ...(result.resources.length
              ? result.resources.map((r, i) => `${i === 0 ? 'resources ' : '          '} [${r.type}] ${r.label} <${r.url}>`)
              : ['resources  (none)']),
          ]);
          return EXIT.ok;
        }),
      );
    addSettingOptions(command, [ITSM_CONFIG_SETTING], 'Rules');
  },
};
