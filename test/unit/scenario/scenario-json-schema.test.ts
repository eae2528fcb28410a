import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { applyControl } from '../../../harness/controls/apply-control.js';
import { listScenarioFiles, loadScenario } from '../../../harness/runner/scenario-catalog.js';
import { SCENARIO_SCHEMA_ID, scenarioJsonSchema, scenarioJsonSchemaText } from '../../../harness/scenario/scenario-json-schema.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { validScenario } from './scenario-fixture.js';

const root = resolve(import.meta.dirname, '../../..');
const committedSchema = join(root, 'docs/scenario.schema.json');

const ajv = new Ajv2020({ allErrors: true, strict: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/ } });
const validate = ajv.compile(scenarioJsonSchema());

/** What a scenario file holds: the scenario as JSON, pointing at the schema. */
const asDocument = (scenario: unknown): unknown => ({ $schema: '../docs/scenario.schema.json', ...(JSON.parse(JSON.stringify(scenario)) as object) });

const firstJsonBlockAfter = (page: string, heading: string): unknown => {
  const text = readFileSync(join(root, page), 'utf8');
  const json = new RegExp(`${heading}[\\s\\S]*?\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(text)?.[1];
  if (json === undefined) throw new Error(`no json block after "${heading}" in ${page}`);
  return JSON.parse(json);
};

/** JSON scenario files kept among the tests, if any. */
function testJsonFiles(dir = join(root, 'test')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testJsonFiles(path);
    return entry.name.endsWith('.json') ? [path] : [];
  });
}

async function validScenarios(): Promise<[string, unknown][]> {
  const shipped: ScenarioDefinition[] = await Promise.all((await listScenarioFiles()).map((entry) => loadScenario(entry.file)));
  const sabotaged = shipped.flatMap((scenario) => (scenario.controls ?? []).map((control) => applyControl(scenario, control)));
  const testFiles = await Promise.all(testJsonFiles().map(async (file): Promise<[string, unknown]> => [file, asDocument(await loadScenario(file))]));
  return [
    ...shipped.map((scenario): [string, unknown] => [`scenarios/${scenario.name}`, asDocument(scenario)]),
    ...sabotaged.map((scenario): [string, unknown] => [`control ${scenario.name}`, asDocument(scenario)]),
    ['the unit tests\' fixture', asDocument(validScenario())],
    ['the example in docs/scenarios.md', firstJsonBlockAfter('docs/scenarios.md', '## An example')],
    ['the whole scenario in docs/authoring.md', firstJsonBlockAfter('docs/authoring.md', '## The whole scenario')],
    ...testFiles,
  ];
}

const errorsOf = (document: unknown): string[] => (validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`));

describe('the JSON Schema of scenario files', () => {
  it('is draft 2020-12, with its id, title and description', () => {
    const schema = scenarioJsonSchema();
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['$id']).toBe(SCENARIO_SCHEMA_ID);
    expect(schema['title']).toBe('supernode-chaos scenario');
    expect(typeof schema['description']).toBe('string');
  });

  it('accepts every shipped scenario, each control applied to it, the fixture and the scenarios in the docs', async () => {
    const scenarios = await validScenarios();
    expect(scenarios.length).toBeGreaterThan(10);
    for (const [name, document] of scenarios) expect(errorsOf(document), name).toEqual([]);
  });

  it('refuses an unknown top-level key, a wrong type, a bad date, a duration that does not parse and an unknown step', () => {
    const broken = (mutate: (scenario: ReturnType<typeof validScenario>) => void): unknown => {
      const scenario = validScenario();
      mutate(scenario);
      return scenario;
    };
    expect(errorsOf(broken((s) => (s.sampleEvery = 1000)))).toContain(' must NOT have additional properties');
    expect(errorsOf(broken((s) => (s.seed = 'seven')))).toContain('/seed must be integer');
    expect(errorsOf(broken((s) => (s.source = { outage: 'Skype', date: '22 Dec 2010', reference: 'post-mortem' })))).toContain('/source/date must match format "date"');
    expect(errorsOf(broken((s) => (s.duration = '20 hours')))).toContain('/duration must match pattern "^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+$"');
    expect(errorsOf(broken((s) => (s.timeline[0].action.do = 'explode'))).length).toBeGreaterThan(0);
    expect(errorsOf(broken((s) => delete s.timeline))).toContain(" must have required property 'timeline'");
  });

  it('is what docs/scenario.schema.json holds (write it again with `npx chaos schema --out docs/scenario.schema.json`)', () => {
    expect(readFileSync(committedSchema, 'utf8'), 'docs/scenario.schema.json is stale: run `npx chaos schema --out docs/scenario.schema.json`').toBe(scenarioJsonSchemaText());
  });
});
