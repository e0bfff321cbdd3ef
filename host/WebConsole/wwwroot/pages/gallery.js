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
  const picker = el('div', { id: 'enroll-picker' });
  // A single photo with several people: show it with their boxes and enroll the one picked.
  const pick = async file => {
    const detected = await api('/v1/detect', { method: 'POST', body: file, signal });
    if (detected.faces.length < 2) return null;
    const url = URL.createObjectURL(file);
    const img = el('img', { src: url, alt: 'photo to pick a face from' });
    const frame = el('div', { class: 'frame' }, img);
    picker.replaceChildren(el('p', {}, 'Several people: pick the one to enroll.'), frame);
    await img.decode().catch(() => {});
    const sx = img.clientWidth / img.naturalWidth, sy = img.clientHeight / img.naturalHeight;
    return new Promise(resolve => {
      for (const f of detected.faces) {
        const b = f.bbox;
        const button = el('button', { type: 'button', class: 'box pick', 'aria-label': `the face at ${b.left},${b.top}`,
          onclick: () => { picker.replaceChildren(); URL.revokeObjectURL(url); resolve(`${b.left},${b.top},${b.right},${b.bottom}`); } });
        Object.assign(button.style, { left: `${b.left * sx}px`, top: `${b.top * sy}px`, width: `${(b.right - b.left) * sx}px`, height: `${(b.bottom - b.top) * sy}px` });
        frame.append(button);
      }
    });
  };
  const upload = async files => {
    if (!subject.value) { subject.focus(); toast('Name the person first'); return; }
    const box = files.length === 1 ? await pick(files[0]) : null;
    const form = new FormData();
    for (const f of files) form.append('photos', f, f.name);
    results.replaceChildren(el('li', { class: 'muted' }, `Uploading ${files.length} photo(s)…`));
    try {
      const r = await api(path(gallery, `/subjects/${encodeURIComponent(subject.value)}/photos${box ? `?box=${box}` : ''}`), { method: 'POST', body: form, signal });
      results.replaceChildren(...r.photos.map(p => el('li', { 'data-status': p.status },
        p.status === 'accepted' ? `✔ ${p.photo}: enrolled as face ${p.face.id.face}` : el('span', { class: 'error' }, `✘ ${p.photo}: ${p.error.code} — ${p.error.reason}`))));
      onChange();
    } catch (err) { results.replaceChildren(el('li', { class: 'error' }, `${err.code}: ${err.message}`)); }
  };
  return el('section', {}, el('h2', {}, 'Enroll a person'),
    el('label', { for: 'enroll-subject' }, 'Person'), subject,
    dropzone('Drop one or several photos of them here, or choose:', upload), picker, results);
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
  const idMin = el('input', { id: 'filter-id-gte', type: 'number', placeholder: 'id ≥' });
  const idMax = el('input', { id: 'filter-id-lte', type: 'number', placeholder: 'id ≤' });
  const who = el('input', { id: 'filter-subject', placeholder: 'subject' });
  const meta = el('input', { id: 'filter-meta', placeholder: 'meta key=value' });
  const query = () => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (idMin.value) q.set('id.gte', idMin.value);
    if (idMax.value) q.set('id.lte', idMax.value);
    if (who.value) q.set('subject', who.value);
    const m = /^([^=]+)=(.*)$/.exec(meta.value);
    if (m) q.set(`meta.${m[1].trim()}.in`, m[2].trim());
    if (next) q.set('page', next);
    return q;
  };
  const load = async (reset = true) => {
    if (reset) { body.replaceChildren(); next = null; }
    const page = await api(path(gallery, `/faces?${query()}`), { signal });
    body.append(...page.results.map(row));
    next = page.next_page;
    more.hidden = !next;
  };
  more.addEventListener('click', () => load(false));
  for (const input of [idMin, idMax, who, meta]) input.addEventListener('change', () => load().catch(err => toast(`${err.code}: ${err.message}`)));
  const section = el('section', {}, el('h2', {}, 'Faces'), el('div', { class: 'row' }, idMin, idMax, who, meta),
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
