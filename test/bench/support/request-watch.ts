import type { Sandbox } from '../../../src/sandbox/server.js';

/**
 * What the agent asked of the sandbox during one measurement: the sandbox's own counters (reset at
 * the start) plus the instants of the first and last answer, so that a rate is requests over the
 * time the agent was actually talking to Billit (not its start-up).
 */
export class RequestWatch {
  first: number | null = null;
  last: number | null = null;

  constructor(private readonly sandbox: Sandbox) {
    const stats = sandbox.stats;
    const record = stats.record.bind(stats);
    stats.record = (routeKey, status, bytes) => {
      const now = performance.now();
      this.first ??= now;
      this.last = now;
      record(routeKey, status, bytes);
    };
  }

  reset(): void {
    this.sandbox.stats.reset();
    this.first = null;
    this.last = null;
  }

  get total(): number {
    return this.sandbox.stats.total;
  }

  get bytesOut(): number {
    return this.sandbox.stats.bytesOut;
  }

  status(code: number): number {
    return this.sandbox.stats.byStatus[code] ?? 0;
  }

  route(key: string): number {
    return this.sandbox.stats.byRoute[key] ?? 0;
  }

  /** Seconds from the first to the last answer. */
  get activeSeconds(): number {
    return this.first === null || this.last === null ? 0 : (this.last - this.first) / 1000;
  }

  byRoute(): Record<string, number> {
    return { ...this.sandbox.stats.byRoute };
  }
}
