import { describe, expect, it } from 'vitest';
import { CONNECTION_MIGRATIONS } from '../../src/adapters/postgres/index.js';

describe('CONNECTION_MIGRATIONS', () => {
  it('are ordered with unique versions and names', () => {
    expect(CONNECTION_MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(CONNECTION_MIGRATIONS.map((m) => m.name)).size).toBe(CONNECTION_MIGRATIONS.length);
  });

  it('create data_source_connections with the architecture columns, a version column and a live-rows unique index', () => {
    const sql = CONNECTION_MIGRATIONS.slice(0, 2).map((m) => m.sql).join('\n');
    for (const column of ['organization_id UUID NOT NULL', 'latest_options JSONB', 'last_verification_error TEXT', 'deleted_at TIMESTAMP WITH TIME ZONE', 'version INTEGER NOT NULL DEFAULT 1', 'message_clock JSONB']) {
      expect(sql).toContain(column);
    }
    expect(sql).toMatch(/CREATE UNIQUE INDEX IF NOT EXISTS \w+\s+ON data_source_connections\(organization_id, type\) WHERE deleted_at IS NULL/);
  });

  it('migrate old servicenow delegation rows after dropping the old CHECK and before adding the new one', () => {
    const sql = CONNECTION_MIGRATIONS.find((m) => m.name === 'update_itsm_system_type_constraint')!.sql;
    const drop = sql.indexOf('DROP CONSTRAINT IF EXISTS credential_delegation_tokens_itsm_system_type_check');
    const update = sql.indexOf("SET itsm_system_type = 'servicenow_itsm' WHERE itsm_system_type = 'servicenow'");
    const add = sql.indexOf("CHECK (itsm_system_type IN ('servicenow_itsm', 'jira'))");
    expect(drop).toBeGreaterThan(-1);
    expect(update).toBeGreaterThan(drop);
    expect(add).toBeGreaterThan(update);
  });
});
