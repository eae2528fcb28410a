/** One thing wrong with a scenario: where, what, and the fix. */
export interface ScenarioProblem {
  readonly path: string;
  readonly problem: string;
  readonly hint?: string;
}

/** `timeline[3].action.id` from `['timeline', 3, 'action', 'id']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(scenario)' : text;
}

export function describeProblem(problem: ScenarioProblem): string {
  return problem.hint === undefined ? `${problem.path}: ${problem.problem}` : `${problem.path}: ${problem.problem} (${problem.hint})`;
}
