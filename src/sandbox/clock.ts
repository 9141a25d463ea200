/**
 * The sandbox's clock: real time plus an offset that `/_sandbox/clock` moves, so demos and tests can
 * jump a month ahead while timestamps still advance between requests.
 */
export class SandboxClock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(instant: Date): void {
    this.offsetMs = instant.getTime() - this.realNow();
  }
}
