import { formatMeasured } from '../report/format-values.js';
import type { SweepParam } from './sweep-param.js';

/**
 * A field scaled with the swept one (`--scale-with`): at every point it is its shipped value times the
 * swept field's ratio to its own shipped value, so the scenario grows with its proportions kept.
 */
export interface ScaledField extends SweepParam {
  /** The schema takes only whole numbers here: the scaled value is rounded down. */
  readonly integer: boolean;
}

/** What report.json's `sweep.param.scaleWith` records of each scaled field. */
export interface ScaledFieldEntry {
  readonly path: string;
  readonly shipped: number;
  readonly integer: boolean;
}

/**
 * The value of a field shipped at `shipped` when the swept field, shipped at `paramShipped`, is at
 * `value`: `shipped × value / paramShipped`, to 12 significant digits (so that 100 × 0.6 / 0.4 is 150,
 * not 149.99999999999997); for a whole-number field rounded down, and at least 1 when it ships at least 1
 * (a field that ships 0 stays 0). `paramShipped` must not be 0.
 */
export function scaledValue(shipped: number, value: number, paramShipped: number, integer: boolean): number {
  const scaled = Number(((shipped * value) / paramShipped).toPrecision(12));
  if (!integer) return scaled;
  const whole = Math.floor(scaled);
  return shipped >= 1 ? Math.max(1, whole) : whole;
}

/** Each field a point sets, in order: the swept field at `value`, then every scaled one at its scaled value. */
export function fieldsAt(param: SweepParam, scaleWith: readonly ScaledField[], value: number): { readonly path: string; readonly segments: readonly (string | number)[]; readonly value: number }[] {
  return [
    { path: param.path, segments: param.segments, value },
    ...scaleWith.map((field) => ({ path: field.path, segments: field.segments, value: scaledValue(field.shipped, value, param.shipped, field.integer) })),
  ];
}

/** What a point sets, by path: `{ 'architectures.p2p.topology.supernodes': 64, '…clientsPerFleet': 200 }`. */
export function settingsAt(param: SweepParam, scaleWith: readonly ScaledField[], value: number): Record<string, number> {
  return Object.fromEntries(fieldsAt(param, scaleWith, value).map((field) => [field.path, field.value]));
}

/** The name a scaled field goes by in a point's row: its last name (with its list index, if any), or its whole path when another scaled field ends alike. */
export function scaledLabel(path: string, paths: readonly string[]): string {
  const leaf = (of: string): string => of.slice(of.lastIndexOf('.') + 1);
  return paths.filter((other) => leaf(other) === leaf(path)).length > 1 ? path : leaf(path);
}

/** `clientsPerFleet 200, standbyPeers 16`: the scaled values a point set; empty without `--scale-with`. */
export function scaledValuesText(set: Readonly<Record<string, number>>, scaleWith: readonly Pick<ScaledFieldEntry, 'path'>[]): string {
  const paths = scaleWith.map((field) => field.path);
  return paths.map((path) => `${scaledLabel(path, paths)} ${formatMeasured(set[path] ?? null)}`).join(', ');
}

/** ` (clientsPerFleet 200, standbyPeers 16)` after a point's value; empty without `--scale-with`. */
export function scaledNote(set: Readonly<Record<string, number>>, scaleWith: readonly Pick<ScaledFieldEntry, 'path'>[]): string {
  const text = scaledValuesText(set, scaleWith);
  return text === '' ? '' : ` (${text})`;
}

/** `scaling architectures.p2p.topology.clientsPerFleet (ships 100), … in proportion`; empty without `--scale-with`. */
export function scalingText(scaleWith: readonly ScaledFieldEntry[]): string {
  if (scaleWith.length === 0) return '';
  return `scaling ${scaleWith.map((field) => `${field.path} (ships ${formatMeasured(field.shipped)})`).join(', ')} in proportion`;
}
