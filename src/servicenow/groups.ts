import type { Clock, Transport } from '../core/index.js';
import { defineTable, type FieldOf, type FilterOf, type RecordOf } from './define-table.js';
import { LookupResource, type LookupOptions } from './lookup-resource.js';

/** The `sys_user_group` table: the columns itsmkit reads and filters on. */
export const GROUP_TABLE = /* @__PURE__ */ defineTable({
  table: 'sys_user_group',
  label: 'group',
  displayField: 'name',
  fields: {
    name: { kind: 'string', filterable: true },
    description: { kind: 'string' },
    email: { kind: 'string' },
    type: { kind: 'string' },
    manager: { kind: 'reference', references: 'sys_user', filterable: true },
    parent: { kind: 'reference', references: 'sys_user_group', filterable: true },
    active: { kind: 'boolean', filterable: true, default: 'true' },
  },
});

/** Column names of `sys_user_group` that itsmkit knows, plus custom `u_` fields and dot-walks. */
export type GroupField = FieldOf<typeof GROUP_TABLE>;
/** A group (`sys_user_group`), camelCased and typed. */
export interface Group extends RecordOf<typeof GROUP_TABLE> {}
/** Typed filters for group searches. */
export interface GroupFilter extends FilterOf<typeof GROUP_TABLE> {}

/**
 * Groups (`sys_user_group`): find the `sys_id` behind a group name, for
 * assignment groups. Answers are cached per client (`lookupCacheTtlMs`).
 *
 * @example
 * const assignmentGroup = await sn.groups.resolveSysId('Network');
 */
export class GroupsResource extends LookupResource<typeof GROUP_TABLE, Group, GroupFilter, GroupField> {
  constructor(transport: Transport, cacheTtlMs: number, clock: Clock) {
    super(
      transport,
      GROUP_TABLE,
      {
        by: ['name'],
        activeOnly: true,
        noMatchHint: 'check the name (matched exactly against active groups), or list the groups with groups.search()',
        ambiguousHint: 'use the sys_id of the group you mean',
        describe: (g) => `${g.name ?? ''}${g.description ? ` (${g.description})` : ''}`,
      },
      cacheTtlMs,
      clock,
    );
  }

  /** The active group named `name` (or whose sys_id it is). */
  async resolve(name: string, options: LookupOptions = {}): Promise<Group> {
    return this.lookup(name, undefined, options);
  }
}
