import { readFile } from 'node:fs/promises';
import { loadHtmlAssets } from '../report/html-report.js';
import { escapeHtml as esc, inlineScript } from '../report/html-escape.js';
import { pageHead } from '../report/html-page.js';

/** uPlot (inlined exactly as report.html inlines it) and the dashboard's own code and styles. */
export interface DashboardAssets {
  readonly uplotJs: string;
  readonly uplotCss: string;
  readonly clientJs: string;
  readonly css: string;
}

export async function loadDashboardAssets(): Promise<DashboardAssets> {
  const { uplotJs, uplotCss } = await loadHtmlAssets();
  const [clientJs, css] = await Promise.all([
    readFile(new URL('./assets/dashboard-client.js', import.meta.url), 'utf8'),
    readFile(new URL('./assets/dashboard.css', import.meta.url), 'utf8'),
  ]);
  return { uplotJs, uplotCss, clientJs, css };
}

export interface DashboardPageOptions {
  readonly title: string;
  readonly role: 'operator' | 'viewer';
  /** The dashboard's port: the page may connect back to it and nowhere else. */
  readonly port: number;
}

/** The self-contained page: no request leaves 127.0.0.1, the data comes over the page's WebSocket. */
export function renderDashboardPage(options: DashboardPageOptions, assets: DashboardAssets): string {
  const csp = `default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src ws://127.0.0.1:${options.port} http://127.0.0.1:${options.port}`;
  return `${pageHead(`${options.title}: rehearsal`, csp, [assets.uplotCss, assets.css])}
<body class="${options.role}" data-role="${options.role}">
<header>
<h1>${esc(options.title)}</h1>
<span class="pill" id="role">${options.role}</span>
<span class="pill down" id="connection">connecting</span>
<span class="pill" id="clock">T+0</span>
<span class="pill" id="dead-man"></span>
<span class="pill" data-operator-only>viewer link (watch only): <a id="viewer-link" target="_blank" rel="noopener noreferrer"></a></span>
<span class="spacer"></span>
<button type="button" id="heal-all" class="danger" data-operator-only>Heal all (kill switch)</button>
<button type="button" id="end-session" data-operator-only>End session</button>
</header>
<main>
<section class="charts">
<h2>Online clients</h2><div class="chart" id="chart-online"></div>
<h2>Supernodes serving vs in the network</h2><div class="chart" id="chart-supernodes"></div>
<h2>Load vs capacity (1.0 = capacity)</h2><div class="chart" id="chart-load"></div>
<h2>Lookup success per interval (%)</h2><div class="chart" id="chart-lookups"></div>
<h2>Offline-message backlog</h2><div class="chart" id="chart-backlog"></div>
</section>
<aside>
<section data-operator-only>
<h2>Act</h2>
<form id="form-inject"><label>toxic</label><select id="toxic-type"></select><label>on</label><select id="toxic-from"></select><label>→</label><select id="toxic-to"></select><input id="toxic-share" placeholder="share: all, 30%, 2"><select id="toxic-stream"><option value="">downstream</option><option value="upstream">upstream</option></select><span id="toxic-attrs"></span><button type="submit" id="inject">Inject</button></form>
<form id="form-cut"><label>cut</label><select id="cut-from"></select><label>→</label><select id="cut-to"></select><input id="cut-share" placeholder="share: all, 30%, 2"><button type="submit" id="cut">Cut (link down)</button></form>
<form id="form-nodes"><select id="node-action"><option value="crash">crash</option><option value="pause">pause</option></select><select id="node-group"></select><input id="node-share" value="50%" placeholder="30% or 2"><button type="submit" id="node-go">Go</button></form>
<form id="form-add"><label>add</label><input id="add-count" type="number" min="1" value="2"><select id="add-tuning"><option>default</option><option>mega</option></select><button type="submit" id="add">Add supernodes</button></form>
<form id="form-mark"><input id="mark-text" placeholder="a note for the history"><button type="submit" id="mark">Mark</button></form>
<form id="form-command"><input id="command-text" placeholder="any command (help)" style="max-width:none;flex:1"><button type="submit" id="send-command">Send</button></form>
<pre id="reply"></pre>
</section>
<section><h2>Faults in place</h2><ul id="faults"></ul></section>
<section><h2>Event log</h2><ol id="events"></ol></section>
</aside>
</main>
<script>${inlineScript(assets.uplotJs)}</script>
<script>${inlineScript(assets.clientJs)}</script>
</body>
</html>
`;
}
