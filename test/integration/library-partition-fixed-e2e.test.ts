import { describeLibraryRuns } from './helpers/library-runs.js';

describeLibraryRuns(['partition-fixed']);
