import type { CostUnit, PhaseCosts, UnitCost } from '../../harness/docs/container-costs-data.js';
import { rounded } from './stats.js';

/**
 * What each unit the docs price costs, from one container's figures: a supernode, Toxiproxy, login and
 * an offline-message server are one container each; a fleet's figures are divided by its clients / 1,000.
 * A fleet's fixed cost (its Node process) is divided along with the rest, so with small fleets the
 * figure per 1,000 clients is above what 1,000 more clients in the same fleets would add.
 */

const UNIT_ROLES: readonly { readonly unit: CostUnit; readonly role: string }[] = [
  { unit: 'supernode', role: 'supernode' },
  { unit: 'thousand-clients', role: 'client-fleet' },
  { unit: 'toxiproxy', role: 'toxiproxy' },
  { unit: 'login', role: 'login' },
  { unit: 'offline-messages', role: 'offline-messages' },
];

/** Every unit whose role had a container in the phase. */
export function unitCosts(phase: PhaseCosts, clientsPerFleet: number): UnitCost[] {
  return UNIT_ROLES.flatMap(({ unit, role }) => {
    const costs = phase.roles.find((candidate) => candidate.role === role);
    if (costs === undefined) return [];
    const perContainer = unit === 'thousand-clients' ? clientsPerFleet / 1_000 : 1;
    const cpu = costs.cpuCoresPerContainer;
    const memory = costs.memoryMiBPerContainer;
    return [
      {
        unit,
        role,
        perContainer,
        cpuCores: cpu === null ? null : { mean: rounded(cpu.mean / perContainer, 3), p95: rounded(cpu.p95 / perContainer, 3) },
        memoryMiB: memory === null ? null : { mean: rounded(memory.mean / perContainer, 1), max: rounded(memory.max / perContainer, 1) },
      },
    ];
  });
}
