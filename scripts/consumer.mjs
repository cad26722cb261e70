#!/usr/bin/env node
// `npm run consumer`: type-checks a small TypeScript project against the packed
// tarball, as users get it, under each module resolution users configure:
// nodenext (ESM and, from a .cts file, CJS), bundler and node10. Then asks
// tsserver, as an editor does, where go-to-definition lands (the declaration
// maps should open the TypeScript source, not a bundled .d.ts).
//
// Works offline: the tarball is unpacked into the project's node_modules, as
// `npm install <tarball>` would, and the package's dependencies, its peers
// (with their @types), typescript's @types/node come from this repository's
// node_modules by symlink. Nothing else is linked, so a .d.ts that needs a
// devDependency (zod, say) fails here as it would for a user.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'lib', 'tsc.js');
const tsserver = join(root, 'node_modules', 'typescript', 'lib', 'tsserver.js');
if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('consumer: build first (npm run build)');

/** Every tsconfig checks with `strict` and without `skipLibCheck`, so the package's own .d.ts files are checked too. */
const setups = [
  { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext', files: ['esm.ts', 'cjs.cts'] },
  { name: 'bundler', module: 'esnext', moduleResolution: 'bundler', files: ['esm.ts'] },
  { name: 'node10', module: 'commonjs', moduleResolution: 'node10', files: ['esm.ts'] },
];

// Imports every entry point and uses its types; each @ts-expect-error proves a
// type is real (an import that resolved to `any` would leave it unused: an error).
const esm = `import { JiraClient, RetryPolicy, ServiceNowClient, isItsmError } from 'itsmkit';
import type { ItsmError, ServiceNowClientOptions } from 'itsmkit';
import { FakeServiceNow, handlerFetch } from 'itsmkit/testing';
import { mswHandler } from 'itsmkit/testing/msw';
import { PostgresConnectionStore } from 'itsmkit/postgres';
import { AmqpMessageSource } from 'itsmkit/amqp';
import { PrometheusMetricsSink, metricsHandler } from 'itsmkit/prometheus';

const fake = new FakeServiceNow();
const options: ServiceNowClientOptions = {
  instanceUrl: 'https://acme.service-now.com',
  auth: { type: 'basic', username: 'admin', password: 'secret' },
  fetch: handlerFetch(fake.handle),
  retry: RetryPolicy.from({ retries: 2 }),
};
export const client = new ServiceNowClient(options);
export const mounted = mswHandler('https://acme.service-now.com', fake.handle);
export type Adapters = [PostgresConnectionStore, AmqpMessageSource, PrometheusMetricsSink, typeof metricsHandler, JiraClient];
export function describe(error: unknown): string {
  if (isItsmError(error)) {
    const narrowed: ItsmError = error;
    return narrowed.name;
  }
  return 'not an ItsmError';
}
// @ts-expect-error instanceUrl is a string
export const wrong: ServiceNowClientOptions = { instanceUrl: 42, auth: { type: 'basic', username: 'a', password: 'b' } };
`;
// The CommonJS view of the same package (its .d.cts declarations), under nodenext.
const cjs = `import itsmkit = require('itsmkit');
import testing = require('itsmkit/testing');
import msw = require('itsmkit/testing/msw');
import postgres = require('itsmkit/postgres');
import amqp = require('itsmkit/amqp');
import prometheus = require('itsmkit/prometheus');

export const client = new itsmkit.ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'bearer', token: 't' }, fetch: testing.handlerFetch(new testing.FakeServiceNow().handle) });
export type Adapters = [typeof msw.mswHandler, postgres.PostgresConnectionStore, amqp.AmqpMessageSource, prometheus.PrometheusMetricsSink];
// @ts-expect-error RetryPolicy.from takes options, not a number
itsmkit.RetryPolicy.from(3);
`;

const dir = mkdtempSync(join(tmpdir(), 'itsmkit-consumer-'));
try {
  const modules = join(dir, 'node_modules');
  const pkgDir = join(modules, 'itsmkit');
  mkdirSync(pkgDir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', pkgDir, '--strip-components=1']);

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const linked = ['@types/node'];
  for (const name of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]) {
    linked.push(name);
    const types = `@types/${name.replace(/^@([^/]+)\//, '$1__')}`;
    if (existsSync(join(root, 'node_modules', types))) linked.push(types);
  }
  for (const name of linked) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
  }

  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(dir, 'esm.ts'), esm);
  writeFileSync(join(dir, 'cjs.cts'), cjs);
  // The three type-checks run side by side (each is a few seconds of CPU).
  const checks = setups.map(async (setup) => {
    const compilerOptions = { module: setup.module, moduleResolution: setup.moduleResolution, target: 'es2022', lib: ['es2023', 'dom'], types: ['node'], strict: true, skipLibCheck: false, noEmit: true };
    writeFileSync(join(dir, `tsconfig.${setup.name}.json`), JSON.stringify({ compilerOptions, files: setup.files }, null, 2));
    const what = `${setup.name}: ${setup.files.join(', ')} against the tarball (module ${setup.module}, moduleResolution ${setup.moduleResolution})`;
    try {
      await execFileAsync(process.execPath, [tsc, '-p', `tsconfig.${setup.name}.json`], { cwd: dir, encoding: 'utf8' });
      return `ok   ${what}`;
    } catch (error) {
      return `FAIL ${what}\n${error.stdout}${error.stderr}`;
    }
  });
  const results = await Promise.all(checks);
  console.log(results.join('\n'));
  if (results.some((line) => line.startsWith('FAIL'))) throw new Error('consumer: a type-check failed');

  // Go-to-definition, as an editor asks tsserver (the tsconfig.json it finds is the nodenext one).
  writeFileSync(join(dir, 'tsconfig.json'), readFileSync(join(dir, 'tsconfig.nodenext.json')));
  // One definition per entry point: the word's last occurrence in esm.ts, and the source file it should open.
  const targets = [
    ['ServiceNowClient(', join('src', 'servicenow', 'client.ts')],
    // The fakes' and adapters' sources are not shipped (package.json#files: the tarball budget);
    // their declaration maps then fall back to the declarations, which carry the TSDoc.
    ['FakeServiceNow(', join('dist', 'testing.d.cts')],
    ['mswHandler(', join('dist', 'testing-msw.d.cts')],
    ['PostgresConnectionStore,', join('dist', 'postgres.d.cts')],
    ['AmqpMessageSource,', join('dist', 'amqp.d.cts')],
    ['PrometheusMetricsSink,', join('dist', 'prometheus.d.cts')],
  ];
  const definitions = await definitionsOf(join(dir, 'esm.ts'), esm, targets.map(([word]) => word));
  for (const [index, [word, expected]] of targets.entries()) {
    const file = definitions[index];
    if (file !== join(pkgDir, expected)) throw new Error(`consumer: go-to-definition of ${word.slice(0, -1)} opened ${file}, expected ${join(pkgDir, expected)}`);
    console.log(`ok   go-to-definition of ${word.slice(0, -1)} opens itsmkit/${expected}`);
  }
  console.log('consumer: all passed');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The file tsserver's `definition` answers for the last occurrence of each word
 * in `text` (the file at `file`), via the same protocol an editor speaks.
 */
async function definitionsOf(file, text, words) {
  const server = spawn(process.execPath, [tsserver, '--disableAutomaticTypingAcquisition'], { cwd: dirname(file), stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = new Map();
  let buffer = '';
  let timer;
  const done = new Promise((resolveAll, reject) => {
    server.once('exit', (code) => reject(new Error(`consumer: tsserver exited (${code}) before answering`)));
    timer = setTimeout(() => reject(new Error('consumer: tsserver did not answer within 60 s')), 60_000);
    server.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (!line.startsWith('{')) continue;
        const message = JSON.parse(line);
        if (message.type === 'response' && message.command === 'definition') answers.set(message.request_seq, message);
        if (answers.size === words.length) resolveAll();
      }
    });
  });
  const send = (seq, command, args) => server.stdin.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
  send(0, 'open', { file, fileContent: text });
  words.forEach((word, index) => {
    const at = text.lastIndexOf(word);
    const before = text.slice(0, at).split('\n');
    send(index + 1, 'definition', { file, line: before.length, offset: before.at(-1).length + 1 });
  });
  try {
    await done;
  } finally {
    clearTimeout(timer);
    server.removeAllListeners('exit');
    server.kill();
  }
  return words.map((word, index) => {
    const answer = answers.get(index + 1);
    if (!answer.success || answer.body.length === 0) throw new Error(`consumer: tsserver found no definition of ${word}: ${answer.message ?? 'empty answer'}`);
    return answer.body[0].file;
  });
}
