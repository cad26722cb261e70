import { describe, expect, it } from 'vitest';
import { CHANGE_REQUEST_TABLE } from '../../src/servicenow/change-requests.js';
import { INCIDENT_TABLE } from '../../src/servicenow/incidents.js';
import { CHANGE_RISKS, CHANGE_STATES, CHANGE_TYPES, INCIDENT_STATES, LEVELS } from '../../src/servicenow/mapper.js';
import { TICKET_TYPES } from '../../src/tickets/config-schema.js';
import { DEFAULT_ITSM_CONFIG } from '../../src/tickets/default-config.js';
import { choiceRule, SERVICENOW_TICKET_TABLES } from '../../src/tickets/servicenow-ticket-tables.js';
import { isCreateOperation } from '../../src/tickets/ticket-senders.js';

describe('the tickets layer on the ServiceNow table declarations', () => {
  it('has one table declaration per ServiceNow ticket type', () => {
    expect(Object.keys(SERVICENOW_TICKET_TABLES).sort()).toEqual([...TICKET_TYPES.servicenow].sort());
    expect(SERVICENOW_TICKET_TABLES.incident.table).toBe('incident');
    expect(SERVICENOW_TICKET_TABLES.changeRequest.table).toBe('change_request');
  });

  it("takes the default config's choice names and codes from the declarations (one set of codes)", () => {
    const { incident, changeRequest } = DEFAULT_ITSM_CONFIG.fieldMapping.servicenow;
    expect(incident['urgency']).toMatchObject({ enum: ['high', 'medium', 'low'], wireValues: LEVELS.codes });
    expect(incident['impact']?.wireValues).toBe(LEVELS.codes);
    expect(incident['state']).toMatchObject({ enum: Object.keys(INCIDENT_STATES.codes), wireValues: INCIDENT_STATES.codes });
    expect(changeRequest['state']?.wireValues).toBe(CHANGE_STATES.codes);
    expect(changeRequest['risk']?.wireValues).toBe(CHANGE_RISKS.codes);
    expect(changeRequest['type']).toMatchObject({ required: true, enum: ['standard', 'normal', 'emergency'], wireValues: CHANGE_TYPES.codes });
    expect(INCIDENT_TABLE.fields.state.choice).toBe(INCIDENT_STATES);
    expect(CHANGE_REQUEST_TABLE.fields.risk.choice).toBe(CHANGE_RISKS);
  });

  it('refuses a column that is not a declared choice', () => {
    expect(() => choiceRule(INCIDENT_TABLE, 'short_description')).toThrow(TypeError);
    expect(() => choiceRule(INCIDENT_TABLE, 'no_such_column')).toThrow('incident.no_such_column is not a declared choice column');
  });

  it('knows ticket creates by their operation names', () => {
    expect(['incident.create', 'change_request.create', 'jira.issue.create'].every(isCreateOperation)).toBe(true);
    expect(['incident.update', 'problem.create', 'jira.issue.get'].some(isCreateOperation)).toBe(false);
  });
});
