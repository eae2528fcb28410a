import { describeLibraryRuns } from './helpers/library-runs.js';

describeLibraryRuns(['cold-cache', 'cold-cache-fixed']);
