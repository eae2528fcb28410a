import type { DirectoryPrediction } from '../verdict/directory-prediction.js';
import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import type { LoadFigure } from './load-figures.js';

const share = (value: number): string => `${value.toFixed(2)} of login's time`;
const ms = (value: number): string => `${Number.isInteger(value) ? value : value.toFixed(1)} ms`;

/** Login's directory arithmetic, predicted before the run; no rows when the topology gives login no directory. */
export function directoryFigures(run: ArchitectureVerdict): readonly LoadFigure[] {
  const directory = run.load?.predictedDirectory;
  if (directory === undefined) return [];
  const deadline = directory.deadline;
  return [
    {
      label: 'login directory: steady, predicted',
      value: `${share(directory.steadyUtilisation)} (${directory.supernodes} heartbeat answers of ${ms(directory.answerMs.membership)} every ${ms(directory.loginHeartbeatMs)})`,
    },
    { label: 're-registration burst / deadline', value: `${ms(directory.reRegistrationBurstMs)} / ${burstDeadline(directory)}` },
    {
      label: 'storm if all out of service, predicted',
      value: deadline === undefined ? '—' : `${share(deadline.stormUtilisation)} (${directory.supernodes} asking every ${ms(deadline.deadlineMs)} + ${ms(deadline.registrationRetryMs)})`,
    },
    {
      label: 'feeds itself',
      value:
        deadline === undefined
          ? '—'
          : deadline.feedsItself
            ? `yes: the deadline is below the tipping deadline of ${ms(deadline.tippingDeadlineMs)} (a bound from above)`
            : `no: the deadline is at or above the tipping deadline of ${ms(deadline.tippingDeadlineMs)} (a bound from above)`,
    },
    {
      label: 'late registrations drain alone from',
      value:
        deadline === undefined
          ? '—'
          : `${ms(deadline.drainsAloneFromMs)}: from there those answered late fit in one deadline when they ask again; the tipping deadline lies between the two`,
    },
  ];
}

function burstDeadline(directory: DirectoryPrediction): string {
  const deadline = directory.deadline;
  if (deadline === undefined) return 'no registration deadline';
  return `${ms(deadline.deadlineMs)} (${deadline.outOfServiceAtBurst} of ${directory.supernodes} answered late)`;
}
