import pc from 'picocolors';

export interface WrittenReports {
  readonly html: string;
  readonly json: string;
  readonly junit: readonly string[];
}

/** The `reports:` lines a command prints after writing its reports, dimmed on a terminal. */
export function formatReportPaths(files: WrittenReports, color: boolean): string {
  const text = `reports: ${files.html}\n         ${files.json}\n${files.junit.map((file) => `         ${file}\n`).join('')}`;
  return color ? pc.dim(text) : text;
}
