import type { BillsyncConfig, ConfigInput } from '../schema.js';
import type { ImportPlan } from './plan-import.js';

/**
 * The configuration with the plan's 'set' rows applied: `dossiers[partyId].folder` set, the dossier's other
 * settings (disabled, policy) and everything else untouched. Pure: `current` is not modified. Save the
 * result with saveConfig, which validates it.
 */
export function applyImport(plan: ImportPlan, current: ConfigInput | BillsyncConfig): ConfigInput {
  const next: ConfigInput = structuredClone(current);
  const dossiers = { ...next.dossiers };
  for (const row of plan.rows) {
    if (row.outcome !== 'set' || row.partyId === null) continue;
    const key = String(row.partyId);
    dossiers[key] = { ...dossiers[key], folder: row.folder };
  }
  return { ...next, dossiers };
}
