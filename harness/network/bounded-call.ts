import { errorMessage } from '../errors.js';

export interface BoundedCallOptions {
  /** Each try gives up after this long (Toxiproxy's API can hang under traffic: Shopify/toxiproxy#412, #558). */
  readonly timeoutMs?: number;
  /** Tries in all; only worth more than one for idempotent calls. */
  readonly tries?: number;
  /** A failure that must not be retried (e.g. 404: already gone). */
  readonly final?: (error: unknown) => boolean;
}

const noAnswer = 'no answer within';

/** Whether a failure message says a bounded call timed out (the other side never answered). */
export function reportsNoAnswer(message: string): boolean {
  return message.includes(noAnswer);
}

/** Runs `call` with a timeout per try and retries, so no API call can stall a heal or a teardown. */
export async function boundedCall<T>(what: string, call: () => Promise<T>, options: BoundedCallOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const tries = options.tries ?? 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: ${noAnswer} ${timeoutMs} ms (try ${attempt} of ${tries})`)), timeoutMs);
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (error) {
      lastError = error;
      if (options.final?.(error) === true) throw error;
    } finally {
      clearTimeout(timer);
    }
    if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
  throw lastError instanceof Error ? lastError : new Error(`${what}: ${errorMessage(lastError)}`);
}
