// The PostgreSQL and RabbitMQ servers the adapter suites use: probed on
// loopback, and named to the tests through ITSMKIT_TEST_PG_URL and
// ITSMKIT_TEST_AMQP_URL when they answer. Shared by `npm test` and
// `npm run reliability`.
import net from 'node:net';

const probe = (port) =>
  new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1500, () => done(false));
  });

export const SERVICES = [
  { name: 'PostgreSQL', port: 5432, env: 'ITSMKIT_TEST_PG_URL', url: process.env.ITSMKIT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  { name: 'RabbitMQ', port: 5672, env: 'ITSMKIT_TEST_AMQP_URL', url: process.env.ITSMKIT_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672' },
];

/** `env` with each answering server's URL set and each silent one's removed; `missing` lists the silent ones. */
export async function serviceEnv(base = process.env) {
  const env = { ...base };
  const missing = [];
  for (const s of SERVICES) {
    if (await probe(s.port)) env[s.env] = s.url;
    else {
      delete env[s.env];
      missing.push(s);
    }
  }
  return { env, missing };
}
