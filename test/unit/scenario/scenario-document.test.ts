import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { loadScenario } from '../../../harness/runner/scenario-catalog.js';
import { scenarioOfDocument } from '../../../harness/scenario/scenario-document.js';
import { validScenario, validScenarioDefinition } from './scenario-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'scenario-document-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeDocument(name: string, document: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

describe('a scenario JSON document', () => {
  it('may carry a "$schema" key for editors, which the loader leaves out of the scenario', async () => {
    const file = writeDocument('with-schema.json', { $schema: '../docs/scenario.schema.json', ...validScenario() });
    const scenario = await loadScenario(file);
    expect(scenario).toEqual(validScenarioDefinition());
    expect(Object.keys(scenario)).not.toContain('$schema');
  });

  it('loads as before without one', async () => {
    expect(await loadScenario(writeDocument('plain.json', validScenario()))).toEqual(validScenarioDefinition());
  });

  it('refuses a "$schema" that is not a string, naming the key and the fix', async () => {
    const file = writeDocument('bad-schema.json', { $schema: 42, ...validScenario() });
    const error: unknown = await loadScenario(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).code).toBe('INVALID_SCENARIO');
    expect((error as ChaosError).details).toEqual([
      '$schema: expected a string, got number (write the path or URL of the scenario JSON Schema, e.g. "../docs/scenario.schema.json", or remove the key)',
    ]);
  });

  it('leaves anything that is not an object with "$schema" to the validator as it is', () => {
    const scenario = validScenario();
    expect(scenarioOfDocument(scenario)).toBe(scenario);
    expect(scenarioOfDocument([1])).toEqual([1]);
    expect(scenarioOfDocument(null)).toBeNull();
  });
});
