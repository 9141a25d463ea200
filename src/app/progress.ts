/**
 * A one-line progress display on an interactive terminal (stderr), nothing otherwise, so piped and
 * --json output stay clean.
 */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, enabled?: boolean) {
    this.enabled = enabled ?? Boolean(stream.isTTY);
  }

  tick(count: number, note: string): void {
    this.done += count;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 80) return;
    this.lastDraw = now;
    const width = Math.max(20, (this.stream.columns ?? 80) - 30);
    const filled = this.done % (width + 1);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`.slice(0, 20);
    const text = `[${bar}] ${this.done} documents  ${note}`;
    this.stream.write(`\r${text.slice(0, (this.stream.columns ?? 80) - 1).padEnd((this.stream.columns ?? 80) - 1)}`);
  }

  finish(): void {
    if (this.enabled && this.done > 0) this.stream.write('\r\x1b[K');
  }
}
