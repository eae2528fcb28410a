import type { DirectoryCapacity, ScenarioDefinition, SupernodeTuning } from '../../../harness/scenario/types.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';

/** The fixture with its p2p supernodes and login tuned as given. */
export function withP2pLogin(supernodes: number, supernode: Partial<SupernodeTuning>, directory: DirectoryCapacity): ScenarioDefinition {
  const base = validScenarioDefinition();
  const p2p = base.architectures.p2p;
  if (p2p === undefined) throw new Error('the fixture has a p2p architecture');
  const topology = { ...p2p.topology, supernodes, supernode: { ...p2p.topology.supernode, ...supernode }, login: { directory } };
  return { ...base, architectures: { ...base.architectures, p2p: { ...p2p, topology } } };
}

/**
 * 32 p2p supernodes heartbeating every 4000 ms, each a membership check, and login's directory
 * answering 40 a second, 1.5 ms more per supernode an answer names; by default a 1000 ms
 * registration deadline and a 300 ms retry.
 */
export function directoryScenario(deadline: Pick<SupernodeTuning, 'registrationTimeoutMs' | 'registrationRetryMs'> = { registrationTimeoutMs: 1_000, registrationRetryMs: 300 }): ScenarioDefinition {
  return withP2pLogin(32, { loginHeartbeatMs: 4_000, ...deadline }, { capacity: 40, answerCostMsPerSupernode: 1.5 });
}
