import type { FidelityMeasure, FidelityUnit } from './types.js';

/** The unit each fidelity measure gives its figure in, and so the scale of its row's `expected`. */
export const FIDELITY_UNITS: Readonly<Record<FidelityMeasure['of'], FidelityUnit>> = {
  'online-at': 'share',
  'online-low-point': 'share',
  'hours-below': 'hours',
  'recovery-hours': 'hours',
  'supernode-loss-direct': 'share',
  'supernode-loss-total': 'share',
  'cascade-amplification': 'ratio',
};

export const fidelityUnitOf = (measure: FidelityMeasure): FidelityUnit => FIDELITY_UNITS[measure.of];
