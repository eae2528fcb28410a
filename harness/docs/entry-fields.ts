import { z } from 'zod';

/** Fields every entry of bench/negative-controls.json and bench/sweeps.json has, as the repeat campaigns have them. */

/** Its tables are named `<family>-<id>`; `others` is the name of the table that gathers a family's unnamed entries. */
export const entryId = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes')
  .refine((id) => id !== 'others', '`others` names the table of the entries no page names');

export const machine = z.strictObject({ cores: z.number().int().positive(), description: z.string().min(1) });
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const commit = z.string().regex(/^[0-9a-f]{40}$/);
export const architecture = z.enum(['p2p', 'dedicated']);

/** A list of entries no two of which share an id. */
export function entriesWithUniqueIds<T extends z.ZodType<{ id: string }>>(entry: T) {
  return z.array(entry).superRefine((entries, context) => {
    const seen = new Set<string>();
    entries.forEach((value, index) => {
      if (seen.has(value.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `id ${value.id} is used twice` });
      seen.add(value.id);
    });
  });
}
