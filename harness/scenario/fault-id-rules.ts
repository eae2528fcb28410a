import { faultNames } from '../faults/registry.js';
import type { ScenarioProblem } from './scenario-problem.js';
import { asArray, asRecord, asString, type Raw, type RawStep } from './raw-fields.js';

/** Step kinds that make a fault with an id, and those a heal step may name: the fault registry says. */
const CREATES_FAULT: ReadonlySet<string> = faultNames.creating;
const HEALABLE: ReadonlySet<string> = faultNames.healable;

interface FaultRecord {
  readonly index: number;
  readonly kind: string;
  readonly only: readonly string[];
  healedBy?: number;
}

/** Ids unique; each heal names a healable fault created before it, for the same architectures, once. */
export function faultIdProblems(ordered: readonly RawStep[], byIndex: readonly RawStep[], list: string): ScenarioProblem[] {
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
        hint: fault.kind === 'crash' ? 'give the crash restartAfter, or let users restart per load.restartDelay' : `remove the heal: the machines of a ${fault.kind} come back after downFor by themselves`,
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

export function rollbackProblems(root: Raw): ScenarioProblem[] {
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
