import { Random } from './data/random.js';

/**
 * Fault injection for `/_sandbox/faults`: each rule matches requests by method and path and applies one
 * fault. Rules fire for `count` matching requests, or with `probability` (drawn from a seeded stream so
 * a run can be repeated), or on every match when neither is given.
 */
export const FAULT_KINDS = ['status', 'latency', 'cut', 'truncate-base64', 'corrupt-base64', 'wrong-sha'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  kind: FaultKind;
  /** Path pattern; `*` matches within a segment, `**` across segments. @default "**" (every API route) */
  route?: string;
  /** @default any method */
  method?: string;
  /** For kind "status": the status to answer (429, 500, 503…). @default 503 */
  status?: number;
  /** For kind "status": the Retry-After header, in seconds or as an HTTP date. */
  retryAfter?: number | string;
  /** For kind "latency": delay before answering. @default 1000 */
  latencyMs?: number;
  /** Fire for this many matching requests, then retire. */
  count?: number;
  /** Fire with this probability per matching request (0…1). */
  probability?: number;
}

interface ActiveRule extends FaultRule { id: number; matcher: RegExp; fired: number; }

export interface FaultPlan {
  /** Faults to apply before the route runs (status, latency). */
  before: ActiveRule[];
  /** Faults to apply to the route's answer (cut, truncated or corrupt base64, wrong hash). */
  after: ActiveRule[];
}

function globToRegExp(glob: string): RegExp {
  const source = glob.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*');
  return new RegExp(`^${source}/?$`, 'i');
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private rnd: Random;
  readonly injected: Record<FaultKind, number> = { status: 0, latency: 0, cut: 0, 'truncate-base64': 0, 'corrupt-base64': 0, 'wrong-sha': 0 };

  constructor(seed: string) {
    this.rnd = new Random(`${seed}/faults`);
  }

  add(rule: FaultRule): number {
    if (!FAULT_KINDS.includes(rule.kind)) throw new RangeError(`unknown fault kind ${JSON.stringify(rule.kind)}; expected one of ${FAULT_KINDS.join(', ')}`);
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new RangeError('probability must be between 0 and 1');
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 0)) throw new RangeError('count must be a non-negative integer');
    const id = this.nextId++;
    this.rules.push({ ...rule, id, matcher: globToRegExp(rule.route ?? '**'), fired: 0 });
    return id;
  }

  clear(): void {
    this.rules = [];
  }

  list(): Array<FaultRule & { id: number; fired: number }> {
    return this.rules.map(({ matcher: _matcher, ...rule }) => rule);
  }

  /** Decides which rules fire for this request: each rule at most once, and one status answer at most. */
  plan(method: string, path: string): FaultPlan {
    const plan: FaultPlan = { before: [], after: [] };
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.kind === 'status' && plan.before.some((r) => r.kind === 'status')) continue;
      if (!rule.matcher.test(path)) continue;
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      if (rule.probability !== undefined && !this.rnd.chance(rule.probability)) continue;
      rule.fired += 1;
      this.injected[rule.kind] += 1;
      (rule.kind === 'status' || rule.kind === 'latency' ? plan.before : plan.after).push(rule);
    }
    this.rules = this.rules.filter((rule) => rule.count === undefined || rule.fired < rule.count);
    return plan;
  }
}

/**
 * A token bucket answering 429 above `ratePerSecond` (with `burst` requests of slack), as a server
 * with a rate limit would. Retry-After is whole seconds, rounded up, like most servers send it.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(readonly ratePerSecond: number, readonly burst: number, private readonly now: () => number = () => performance.now()) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.tokens = burst;
    this.last = now();
  }

  /** Takes a token; returns null when allowed, else the seconds to wait. */
  take(): number | null {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond));
  }
}
