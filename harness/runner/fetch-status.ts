/**
 * Reads a node's `/status` (or another JSON document of its control port, e.g. `/ledger?after=3`);
 * undefined when the control port does not answer (or not with 2xx) before `signal` aborts.
 */
export async function fetchNodeStatus(controlUrl: string, signal: AbortSignal, path = '/status'): Promise<unknown> {
  try {
    const response = await fetch(`${controlUrl}${path}`, { signal });
    if (!response.ok) return undefined;
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}
