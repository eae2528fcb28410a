import { describeLibraryRuns } from './helpers/library-runs.js';

// cold-cache itself is left out until its ramp holds on a loaded host: on local processes its p2p ramp tipped
// (docs/cold-cache.md#on-local-processes-the-ramp-tipped).
describeLibraryRuns(['cold-cache-fixed']);
