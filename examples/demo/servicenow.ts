import { ServiceNowClient, encodedQuery, type IncidentField } from '../../src/index.js';
import type { DemoStep } from './index.js';

/** ServiceNow end to end: connection, incident lifecycle with a work note, search, change request. */
export const servicenowStep: DemoStep = async (sandbox, log) => {
  const { url, credentials } = sandbox.servicenow;
  const sn = new ServiceNowClient({
    instanceUrl: url,
    auth: { type: 'basic', username: credentials['username'] ?? '', password: credentials['password'] ?? '' },
    userAgent: 'itsmkit-demo',
  });

  const connection = await sn.testConnection();
  log(`test connection: ${connection.ok ? 'ok' : `failed (${connection.error.message})`} (${url})`);

  const incident = await sn.incidents.create({
    shortDescription: 'VPN concentrator down in Zurich',
    description: 'Users in the Zurich office cannot connect to the VPN.',
    urgency: 'high',
    impact: 'medium',
    category: 'network',
    contactType: 'self-service',
    correlationId: 'monitor-alert-4711',
  });
  log(`created ${incident.number}: "${incident.shortDescription}" urgency=${incident.urgency} impact=${incident.impact} -> priority=${incident.priority}, state=${incident.state}`);

  await sn.incidents.addWorkNote(incident.number!, '[AUTO] Failover to the standby concentrator started.');
  const notes = await sn.incidents.workNotes(incident.number!);
  log(`work notes on ${incident.number}: ${notes.map((n) => `"${n.text}" by ${n.createdBy}`).join('; ')}`);

  const open = await sn.incidents.search(
    encodedQuery<IncidentField>().where('active', '=', true).where('short_description', 'LIKE', 'VPN').orderByDesc('priority'),
    { fields: ['number', 'short_description', 'priority'] },
  );
  log(`search "active VPN incidents": ${open.total ?? open.records.length} found -> ${open.records.map((r) => r.number).join(', ')}`);

  const resolved = await sn.incidents.resolve(incident.sysId, { closeCode: 'Solution provided', closeNotes: 'Standby concentrator took over; primary replaced.' });
  log(`resolved ${resolved.number}: state=${resolved.state}, close code "${resolved.closeCode}", resolved at ${resolved.resolvedAt?.toISOString()}`);

  const change = await sn.changeRequests.create({
    type: 'normal',
    shortDescription: 'Replace the Zurich VPN concentrator',
    risk: 'moderate',
    impact: 'medium',
    startDate: new Date(Date.now() + 24 * 3600_000),
    correlationId: 'vpn-replacement-2026',
  });
  log(`created change ${change.number}: type=${change.type} risk=${change.risk} impact=${change.impact} state=${change.state}`);
};
