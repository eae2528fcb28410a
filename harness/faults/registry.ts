import { z } from 'zod';
import { ChaosError } from '../errors.js';
import { describeProblem } from '../scenario/scenario-problem.js';
import { faultIdSchema } from '../scenario/schema-parts.js';
import type { HealAction } from '../scenario/types.js';
import { problemsFromZod } from '../scenario/zod-problems.js';
import { addSupernodesRemedy } from './add-supernodes.js';
import { crashFault } from './crash-fault.js';
import { cutFault } from './cut-fault.js';
import type { FaultKind, StepAction, StepSchema } from './fault-kind.js';
import { markStep } from './mark-step.js';
import { pauseFault } from './pause-fault.js';
import { rebootWaveFault } from './reboot-wave.js';
import { slowCloseFault } from './slow-close-fault.js';
import { toxicFault } from './toxic-fault.js';

/** Every kind a step may name, one line each: a new kind is its own file plus its line here. */
export const faultKinds = [
  markStep,
  toxicFault,
  cutFault,
  crashFault,
  pauseFault,
  addSupernodesRemedy,
  slowCloseFault,
  rebootWaveFault,
] as const;

/** The step that undoes a fault by its id: the executor's own, not a kind. */
export const healStep: { readonly name: 'heal'; readonly schema: StepSchema<HealAction> } = {
  name: 'heal',
  schema: z.strictObject({ do: z.literal('heal'), id: faultIdSchema }),
};

const [firstKind, ...otherKinds] = faultKinds;
/** Every kind's step, then the heal: what a scenario's timeline and rollbacks may hold, told apart by `do`. */
export const stepSchemas = [firstKind.schema, ...otherKinds.map((kind) => kind.schema), healStep.schema] as const;

type ActionOf<K> = K extends FaultKind<infer A> ? A : never;
/** Any action a registered kind carries out. */
export type FaultAction = ActionOf<(typeof faultKinds)[number]>;
/** Any action a step may hold: a kind's, or a heal. */
export type ExecutableAction = FaultAction | HealAction;

const byName: ReadonlyMap<string, FaultKind<StepAction>> = new Map(faultKinds.map((kind): [string, FaultKind<StepAction>] => [kind.name, kind]));

/** Step names that create a fault with an id, and those a `heal` step may name. */
export const faultNames = {
  creating: new Set(faultKinds.filter((kind) => kind.heals !== 'none').map((kind) => kind.name)),
  healable: new Set(faultKinds.filter((kind) => kind.heals === 'healable').map((kind) => kind.name)),
} as const;

export function faultKindNamed(name: string): FaultKind<StepAction> {
  const kind = byName.get(name);
  if (kind === undefined) {
    throw new ChaosError('INVALID_SCENARIO', `no step kind "${name}"`, { hint: `use one of heal, ${[...byName.keys()].join(', ')}` });
  }
  return kind;
}

/** The action as its kind's schema reads it; INVALID_SCENARIO naming every problem when it does not fit. */
export function checkAction<A extends StepAction>(kind: Pick<FaultKind<A>, 'name' | 'schema'>, action: unknown): A {
  const parsed = kind.schema.safeParse(action);
  if (parsed.success) return parsed.data;
  throw new ChaosError('INVALID_SCENARIO', `a ${kind.name} step does not fit its kind`, {
    hint: 'fix the step as each detail says',
    details: problemsFromZod(parsed.error.issues).map(describeProblem),
  });
}
