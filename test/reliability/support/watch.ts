/**
 * Watches the process while a scenario runs: unhandled rejections, and
 * handles (timers, sockets, servers) that are open afterwards but were not
 * before. vitest's own handles are open before the scenario starts, so they
 * cancel out of the difference.
 */
export class ProcessWatch {
  readonly unhandled: unknown[] = [];
  private readonly before: Map<string, number>;
  private readonly onUnhandled = (reason: unknown) => {
    this.unhandled.push(reason);
  };

  constructor() {
    this.before = countResources();
    process.on('unhandledRejection', this.onUnhandled);
  }

  /**
   * Stops watching and returns what leaked. Waits (a few macrotasks, then up
   * to `graceMs` of real time) for handles that close asynchronously, such as
   * a socket finishing its close handshake.
   */
  async stop(graceMs = 500): Promise<{ unhandled: unknown[]; leaked: string[] }> {
    let leaked: string[] = [];
    const until = Date.now() + graceMs;
    for (let i = 0; ; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      leaked = diff(this.before, countResources());
      if (leaked.length === 0 || Date.now() > until) break;
      if (i > 5) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    process.off('unhandledRejection', this.onUnhandled);
    return { unhandled: this.unhandled, leaked };
  }
}

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

function diff(before: Map<string, number>, after: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [name, n] of after) {
    const extra = n - (before.get(name) ?? 0);
    if (extra > 0) out.push(`${name} x${extra}`);
  }
  return out;
}
