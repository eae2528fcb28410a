import { describeLibraryRuns } from './helpers/library-runs.js';

describeLibraryRuns(['resync-loop', 'resync-loop-fixed']);
