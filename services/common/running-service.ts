/** What every service's start function returns: a way to shut it down cleanly. */
export interface RunningService {
  close(): Promise<void>;
}
