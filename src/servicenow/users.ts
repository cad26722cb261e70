import type { Clock, Transport } from '../core/index.js';
import { defineTable, type FieldOf, type FilterOf, type RecordOf } from './define-table.js';
import { LookupResource, type LookupOptions } from './lookup-resource.js';

/** The `sys_user` table: the columns itsmkit reads and filters on. */
export const USER_TABLE = /* @__PURE__ */ defineTable({
  table: 'sys_user',
  label: 'user',
  displayField: 'name',
  fields: {
    user_name: { kind: 'string', filterable: true },
    name: { kind: 'string', filterable: true },
    first_name: { kind: 'string' },
    last_name: { kind: 'string' },
    email: { kind: 'string', filterable: true },
    title: { kind: 'string' },
    phone: { kind: 'string' },
    mobile_phone: { kind: 'string' },
    employee_number: { kind: 'string', filterable: true },
    department: { kind: 'reference', references: 'cmn_department', filterable: true },
    manager: { kind: 'reference', references: 'sys_user' },
    company: { kind: 'reference', references: 'core_company' },
    location: { kind: 'reference', references: 'cmn_location' },
    active: { kind: 'boolean', filterable: true, default: 'true' },
    locked_out: { kind: 'boolean', default: 'false' },
    vip: { kind: 'boolean', default: 'false' },
  },
});

/** Column names of `sys_user` that itsmkit knows, plus custom `u_` fields and dot-walks. */
export type UserField = FieldOf<typeof USER_TABLE>;
/** A user (`sys_user`), camelCased and typed. */
export interface User extends RecordOf<typeof USER_TABLE> {}
/** Typed filters for user searches. */
export interface UserFilter extends FilterOf<typeof USER_TABLE> {}

/**
 * Users (`sys_user`): find the `sys_id` behind an email address or user
 * name, so a caller, assignee or requester can be given the way people know
 * them. Answers are cached per client (`lookupCacheTtlMs`).
 *
 * @example
 * const callerId = await sn.users.resolveSysId('abel.tuter@example.com');
 * await sn.incidents.create({ shortDescription: 'Laptop will not boot', callerId });
 */
export class UsersResource extends LookupResource<typeof USER_TABLE, User, UserFilter, UserField> {
  constructor(transport: Transport, cacheTtlMs: number, clock: Clock) {
    super(
      transport,
      USER_TABLE,
      {
        by: ['email', 'user_name'],
        activeOnly: true,
        noMatchHint: 'check the address or user name (matched exactly against email and user_name of active users), or find the person with users.search()',
        ambiguousHint: 'pass the user name or the sys_id instead',
        describe: (u) => `${u.name ?? u.userName ?? ''} <${u.email ?? ''}> user_name ${u.userName ?? ''}`,
      },
      cacheTtlMs,
      clock,
    );
  }

  /** The active user whose email or user name is `emailOrUserName` (or whose sys_id it is). */
  async resolve(emailOrUserName: string, options: LookupOptions = {}): Promise<User> {
    return this.lookup(emailOrUserName, undefined, options);
  }
}
