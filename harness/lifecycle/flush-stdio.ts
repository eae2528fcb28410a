/**
 * Resolves once the stream has handed everything written to it to the OS, or its reader went away:
 * `process.exit` drops what a pipe has not taken yet (a `--json` report above 64 KiB read by a slow
 * reader would be cut).
 */
export function flushed(stream: NodeJS.WritableStream & { readonly writableLength?: number }): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((done) => {
    const finish = (): void => {
      stream.off('error', finish);
      done();
    };
    stream.once('error', finish);
    stream.write('', finish);
  });
}

/** Both standard streams flushed, then exit with the code. */
export async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** A reader that stops early (`| head`) is no error of the command: its EPIPE is dropped, any other write error thrown as before. */
export function tolerateClosedReader(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
