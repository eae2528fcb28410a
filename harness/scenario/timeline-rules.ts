import type { ScenarioProblem } from './scenario-problem.js';
import { ARCHITECTURES } from './architecture-rules.js';
import { faultIdProblems } from './fault-id-rules.js';
import { asArray, asRecord, durationOf, type Raw, type RawStep } from './raw-fields.js';

export function timelineProblems(root: Raw, declared: readonly string[]): ScenarioProblem[] {
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
