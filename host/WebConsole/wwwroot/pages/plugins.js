// Plugins: what is loaded, its version and generation, its counters and latency, and reload.
import { api } from '../api.js';
import { el, toast } from '../dom.js';

export async function render(main, signal) {
  const body = el('tbody');
  const load = async () => {
    const data = await api('/v1/plugins/', { signal });
    body.replaceChildren(...(data.plugins ?? []).map(p => el('tr', { 'data-plugin': p.name },
      el('td', {}, p.name), el('td', {}, p.version ?? ''), el('td', {}, p.state ?? ''), el('td', {}, p.generation ?? ''),
      el('td', {}, el('code', {}, JSON.stringify(p.counters ?? {}))),
      el('td', {}, el('button', { type: 'button', onclick: async () => {
        try { await api(`/v1/plugins/${encodeURIComponent(p.name)}/reload`, { method: 'POST', signal }); toast(`Reloaded ${p.name}`); load(); }
        catch (err) { toast(`${err.code}: ${err.message}`); }
      } }, 'Reload')))));
  };
  main.append(el('h1', {}, 'Plugins'), el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, 'Plugin'), el('th', {}, 'Version'), el('th', {}, 'State'), el('th', {}, 'Generation'), el('th', {}, 'Counters'), el('th', {}, ''))), body));
  await load();
}
