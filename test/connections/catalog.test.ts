import { describe, expect, it } from 'vitest';
import {
  DATA_SOURCE_TYPES,
  DEFAULT_DATA_SOURCES,
  ITSM_SOURCE_TYPES,
  isItsmType,
  isKnowledgeType,
  isValidDataSourceType,
  KNOWLEDGE_SOURCE_TYPES,
  SOURCE_GROUPS,
  SOURCE_METADATA,
} from '../../src/index.js';

describe('data-source catalog', () => {
  it('lists the six types after the ServiceNow split', () => {
    expect(DATA_SOURCE_TYPES).toEqual(['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'websearch', 'jira']);
  });

  it('seeds one default per type, with both ServiceNow connections named apart', () => {
    expect(DEFAULT_DATA_SOURCES.map((d) => d.type)).toEqual([...DATA_SOURCE_TYPES]);
    expect(DEFAULT_DATA_SOURCES.find((d) => d.type === 'servicenow')).toEqual({
      type: 'servicenow',
      name: 'ServiceNow Knowledge',
      description: 'Connect your ServiceNow knowledge base',
    });
    expect(DEFAULT_DATA_SOURCES.find((d) => d.type === 'servicenow_itsm')).toEqual({
      type: 'servicenow_itsm',
      name: 'ServiceNow ITSM',
      description: 'Import tickets from ServiceNow for Autopilot',
    });
  });

  it('splits knowledge and ITSM sources in display order, consistent with the metadata', () => {
    expect(KNOWLEDGE_SOURCE_TYPES).toEqual(['confluence', 'sharepoint', 'servicenow', 'websearch']);
    expect(ITSM_SOURCE_TYPES).toEqual(['servicenow_itsm', 'jira']);
    expect(SOURCE_GROUPS.map((g) => g.group)).toEqual(['knowledge', 'itsm']);
    for (const group of SOURCE_GROUPS) for (const type of group.types) expect(SOURCE_METADATA[type].group).toBe(group.group);
    expect([...KNOWLEDGE_SOURCE_TYPES, ...ITSM_SOURCE_TYPES].sort()).toEqual([...DATA_SOURCE_TYPES].sort());
    expect(SOURCE_METADATA.servicenow.title).toBe('ServiceNow Knowledge');
    expect(SOURCE_METADATA.websearch.title).toBe('Web Search (LGA)');
  });

  it('validates types, including hostile strings', () => {
    for (const t of DATA_SOURCE_TYPES) expect(isValidDataSourceType(t)).toBe(true);
    for (const t of ['gdrive', 'SERVICENOW', '', 'toString', '__proto__', 42, null]) expect(isValidDataSourceType(t)).toBe(false);
    expect(isItsmType('servicenow_itsm')).toBe(true);
    expect(isItsmType('jira')).toBe(true);
    expect(isItsmType('servicenow')).toBe(false);
    expect(isKnowledgeType('servicenow')).toBe(true);
    expect(isKnowledgeType('jira')).toBe(false);
  });
});
