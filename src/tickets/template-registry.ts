import { TemplateError, walkProblem } from '../core/index.js';
import type { TemplateDefinition, TemplateVariable, TicketPlatform, TicketType } from './config-schema.js';
import { compileTemplate, type CompiledTemplate, type RenderedTemplate, type TemplateVariables } from './template.js';

/** One template as {@link TemplateRegistry.list} describes it. */
export interface TemplateSummary {
  readonly name: string;
  readonly platform: TicketPlatform;
  readonly ticketType: TicketType;
  readonly description: string | undefined;
  /** Every variable the template uses or declares. */
  readonly variables: readonly string[];
  readonly declared: Readonly<Record<string, TemplateVariable>>;
}

/**
 * The templates of a configuration, compiled once at construction (every
 * broken template is reported then, not at first use).
 *
 * @example
 * const templates = new TemplateRegistry(config.templates);
 * const { payload } = templates.render('jira-job-failure-bug', { job: { id: '42', name: 'nightly' }, ... });
 */
export class TemplateRegistry {
  readonly #templates: ReadonlyMap<string, CompiledTemplate>;

  constructor(templates: Readonly<Record<string, TemplateDefinition>>) {
    const compiled = new Map<string, CompiledTemplate>();
    const problems: TemplateError[] = [];
    if (typeof templates !== 'object' || templates === null || Array.isArray(templates)) {
      throw new TemplateError('Templates must be an object of template definitions by name', {
        template: '(registry)',
        issues: [{ field: '(root)', rule: 'type', message: 'must be an object of template definitions by name' }],
      });
    }
    // The names and definitions only (each definition's own walk is compileTemplate's).
    const unreadable = walkProblem(templates, 0);
    if (unreadable?.rule === 'unreadable') {
      throw new TemplateError(`Templates cannot be read: ${unreadable.path} ${unreadable.message}`, {
        template: unreadable.path === '(root)' ? '(registry)' : unreadable.path,
        issues: [{ field: unreadable.path, rule: 'unreadable', message: unreadable.message }],
      });
    }
    for (const [name, definition] of Object.entries(templates)) {
      try {
        compiled.set(name, compileTemplate(definition, name));
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        problems.push(e);
      }
    }
    if (problems.length) {
      throw new TemplateError(problems.map((p) => p.message).join('\n'), {
        template: problems.map((p) => p.template).join(', '),
        issues: problems.flatMap((p) => p.issues.map((i) => ({ ...i, field: `${p.template}.${i.field}` }))),
      });
    }
    this.#templates = compiled;
  }

  /** Every template, in configuration order. */
  list(): TemplateSummary[] {
    return [...this.#templates.values()].map((t) => ({
      name: t.name,
      platform: t.platform,
      ticketType: t.ticketType,
      description: t.description,
      variables: t.variables,
      declared: t.declared,
    }));
  }

  /** Whether a template of that name exists. */
  has(name: string): boolean {
    return this.#templates.has(name);
  }

  /** The compiled template; an unknown name throws a {@link TemplateError} naming it. */
  get(name: string): CompiledTemplate {
    const template = this.#templates.get(name);
    if (!template) {
      const known = [...this.#templates.keys()];
      throw new TemplateError(`Unknown template "${name}"${known.length ? `; known: ${known.join(', ')}` : ''}`, {
        template: name,
        issues: [{ field: 'template', rule: 'unknown', message: `no template named "${name}"` }],
      });
    }
    return template;
  }

  /** Renders a template by name; see {@link compileTemplate} for the rules. */
  render(name: string, variables: TemplateVariables): RenderedTemplate {
    return this.get(name).render(variables);
  }
}
