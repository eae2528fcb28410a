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
