import { describeLibraryRuns } from './helpers/library-runs.js';

describeLibraryRuns(['directory-storm', 'directory-storm-patient']);
