import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { LIST_TERMINAL_WIDTH, renderScenarioTable } from '../../../harness/commands/list-table.js';
import { invalidListing, listingOf, listScenarios } from '../../../harness/commands/scenario-listing.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';

const source = {
  outage: 'Skype, 22-24 December 2010',
  date: '2010-12-22',
  reference: 'Lars Rabbe, "CIO update: Post-mortem on the Skype outage", Skype blog, 29 December 2010',
};

const withSource = listingOf({ ...validScenarioDefinition(), name: 'with-source', source }, '/scenarios/with-source.ts');
const withoutSource = listingOf(validScenarioDefinition(), '/scenarios/fixture.json');
const invalid = invalidListing(
  'broken',
  '/scenarios/broken.json',
  new ChaosError('INVALID_SCENARIO', 'scenario "broken" has 1 problem', {
    hint: 'fix each problem listed below',
    details: ['source.date: must be a calendar date written YYYY-MM-DD (the day the outage began, e.g. "2010-12-22")'],
  }),
);

const widths = (text: string): number[] => stripVTControlCharacters(text).split('\n').map((line) => [...line].length);
const flat = (text: string): string => stripVTControlCharacters(text).replace(/[│┌┐└┘├┤┬┴┼─\s]+/g, ' ');

describe('the listing of a scenario', () => {
  it('holds its name, description, source and each architecture with its expectation', () => {
    expect(withSource).toEqual({
      name: 'with-source',
      file: '/scenarios/with-source.ts',
      description: 'a small valid scenario',
      source,
      architectures: [
        { architecture: 'p2p', expectation: 'reproduces-outage' },
        { architecture: 'dedicated', expectation: 'meets-targets' },
      ],
    });
    expect(withoutSource.source).toBeNull();
  });

  it('of a file that does not load holds the problem and each of its details', () => {
    expect(invalid.problem).toBe('scenario "broken" has 1 problem');
    expect(invalid.details).toHaveLength(1);
    expect(invalidListing('x', '/x.ts', new Error('boom')).details).toEqual([]);
  });

  it('lists every shipped scenario with the Skype outage as its source', async () => {
    const listings = await listScenarios();
    expect(listings.map((listing) => listing.name)).toContain('skype-2010');
    for (const listing of listings) expect(listing.problem, listing.name).toBeUndefined();
    expect(listings.find((listing) => listing.name === 'skype-2010')?.source?.date).toBe('2010-12-22');
  });
});

describe('the table of chaos list', () => {
  const table = renderScenarioTable([withSource, withoutSource, invalid], { color: true });

  it(`fits ${LIST_TERMINAL_WIDTH} columns, colours aside`, () => {
    expect(Math.max(...widths(table))).toBeLessThanOrEqual(LIST_TERMINAL_WIDTH);
    expect(Math.max(...widths(renderScenarioTable([{ ...invalid, details: [`cannot load ${'/very-long-path'.repeat(20)}.json`] }], { color: false })))).toBeLessThanOrEqual(LIST_TERMINAL_WIDTH);
  });

  it('shows the name, each architecture with its expectation, the outage, the day it began and the post-mortem', () => {
    const text = flat(table);
    expect(text).toContain('with-source p2p: reproduces-outage Skype, 22-24 December 2010');
    expect(text).toContain('dedicated: meets-targets began 2010-12-22');
    expect(text).toContain('Lars Rabbe, "CIO update:');
    expect(text).toContain('Skype blog, 29 December 2010');
    expect(text).toContain('a small valid scenario');
  });

  it('says when a scenario names no source', () => {
    expect(flat(table)).toContain('fixture p2p: reproduces-outage none given none given');
  });

  it('shows a file that does not load as INVALID with its problems', () => {
    const text = flat(table);
    expect(text).toContain('broken INVALID: scenario "broken" has 1 problem - source.date: must be a calendar date written YYYY-MM-DD');
  });

  it('uses no colour when asked for none', () => {
    const plain = renderScenarioTable([withSource, invalid], { color: false });
    expect(stripVTControlCharacters(plain)).toBe(plain);
  });
});
