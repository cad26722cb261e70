import type { Clock, Transport } from '../core/index.js';
import { defineTable, type FieldOf, type FilterOf, type RecordOf } from './define-table.js';
import { LookupResource, type LookupOptions } from './lookup-resource.js';
import { defineChoices } from './mapper.js';

/** Operational status of a configuration item. */
export const CI_OPERATIONAL_STATUSES = /* @__PURE__ */ defineChoices({
  operational: ['1', 'Operational'],
  nonOperational: ['2', 'Non-Operational'],
  repairInProgress: ['3', 'Repair in Progress'],
  drStandby: ['4', 'DR Standby'],
  ready: ['5', 'Ready'],
  retired: ['6', 'Retired'],
  pipeline: ['7', 'Pipeline'],
  catalog: ['8', 'Catalog'],
});
/** Install status of a configuration item. */
export const CI_INSTALL_STATUSES = /* @__PURE__ */ defineChoices({
  installed: ['1', 'Installed'],
  onOrder: ['2', 'On Order'],
  inMaintenance: ['3', 'In Maintenance'],
  pendingInstall: ['4', 'Pending Install'],
  pendingRepair: ['5', 'Pending Repair'],
  inStock: ['6', 'In Stock'],
  retired: ['7', 'Retired'],
  stolen: ['8', 'Stolen'],
  absent: ['100', 'Absent'],
});

/** The `cmdb_ci` table (every configuration item, whatever its class): the columns itsmkit reads and filters on. */
export const CONFIGURATION_ITEM_TABLE = /* @__PURE__ */ defineTable({
  table: 'cmdb_ci',
  label: 'configuration item',
  displayField: 'name',
  fields: {
    name: { kind: 'string', filterable: true },
    /** The CI's class table, e.g. `cmdb_ci_server`, `cmdb_ci_appl`. */
    sys_class_name: { kind: 'string', filterable: true },
    short_description: { kind: 'string' },
    category: { kind: 'string', filterable: true },
    subcategory: { kind: 'string' },
    serial_number: { kind: 'string', filterable: true },
    asset_tag: { kind: 'string', filterable: true },
    ip_address: { kind: 'string', filterable: true },
    fqdn: { kind: 'string', filterable: true },
    operational_status: { kind: 'choice', choice: CI_OPERATIONAL_STATUSES, filterable: true, default: '1' },
    install_status: { kind: 'choice', choice: CI_INSTALL_STATUSES, filterable: true, default: '1' },
    support_group: { kind: 'reference', references: 'sys_user_group', filterable: true },
    assigned_to: { kind: 'reference', references: 'sys_user' },
    managed_by: { kind: 'reference', references: 'sys_user' },
    owned_by: { kind: 'reference', references: 'sys_user' },
    company: { kind: 'reference', references: 'core_company' },
    location: { kind: 'reference', references: 'cmn_location' },
  },
});

/** Column names of `cmdb_ci` that itsmkit knows, plus custom `u_` fields and dot-walks. */
export type ConfigurationItemField = FieldOf<typeof CONFIGURATION_ITEM_TABLE>;
/** A configuration item (`cmdb_ci`), camelCased and typed. */
export interface ConfigurationItem extends RecordOf<typeof CONFIGURATION_ITEM_TABLE> {}
/** Typed filters for configuration item searches. */
export interface ConfigurationItemFilter extends FilterOf<typeof CONFIGURATION_ITEM_TABLE> {}

/** Options of {@link ConfigurationItemsResource.resolve}. */
export interface ConfigurationItemLookupOptions extends LookupOptions {
  /** Only CIs of this class (`cmdb_ci_server`): CI names are unique only within a class, if at all. */
  readonly className?: string;
}

/**
 * Configuration items (`cmdb_ci`): find the `sys_id` behind a CI name, for
 * an incident's or change's `cmdbCi`. Answers are cached per client
 * (`lookupCacheTtlMs`).
 *
 * @example
 * const cmdbCi = await sn.configurationItems.resolveSysId('vpn-zrh-01');
 * const server = await sn.configurationItems.resolve('web-01', { className: 'cmdb_ci_server' });
 */
export class ConfigurationItemsResource extends LookupResource<typeof CONFIGURATION_ITEM_TABLE, ConfigurationItem, ConfigurationItemFilter, ConfigurationItemField> {
  constructor(transport: Transport, cacheTtlMs: number, clock: Clock) {
    super(
      transport,
      CONFIGURATION_ITEM_TABLE,
      {
        by: ['name'],
        activeOnly: false,
        noMatchHint: 'check the name (matched exactly), or find the CI with configurationItems.search()',
        ambiguousHint: 'pass { className } (e.g. cmdb_ci_server) to narrow it, or use the sys_id of the CI you mean',
        describe: (ci) => `${ci.name ?? ''} (${ci.sysClassName ?? 'cmdb_ci'})`,
      },
      cacheTtlMs,
      clock,
    );
  }

  /** The configuration item named `name` (or whose sys_id it is), of class `className` when given. */
  async resolve(name: string, options: ConfigurationItemLookupOptions = {}): Promise<ConfigurationItem> {
    const { className, ...rest } = options;
    return this.lookup(name, className === undefined ? undefined : { sys_class_name: className }, rest);
  }
}
