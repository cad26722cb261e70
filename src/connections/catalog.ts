/**
 * The data-source catalog: every connection type, the defaults a seed creates,
 * and the knowledge vs ITSM grouping. The one source of truth the rest of the
 * connections layer (client, service, handler, parser) reads.
 */

/** Every data-source type, after ServiceNow was split into a knowledge base and an ITSM connection. */
export const DATA_SOURCE_TYPES = ['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'websearch', 'jira'] as const;

/** A data-source type: `servicenow` is the knowledge base, `servicenow_itsm` the tickets. */
export type DataSourceType = (typeof DATA_SOURCE_TYPES)[number];

/** Knowledge sources (articles), in display order. */
export const KNOWLEDGE_SOURCE_TYPES = ['confluence', 'sharepoint', 'servicenow', 'websearch'] as const;

/** ITSM sources (tickets), in display order. */
export const ITSM_SOURCE_TYPES = ['servicenow_itsm', 'jira'] as const;

/** A knowledge-source type. */
export type KnowledgeSourceType = (typeof KNOWLEDGE_SOURCE_TYPES)[number];

/** The ITSM system a connection or a credential delegation is for. */
export type ItsmSystemType = (typeof ITSM_SOURCE_TYPES)[number];

/** Which group a type is shown in. */
export type SourceGroup = 'knowledge' | 'itsm';

/** What a UI needs to show one type. */
export interface SourceMetadata {
  readonly type: DataSourceType;
  readonly title: string;
  readonly description?: string;
  readonly group: SourceGroup;
  /** Whether the external service needs credentials (verified) before the connection can sync. */
  readonly requiresCredentials: boolean;
  /** The key under which a verification message lists what can be selected (`spaces`, `tables`, `sites`). */
  readonly optionsKey?: string;
}

/** Display metadata per type. */
export const SOURCE_METADATA: Readonly<Record<DataSourceType, SourceMetadata>> = {
  confluence: { type: 'confluence', title: 'Confluence', group: 'knowledge', requiresCredentials: true, optionsKey: 'spaces' },
  servicenow: { type: 'servicenow', title: 'ServiceNow Knowledge', group: 'knowledge', requiresCredentials: true, optionsKey: 'tables' },
  servicenow_itsm: {
    type: 'servicenow_itsm',
    title: 'ServiceNow ITSM',
    description: 'Import tickets for Autopilot clustering.',
    group: 'itsm',
    requiresCredentials: true,
    optionsKey: 'tables',
  },
  sharepoint: { type: 'sharepoint', title: 'SharePoint', group: 'knowledge', requiresCredentials: true, optionsKey: 'sites' },
  websearch: {
    type: 'websearch',
    title: 'Web Search (LGA)',
    description: "Use web results to supplement answers when knowledge isn't found.",
    group: 'knowledge',
    requiresCredentials: false,
  },
  jira: {
    type: 'jira',
    title: 'Jira',
    description: 'Import tickets from Jira for autopilot clustering.',
    group: 'itsm',
    requiresCredentials: true,
    optionsKey: 'projects',
  },
};

/** One default connection a seed creates. */
export interface DataSourceSeed {
  readonly type: DataSourceType;
  readonly name: string;
  readonly description: string;
}

/** The placeholder connections `seed` creates once per organization and type (both ServiceNow types included). */
export const DEFAULT_DATA_SOURCES: readonly DataSourceSeed[] = [
  { type: 'confluence', name: 'Confluence', description: 'Connect your Atlassian Confluence workspace' },
  { type: 'servicenow', name: 'ServiceNow Knowledge', description: 'Connect your ServiceNow knowledge base' },
  { type: 'servicenow_itsm', name: 'ServiceNow ITSM', description: 'Import tickets from ServiceNow for Autopilot' },
  { type: 'sharepoint', name: 'SharePoint', description: 'Connect your Microsoft SharePoint' },
  { type: 'websearch', name: 'Web Search', description: 'Search the public web' },
  { type: 'jira', name: 'Jira', description: 'Connect your Atlassian Jira instance' },
];

/** The groups in display order, each with its types in display order. */
export const SOURCE_GROUPS: readonly { readonly group: SourceGroup; readonly title: string; readonly types: readonly DataSourceType[] }[] = [
  { group: 'knowledge', title: 'Knowledge Sources', types: KNOWLEDGE_SOURCE_TYPES },
  { group: 'itsm', title: 'ITSM Sources', types: ITSM_SOURCE_TYPES },
];

/** True for a type this catalog knows. */
export function isValidDataSourceType(type: unknown): type is DataSourceType {
  return typeof type === 'string' && Object.hasOwn(SOURCE_METADATA, type);
}

/** True for the ticket sources (`servicenow_itsm`, `jira`): the only types ticket sync and credential delegations accept. */
export function isItsmType(type: unknown): type is ItsmSystemType {
  return type === 'servicenow_itsm' || type === 'jira';
}

/** True for the knowledge sources. */
export function isKnowledgeType(type: unknown): type is KnowledgeSourceType {
  return isValidDataSourceType(type) && SOURCE_METADATA[type].group === 'knowledge';
}
