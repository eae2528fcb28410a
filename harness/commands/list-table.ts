import Table from 'cli-table3';
import pc from 'picocolors';
import type { ScenarioListing } from './scenario-listing.js';

/** The terminal `chaos list` is drawn for: every line fits. */
export const LIST_TERMINAL_WIDTH = 120;

/** Column widths, padding included and borders not: 4 columns and 5 borders make 120. */
const COLUMN_WIDTHS = [26, 26, 30, 33];

/**
 * The scenarios as a table: per scenario its name, each architecture with its expectation, the
 * outage it reproduces with the day it began, and the post-mortem; its description below, across
 * the table. A scenario that does not load shows INVALID and its problems instead.
 */
export function renderScenarioTable(listings: readonly ScenarioListing[], options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color);
  const table = new Table({
    head: ['scenario', 'architectures', 'outage', 'post-mortem'].map((title) => c.dim(title)),
    colWidths: COLUMN_WIDTHS,
    wordWrap: true,
    style: { head: [], border: [], compact: true },
  });
  for (const listing of listings) {
    if (listing.problem !== undefined) {
      const problems = [`INVALID: ${listing.problem}`, ...(listing.details ?? []).map((detail) => `- ${detail}`)];
      table.push([c.bold(listing.name), { colSpan: 3, content: c.red(problems.join('\n')) }]);
      continue;
    }
    const architectures = listing.architectures.map(({ architecture, expectation }) => `${architecture}: ${expectation}`).join('\n');
    const source = listing.source;
    table.push([
      c.bold(listing.name),
      architectures,
      source === null ? c.dim('none given') : `${source.outage}\nbegan ${source.date}`,
      source === null ? c.dim('none given') : source.reference,
    ]);
    if (listing.description !== '') table.push([{ colSpan: 4, content: c.dim(listing.description) }]);
  }
  return table.toString();
}
