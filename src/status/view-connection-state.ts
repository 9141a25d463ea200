import type { Agent } from '../app/agent.js';
import type { Ledger } from '../ledger/ledger.js';

/** Why a connection test failed, in the words the connection page explains. */
export type ConnectionProblem = 'not-configured' | 'key-rejected' | 'party' | 'unreachable' | 'proxy' | 'refused' | 'malformed' | 'other';

/** The outcome of "Test the connection" (POST /connection/test). Never holds the key. */
export interface ConnectionCheck {
  at: Date;
  ok: boolean;
  baseUrl: string;
  mode: 'direct' | 'feed';
  /** When ok: who the key belongs to and how many companies (dossiers) it may act for. */
  account: { email: string | null; name: string | null; partyId: number | null } | null;
  companies: number | null;
  problem: ConnectionProblem | null;
  /** Billit's or the network's own words (English), with the key removed. */
  detail: string | null;
}

const checks = new WeakMap<Agent, ConnectionCheck>();

export function recordConnectionCheck(agent: Agent, check: ConnectionCheck): void {
  checks.set(agent, check);
}

export function lastConnectionCheck(agent: Agent): ConnectionCheck | null {
  return checks.get(agent) ?? null;
}

/** What the dashboard says about the connection, without calling Billit. */
export type ConnectionState =
  | { source: 'none' }
  | { source: 'test'; at: Date; ok: boolean; check: ConnectionCheck }
  | { source: 'run'; at: Date; ok: boolean; error: string | null };

/**
 * The newest evidence: the last connection test or the last finished run (a run starts by asking
 * Billit for the account's companies, so a run that did not fail reached Billit with the key).
 */
export function connectionState(agent: Agent, ledger: Ledger): ConnectionState {
  const check = lastConnectionCheck(agent);
  const run = ledger.runs.list(20).find((r) => r.status !== 'running' && r.finishedAt !== null) ?? null;
  const runAt = run?.finishedAt ? new Date(run.finishedAt) : null;
  if (check && (runAt === null || check.at.getTime() >= runAt.getTime())) return { source: 'test', at: check.at, ok: check.ok, check };
  if (run && runAt) {
    const error = typeof run.summary?.error === 'string' ? run.summary.error : null;
    return { source: 'run', at: runAt, ok: run.status !== 'failed', error: run.status === 'failed' ? error ?? 'the run failed' : null };
  }
  return { source: 'none' };
}
