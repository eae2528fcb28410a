import type { ScenarioDefinition } from '../../harness/scenario/types.js';
import { testScenario } from '../integration/helpers/service-network.js';

/**
 * The service tests' busy network (heartbeats every second) on dedicated supernodes far from their
 * limits and ready at once (no rejoin delay): what the bench measures is the harness and the
 * processes on this machine, not supernode capacity. Every client runs a version without the bug.
 */
export function roomyDedicatedScenario(shape: { readonly supernodes: number; readonly fleets: number; readonly clientsPerFleet: number; readonly sessions: number }): ScenarioDefinition {
  return testScenario(
    'dedicated',
    {
      supernodes: shape.supernodes,
      fleets: shape.fleets,
      clientsPerFleet: shape.clientsPerFleet,
      supernode: { capacity: { sessions: shape.sessions, requestsPerSecond: 100_000 }, overloadThreshold: 1, overloadGraceMs: 3_000, rejoinDelayMs: 0 },
    },
    { versionMix: { '5.0.0.156': 1 } },
  );
}
