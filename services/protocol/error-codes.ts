/** Codes carried by `error` frames; a peer can act on the code without parsing the message. */
export const ErrorCode = {
  badFrame: 'bad-frame',
  unknownType: 'unknown-type',
  notRegistered: 'not-registered',
  busy: 'busy',
  notReady: 'not-ready',
  unauthorized: 'unauthorized',
  tooLarge: 'too-large',
  timeout: 'timeout',
  internal: 'internal',
} as const;

export type ErrorCodeName = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes used with a reason. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  tooLarge: 1009,
  tryAgainLater: 1013,
} as const;
