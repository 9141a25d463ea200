import { DEFAULT_POLICY, type Policy } from '../core/policy.js';
import type { BillsyncConfig } from './schema.js';

/** A dossier's policy: built-in defaults, then the office's `policy`, then `dossiers[id].policy`. */
export function resolvePolicy(config: BillsyncConfig, partyId: number): Policy {
  const office = config.policy ?? {};
  const dossier = config.dossiers[String(partyId)]?.policy ?? {};
  const merged = { ...DEFAULT_POLICY, ...stripUndefined(office), ...stripUndefined(dossier) };
  return { ...merged, exportFrom: merged.exportFrom ?? null };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
