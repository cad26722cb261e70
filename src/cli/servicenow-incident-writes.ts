import { formatBytes } from '../core/index.js';
import type { Incident, IncidentUpdate, ServiceNowClient } from '../servicenow/index.js';
import { ATTACH_NOT_IDEMPOTENT, attachArguments, cliUpload } from './attach.js';
import { fieldEntries, fieldInputOptions, updateInput } from './field-input.js';
import { incidentJson, incidentLines } from './servicenow-incident.js';
import { textArgument } from './text-argument.js';
import type { Verb } from './verbs.js';

/** What to do instead of setting a field an update cannot set, by wire name. */
const READ_ONLY_HINTS: Readonly<Record<string, string>> = {
  priority: 'the instance derives it from impact and urgency: set those',
  work_notes: 'add one with `incident work-note`',
  comments: 'add one with `incident comment`',
  number: 'the instance numbers incidents',
};

const ID_ARGUMENT = ['<id>', 'number (INC0010001) or sys_id'] as const;

/** The lines after a write: what happened, then the incident as it is now. */
function written(what: string, incident: Incident): () => string[] {
  return () => [`${what}: ${incident.number}`, ...incidentLines(incident)];
}

const update: Verb<ServiceNowClient> = {
  path: ['incident', 'update'],
  description: 'change fields of an incident: --set short_description="VPN down" --set urgency=high, or a JSON object with -f (safe to repeat)',
  define: (c) => fieldInputOptions(c.argument(...ID_ARGUMENT), 'e.g. shortDescription, urgency, impact, state, assignedTo'),
  run: async (sn, call, ctx) => {
    const changes = updateInput(sn.incidents.declaration, await fieldEntries(ctx, call), READ_ONLY_HINTS) as IncidentUpdate;
    const updated = await sn.incidents.update(call.args[0] as string, changes, { signal: ctx.signal });
    ctx.out.result(call.flags.json, incidentJson(updated), written('updated', updated));
  },
};

const workNote: Verb<ServiceNowClient> = {
  path: ['incident', 'work-note'],
  description: 'add a work note (internal). Not idempotent: it is not re-sent after an ambiguous failure, and running it again posts a second note',
  define: (c) => c.argument(...ID_ARGUMENT).argument('<text>', 'the note, or - to read it from stdin'),
  run: async (sn, call, ctx) => {
    const text = await textArgument(ctx, call.args[1] as string);
    const updated = await sn.incidents.addWorkNote(call.args[0] as string, text, { signal: ctx.signal });
    ctx.out.result(call.flags.json, incidentJson(updated), written('work note added', updated));
  },
};

const comment: Verb<ServiceNowClient> = {
  path: ['incident', 'comment'],
  description: 'add an additional comment (visible to the caller). Not idempotent: it is not re-sent after an ambiguous failure, and running it again posts a second comment',
  define: (c) => c.argument(...ID_ARGUMENT).argument('<text>', 'the comment, or - to read it from stdin'),
  run: async (sn, call, ctx) => {
    const text = await textArgument(ctx, call.args[1] as string);
    const updated = await sn.incidents.addComment(call.args[0] as string, text, { signal: ctx.signal });
    ctx.out.result(call.flags.json, incidentJson(updated), written('comment added', updated));
  },
};

const resolve: Verb<ServiceNowClient> = {
  path: ['incident', 'resolve'],
  description: 'resolve an incident with a resolution code and notes (the usual data policy requires both; safe to repeat)',
  define: (c) =>
    c
      .argument(...ID_ARGUMENT)
      .requiredOption('--close-code <code>', 'resolution code, e.g. "Solution provided" (valid codes vary per instance)')
      .requiredOption('--close-notes <text>', 'resolution notes'),
  run: async (sn, call, ctx) => {
    const o = call.options;
    const resolved = await sn.incidents.resolve(call.args[0] as string, { closeCode: o['closeCode'] as string, closeNotes: o['closeNotes'] as string }, { signal: ctx.signal });
    ctx.out.result(call.flags.json, incidentJson(resolved), written('resolved', resolved));
  },
};

const close: Verb<ServiceNowClient> = {
  path: ['incident', 'close'],
  description: 'close an incident; a resolution code and notes are needed unless it has them already (from resolve) (safe to repeat)',
  define: (c) => c.argument(...ID_ARGUMENT).option('--close-code <code>', 'resolution code, e.g. "Solution provided"').option('--close-notes <text>', 'resolution notes'),
  run: async (sn, call, ctx) => {
    const o = call.options;
    const resolution = { ...(o['closeCode'] === undefined ? {} : { closeCode: o['closeCode'] as string }), ...(o['closeNotes'] === undefined ? {} : { closeNotes: o['closeNotes'] as string }) };
    const closed = await sn.incidents.close(call.args[0] as string, resolution, { signal: ctx.signal });
    ctx.out.result(call.flags.json, incidentJson(closed), written('closed', closed));
  },
};

const attach: Verb<ServiceNowClient> = {
  path: ['incident', 'attach'],
  description: `upload a file to an incident (the Attachment API). ${ATTACH_NOT_IDEMPOTENT}`,
  define: (c) => attachArguments(c.argument(...ID_ARGUMENT)),
  run: async (sn, call, ctx) => {
    const [id, file] = call.args as [string, string];
    const upload = cliUpload(ctx, call, file);
    // By number or sys_id: the Attachment API takes the sys_id, and a missing incident is a NotFoundError here.
    const incident = await sn.incidents.get(id, { fields: ['sys_id', 'number'], signal: ctx.signal });
    const attached = await sn.attachments.upload('incident', incident.sysId, upload.source, upload.options).finally(upload.done);
    ctx.out.result(call.flags.json, { incidentNumber: incident.number, ...attached }, () => [
      `attached ${attached.fileName} (${formatBytes(attached.sizeBytes)}, ${attached.contentType}) to ${incident.number}`,
      `  attachment sys_id ${attached.sysId}`,
    ]);
  },
};

/** `servicenow incident update | work-note | comment | resolve | close | attach`: the writes after create. */
export const INCIDENT_UPDATE_VERBS: readonly Verb<ServiceNowClient>[] = [update, workNote, comment, resolve, close, attach];
