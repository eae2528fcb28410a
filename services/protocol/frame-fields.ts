import { z } from 'zod';

/** Every frame on every link is a JSON object `{ v: 1, type, ... }` no larger than this. */
export const PROTOCOL_VERSION = 1;
export const MAX_FRAME_BYTES = 16 * 1024;
export const MAX_BODY_CHARS = 512;
export const MAX_FETCH_ITEMS = 12;
export const MAX_ACK_IDS = 64;
export const MAX_HOST_CACHE = 64;

export const userIdField = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'user id: 1-64 of A-Z a-z 0-9 . _ -');
export const nodeNameField = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'node name: lower-case letters, digits and dashes');
export const addressField = z.string().max(255).regex(/^[A-Za-z0-9._-]+:\d{1,5}$/, 'address: host:port');
export const tokenField = z.string().min(1).max(128);
export const requestIdField = z.string().min(1).max(64);
export const messageIdField = z.string().min(1).max(128);
export const bodyField = z.string().max(MAX_BODY_CHARS);
export const clientVersionField = z.string().min(1).max(32);
export const supernodeModeField = z.enum(['peer', 'dedicated']);
export const supernodeStateField = z.enum(['standby', 'joining', 'serving', 'shutting-down']);
export const countField = z.number().int().min(0).max(1e9);
/** A rate (per second): a scenario may give a supernode a fractional capacity such as 1.5 requests/s. */
export const rateField = z.number().positive().max(1e9);

export const hostEntrySchema = z.object({ name: nodeNameField, address: addressField });
export type HostEntry = z.infer<typeof hostEntrySchema>;

export const overlayPeerSchema = z.object({ name: nodeNameField, overlayAddress: addressField });
export type OverlayPeer = z.infer<typeof overlayPeerSchema>;

/** A frame schema: the envelope plus its own fields; unknown extra fields are dropped. */
export function frameSchema<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal(type), ...shape });
}

export const errorFrameSchema = frameSchema('error', {
  code: z.string().min(1).max(32),
  message: z.string().max(512),
  requestId: requestIdField.optional(),
});
export type ErrorFrame = z.infer<typeof errorFrameSchema>;
