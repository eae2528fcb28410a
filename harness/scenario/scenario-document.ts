import { ChaosError } from '../errors.js';
import { asRecord } from './raw-fields.js';

/**
 * The scenario in a scenario JSON document: the document without its `$schema` key, which only points
 * an editor at the JSON Schema of scenario files (`chaos schema`).
 */
export function scenarioOfDocument(document: unknown): unknown {
  const record = asRecord(document);
  if (record === undefined || !Object.hasOwn(record, '$schema')) return document;
  const { $schema: schemaReference, ...scenario } = record;
  if (typeof schemaReference !== 'string') {
    throw new ChaosError('INVALID_SCENARIO', 'the scenario document has 1 problem', {
      hint: 'fix the problem listed below',
      details: [`$schema: expected a string, got ${schemaReference === null ? 'null' : typeof schemaReference} (write the path or URL of the scenario JSON Schema, e.g. "../docs/scenario.schema.json", or remove the key)`],
    });
  }
  return scenario;
}
