import { z } from 'zod';
import { scenarioDocumentSchema } from './scenario-schema.js';

export const SCENARIO_SCHEMA_ID = 'urn:supernode-chaos:scenario';

/**
 * The JSON Schema (draft 2020-12) of a scenario JSON file, derived from the zod schema. What JSON
 * Schema cannot say (durations' arithmetic, refinements, the toxic catalogue, the cross-field rules
 * and the machine limits) it leaves open: it accepts every valid scenario, and the harness checks the
 * rest when it loads the file.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioDocumentSchema, {
    target: 'draft-2020-12',
    io: 'input',
    // A custom type (the toxic, checked against the catalogue at load) becomes `{}`: anything.
    unrepresentable: 'any',
  });
  const { $schema, ...schema } = generated;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'supernode-chaos scenario',
    description:
      'A chaos scenario for the supernode-chaos harness (docs/scenarios.md). `chaos run FILE` checks ' +
      'more than this schema can: durations, the rules that relate fields, toxics and machine limits.',
    ...schema,
  };
}

/** The schema as `chaos schema` prints it and docs/scenario.schema.json holds it. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
