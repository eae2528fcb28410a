import type { ScenarioProblem } from './scenario-problem.js';
import { asRecord, type Raw } from './raw-fields.js';
import { OUTAGE_FIELDS } from './scenario-schema.js';
import { checkedOutageKeys } from './stated-targets.js';

export const ARCHITECTURES = ['p2p', 'dedicated'] as const;

export function declaredArchitectures(root: Raw): string[] {
  const architectures = asRecord(root['architectures']) ?? {};
  return ARCHITECTURES.filter((name) => asRecord(architectures[name]) !== undefined);
}

export function architectureProblems(root: Raw): ScenarioProblem[] {
  const architectures = asRecord(root['architectures']);
  if (architectures === undefined) return [];
  const problems: ScenarioProblem[] = [];
  if (declaredArchitectures(root).length === 0) {
    problems.push({ path: 'architectures', problem: 'names no architecture', hint: 'add at least one of p2p, dedicated' });
  }
  for (const name of ARCHITECTURES) {
    const run = asRecord(architectures[name]);
    if (run === undefined) continue;
    if (run['expectation'] === 'reproduces-outage') problems.push(...outageProblems(name, run['outage']));
    const targets = asRecord(run['targets']);
    if (run['expectation'] === 'meets-targets' && targets !== undefined && Object.keys(targets).length === 0) {
      problems.push({
        path: `architectures.${name}.targets`,
        problem: 'states no target, so meets-targets would check nothing',
        hint: 'add targets such as recoveryWithin or availabilityFloor',
      });
    }
    const topology = asRecord(run['topology']);
    if (topology === undefined) continue;
    const wantedMode = name === 'p2p' ? 'peer' : 'dedicated';
    const mode = topology['supernodeMode'];
    if ((mode === 'peer' || mode === 'dedicated') && mode !== wantedMode) {
      problems.push({
        path: `architectures.${name}.topology.supernodeMode`,
        problem: `a ${name} topology cannot run "${mode}" supernodes`,
        hint: `use supernodeMode: "${wantedMode}"`,
      });
    }
    if (name === 'dedicated') {
      if (typeof topology['standbyPeers'] === 'number' && topology['standbyPeers'] > 0) {
        problems.push({
          path: 'architectures.dedicated.topology.standbyPeers',
          problem: 'dedicated supernodes are never promoted from clients',
          hint: 'set standbyPeers: 0',
        });
      }
      if (topology['peerVersionMix'] !== undefined) {
        problems.push({
          path: 'architectures.dedicated.topology.peerVersionMix',
          problem: 'dedicated supernodes run no client software',
          hint: 'remove peerVersionMix',
        });
      }
    }
    problems.push(...defectProblems(name, asRecord(topology['defects'])));
  }
  return problems;
}

const OUTAGE_HINT = `state at least one of ${OUTAGE_FIELDS.map((key) => (key === 'cascadeContinuesAfterHeal' ? `${key}: true` : key)).join(', ')}`;

/** A reproduces-outage architecture needs a signature that checks something. */
function outageProblems(name: (typeof ARCHITECTURES)[number], outage: unknown): ScenarioProblem[] {
  const path = `architectures.${name}.outage`;
  if (outage === undefined) {
    return [{ path, problem: 'is required when the expectation is reproduces-outage', hint: `add the outage signature and ${OUTAGE_HINT}, or expect meets-targets` }];
  }
  if (asRecord(outage) === undefined || checkedOutageKeys(outage).length > 0) return [];
  return [{ path, problem: 'states no field that checks anything, so any run would reproduce the outage', hint: OUTAGE_HINT }];
}

/** Defects that make sense in one architecture only. */
function defectProblems(name: (typeof ARCHITECTURES)[number], defects: Raw | undefined): ScenarioProblem[] {
  if (defects === undefined) return [];
  const path = `architectures.${name}.topology.defects`;
  if (name === 'p2p' && defects['boxesRunClientVersion'] !== undefined) {
    return [
      {
        path: `${path}.boxesRunClientVersion`,
        problem: 'p2p supernodes are peers that already run client code',
        hint: 'remove boxesRunClientVersion; peerVersionMix sets the versions the peers run',
      },
    ];
  }
  if (name === 'dedicated' && defects['promotionOff'] !== undefined) {
    return [
      {
        path: `${path}.promotionOff`,
        problem: 'dedicated supernodes are never promoted from clients, so there is no promotion to turn off',
        hint: 'remove promotionOff',
      },
    ];
  }
  return [];
}
