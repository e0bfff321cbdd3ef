// One gallery: its people (subjects) with enrollment from photos, search by photo, and its
// faces page by page with meta editing and deletion.
import { api, imageUrl } from '../api.js';
import { dropzone, el, toast } from '../dom.js';

const PAGE = 50;

function path(gallery, rest = '') { return `/v1/galleries/${encodeURIComponent(gallery)}${rest}`; }

function people(gallery, signal, onChange) {
  const body = el('tbody');
  const section = el('section', {}, el('h2', {}, 'People'), el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, 'Subject'), el('th', {}, 'Faces'), el('th', {}, 'Not-them examples'), el('th', {}, ''))), body));
  const load = async () => {
    const { subjects } = await api(path(gallery, '/subjects'), { signal });
    body.replaceChildren(...subjects.map(s => el('tr', { 'data-subject': s.name },
      el('td', {}, s.name), el('td', {}, s.faces), el('td', {}, s.negatives),
      el('td', { class: 'row' },
        el('button', { type: 'button', onclick: async () => {
          const name = prompt(`Rename ${s.name} to (an existing name merges the two):`, s.name);
          if (!name || name === s.name) return;
          try { await api(path(gallery, `/subjects/${encodeURIComponent(s.name)}`), { method: 'PATCH', json: { name }, signal }); onChange(); }
          catch (err) { toast(`${err.code}: ${err.message}`); }
        } }, 'Rename'),
        el('button', { type: 'button', class: 'danger', onclick: async () => {
          if (!confirm(`Delete ${s.name} and their ${s.faces} faces?`)) return;
          await api(path(gallery, `/subjects/${encodeURIComponent(s.name)}`), { method: 'DELETE', signal });
          toast(`Deleted ${s.name}`);
          onChange();
        } }, 'Delete')))));
    if (!subjects.length) body.append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No people yet: enroll someone below.')));
  };
  return { section, load };
}

function enroll(gallery, signal, onChange) {
  const subject = el('input', { id: 'enroll-subject', placeholder: 'person’s name', required: true });
  const results = el('ul', { class: 'results', id: 'enroll-results', 'aria-live': 'polite' });
  const upload = async files => {
    if (!subject.value) { subject.focus(); toast('Name the person first'); return; }
    const form = new FormData();
    for (const f of files) form.append('photos', f, f.name);
    results.replaceChildren(el('li', { class: 'muted' }, `Uploading ${files.length} photo(s)…`));
    try {
      const r = await api(path(gallery, `/subjects/${encodeURIComponent(subject.value)}/photos`), { method: 'POST', body: form, signal });
      results.replaceChildren(...r.photos.map(p => el('li', { 'data-status': p.status },
        p.status === 'accepted' ? `✔ ${p.photo}: enrolled as face ${p.face.id.face}` : el('span', { class: 'error' }, `✘ ${p.photo}: ${p.error.code} — ${p.error.reason}`))));
      onChange();
    } catch (err) { results.replaceChildren(el('li', { class: 'error' }, `${err.code}: ${err.message}`)); }
  };
  return el('section', {}, el('h2', {}, 'Enroll a person'),
    el('label', { for: 'enroll-subject' }, 'Person'), subject,
    dropzone('Drop one or several photos of them here, or choose:', upload), results);
}

function search(gallery, signal) {
  const threshold = el('input', { id: 'search-threshold', type: 'number', min: 0, max: 1, step: 0.01, value: 0.48 });
  const results = el('ul', { class: 'results', id: 'search-results', 'aria-live': 'polite' });
  const find = async ([file]) => {
    results.replaceChildren(el('li', { class: 'muted' }, 'Searching…'));
    try {
      const detected = await api('/v1/detect?facen=true', { method: 'POST', body: file, signal });
      if (!detected.faces.length) { results.replaceChildren(el('li', { class: 'error' }, 'No face found in that photo.')); return; }
      const face = detected.faces.reduce((a, b) => (b.bbox.right - b.bbox.left > a.bbox.right - a.bbox.left ? b : a));
      const { matches } = await api(path(gallery, `/subjects?looks_like=detection:${face.id}&threshold=${threshold.value}&limit=10`), { signal });
      results.replaceChildren(...(matches.length ? matches.map(m => el('li', { 'data-match': m.subject },
        el('strong', {}, m.subject), ` — confidence ${m.confidence.toFixed(3)}, FAR ${m.far.toExponential(1)} (face ${m.face.id.face})`))
        : [el('li', { class: 'muted' }, `Nobody at or above ${threshold.value}.`)]));
    } catch (err) { results.replaceChildren(el('li', { class: 'error' }, `${err.code}: ${err.message}`)); }
  };
  return el('section', {}, el('h2', {}, 'Search by photo'),
    el('label', { for: 'search-threshold' }, 'Threshold (0.48: 1 false match in 100,000 comparisons)'), threshold,
    dropzone('Drop a photo to search for, or choose:', find, false), results);
}

function faces(gallery, signal) {
  const body = el('tbody');
  const more = el('button', { type: 'button', hidden: true }, 'More faces');
  let next = null;
  const thumb = f => {
    const img = el('img', { alt: `face ${f.id.face}`, width: 48, height: 48, class: 'thumb' });
    imageUrl(path(gallery, `/faces/${f.id.face}/thumbnail`), signal).then(url => { if (url) img.src = url; else img.replaceWith(el('span', { class: 'muted' }, 'no picture')); });
    return img;
  };
  const row = f => el('tr', { 'data-face': f.id.face },
    el('td', {}, thumb(f)),
    el('td', {}, f.id.face), el('td', {}, f.subject ?? ''), el('td', {}, el('code', {}, JSON.stringify(f.meta))),
    el('td', { class: 'row' },
      el('button', { type: 'button', onclick: async () => {
        const text = prompt('Meta as JSON (keys set to null stay as they are):', JSON.stringify(f.meta));
        if (!text) return;
        try { const updated = await api(path(gallery, `/faces/${f.id.face}`), { method: 'PATCH', json: { meta: JSON.parse(text) }, signal }); body.replaceChild(row(updated), body.querySelector(`[data-face="${f.id.face}"]`)); }
        catch (err) { toast(`${err.code ?? 'ERROR'}: ${err.message}`); }
      } }, 'Edit meta'),
      el('button', { type: 'button', class: 'danger', onclick: async () => {
        if (!confirm(`Delete face ${f.id.face}?`)) return;
        await api(path(gallery, `/faces/${f.id.face}`), { method: 'DELETE', signal });
        body.querySelector(`[data-face="${f.id.face}"]`)?.remove();
      } }, 'Delete')));
  const load = async (reset = true) => {
    if (reset) { body.replaceChildren(); next = null; }
    const page = await api(path(gallery, `/faces?limit=${PAGE}${next ? `&page=${encodeURIComponent(next)}` : ''}`), { signal });
    body.append(...page.results.map(row));
    next = page.next_page;
    more.hidden = !next;
  };
  more.addEventListener('click', () => load(false));
  const section = el('section', {}, el('h2', {}, 'Faces'),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'Id'), el('th', {}, 'Subject'), el('th', {}, 'Meta'), el('th', {}, ''))), body), more);
  return { section, load };
}

export async function render(main, signal, [gallery]) {
  const list = faces(gallery, signal);
  const persons = people(gallery, signal, () => { persons.load(); list.load(); });
  main.append(el('h1', {}, `Gallery ${gallery}`), persons.section, enroll(gallery, signal, () => { persons.load(); list.load(); }),
    search(gallery, signal), list.section);
  await Promise.all([persons.load(), list.load()]);
}
