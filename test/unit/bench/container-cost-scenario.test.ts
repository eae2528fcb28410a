import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog, loadScenario } from '../../../harness/runner/scenario-catalog.js';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { setText, variedScenario, variedScenarioFile, writeVariedScenario } from '../../bench/container-cost-scenario.js';
import { chaosRefusal } from '../helpers/chaos-refusal.js';

const scratch = await mkdtemp(join(tmpdir(), 'container-cost-scenario-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const skype = await loadScenario('skype-2010');
const size = 'architectures.p2p.topology.clientsPerFleet';

describe('the scenario a --set run runs', () => {
  it('is the named scenario with each value set, validated whole, and the original left as it was', () => {
    const varied = variedScenario(skype, { [size]: 1_000, 'load.crashProbability': 0.1 }, 'p2p');
    expect(varied.architectures.p2p?.topology.clientsPerFleet).toBe(1_000);
    expect(varied.load.crashProbability).toBe(0.1);
    expect(skype.architectures.p2p?.topology.clientsPerFleet).toBe(100);
    expect({ ...varied, architectures: skype.architectures, load: skype.load }).toEqual(skype);
  });

  it('refuses a path the scenario does not have, naming what is there and the fix (exit 2)', () => {
    const error = chaosRefusal(() => variedScenario(skype, { 'architectures.p2p.topo.clientsPerFleet': 1_000 }, 'p2p'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('--set architectures.p2p.topo.clientsPerFleet has no field architectures.p2p.topo (architectures.p2p has topology, expectation, targets, outage)');
    expect(error.hint).toContain('e.g. --set architectures.p2p.topology.clientsPerFleet=1000');
  });

  it('refuses a value that makes the scenario invalid, with each problem and its fix', () => {
    const wrongType = chaosRefusal(() => variedScenario(skype, { [size]: 'many' }, 'p2p'));
    expect(wrongType.code).toBe('INVALID_SCENARIO');
    expect(wrongType.exitCode).toBe(2);
    expect(wrongType.message).toBe(`--set ${size}=many makes skype-2010 invalid (1 problem)`);
    expect(wrongType.details).toEqual([`${size}: expected number, got "many" (write a number here)`]);
    const tooMany = chaosRefusal(() => variedScenario(skype, { [size]: 100_000 }, 'p2p'));
    expect(tooMany.details[0]).toMatch(/^architectures\.p2p\.topology\.clientsPerFleet: 100000 clients in one fleet process, more than one event loop can hold/);
    const unknown = chaosRefusal(() => variedScenario(skype, { 'architectures.p2p.topology.clientsPerFleets': 1_000 }, 'p2p'));
    expect(unknown.details).toEqual(['architectures.p2p.topology.clientsPerFleets: is not a known field (remove it or check its spelling)']);
  });

  it('refuses a timeline step that does not run on the architecture, and an architecture the scenario lacks', () => {
    expect(chaosRefusal(() => variedScenario(skype, { 'timeline[2].at': '3h' }, 'p2p')).message).toBe(
      '--set timeline[2].at: timeline[2] runs only on dedicated, so it changes nothing the run of p2p runs',
    );
    const p2pOnly = validateScenario({ ...skype, architectures: { p2p: skype.architectures.p2p }, timeline: skype.timeline.filter((step) => step.only?.includes('p2p') !== false), controls: [] });
    expect(chaosRefusal(() => variedScenario(p2pOnly, { 'load.crashProbability': 0.1 }, 'dedicated')).message).toBe('scenario skype-2010 does not define architecture dedicated');
  });

  it('writes --set values as the data and the table read them', () => {
    expect(setText({ [size]: 1_000, 'timeScale.oneHour': '2s', 'load.reconnect': { policy: 'fixed' } })).toBe(`${size}=1000, timeScale.oneHour=2s, load.reconnect={"policy":"fixed"}`);
  });
});

describe('the varied scenario file', () => {
  it('is a JSON scenario file in --out that chaos run reads back as the scenario written', async () => {
    const varied = variedScenario(skype, { [size]: 1_000 }, 'p2p');
    const out = join(scratch, 'new', 'out');
    const file = await writeVariedScenario(out, varied);
    expect(file).toBe(join(out, 'skype-2010-set.json'));
    expect(file).toBe(variedScenarioFile(out, varied));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(varied);
    expect(await loadScenario(file)).toEqual(varied);
  });

  it('holds every shipped scenario losslessly: JSON has all a validated scenario holds', async () => {
    for (const entry of await loadCatalog()) {
      expect(entry.error, entry.name).toBeUndefined();
      const file = await writeVariedScenario(join(scratch, entry.name), entry.scenario!);
      expect(await loadScenario(file), entry.name).toStrictEqual(entry.scenario);
    }
  });
});
