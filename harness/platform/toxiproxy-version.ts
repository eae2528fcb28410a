/** `GET /version`: 2.12 answers JSON (`{"version": "2.12.0"}`), older servers plain text. */
export async function readToxiproxyVersion(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/version`, { signal: AbortSignal.timeout(2_000) });
  const text = (await response.text()).trim();
  try {
    const parsed = JSON.parse(text) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : text;
  } catch {
    return text;
  }
}
