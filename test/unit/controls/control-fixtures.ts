import type { PreparedControl } from '../../../harness/controls/apply-control.js';
import type { ControlRuns } from '../../../harness/controls/run-controls.js';
import type { Architecture, NegativeControl, ScenarioDefinition } from '../../../harness/scenario/types.js';
import type { ArchitectureVerdict, CheckOutcome, TargetResult } from '../../../harness/verdict/verdict-types.js';

/** A judged target under its verdict name. */
export const target = (name: string, measured: number | string | null, outcome: CheckOutcome, wanted = 'fixture'): TargetResult => ({
  name,
  target: wanted,
  measured,
  outcome,
  pass: outcome === 'pass',
});

/** One architecture's verdict with the given targets (the rest of it as a completed run would have it). */
export function verdict(targets: readonly TargetResult[], options: { readonly verdict?: CheckOutcome; readonly saturated?: boolean; readonly architecture?: Architecture } = {}): ArchitectureVerdict {
  const outcomes = targets.map((t) => t.outcome);
  const combined: CheckOutcome = outcomes.includes('fail') ? 'fail' : outcomes.includes('unknown') ? 'unknown' : 'pass';
  return {
    architecture: options.architecture ?? 'dedicated',
    expectation: 'meets-targets',
    verdict: options.verdict ?? (options.saturated === true ? 'unknown' : combined),
    outcome: 'completed',
    saturation: { saturated: options.saturated === true, reasons: options.saturated === true ? ['fleet-1: 23% of scheduled attempts not made (bound 10%)'] : [], figures: {} },
    summary: {} as ArchitectureVerdict['summary'],
    targets: [target('run completed', 'completed', 'pass'), ...targets],
  };
}

export const control = (fields: Partial<NegativeControl> & Pick<NegativeControl, 'name'>): NegativeControl => ({
  architecture: 'dedicated',
  sabotages: 'login keeps handing out dead supernodes',
  set: { 'architectures.dedicated.topology.defects': { directoryPinsDeadSupernodes: true } },
  mustBreak: ['recoveryWithin', 'availabilityFloor'],
  ...fields,
});

export const prepared = (fields: Partial<NegativeControl> & Pick<NegativeControl, 'name'>): PreparedControl => ({
  control: control(fields),
  scenario: { name: `fixture--control-${fields.name}` } as ScenarioDefinition,
});

/** Runs of three controls on seeds 2010 and 111: `pinned` caught twice, `slow-store` missed once, `no-promotion` saturated once. */
export function controlRuns(): ControlRuns[] {
  const caught = verdict([target('recovery time', null, 'fail', '<= 10h'), target('availability floor', 0.41, 'fail', '>= 0.70')]);
  const held = verdict([target('recovery time', 2.5, 'pass', '<= 10h'), target('availability floor', 0.41, 'fail', '>= 0.70')]);
  const lost = verdict([target('messages lost', 3, 'fail', '<= 0')]);
  const saturated = verdict([target('messages lost', 3, 'fail', '<= 0')], { saturated: true });
  return [
    { prepared: prepared({ name: 'pinned' }), runs: [run(2010, 'pinned', 0, caught), run(111, 'pinned', 1, caught)] },
    { prepared: prepared({ name: 'slow-store', mustBreak: ['recoveryWithin', 'availabilityFloor'] }), runs: [run(2010, 'slow-store', 0, caught), run(111, 'slow-store', 1, held)] },
    { prepared: prepared({ name: 'no-promotion', mustBreak: ['maxMessagesLost'] }), runs: [run(2010, 'no-promotion', 0, lost), run(111, 'no-promotion', 1, saturated)] },
  ];
}

function run(seed: number, name: string, index: number, judged: ArchitectureVerdict) {
  return { seed, dir: `controls/${name}/run-${index}-seed-${seed}`, verdict: judged };
}
