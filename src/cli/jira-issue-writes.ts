import { Option } from 'commander';
import { AmbiguousMatchError, ConfigError, formatBytes, isAmbiguousMatchError, isNoMatchError, NoMatchError } from '../core/index.js';
import type { JiraAccount, JiraClient, JiraTransition } from '../jira/index.js';
import { ATTACH_NOT_IDEMPOTENT, attachArguments, cliUpload } from './attach.js';
import { withoutKeys } from './remote.js';
import { textArgument } from './text-argument.js';
import type { Verb } from './verbs.js';

const KEY_ARGUMENT = ['<key>', 'issue key (OPS-1) or id'] as const;

/** A transition for `--json`: id, name and the status it leads to. */
function transitionJson(t: JiraTransition): { id: string; name: string; to: string | null } {
  return { id: t.id, name: t.name, to: t.to?.name ?? null };
}

const comment: Verb<JiraClient> = {
  path: ['issue', 'comment'],
  description: 'add a comment (plain text; ADF on Cloud). Not idempotent: it is not re-sent after an ambiguous failure, and running it again posts a second comment',
  define: (c) =>
    c
      .argument(...KEY_ARGUMENT)
      .argument('<text>', 'the comment, or - to read it from stdin')
      .addOption(new Option('--role <name>', 'only members of this project role see it').conflicts('group'))
      .addOption(new Option('--group <name>', 'only members of this group see it')),
  run: async (jira, call, ctx) => {
    const key = call.args[0] as string;
    const o = call.options;
    const visibility = typeof o['role'] === 'string' ? { type: 'role' as const, value: o['role'] } : typeof o['group'] === 'string' ? { type: 'group' as const, value: o['group'] } : undefined;
    const added = await jira.issues.addComment(key, await textArgument(ctx, call.args[1] as string), { ...(visibility ? { visibility } : {}), signal: ctx.signal });
    ctx.out.result(call.flags.json, { issueKey: key, ...withoutKeys(added, ['raw']) }, () => [`comment ${added.id} added to ${key}${visibility ? ` (visible to ${visibility.type} ${visibility.value})` : ''}`]);
  },
};

const transition: Verb<JiraClient> = {
  path: ['issue', 'transition'],
  description: 'move an issue along its workflow by transition name, id or target status; without one, list the transitions available now (running it again fails: the transition is no longer available)',
  define: (c) =>
    c
      .argument(...KEY_ARGUMENT)
      .argument('[transition]', 'transition name ("Start Progress"), id, or the status it leads to')
      .option('--resolution <name>', 'a resolution, for transitions whose screen asks for one (e.g. Done)')
      .option('--comment <text>', 'a comment added with the transition'),
  run: async (jira, call, ctx) => {
    const [key, to] = call.args as [string, string | undefined];
    const o = call.options;
    if (to === undefined) {
      const available = await jira.issues.transitions(key, { signal: ctx.signal });
      ctx.out.result(call.flags.json, { issueKey: key, transitions: available.map(transitionJson) }, () =>
        available.length
          ? [`transitions available for ${key}:`, ...available.map((t) => `  ${t.id.padEnd(6)} ${t.name}${t.to ? ` -> ${t.to.name}` : ''}`)]
          : [`no transitions available for ${key} (the user may lack the Transition issues permission)`],
      );
      return;
    }
    const done = await jira.issues.transition(key, {
      to,
      ...(typeof o['resolution'] === 'string' ? { resolution: o['resolution'] } : {}),
      ...(typeof o['comment'] === 'string' ? { comment: o['comment'] } : {}),
      signal: ctx.signal,
    });
    ctx.out.result(call.flags.json, { issueKey: key, transition: transitionJson(done) }, () => [`${key}: ${done.name}${done.to ? ` -> ${done.to.name}` : ''}`]);
  },
};

/** Who an assignee is, for people: name, address, id. */
function describeAccount(a: JiraAccount): string {
  return `${a.displayName ?? a.id} <${a.emailAddress ?? 'email hidden'}> (${a.id})`;
}

/**
 * A user lookup's error with the CLI's way out (`--id`) in place of the SDK's
 * (`users.find()`): the same error type, query and candidates.
 */
function withCliHint(error: unknown): unknown {
  if (isAmbiguousMatchError(error)) {
    return new AmbiguousMatchError({ platform: error.platform, what: error.what, query: error.query, candidates: error.candidates, hint: 'pass the full email address or display name, or one of these ids with --id' });
  }
  if (isNoMatchError(error)) {
    const finding = error.message.slice(`No ${error.platform} ${error.what} matches "${error.query}": `.length).replace(/, or list them with users\.find\(\)$/, '');
    return new NoMatchError({ platform: error.platform, what: error.what, query: error.query, hint: `${finding}, or give the user's id with --id` });
  }
  return error;
}

const assign: Verb<JiraClient> = {
  path: ['issue', 'assign'],
  description: 'assign an issue to the one active person an email address or name matches, to a user id, or to nobody (safe to repeat)',
  define: (c) =>
    c
      .argument(...KEY_ARGUMENT)
      .argument('[user]', 'email address or display name of an active person (several or no matches is an error naming them)')
      .addOption(new Option('--id <id>', 'the user id instead: account id on Cloud, user name on Data Center').conflicts('unassign'))
      .option('--unassign', 'leave the issue unassigned'),
  run: async (jira, call, ctx) => {
    const [key, user] = call.args as [string, string | undefined];
    const id = call.options['id'] as string | undefined;
    const unassign = call.options['unassign'] === true;
    if ([user !== undefined, id !== undefined, unassign].filter(Boolean).length !== 1) {
      throw new ConfigError('Invalid assignee', [{ field: '[user]', rule: 'required', message: 'give exactly one of: an email address or name, --id <id>, or --unassign' }]);
    }
    // Resolved here (rather than by assign) so the output can say who it is; the same public lookup assign({ email }) makes.
    const account =
      user === undefined
        ? undefined
        : await jira.users.resolve(user, { signal: ctx.signal }).catch((error: unknown) => {
            throw withCliHint(error);
          });
    const assigneeId = unassign ? null : (account?.id ?? (id as string));
    await jira.issues.assign(key, assigneeId === null ? null : { id: assigneeId }, { signal: ctx.signal });
    const assignee = assigneeId === null ? null : { id: assigneeId, displayName: account?.displayName ?? null, emailAddress: account?.emailAddress ?? null };
    ctx.out.result(call.flags.json, { issueKey: key, assignee }, () => [assigneeId === null ? `${key}: unassigned` : `${key}: assigned to ${account ? describeAccount(account) : assigneeId}`]);
  },
};

const attach: Verb<JiraClient> = {
  path: ['issue', 'attach'],
  description: `upload a file to an issue; the site's size limit is checked first. ${ATTACH_NOT_IDEMPOTENT}`,
  define: (c) => attachArguments(c.argument(...KEY_ARGUMENT)),
  run: async (jira, call, ctx) => {
    const [key, file] = call.args as [string, string];
    const upload = cliUpload(ctx, call, file);
    const attached = await jira.attachments.upload(key, upload.source, upload.options).finally(upload.done);
    ctx.out.result(call.flags.json, { issueKey: key, ...withoutKeys(attached, []) }, () => [
      `attached ${attached.fileName} (${formatBytes(attached.sizeBytes)}, ${attached.mimeType}) to ${key}`,
      `  attachment id ${attached.id}`,
    ]);
  },
};

/** `jira issue comment | transition | assign | attach`: the writes after create. */
export const ISSUE_UPDATE_VERBS: readonly Verb<JiraClient>[] = [comment, transition, assign, attach];
