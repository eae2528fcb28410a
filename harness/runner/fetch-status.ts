/** Reads a node's `/status`; undefined when the control port does not answer before `signal` aborts. */
export async function fetchNodeStatus(controlUrl: string, signal: AbortSignal): Promise<unknown> {
  try {
    const response = await fetch(`${controlUrl}/status`, { signal });
    if (!response.ok) return undefined;
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}
