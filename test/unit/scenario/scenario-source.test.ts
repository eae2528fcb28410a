import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { skype2010Backoff } from '../../../scenarios/skype-2010-backoff.js';
import { skype2010NoRemedy } from '../../../scenarios/skype-2010-no-remedy.js';
import { skype2010SameCapacity } from '../../../scenarios/skype-2010-same-capacity.js';
import { scenarioProblems, validScenario } from './scenario-fixture.js';

const skypeSource = {
  outage: 'Skype, 22-24 December 2010',
  date: '2010-12-22',
  reference: 'Lars Rabbe, "CIO update: Post-mortem on the Skype outage", Skype blog, 29 December 2010',
};

function withSource(source: unknown): unknown {
  const scenario = validScenario();
  scenario.source = source;
  return scenario;
}

describe('a scenario source', () => {
  it('is optional, and kept as given when present', () => {
    expect(validateScenario(validScenario()).source).toBeUndefined();
    expect(validateScenario(withSource(skypeSource)).source).toEqual(skypeSource);
  });

  it.each([
    ['a date in another format', '22 Dec 2010'],
    ['a date and time', '2010-12-22T16:00:00Z'],
    ['a day that no calendar has', '2010-02-30'],
    ['a month that does not exist', '2010-13-01'],
  ])('refuses %s, naming the field and the format', (_case, date) => {
    expect(scenarioProblems(withSource({ ...skypeSource, date }))).toEqual([
      'source.date: must be a calendar date written YYYY-MM-DD (the day the outage began, e.g. "2010-12-22")',
    ]);
  });

  it('accepts a leap day', () => {
    expect(validateScenario(withSource({ ...skypeSource, date: '2012-02-29' })).source?.date).toBe('2012-02-29');
  });

  it('refuses a blank outage or reference, a missing field and an unknown one', () => {
    expect(scenarioProblems(withSource({ ...skypeSource, outage: '  ' }))).toEqual(['source.outage: must name the outage in words (e.g. "Skype, 22-24 December 2010")']);
    expect(scenarioProblems(withSource({ ...skypeSource, reference: '' }))).toEqual(['source.reference: must name the public post-mortem (its author and title, and/or its URL)']);
    expect(scenarioProblems(withSource({ outage: skypeSource.outage, reference: skypeSource.reference }))).toEqual(['source.date: is missing (add a string)']);
    expect(scenarioProblems(withSource({ ...skypeSource, url: 'https://example.org' }))).toEqual(['source.url: is not a known field (remove it or check its spelling)']);
    expect(scenarioProblems(withSource('Skype 2010'))).toEqual(['source: expected object, got "Skype 2010" (write an object here)']);
  });

  it('names the Skype outage of December 2010 and its post-mortem in skype-2010 and each of its variants', () => {
    for (const scenario of [skype2010, skype2010Backoff, skype2010NoRemedy, skype2010SameCapacity]) {
      expect(validateScenario(scenario).source, scenario.name).toEqual(skypeSource);
    }
  });
});
