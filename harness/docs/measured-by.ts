import { shortCommit } from './doc-format.js';

/** Where a measured table's figures come from, as every data file in bench/ records it per entry. */
export interface MeasuredBy {
  readonly command: string;
  readonly date: string;
  readonly commit: string;
  readonly machine: { readonly description: string };
  readonly conditions: string;
}

/** `` `command`, date, commit abc1234, machine<after>; conditions. ``: the first line of every table rendered from an entry. */
export function measuredByText(source: MeasuredBy, after = ''): string {
  return `\`${source.command}\`, ${source.date}, commit ${shortCommit(source.commit)}, ${source.machine.description}${after}; ${source.conditions}.`;
}
