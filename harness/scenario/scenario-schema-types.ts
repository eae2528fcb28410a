import type { z } from 'zod';
import type * as parts from './schema-parts.js';
import type * as fidelity from './fidelity-schema.js';
import type * as schema from './scenario-schema.js';
import type * as types from './types.js';

/**
 * Compile-time guard that the zod schemas and types.ts describe the same data: if either side
 * changes alone, `npm run typecheck` fails here. For timeline actions it checks that every kind
 * that declares its action (types.ts `StepActions`) is in the fault registry, and the other way round.
 */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Into<A, B> = [A] extends [B] ? true : false;
type Out<S extends z.ZodType> = z.output<S>;

export type SchemaMatchesTypes = [
  Same<Out<typeof schema.timeScaleSchema>, types.TimeScale>,
  Same<Out<typeof schema.supernodeTuningSchema>, types.SupernodeTuning>,
  Same<Out<typeof schema.topologySchema>, types.TopologySpec>,
  Same<Out<typeof schema.loginTuningSchema>, types.LoginTuning>,
  Same<Out<typeof schema.offlineMessagesTuningSchema>, types.OfflineMessagesTuning>,
  Same<Out<typeof schema.inboxErrorPolicySchema>, types.InboxErrorPolicy>,
  Same<Out<typeof parts.distributionSchema>, types.Distribution>,
  Same<Out<typeof schema.loadSchema>, types.LoadSpec>,
  Same<Out<typeof parts.nodeSelectorSchema>, types.NodeSelector>,
  Same<Out<typeof parts.faultTargetSchema>, types.FaultTarget>,
  Same<Out<typeof parts.toxicSchema>, types.ToxicSpec>,
  Same<Out<typeof schema.timelineActionSchema>, types.TimelineAction>,
  Same<Out<typeof schema.steadyStateSchema>, types.SteadyStateHypothesis>,
  Same<Out<typeof schema.abortConditionSchema>, types.AbortCondition>,
  Same<Out<typeof schema.targetsSchema>, types.Targets>,
  Same<Out<typeof schema.outageSignatureSchema>, types.OutageSignature>,
  Same<Out<typeof schema.architectureRunSchema>, types.ArchitectureRun>,
  Same<Out<typeof schema.architectureSchema>, types.Architecture>,
  Same<Out<typeof schema.scenarioSourceSchema>, types.ScenarioSource>,
  Same<Out<typeof fidelity.fidelityRowSchema>, types.FidelityRow>,
  Into<Out<typeof schema.scenarioSchema>, types.ScenarioDefinition>,
  Same<keyof Out<typeof schema.scenarioSchema>, keyof types.ScenarioDefinition>,
  Same<keyof Out<typeof schema.timelineStepSchema>, keyof types.TimelineStep>,
  Same<Out<typeof schema.targetKeySchema>, types.TargetKey>,
  Into<Out<typeof schema.negativeControlSchema>, types.NegativeControl>,
];

export const schemaMatchesTypes: SchemaMatchesTypes = [
  true, true, true, true, true, true, true, true, true, true,
  true, true, true, true, true, true, true, true, true, true,
  true, true, true, true, true,
];
