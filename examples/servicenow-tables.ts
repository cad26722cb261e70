/**
 * docs/servicenow-tables.md: the typed ServiceNow tables (problems, change
 * tasks, requested items), lookups of users, groups and configuration items,
 * and a table of your own declared once with `defineTable`.
 */
import {
  ServiceNowClient,
  TASK_FIELDS,
  TaskResource,
  defineChoices,
  defineTable,
  isAmbiguousMatchError,
  isNoMatchError,
  type RecordOf,
} from '../src/index.js';
import { FakeServiceNow } from '../src/testing/index.js';

// A table of your own: one declaration gives the types, the mapping, the checks and the fake's model of it.
const ASSET_STATES = defineChoices({ inUse: ['1', 'In use'], inStock: ['6', 'In stock'], retired: ['7', 'Retired'] });
const ASSET_TABLE = defineTable({
  table: 'u_asset',
  label: 'asset',
  number: { prefix: 'AST', start: 1001 },
  base: TASK_FIELDS,
  fields: {
    u_name: { kind: 'string', writable: true, required: true, filterable: true },
    u_state: { kind: 'choice', choice: ASSET_STATES, writable: true, filterable: true, default: '6' },
    u_owner: { kind: 'reference', references: 'sys_user', writable: true, filterable: true },
  },
});
type Asset = RecordOf<typeof ASSET_TABLE>;

const fake = new FakeServiceNow({ tables: [ASSET_TABLE] });
const sn = new ServiceNowClient({
  instanceUrl: 'https://acme.service-now.com',
  auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
  fetch: fake.fetch,
});

// Lookups: the sys_id behind what people know, cached per client.
const callerId = await sn.users.resolveSysId('abel.tuter@example.com');
const assignmentGroup = await sn.groups.resolveSysId('Network');
const server = await sn.configurationItems.resolve('web-01', { className: 'cmdb_ci_server' });
console.log(`caller ${callerId}, group ${assignmentGroup}, CI ${server.name} (${server.sysClassName}) ${server.sysId}`);
for (const attempt of [() => sn.users.resolve('nobody@example.com'), () => sn.configurationItems.resolve('web-01')]) {
  try {
    await attempt();
  } catch (error) {
    if (!isNoMatchError(error) && !isAmbiguousMatchError(error)) throw error;
    console.log(`${error.name}: ${error.message}`);
  }
}

// The built-in task tables.
const problem = await sn.problems.create({ shortDescription: 'Web tier leaks sessions', assignmentGroup, cmdbCi: server.sysId, correlationId: 'rca-web-01' });
const analysed = await sn.problems.update(problem.number, { state: 'rootCauseAnalysis', causeNotes: 'Session cache never evicts', knownError: true });
console.log(`problem ${problem.number}: ${analysed.state}, known error ${analysed.knownError}`);

const change = await sn.changeRequests.create({ type: 'normal', shortDescription: 'Deploy the session cache fix', assignmentGroup });
const task = await sn.changeTasks.create({ changeRequest: change.sysId, shortDescription: 'Roll out to web-01', changeTaskType: 'implementation' });
const tasks = await sn.changeTasks.search({ changeRequest: change.sysId });
console.log(`change ${change.number} has ${tasks.records.length} task(s): ${task.number} (${task.changeTaskType}, ${task.state})`);

const item = await sn.requestedItems.addWorkNote('RITM0000001', 'Laptop imaged and shipped.');
console.log(`requested item ${item.number}: ${item.state}; work notes: ${(await sn.requestedItems.workNotes(item.sysId)).map((n) => n.text).join(' | ')}`);

// Your own table, typed from its declaration.
const assets = new TaskResource(sn.transport, sn.journal, ASSET_TABLE);
const laptop: Asset = await assets.create({ uName: 'Laptop 7', uOwner: callerId });
const inUse = await assets.update(laptop.number, { uState: 'inUse' });
console.log(`asset ${laptop.number}: ${laptop.uState} -> ${inUse.uState}, owner ${inUse.uOwner}`);
