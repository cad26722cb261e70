import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A bench server running in a child process. */
export interface ForkedServer<T> {
  /** The first message the server sent (its URLs). */
  readonly message: T;
  /** Ends the child process. */
  stop(): void;
}

/**
 * Starts a bench server script (TypeScript, run with tsx) in its own process,
 * so the server's CPU is not shared with the client being measured (as with a
 * real instance), and waits for the first message it sends over IPC.
 */
export async function forkServer<T>(script: URL): Promise<ForkedServer<T>> {
  const child = fork(fileURLToPath(script), { execArgv: ['--import', 'tsx'] });
  const message = await new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server ${fileURLToPath(script)} exited with ${code}`)));
  });
  return { message, stop: () => void child.kill() };
}
