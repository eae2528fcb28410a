import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';

const page = readFileSync(resolve(import.meta.dirname, '../../../docs/scenarios.md'), 'utf8');

describe('the example in docs/scenarios.md', () => {
  it('is a scenario the harness accepts as written', () => {
    const json = /```json\n([\s\S]*?)```/.exec(page)?.[1];
    expect(json).toBeDefined();
    const scenario = validateScenario(JSON.parse(json ?? ''));
    expect(scenario.name).toBe('half-partition');
    expect(Object.keys(scenario.architectures)).toEqual(['dedicated']);
  });
});
