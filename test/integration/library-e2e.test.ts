import { describeLibraryRuns } from './helpers/library-runs.js';

describeLibraryRuns(['skype-2007', 'skype-2007-fixed']);
