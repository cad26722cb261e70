import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

/** Starts `server` on a free loopback port and adds the port to it. */
export async function listen<T extends Server | NetServer>(server: T): Promise<T & { port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

/** Closes `server`, its kept-alive connections included. */
export async function close(server: Server | NetServer): Promise<void> {
  (server as Server).closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** An in-process CONNECT proxy, with what it was asked. */
export interface TestProxy {
  readonly server: Server & { port: number };
  /** `host:port` of every tunnel opened. */
  readonly tunnels: string[];
  /** The `Proxy-Authorization` header of every CONNECT. */
  readonly auth: (string | undefined)[];
  /** A status to refuse every CONNECT with (e.g. 403), or `undefined` to tunnel. */
  refuseWith: number | undefined;
}

/** Starts a CONNECT proxy on loopback that tunnels to wherever it is asked, or refuses with `refuseWith`. */
export async function startConnectProxy(): Promise<TestProxy> {
  const proxy: TestProxy = { server: await listen(createServer()), tunnels: [], auth: [], refuseWith: undefined };
  proxy.server.on('connect', (req: IncomingMessage, client: Socket) => {
    proxy.auth.push(req.headers['proxy-authorization']);
    if (proxy.refuseWith) {
      client.end(`HTTP/1.1 ${proxy.refuseWith} No\r\n\r\n`);
      return;
    }
    proxy.tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return proxy;
}
