import { ConfigError } from '../../core/index.js';

/** One schema migration, run in `version` order, each once. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** PostgreSQL 15+ SQL; safe to run on a database that already has these tables. */
  readonly sql: string;
}

/**
 * The connections' PostgreSQL schema, which the PostgreSQL stores run
 * (`migrate()`, or `runMigrations(client, CONNECTION_MIGRATIONS)`).
 *
 * 1. `data_source_connections` as the data-sources architecture defines it
 *    (minus the foreign key to a host `organizations` table and the host's
 *    `updated_at` trigger, which the SDK cannot assume; the store sets `updated_at`).
 * 2. Optimistic concurrency (`version`), the status-message clock
 *    (`message_clock`, see `applyStatusMessage`), and a unique index on
 *    (organization, type) over live rows only, replacing the table-wide
 *    constraint so a soft-deleted type can be seeded again.
 * 3. `credential_delegation_tokens` in its shape from before ServiceNow was
 *    split (`servicenow | jira`), for databases that do not have it yet.
 * 4. The split's CHECK-constraint migration: old `servicenow` rows become
 *    `servicenow_itsm` first, then only `servicenow_itsm | jira` is allowed.
 * 5. `used_at` on delegations (when an invitation was redeemed), and
 *    `data_source_audit_logs`, the audit trail of configuration and status
 *    changes (its own name, so a host's `audit_logs` of another shape is left alone).
 *
 * Row-level security is opt-in: add {@link rowLevelSecurityMigration}.
 */
export const CONNECTION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create_data_source_connections',
    sql: `
CREATE TABLE IF NOT EXISTS data_source_connections (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id UUID NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  config JSONB DEFAULT '{}'::jsonb,
  status TEXT DEFAULT 'idle' NOT NULL,
  last_sync_status TEXT DEFAULT NULL,
  latest_options JSONB DEFAULT NULL,
  enabled BOOLEAN DEFAULT false,
  last_verification_at TIMESTAMP WITH TIME ZONE,
  last_verification_error TEXT,
  last_sync_at TIMESTAMP WITH TIME ZONE,
  last_sync_error TEXT,
  created_by UUID NOT NULL,
  updated_by UUID NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  deleted_at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT unique_type_per_org UNIQUE (organization_id, type)
);
CREATE INDEX IF NOT EXISTS idx_data_source_connections_org_id ON data_source_connections(organization_id);
CREATE INDEX IF NOT EXISTS idx_data_source_connections_type ON data_source_connections(type);
CREATE INDEX IF NOT EXISTS idx_data_source_connections_status ON data_source_connections(status);
CREATE INDEX IF NOT EXISTS idx_data_source_connections_enabled ON data_source_connections(enabled) WHERE enabled = true;
CREATE INDEX IF NOT EXISTS idx_data_source_connections_org_type ON data_source_connections(organization_id, type);
`,
  },
  {
    version: 2,
    name: 'data_source_connections_versioning',
    sql: `
ALTER TABLE data_source_connections ADD COLUMN IF NOT EXISTS version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE data_source_connections ADD COLUMN IF NOT EXISTS message_clock JSONB NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE data_source_connections DROP CONSTRAINT IF EXISTS unique_type_per_org;
CREATE UNIQUE INDEX IF NOT EXISTS uq_data_source_connections_live_org_type
  ON data_source_connections(organization_id, type) WHERE deleted_at IS NULL;
`,
  },
  {
    version: 3,
    name: 'create_credential_delegation_tokens',
    sql: `
CREATE TABLE IF NOT EXISTS credential_delegation_tokens (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id UUID NOT NULL,
  itsm_system_type TEXT NOT NULL CHECK (itsm_system_type IN ('servicenow', 'jira')),
  delegate_email TEXT NOT NULL,
  connection_id UUID REFERENCES data_source_connections(id) ON DELETE SET NULL,
  token_hash TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'pending',
  created_by UUID NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX IF NOT EXISTS idx_credential_delegation_tokens_org ON credential_delegation_tokens(organization_id);
`,
  },
  {
    version: 4,
    name: 'update_itsm_system_type_constraint',
    sql: `
-- The old constraint would refuse the new value, so it goes first; then the
-- old rows are migrated, then the new constraint is added (and checked).
ALTER TABLE credential_delegation_tokens
  DROP CONSTRAINT IF EXISTS credential_delegation_tokens_itsm_system_type_check;
UPDATE credential_delegation_tokens SET itsm_system_type = 'servicenow_itsm' WHERE itsm_system_type = 'servicenow';
ALTER TABLE credential_delegation_tokens
  ADD CONSTRAINT credential_delegation_tokens_itsm_system_type_check
  CHECK (itsm_system_type IN ('servicenow_itsm', 'jira'));
`,
  },
  {
    version: 5,
    name: 'delegation_redeem_and_audit_log',
    sql: `
ALTER TABLE credential_delegation_tokens ADD COLUMN IF NOT EXISTS used_at TIMESTAMP WITH TIME ZONE;
CREATE TABLE IF NOT EXISTS data_source_audit_logs (
  seq BIGSERIAL PRIMARY KEY,
  entry_id TEXT UNIQUE,
  organization_id UUID NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  connection_id UUID,
  at TIMESTAMP WITH TIME ZONE NOT NULL,
  details JSONB
);
CREATE INDEX IF NOT EXISTS idx_data_source_audit_logs_org_at ON data_source_audit_logs(organization_id, at);
`,
  },
];

/** Options of {@link rowLevelSecurityMigration}. */
export interface RowLevelSecurityOptions {
  /**
   * The session setting that names the caller's organization (a UUID), e.g.
   * the one the host's API already sets per request. @default 'itsmkit.organization_id'
   */
  readonly setting?: string;
}

/** The tables the policies cover, each with its organization column. */
const ORGANIZATION_TABLES = ['data_source_connections', 'credential_delegation_tokens', 'data_source_audit_logs'];

/**
 * Optional row-level security by organization (version 6): on the
 * connections, delegations and audit tables, a session sees and writes only
 * the rows of the organization its `setting` names (`SET itsmkit.organization_id = '...'`,
 * or `SET LOCAL` per transaction), and none while it names none. The table
 * owner is exempt (PostgreSQL does not apply policies to it unless forced),
 * so the SDK's own stores, connected as the owner, still serve every
 * organization: the StatusConsumer must. Run it after the others:
 * `migrations: [...CONNECTION_MIGRATIONS, rowLevelSecurityMigration()]`.
 */
export function rowLevelSecurityMigration(options: RowLevelSecurityOptions = {}): Migration {
  const setting = options.setting ?? 'itsmkit.organization_id';
  if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(setting)) {
    throw new ConfigError('Invalid row-level security setting', [
      { field: 'setting', rule: 'pattern', message: 'must be a custom setting name such as app.organization_id (lower-case letters, digits and _, one dot)' },
    ]);
  }
  const organization = `NULLIF(current_setting('${setting}', true), '')::uuid`;
  return {
    version: 6,
    name: 'organization_row_level_security',
    sql: ORGANIZATION_TABLES.map(
      (table) => `
ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS itsmkit_organization_isolation ON ${table};
CREATE POLICY itsmkit_organization_isolation ON ${table}
  USING (organization_id = ${organization})
  WITH CHECK (organization_id = ${organization});`,
    ).join('\n'),
  };
}
