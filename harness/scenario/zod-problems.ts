import type { z } from 'zod';
import { formatPath, type ScenarioProblem } from './scenario-problem.js';

type Issue = z.core.$ZodIssue;

/** Turns zod issues into problems a person can act on, descending into the closest union branch. */
export function problemsFromZod(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): ScenarioProblem[] {
  return issues.flatMap((issue) => problemsFromIssue(issue, [...prefix, ...issue.path]));
}

function problemsFromIssue(issue: Issue, path: readonly PropertyKey[]): ScenarioProblem[] {
  const where = formatPath(path);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return [{ path: where, problem: 'must be a whole number' }];
      if (typeof issue.input === 'number' && !Number.isFinite(issue.input)) {
        return [{ path: where, problem: `expected a finite number, got ${String(issue.input)}`, hint: 'write a finite number here' }];
      }
      return [
        issue.input === undefined
          ? { path: where, problem: 'is missing', hint: `add ${article(issue.expected)} ${issue.expected}` }
          : { path: where, problem: `expected ${issue.expected}, got ${describeValue(issue.input)}`, hint: `write ${article(issue.expected)} ${issue.expected} here` },
      ];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        problem: 'is not a known field',
        hint: 'remove it or check its spelling',
      }));
    case 'invalid_value':
      return [
        {
          path: where,
          problem: issue.input === undefined ? 'is missing' : `${describeValue(issue.input)} is not allowed`,
          hint: `use one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`,
        },
      ];
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        return [
          {
            path: formatPath(path.at(-1) === issue.discriminator ? path : [...path, issue.discriminator]),
            problem: 'names no known variant',
            hint: `use one of ${('options' in issue ? (issue.options ?? []) : []).map((value) => JSON.stringify(value)).join(', ')}`,
          },
        ];
      }
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
      if (closest === undefined || closest.length === 0) return [{ path: where, problem: issue.message }];
      return problemsFromZod(closest, path);
    }
    default:
      return [splitHint(where, issue.message)];
  }
}

/** Custom messages carry their hint in a trailing parenthesis. */
function splitHint(path: string, message: string): ScenarioProblem {
  const match = /^(.*?) \((.*)\)$/.exec(message);
  return match === null ? { path, problem: message } : { path, problem: match[1] ?? message, hint: match[2] ?? '' };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');
