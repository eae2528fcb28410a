import { faultNames } from '../faults/registry.js';
import { tryParseDuration } from './duration.js';
import type { ScenarioProblem } from './scenario-problem.js';

/**
 * Rules that relate fields to each other. They read the raw input defensively, so they still
 * report alongside the schema's problems when other parts of the scenario are malformed.
 */

type Raw = Readonly<Record<string, unknown>>;

const ARCHITECTURES = ['p2p', 'dedicated'] as const;
/** Step kinds that make a fault with an id, and those a heal step may name: the fault registry says. */
const CREATES_FAULT: ReadonlySet<string> = faultNames.creating;
const HEALABLE: ReadonlySet<string> = faultNames.healable;

const asRecord = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const durationOf = (value: unknown): number | undefined => {
  const text = asString(value);
  return text === undefined ? undefined : tryParseDuration(text);
};

export function crossFieldProblems(input: unknown): ScenarioProblem[] {
  const root = asRecord(input);
  if (root === undefined) return [];
  const declared = declaredArchitectures(root);
  return [
    ...architectureProblems(root),
    ...loadProblems(root),
    ...steadyStateProblems(root),
    ...timelineProblems(root, declared),
    ...rollbackProblems(root),
    ...abortProblems(root),
  ];
}

function declaredArchitectures(root: Raw): string[] {
  const architectures = asRecord(root['architectures']) ?? {};
  return ARCHITECTURES.filter((name) => asRecord(architectures[name]) !== undefined);
}

function architectureProblems(root: Raw): ScenarioProblem[] {
  const architectures = asRecord(root['architectures']);
  if (architectures === undefined) return [];
  const problems: ScenarioProblem[] = [];
  if (declaredArchitectures(root).length === 0) {
    problems.push({ path: 'architectures', problem: 'names no architecture', hint: 'add at least one of p2p, dedicated' });
  }
  for (const name of ARCHITECTURES) {
    const run = asRecord(architectures[name]);
    if (run === undefined) continue;
    if (run['expectation'] === 'reproduces-outage' && run['outage'] === undefined) {
      problems.push({
        path: `architectures.${name}.outage`,
        problem: 'is required when the expectation is reproduces-outage',
        hint: 'add the outage signature (direct loss range, amplification, online low point) or expect meets-targets',
      });
    }
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
  }
  return problems;
}

function loadProblems(root: Raw): ScenarioProblem[] {
  const load = asRecord(root['load']);
  const mix = asRecord(load?.['versionMix']);
  const buggy = asString(load?.['buggyVersion']);
  if (mix === undefined || Object.keys(mix).length === 0 || buggy === undefined || buggy === '' || buggy in mix) return [];
  return [
    {
      path: 'load.buggyVersion',
      problem: `"${buggy}" is not in load.versionMix`,
      hint: `add "${buggy}" to the version mix or fix its spelling; the mix has ${Object.keys(mix).join(', ') || 'no versions'}`,
    },
  ];
}

function steadyStateProblems(root: Raw): ScenarioProblem[] {
  const steady = asRecord(root['steadyState']);
  const hold = durationOf(steady?.['hold']);
  const within = durationOf(steady?.['within']);
  if (hold === undefined || within === undefined || hold <= within) return [];
  return [
    {
      path: 'steadyState.hold',
      problem: `"${String(steady?.['hold'])}" is longer than within ("${String(steady?.['within'])}"), so it can never hold in time`,
      hint: 'shorten hold or lengthen within',
    },
  ];
}

interface RawStep {
  readonly index: number;
  readonly at: number;
  readonly action: Raw;
  readonly only: readonly string[];
}

function timelineProblems(root: Raw, declared: readonly string[]): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const end = durationOf(root['duration']);
  const steps: RawStep[] = [];
  asArray(root['timeline']).forEach((rawStep, index) => {
    const step = asRecord(rawStep);
    const action = asRecord(step?.['action']);
    if (step === undefined || action === undefined) return;
    const at = durationOf(step['at']);
    const onlyRaw = Array.isArray(step['only']) ? step['only'].filter((name): name is string => typeof name === 'string') : undefined;
    onlyRaw?.forEach((name, k) => {
      if (declared.length > 0 && (ARCHITECTURES as readonly string[]).includes(name) && !declared.includes(name)) {
        problems.push({
          path: `timeline[${index}].only[${k}]`,
          problem: `"${name}" is not an architecture of this scenario`,
          hint: `add it under architectures or drop it here; the scenario has ${declared.join(', ')}`,
        });
      }
    });
    if (at !== undefined && end !== undefined && at > end) {
      problems.push({
        path: `timeline[${index}].at`,
        problem: `"${String(step['at'])}" is after the end of the run (duration "${String(root['duration'])}")`,
        hint: 'move the step earlier or lengthen duration',
      });
    }
    steps.push({ index, at: at ?? Number.POSITIVE_INFINITY, action, only: onlyRaw ?? declared });
  });
  problems.push(...megaTuningProblems(root, steps));
  const ordered = [...steps].sort((a, b) => a.at - b.at || a.index - b.index);
  problems.push(...faultIdProblems(ordered, steps, 'timeline'));
  return problems;
}

function megaTuningProblems(root: Raw, steps: readonly RawStep[]): ScenarioProblem[] {
  const architectures = asRecord(root['architectures']) ?? {};
  return steps.flatMap((step) => {
    if (step.action['do'] !== 'add-supernodes' || step.action['tuning'] !== 'mega') return [];
    return step.only
      .filter((name) => {
        const topology = asRecord(asRecord(architectures[name])?.['topology']);
        return topology !== undefined && topology['megaSupernode'] === undefined;
      })
      .map((name) => ({
        path: `timeline[${step.index}].action.tuning`,
        problem: `"mega" needs architectures.${name}.topology.megaSupernode`,
        hint: `add megaSupernode to the ${name} topology, use tuning "default", or limit the step with only`,
      }));
  });
}

interface FaultRecord {
  readonly index: number;
  readonly kind: string;
  readonly only: readonly string[];
  healedBy?: number;
}

/** Ids unique; each heal names a healable fault created before it, for the same architectures, once. */
function faultIdProblems(ordered: readonly RawStep[], byIndex: readonly RawStep[], list: string): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const created = new Map<string, FaultRecord>();
  for (const step of byIndex) {
    const id = asString(step.action['id']);
    const kind = asString(step.action['do']);
    if (id === undefined || kind === undefined || !CREATES_FAULT.has(kind)) continue;
    const first = created.get(id);
    if (first !== undefined) {
      problems.push({
        path: `${list}[${step.index}].action.id`,
        problem: `"${id}" is already used by ${list}[${first.index}]`,
        hint: 'give each fault its own id',
      });
      continue;
    }
    created.set(id, { index: step.index, kind, only: step.only });
  }
  const seen = new Set<string>();
  for (const step of ordered) {
    const id = asString(step.action['id']);
    const kind = asString(step.action['do']);
    if (id === undefined || kind === undefined) continue;
    if (CREATES_FAULT.has(kind)) {
      if (created.get(id)?.index === step.index) seen.add(id);
      continue;
    }
    if (kind !== 'heal') continue;
    const path = `${list}[${step.index}].action.id`;
    const fault = created.get(id);
    if (fault === undefined) {
      problems.push({ path, problem: `heal of unknown fault "${id}"`, hint: 'inject or cut it in an earlier step' });
    } else if (!seen.has(id)) {
      problems.push({ path, problem: `heal of "${id}" comes before ${list}[${fault.index}] creates it`, hint: 'move the heal after the fault' });
    } else if (!HEALABLE.has(fault.kind)) {
      problems.push({
        path,
        problem: `"${id}" is a ${fault.kind}, which cannot be healed`,
        hint: 'give the crash restartAfter, or let users restart per load.restartDelay',
      });
    } else if (fault.healedBy !== undefined) {
      problems.push({ path, problem: `"${id}" is already healed by ${list}[${fault.healedBy}]`, hint: 'remove one of the heals' });
    } else {
      const missing = step.only.filter((name) => !fault.only.includes(name));
      if (missing.length > 0) {
        problems.push({
          path,
          problem: `heal of "${id}" runs for ${missing.join(', ')}, where the fault is never created`,
          hint: `give the heal the same only as ${list}[${fault.index}]`,
        });
      }
      fault.healedBy = step.index;
    }
  }
  return problems;
}

function rollbackProblems(root: Raw): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const timelineIds = new Set<string>();
  for (const step of asArray(root['timeline'])) {
    const action = asRecord(asRecord(step)?.['action']);
    const id = asString(action?.['id']);
    if (id !== undefined && CREATES_FAULT.has(String(action?.['do']))) timelineIds.add(id);
  }
  const rollbackIds = new Set<string>();
  asArray(root['rollbacks']).forEach((raw, index) => {
    const action = asRecord(raw);
    const id = asString(action?.['id']);
    const kind = asString(action?.['do']);
    if (id === undefined || kind === undefined) return;
    if (CREATES_FAULT.has(kind)) {
      if (timelineIds.has(id) || rollbackIds.has(id)) {
        problems.push({ path: `rollbacks[${index}].id`, problem: `"${id}" is already used`, hint: 'give each fault its own id' });
      }
      rollbackIds.add(id);
    } else if (kind === 'heal' && !timelineIds.has(id) && !rollbackIds.has(id)) {
      problems.push({ path: `rollbacks[${index}].id`, problem: `heal of unknown fault "${id}"`, hint: 'name a fault the timeline injects or cuts' });
    }
  });
  return problems;
}

function abortProblems(root: Raw): ScenarioProblem[] {
  const end = durationOf(root['duration']);
  if (end === undefined) return [];
  return asArray(root['abortWhen']).flatMap((raw, index) => {
    const after = asRecord(raw)?.['after'];
    const afterMs = durationOf(after);
    return afterMs !== undefined && afterMs > end
      ? [
          {
            path: `abortWhen[${index}].after`,
            problem: `"${String(after)}" is after the end of the run (duration "${String(root['duration'])}")`,
            hint: 'use an offset within duration',
          },
        ]
      : [];
  });
}
