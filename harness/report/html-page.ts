import { escapeHtml, inlineStyle } from './html-escape.js';

/** The start of a self-contained page up to `</head>`: its title, its content policy and its styles inlined. */
export function pageHead(title: string, contentPolicy: string, styles: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentPolicy}">
<title>${escapeHtml(title)}</title>
${styles.map((css) => `<style>${inlineStyle(css)}</style>`).join('\n')}
</head>`;
}

/** The colours, type, header and verdict banner the summary pages (repeat, sweep, controls) share; each adds its own rules. */
export const SUMMARY_PAGE_CSS = `
:root { --pass: #1a7f37; --fail: #cf222e; --unknown: #9a6700; --muted: #57606a; --line: #d0d7de; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 24px 32px; color: #1f2328; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 20px 0 6px; }
.meta { color: var(--muted); margin: 0; } .meta span + span::before { content: " · "; }
.overall { margin: 12px 0 8px; padding: 8px 12px; border-radius: 6px; font-weight: 600; display: inline-block; }
.overall.pass { background: #dafbe1; color: var(--pass); } .overall.fail { background: #ffebe9; color: var(--fail); } .overall.unknown { background: #fff8c5; color: var(--unknown); }
`;
