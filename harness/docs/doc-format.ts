/** How the docs' tables write a figure. */

export const ms = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(value < 1 ? 2 : value < 100 ? 1 : 0)} ms`);
export const secondsOfMs = (value: number | undefined): string => (value === undefined ? '—' : `${(value / 1_000).toFixed(1)} s`);
export const percent = (fraction: number | undefined, digits = 1): string => (fraction === undefined ? '—' : `${(fraction * 100).toFixed(digits)}%`);
export const times = (value: number | undefined, digits = 2): string => (value === undefined ? '—' : `${value.toFixed(digits)}x`);
export const count = (value: number): string => value.toLocaleString('en-US');
/** `2026-11-26` of an ISO time or date. */
export const day = (iso: string): string => iso.slice(0, 10);
export const shortCommit = (commit: string): string => commit.slice(0, 7);
export const ratio = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
