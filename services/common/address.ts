/** A `host:port` address from a node config, as a WebSocket URL. */
export function wsUrl(address: string): string {
  return `ws://${address}/`;
}
