import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { skype2010Backoff } from '../../../scenarios/skype-2010-backoff.js';
import { skype2010NoRemedy } from '../../../scenarios/skype-2010-no-remedy.js';
import { skype2010SameCapacity } from '../../../scenarios/skype-2010-same-capacity.js';
import { scenarioProblems, validScenario } from './scenario-fixture.js';

const row = (measure: unknown, expected = 0.3) => ({ quantity: 'online users at the low point, share of normal', published: 'about 30%', expected, measure });

function withFidelity(fidelity: unknown): unknown {
  const scenario = validScenario();
  scenario.fidelity = fidelity;
  return scenario;
}

describe('a scenario fidelity table', () => {
  it('is optional, and kept as given with every measure', () => {
    expect(validateScenario(validScenario()).fidelity).toBeUndefined();
    const rows = [
      row({ of: 'online-at', at: '20h' }),
      row({ of: 'online-low-point' }),
      row({ of: 'hours-below', fraction: 0.5 }, 12),
      row({ of: 'recovery-hours' }, 30),
      row({ of: 'supernode-loss-direct' }, 0.275),
      row({ of: 'supernode-loss-total' }),
      row({ of: 'cascade-amplification' }, 3),
    ];
    expect(validateScenario(withFidelity(rows)).fidelity).toEqual(rows);
  });

  it('refuses blank words, a share above 1, a negative number, an unknown measure and an unknown field', () => {
    expect(scenarioProblems(withFidelity([{ ...row({ of: 'online-low-point' }), quantity: ' ' }]))).toEqual([
      'fidelity[0].quantity: must say what is compared (e.g. "online users 20 h after T0, share of normal")',
    ]);
    expect(scenarioProblems(withFidelity([{ ...row({ of: 'online-low-point' }), published: '' }]))).toEqual(['fidelity[0].published: must give the post-mortem\'s number as published (e.g. "about 30%")']);
    expect(scenarioProblems(withFidelity([row({ of: 'online-low-point' }, 30)]))).toEqual(['fidelity[0].expected: must be a share from 0 to 1 for "online-low-point" (e.g. 0.3 for "about 30%")']);
    expect(scenarioProblems(withFidelity([row({ of: 'recovery-hours' }, -1)]))).toEqual(['fidelity[0].expected: must not be negative']);
    expect(scenarioProblems(withFidelity([row({ of: 'hours-below', fraction: 1.5 }, 4)]))).toEqual(['fidelity[0].measure.fraction: must be between 0 and 1 (a share, e.g. 0.3 for 30%)']);
    expect(scenarioProblems(withFidelity([row({ of: 'online-at' })]))).toEqual(['fidelity[0].measure.at: is missing (add a string)']);
    expect(scenarioProblems(withFidelity([row({ of: 'online-at', at: '20 hours' })]))[0]).toMatch(/^fidelity\[0\]\.measure\.at: is not a duration/);
    expect(scenarioProblems(withFidelity([row({ of: 'online-low-point', at: '2h' })]))).toEqual(['fidelity[0].measure.at: is not a known field (remove it or check its spelling)']);
    expect(scenarioProblems(withFidelity([row({ of: 'users-lost' })]))[0]).toMatch(/^fidelity\[0\]\.measure\.of: names no known variant \(use one of "online-at", "online-low-point", "hours-below"/);
    expect(scenarioProblems(withFidelity([{ ...row({ of: 'online-low-point' }), source: 'blog' }]))).toEqual(['fidelity[0].source: is not a known field (remove it or check its spelling)']);
  });

  it('refuses an empty table and one of more than 20 rows', () => {
    expect(scenarioProblems(withFidelity([]))).toEqual(['fidelity: must list at least one row (or drop fidelity)']);
    expect(scenarioProblems(withFidelity(Array.from({ length: 21 }, () => row({ of: 'online-low-point' }))))).toEqual([
      "fidelity: must list at most 20 rows (keep the post-mortem's key figures)",
    ]);
  });

  it('refuses an online-at beyond the end of the run, and takes one at its very end', () => {
    expect(scenarioProblems(withFidelity([row({ of: 'online-low-point' }), row({ of: 'online-at', at: '21h' })]))).toEqual([
      'fidelity[1].measure.at: "21h" is after the end of the run (duration "20h"), so no run can measure it (use an offset within duration, or lengthen duration)',
    ]);
    expect(scenarioProblems(withFidelity([row({ of: 'online-at', at: '20h' })]))).toEqual([]);
  });

  it('gives skype-2010 and each of its variants the post-mortem\'s recovery and direct loss', () => {
    for (const scenario of [skype2010, skype2010Backoff, skype2010NoRemedy, skype2010SameCapacity]) {
      const fidelity = validateScenario(scenario).fidelity ?? [];
      expect(fidelity.map((r) => [r.published, r.expected, r.measure]), scenario.name).toEqual([
        ['about 30%', 0.3, { of: 'online-at', at: '20h' }],
        ['about 60%', 0.6, { of: 'online-at', at: '22h' }],
        ['about 80%', 0.8, { of: 'online-at', at: '27h' }],
        ['about 90%', 0.9, { of: 'online-at', at: '30h' }],
        ['25-30% of supernodes', 0.275, { of: 'supernode-loss-direct' }],
      ]);
    }
  });
});
