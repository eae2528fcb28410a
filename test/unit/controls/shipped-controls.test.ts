import { describe, expect, it } from 'vitest';
import { applyControl } from '../../../harness/controls/apply-control.js';
import { uncoveredTargets } from '../../../harness/controls/control-coverage.js';
import { listScenarioFiles, loadScenario } from '../../../harness/runner/scenario-catalog.js';

const shipped = await Promise.all((await listScenarioFiles()).map((entry) => loadScenario(entry.name)));

describe('the shipped scenarios and their negative controls', () => {
  it('covers every target of every architecture with at least one control', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(4);
    for (const scenario of shipped) {
      expect(scenario.controls?.length ?? 0, scenario.name).toBeGreaterThan(0);
      expect(uncoveredTargets(scenario), scenario.name).toEqual([]);
    }
  });

  it('has controls that each make a valid scenario on their one architecture, and sabotage something', () => {
    for (const scenario of shipped) {
      for (const control of scenario.controls ?? []) {
        const sabotaged = applyControl(scenario, control);
        expect(Object.keys(sabotaged.architectures), `${scenario.name} ${control.name}`).toEqual([control.architecture]);
        const system = { load: sabotaged.load, run: sabotaged.architectures[control.architecture] };
        expect(system, `${scenario.name} ${control.name}`).not.toEqual({ load: scenario.load, run: scenario.architectures[control.architecture] });
      }
    }
  });
});
