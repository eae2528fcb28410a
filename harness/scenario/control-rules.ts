import { parseParamPath } from '../sweep/sweep-param.js';
import { ARCHITECTURES } from './architecture-rules.js';
import { asArray, asRecord, asString, type Raw } from './raw-fields.js';
import type { ScenarioProblem } from './scenario-problem.js';
import { TARGET_KEYS, statedTargetKeys } from './stated-targets.js';

/**
 * Rules for the negative controls: each runs on an architecture the scenario defines, breaks
 * targets that architecture states, has its own name, and sets fields by paths that parse and
 * that change what the control runs.
 */
export function controlProblems(root: Raw, declared: readonly string[]): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const names = new Map<string, number>();
  asArray(root['controls']).forEach((raw, index) => {
    const control = asRecord(raw);
    if (control === undefined) return;
    const at = `controls[${index}]`;
    const name = asString(control['name']);
    if (name !== undefined) {
      const first = names.get(name);
      if (first === undefined) names.set(name, index);
      else problems.push({ path: `${at}.name`, problem: `"${name}" is already the name of controls[${first}]`, hint: 'give each control its own name: it names its report folder' });
    }
    const architecture = asString(control['architecture']);
    const known = architecture !== undefined && (ARCHITECTURES as readonly string[]).includes(architecture);
    const defined = known && declared.includes(architecture);
    if (known && !defined && declared.length > 0) {
      problems.push({ path: `${at}.architecture`, problem: `"${architecture}" is not an architecture of this scenario`, hint: `run the control on ${declared.join(' or ')}` });
    }
    if (defined) problems.push(...mustBreakProblems(root, control, architecture, at));
    problems.push(...setProblems(root, control, architecture, at));
  });
  return problems;
}

function mustBreakProblems(root: Raw, control: Raw, architecture: string, at: string): ScenarioProblem[] {
  const stated = statedTargetKeys(asRecord(root['architectures'])?.[architecture]);
  return asArray(control['mustBreak']).flatMap((key, k) => {
    if (typeof key !== 'string' || !(TARGET_KEYS as readonly string[]).includes(key) || key === 'steadyState' || (stated as readonly string[]).includes(key)) return [];
    return [
      {
        path: `${at}.mustBreak[${k}]`,
        problem: `"${key}" is not a target ${architecture} states, so no run can break it`,
        hint: `name one of ${[...stated, 'steadyState'].join(', ')}, or state the target under architectures.${architecture}`,
      },
    ];
  });
}

function setProblems(root: Raw, control: Raw, architecture: string | undefined, at: string): ScenarioProblem[] {
  const set = asRecord(control['set']);
  if (set === undefined) return [];
  const problems: ScenarioProblem[] = [];
  for (const path of Object.keys(set)) {
    const segments = parseParamPath(path);
    const where = `${at}.set["${path}"]`;
    if (segments === undefined) {
      problems.push({ path: where, problem: 'is not a field path', hint: 'write dot-separated names with [i] for list entries, e.g. architectures.dedicated.topology.defects or load.reconnect' });
      continue;
    }
    if (architecture === undefined) continue;
    const [head, second] = segments;
    if (head === 'architectures' && second !== undefined && second !== architecture) {
      problems.push({ path: where, problem: `sets a field of ${String(second)}, but the control runs ${architecture}`, hint: `set a field under architectures.${architecture}, or run the control on ${String(second)}` });
    }
    const step = head === 'timeline' && typeof second === 'number' ? asRecord(asArray(root['timeline'])[second]) : undefined;
    const only = asArray(step?.['only']);
    if (only.length > 0 && !only.includes(architecture)) {
      problems.push({ path: where, problem: `timeline[${String(second)}] runs only on ${only.join(', ')}, so it changes nothing the control runs on ${architecture}`, hint: `set a step that runs on ${architecture}` });
    }
  }
  return problems;
}
