/**
 * The program on a node's machine (services/common/service-machine.ts), asked over the node's control
 * port: a program that ended itself leaves its process (or container) running.
 */

/** The program's exit code once it ended itself; undefined while it runs, or when the node does not answer. */
export async function programExitCode(controlUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${controlUrl}/machine`, { signal: AbortSignal.timeout(1_000) });
    if (!response.ok) {
      await response.arrayBuffer();
      return undefined;
    }
    const body = (await response.json()) as { program?: unknown; exitCode?: unknown };
    return body.program === 'exited' && typeof body.exitCode === 'number' ? body.exitCode : undefined;
  } catch {
    return undefined;
  }
}

/** Asks the machine to start its program again; resolves once the start is under way. */
export async function startProgram(controlUrl: string): Promise<void> {
  const response = await fetch(`${controlUrl}/machine/start`, { method: 'POST', signal: AbortSignal.timeout(2_000) });
  const body = await response.text();
  if (response.status !== 202) throw new Error(`the machine did not start its program again: HTTP ${response.status} ${body.trim()}`);
}
