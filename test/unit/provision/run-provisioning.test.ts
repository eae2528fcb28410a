import { describe, expect, it } from 'vitest';
import { setupExitCode, formatOutcome } from '../../../harness/provision/run-provisioning.js';

describe('setup output and exit code', () => {
  it('prints one line per step with the fix after a problem', () => {
    expect(formatOutcome({ status: 'ok', subject: 'chromium', text: '/usr/bin/chromium', blocking: false })).toBe('ok      chromium: /usr/bin/chromium');
    expect(
      formatOutcome({ status: 'problem', subject: 'chromium', text: 'no /usr/bin/chromium', fix: 'apt-get install -y chromium', blocking: false }),
    ).toBe('problem chromium: no /usr/bin/chromium; fix: apt-get install -y chromium');
  });

  it('exits 3 on a failed step or a blocking problem, 0 on notes only', () => {
    expect(setupExitCode([{ status: 'problem', subject: 'chromium', text: '', blocking: false }])).toBe(0);
    expect(setupExitCode([{ status: 'problem', subject: 'docker engine', text: '', blocking: true }])).toBe(3);
    expect(setupExitCode([{ status: 'failed', subject: 'toxiproxy image', text: '', blocking: true }])).toBe(3);
    expect(setupExitCode([{ status: 'did', subject: 'services image', text: '', blocking: false }])).toBe(0);
  });
});
