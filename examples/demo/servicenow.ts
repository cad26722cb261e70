import { ServiceNowClient, encodedQuery, type IncidentField } from '../../src/index.js';
import type { DemoStep } from './index.js';

/**
 * ServiceNow end to end: connection, lookups of people, groups and CIs,
 * incident lifecycle with a work note, search, a problem, a change request
 * with a task, a requested item's work note.
 */
export const servicenowStep: DemoStep = async (sandbox, log) => {
  const { url, credentials } = sandbox.servicenow;
  const sn = new ServiceNowClient({
    instanceUrl: url,
    auth: { type: 'basic', username: credentials['username'] ?? '', password: credentials['password'] ?? '' },
    userAgent: 'itsmkit-demo',
  });

  const connection = await sn.testConnection();
  log(`test connection: ${connection.ok ? 'ok' : `failed (${connection.error.message})`} (${url})`);

  const callerId = await sn.users.resolveSysId('abel.tuter@example.com');
  const assignmentGroup = await sn.groups.resolveSysId('Network');
  const cmdbCi = await sn.configurationItems.resolveSysId('vpn-zrh-01');
  log(`lookups: abel.tuter@example.com -> sys_user ${callerId}, "Network" -> sys_user_group ${assignmentGroup}, "vpn-zrh-01" -> cmdb_ci ${cmdbCi}`);

  const incident = await sn.incidents.create({
    shortDescription: 'VPN concentrator down in Zurich',
    description: 'Users in the Zurich office cannot connect to the VPN.',
    urgency: 'high',
    impact: 'medium',
    category: 'network',
    contactType: 'self-service',
    callerId,
    assignmentGroup,
    cmdbCi,
    correlationId: 'monitor-alert-4711',
  });
  log(`created ${incident.number}: "${incident.shortDescription}" urgency=${incident.urgency} impact=${incident.impact} -> priority=${incident.priority}, state=${incident.state}`);

  await sn.incidents.addWorkNote(incident.number, '[AUTO] Failover to the standby concentrator started.');
  const notes = await sn.incidents.workNotes(incident.number);
  log(`work notes on ${incident.number}: ${notes.map((n) => `"${n.text}" by ${n.createdBy}`).join('; ')}`);
  const attached = await sn.attachments.upload('incident', incident.sysId, new TextEncoder().encode('vpn-gw-1: tunnel down\n'), { fileName: 'vpn-gw-1.log' });
  log(`attached ${attached.fileName} (${attached.contentType}, ${attached.sizeBytes} bytes) to ${incident.number}`);

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

  const problem = await sn.problems.create({ shortDescription: 'VPN concentrators in Zurich fail under load', assignmentGroup, cmdbCi, correlationId: 'rca-vpn-zrh' });
  const analysed = await sn.problems.update(problem.number, { state: 'rootCauseAnalysis', knownError: true, workaround: 'Fail over to the standby concentrator' });
  log(`created problem ${problem.number}: state=${analysed.state} knownError=${analysed.knownError}`);

  const task = await sn.changeTasks.create({ changeRequest: change.sysId, shortDescription: 'Swap the concentrator hardware', changeTaskType: 'implementation' });
  log(`created change task ${task.number} under ${change.number}: type=${task.changeTaskType} state=${task.state}`);

  const item = await sn.requestedItems.addWorkNote('RITM0000001', 'Laptop imaged and shipped.');
  log(`work note on requested item ${item.number} (${item.shortDescription}): state=${item.state}, stage=${item.stage}`);
};
