import { describe, expect, it } from 'vitest';
import { createFrameDecoder } from '../../../services/protocol/frame-codec.js';
import { MAX_BODY_CHARS, MAX_FRAME_BYTES } from '../../../services/protocol/frame-fields.js';
import { loginInbound, offlineInbound, supernodeInbound, supernodeToClient } from '../../../services/protocol/frames.js';
import { authToken, verifyToken } from '../../../services/protocol/auth-token.js';

const supernode = createFrameDecoder(supernodeInbound);
const login = createFrameDecoder(loginInbound);
const offline = createFrameDecoder(offlineInbound);

const codeOf = (text: string, decoder: { decode(data: string): { ok: boolean; code?: string } } = supernode): string => {
  const result = decoder.decode(text);
  return result.ok ? 'ok' : (result.code ?? '');
};

describe('frame validation', () => {
  it('accepts well-formed frames of every inbound union', () => {
    expect(codeOf(JSON.stringify({ v: 1, type: 'register', userId: 'u1', token: 'abc', clientVersion: '5.0.0.152' }))).toBe('ok');
    expect(codeOf(JSON.stringify({ v: 1, type: 'lookup', requestId: 'r1', userId: 'u2' }))).toBe('ok');
    expect(codeOf(JSON.stringify({ v: 1, type: 'overlay-deliver', requestId: 'r', messageId: 'm', from: 'a', to: 'b', body: 'hi' }))).toBe('ok');
    expect(codeOf(JSON.stringify({ v: 1, type: 'peer-hello', name: 'sn-1', token: 't', publicAddress: true, bandwidthKbps: 5, uptimeSeconds: 1 }), login)).toBe('ok');
    expect(codeOf(JSON.stringify({ v: 1, type: 'ack', requestId: 'r', userId: 'u', token: 't', messageIds: ['m1'] }), offline)).toBe('ok');
  });

  it('drops unknown extra fields instead of passing them on', () => {
    const result = supernode.decode(JSON.stringify({ v: 1, type: 'heartbeat', seq: 3, extra: 'x' }));
    expect(result.ok && result.frame).toEqual({ v: 1, type: 'heartbeat', seq: 3 });
  });

  it.each([
    ['not JSON', '{"v":1,', 'bad-frame'],
    ['a JSON array', '[1,2]', 'bad-frame'],
    ['JSON null', 'null', 'bad-frame'],
    ['a JSON string', '"register"', 'bad-frame'],
    ['no version', JSON.stringify({ type: 'heartbeat', seq: 1 }), 'bad-frame'],
    ['another version', JSON.stringify({ v: 2, type: 'heartbeat', seq: 1 }), 'bad-frame'],
    ['no type', JSON.stringify({ v: 1, seq: 1 }), 'bad-frame'],
    ['a numeric type', JSON.stringify({ v: 1, type: 7 }), 'bad-frame'],
    ['an unknown type', JSON.stringify({ v: 1, type: 'teleport' }), 'unknown-type'],
    ['a type of another link', JSON.stringify({ v: 1, type: 'login', userId: 'u', token: 't', clientVersion: '1' }), 'unknown-type'],
    ['a missing field', JSON.stringify({ v: 1, type: 'lookup', requestId: 'r' }), 'bad-frame'],
    ['a wrongly typed field', JSON.stringify({ v: 1, type: 'heartbeat', seq: 'one' }), 'bad-frame'],
    ['a negative counter', JSON.stringify({ v: 1, type: 'heartbeat', seq: -1 }), 'bad-frame'],
    ['a bad user id', JSON.stringify({ v: 1, type: 'lookup', requestId: 'r', userId: 'a b/c' }), 'bad-frame'],
    ['a body over the limit', JSON.stringify({ v: 1, type: 'send-im', messageId: 'm', to: 'u', body: 'x'.repeat(MAX_BODY_CHARS + 1) }), 'bad-frame'],
    ['an oversized frame', JSON.stringify({ v: 1, type: 'heartbeat', seq: 1, pad: 'x'.repeat(MAX_FRAME_BYTES) }), 'too-large'],
  ])('rejects %s', (_what, text, code) => {
    expect(codeOf(text)).toBe(code);
  });

  it('rejects an empty ack and a bad supernode address', () => {
    expect(codeOf(JSON.stringify({ v: 1, type: 'ack', requestId: 'r', userId: 'u', token: 't', messageIds: [] }), offline)).toBe('bad-frame');
    const register = { v: 1, type: 'sn-register', name: 'sn-1', token: 't', clientAddress: 'nope', overlayAddress: 'h:1', mode: 'peer', capacity: { sessions: 1, requestsPerSecond: 1 }, state: 'joining' };
    expect(codeOf(JSON.stringify(register), login)).toBe('bad-frame');
  });

  it('takes a fractional request capacity (a scenario may give a peer 1.5 requests/s) and refuses a zero one', () => {
    const register = (requestsPerSecond: number) =>
      JSON.stringify({ v: 1, type: 'sn-register', name: 'sn-1', token: 't', clientAddress: 'h:2', overlayAddress: 'h:1', mode: 'peer', capacity: { sessions: 60, requestsPerSecond }, state: 'joining' });
    expect(login.decode(register(1.5)).ok).toBe(true);
    expect(codeOf(register(0), login)).toBe('bad-frame');
  });

  it('keeps the request id of a rejected frame so the sender can match the error', () => {
    const result = supernode.decode(JSON.stringify({ v: 1, type: 'lookup', requestId: 'r-9', userId: '' }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.requestId).toBe('r-9');
      expect(result.message).toContain('userId');
    }
  });

  it('decodes binary frames and replies of the other direction', () => {
    const client = createFrameDecoder(supernodeToClient);
    expect(client.decode(Buffer.from(JSON.stringify({ v: 1, type: 'registered', supernode: 'sn-1' }))).ok).toBe(true);
    expect(client.decode([Buffer.from('{"v":1,"type":"heartbeat-ack",'), Buffer.from('"seq":2}')]).ok).toBe(true);
  });
});

describe('tokens', () => {
  it('verifies a user token and rejects another user or secret', () => {
    const token = authToken('secret-1234', 'u1');
    expect(verifyToken('secret-1234', 'u1', token)).toBe(true);
    expect(verifyToken('secret-1234', 'u2', token)).toBe(false);
    expect(verifyToken('secret-5678', 'u1', token)).toBe(false);
    expect(verifyToken('secret-1234', 'u1', 'short')).toBe(false);
  });
});
