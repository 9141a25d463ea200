/** Counts of requests per route and status, for tests and benchmarks (`GET /_sandbox/stats`). */
export class RequestStats {
  total = 0;
  readonly byRoute: Record<string, number> = {};
  readonly byStatus: Record<string, number> = {};
  readonly byRouteStatus: Record<string, Record<string, number>> = {};
  bytesOut = 0;

  record(routeKey: string, status: number, bytes: number): void {
    this.total += 1;
    this.bytesOut += bytes;
    this.byRoute[routeKey] = (this.byRoute[routeKey] ?? 0) + 1;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    const perRoute = (this.byRouteStatus[routeKey] ??= {});
    perRoute[status] = (perRoute[status] ?? 0) + 1;
  }

  reset(): void {
    this.total = 0;
    this.bytesOut = 0;
    for (const record of [this.byRoute, this.byStatus, this.byRouteStatus]) {
      for (const key of Object.keys(record)) delete record[key];
    }
  }

  toJSON(): Record<string, unknown> {
    return { total: this.total, bytesOut: this.bytesOut, byRoute: this.byRoute, byStatus: this.byStatus, byRouteStatus: this.byRouteStatus };
  }
}
