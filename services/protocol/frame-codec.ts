import type { z } from 'zod';
import type { RawData, WebSocket } from 'ws';
import { ErrorCode, type ErrorCodeName } from './error-codes.js';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from './frame-fields.js';
import type { AnyFrame, Outbound } from './frames.js';

export type DecodeResult<F> =
  | { readonly ok: true; readonly frame: F }
  | { readonly ok: false; readonly code: ErrorCodeName; readonly message: string; readonly requestId?: string };

interface UnionLike<F> {
  readonly options: readonly { readonly shape: { readonly type: { readonly value: unknown } } }[];
  safeParse(data: unknown): z.ZodSafeParseResult<F>;
}

export interface FrameDecoder<F> {
  readonly types: ReadonlySet<string>;
  decode(data: RawData | string): DecodeResult<F>;
}

function rawText(data: RawData | string): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function rawLength(data: RawData | string): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

function requestIdOf(value: Record<string, unknown>): string | undefined {
  const id = value['requestId'];
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

/** Validates frames against one direction's discriminated union; never throws. */
export function createFrameDecoder<F>(union: UnionLike<F>): FrameDecoder<F> {
  const types = new Set(union.options.map((option) => String(option.shape.type.value)));
  return {
    types,
    decode(data) {
      if (rawLength(data) > MAX_FRAME_BYTES) return { ok: false, code: ErrorCode.tooLarge, message: `frame larger than ${MAX_FRAME_BYTES} bytes` };
      let value: unknown;
      try {
        value = JSON.parse(rawText(data));
      } catch {
        return { ok: false, code: ErrorCode.badFrame, message: 'frame is not JSON' };
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { ok: false, code: ErrorCode.badFrame, message: 'frame is not a JSON object' };
      }
      const record = value as Record<string, unknown>;
      const requestId = requestIdOf(record);
      const withId = requestId === undefined ? {} : { requestId };
      if (record['v'] !== PROTOCOL_VERSION) {
        return { ok: false, code: ErrorCode.badFrame, message: `unsupported protocol version (want v: ${PROTOCOL_VERSION})`, ...withId };
      }
      const type = record['type'];
      if (typeof type !== 'string') return { ok: false, code: ErrorCode.badFrame, message: 'frame has no type', ...withId };
      if (!types.has(type)) return { ok: false, code: ErrorCode.unknownType, message: `unknown frame type ${JSON.stringify(type.slice(0, 40))}`, ...withId };
      const parsed = union.safeParse(value);
      if (parsed.success) return { ok: true, frame: parsed.data };
      const problems = parsed.error.issues.slice(0, 4).map((issue) => `${issue.path.join('.') || '(frame)'}: ${issue.message}`);
      return { ok: false, code: ErrorCode.badFrame, message: `bad ${type} frame: ${problems.join('; ')}`.slice(0, 500), ...withId };
    },
  };
}

/** Sends one frame if the socket is open; the version is added here. */
export function sendFrame(socket: WebSocket, frame: Outbound<AnyFrame>): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  socket.send(JSON.stringify({ v: PROTOCOL_VERSION, ...frame }));
  return true;
}

export function sendError(socket: WebSocket, code: ErrorCodeName, message: string, requestId?: string): boolean {
  return sendFrame(socket, { type: 'error', code, message, ...(requestId === undefined ? {} : { requestId }) });
}

/** Decodes one inbound frame; a bad one is answered with its error, reported to `onBad`, and yields undefined. */
export function decodeOrReject<F>(socket: WebSocket, decoder: FrameDecoder<F>, data: RawData, onBad: () => void): F | undefined {
  const decoded = decoder.decode(data);
  if (decoded.ok) return decoded.frame;
  onBad();
  sendError(socket, decoded.code, decoded.message, decoded.requestId);
  return undefined;
}
