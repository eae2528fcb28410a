import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyControl } from '../../../harness/controls/apply-control.js';
import { ChaosError } from '../../../harness/errors.js';
import { loadScenario } from '../../../harness/runner/scenario-catalog.js';

const page = readFileSync(resolve(import.meta.dirname, '../../../docs/authoring.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'authoring-guide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first code block of `language` after `marker` in the guide. */
function blockAfter(marker: string, language: string): string {
  const block = new RegExp(`${marker}[\\s\\S]*?\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(page)?.[1];
  if (block === undefined) throw new Error(`no ${language} block after "${marker}" in docs/authoring.md`);
  return block;
}

function writeScenarioFile(name: string, json: string): string {
  const file = join(dir, name);
  writeFileSync(file, json);
  return file;
}

describe('docs/authoring.md', () => {
  it('ends with a scenario the real loader accepts, "$schema" included, whose controls apply', async () => {
    const json = blockAfter('## The whole scenario', 'json');
    expect(JSON.parse(json)).toHaveProperty('$schema', './docs/scenario.schema.json');
    const scenario = await loadScenario(writeScenarioFile('box-crash.json', json));
    expect(scenario.name).toBe('box-crash');
    expect(Object.keys(scenario.architectures)).toEqual(['dedicated']);
    expect(scenario.controls?.map((control) => applyControl(scenario, control).name)).toEqual(['box-crash--control-directory-pins-dead-box']);
  });

  it('shows the problems the loader really reports for the file of its first step', async () => {
    const file = writeScenarioFile('step-1.json', blockAfter('## 1. The file and its schema', 'json'));
    const error: unknown = await loadScenario(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChaosError);
    expect(`${(error as ChaosError).describe()}\n`).toBe(blockAfter('Nothing starts.', ''));
  });
});
