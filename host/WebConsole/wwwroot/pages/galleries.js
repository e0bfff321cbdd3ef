// Galleries: list, create and drop.
import { api } from '../api.js';
import { el, toast } from '../dom.js';

export async function render(main, signal) {
  const name = el('input', { id: 'new-gallery', placeholder: 'name', pattern: '[A-Za-z0-9_.\\-]{1,100}', required: true });
  const problem = el('p', { class: 'field-error', role: 'alert' });
  const table = el('tbody');
  const load = async () => {
    const { galleries } = await api('/v1/galleries', { signal });
    table.replaceChildren(...galleries.map(g => el('tr', { 'data-gallery': g.name },
      el('td', {}, el('a', { href: `#/gallery/${encodeURIComponent(g.name)}` }, g.name)),
      el('td', {}, g.number),
      el('td', {}, el('button', { type: 'button', class: 'danger', onclick: async () => {
        if (!confirm(`Drop gallery ${g.name} and its ${g.number} faces? This cannot be undone.`)) return;
        await api(`/v1/galleries/${encodeURIComponent(g.name)}`, { method: 'DELETE', signal });
        toast(`Dropped ${g.name}`);
        load();
      } }, 'Drop')))));
    if (!galleries.length) table.append(el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'No galleries yet.')));
  };
  main.append(el('h1', {}, 'Galleries'),
    el('form', { class: 'row', onsubmit: async e => {
        e.preventDefault();
        problem.textContent = '';
        try { await api(`/v1/galleries/${encodeURIComponent(name.value)}`, { method: 'POST', signal }); name.value = ''; load(); }
        catch (err) { problem.textContent = `${err.code}: ${err.message}`; }
      } }, el('label', { for: 'new-gallery' }, 'New gallery'), name, el('button', { class: 'primary', type: 'submit' }, 'Create')),
    problem,
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Gallery'), el('th', {}, 'Faces'), el('th', {}, ''))), table));
  await load();
}
