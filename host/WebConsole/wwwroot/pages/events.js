// Events: the live feed (server-sent events) with the face, camera, time, what each plugin did
// and, for matches, who and how sure. From an event: enroll the face, or "this is not them".
import { api, imageUrl, stream } from '../api.js';
import { el, toast, when } from '../dom.js';

const MAX = 200; // the feed keeps the newest events on screen; older ones are in /v1/events

function matchOf(e) {
  for (const p of e.plugins ?? []) if (p.annotation?.match) return { plugin: p.plugin, ...p.annotation };
  return null;
}

async function enroll(e, signal) {
  const gallery = prompt('Enroll this face into which gallery?', 'people');
  if (!gallery) return;
  const subject = prompt('As which person (subject)? A new name creates them.');
  if (!subject) return;
  try {
    await api(`/v1/galleries/${encodeURIComponent(gallery)}/faces`, { method: 'POST', json: { from: `event:${e.id}`, subject }, signal });
    toast(`Enrolled as ${subject} in ${gallery}`);
  } catch (err) { toast(`${err.code}: ${err.message}`); }
}

async function notThem(e, match, signal) {
  const [gallery] = match.face.split('/');
  if (!confirm(`Mark this face as NOT ${match.match}? Later faces closer to it than to ${match.match} will not be reported as them.`)) return;
  try {
    await api(`/v1/galleries/${encodeURIComponent(gallery)}/subjects/${encodeURIComponent(match.match)}/negatives`, { method: 'POST', json: { from: `event:${e.id}` }, signal });
    toast(`Noted: not ${match.match}`);
  } catch (err) { toast(`${err.code}: ${err.message}`); }
}

async function item(e, signal) {
  const match = matchOf(e);
  const url = await imageUrl(`/v1/events/${e.id}/face`, signal);
  const actions = el('div', { class: 'row' });
  if (e.detection_id) actions.append(el('button', { type: 'button', onclick: () => enroll(e, signal) }, 'Enroll face'));
  if (match && e.detection_id) actions.append(el('button', { type: 'button', class: 'danger', onclick: () => notThem(e, match, signal) }, `Not ${match.match}`));
  return el('li', { 'data-event': e.id, 'data-camera': e.cam_id },
    url ? el('img', { src: url, alt: 'face', width: 64, height: 64 }) : el('div', { class: 'face' }),
    el('div', {},
      el('div', {}, el('strong', {}, e.cam_id), ' · ', when(e.timestamp), ' · track ', e.track_id),
      match ? el('div', { class: 'match' }, `${match.match} — confidence ${match.confidence}, FAR ${match.far}`) : null,
      el('div', { class: 'muted' }, (e.plugins ?? []).map(p => `${p.plugin}: ${p.outcome}`).join(', ') || 'no plugin wanted it'),
      e.error ? el('div', { class: 'error' }, e.error) : null,
      actions));
}

export async function render(main, signal) {
  const camera = el('input', { id: 'filter-camera', placeholder: 'all cameras' });
  const matched = el('input', { type: 'checkbox', id: 'filter-matched' });
  const list = el('ul', { class: 'events', id: 'events', 'aria-live': 'polite' });
  main.append(el('h1', {}, 'Events'),
    el('div', { class: 'row' }, el('label', { for: 'filter-camera' }, 'Camera'), camera, el('label', { for: 'filter-matched' }, matched, ' matches only')),
    list);
  const keep = e => (!camera.value || e.cam_id === camera.value) && (!matched.checked || matchOf(e));
  const shown = [];
  const redraw = async () => list.replaceChildren(...await Promise.all(shown.filter(keep).map(e => item(e, signal))));
  camera.addEventListener('change', redraw);
  matched.addEventListener('change', redraw);
  const recent = await api(`/v1/events?limit=50`, { signal });
  shown.push(...recent.events);
  await redraw();
  stream('/v1/events/stream', async e => {
    if (shown.some(x => x.id === e.id)) return;
    shown.unshift(e);
    if (shown.length > MAX) shown.pop();
    if (keep(e)) {
      list.prepend(await item(e, signal));
      while (list.children.length > MAX) list.lastChild.remove();
    }
  }, signal);
}
