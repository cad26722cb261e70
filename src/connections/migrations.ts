/** One schema migration, run in `version` order, each once. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** PostgreSQL 15+ SQL; safe to run on a database that already has the seed's tables. */
  readonly sql: string;
}

/**
 * The connections layer's PostgreSQL schema, for the postgres adapter to run.
 *
 * 1. `data_source_connections` as seed 002 defines it (minus the foreign key to
 *    a host `organizations` table and the host's `updated_at` trigger, which
 *    the SDK cannot assume; the store sets `updated_at`).
 * 2. Optimistic concurrency (`version`), the status-message clock
 *    (`message_clock`, see `applyStatusMessage`), and a unique index on
 *    (organization, type) over live rows only, replacing the seed's table-wide
 *    constraint so a soft-deleted type can be seeded again.
 * 3. `credential_delegation_tokens` in its pre-split shape (`servicenow | jira`),
 *    for databases that do not have it yet.
 * 4. Seed 000's CHECK-constraint migration: old `servicenow` rows become
 *    `servicenow_itsm` first, then only `servicenow_itsm | jira` is allowed.
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
];
