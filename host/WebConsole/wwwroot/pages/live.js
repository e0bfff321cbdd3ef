// Live: every camera as a tile (state, last error, fps, drops, faces posted) with its latest
// best shots; refreshed every two seconds while the page is open.
import { api, imageUrl } from '../api.js';
import { el, when } from '../dom.js';

const crops = new Map(); // event id -> object URL, kept while the page lives

async function crop(id, signal) {
  if (!crops.has(id)) crops.set(id, await imageUrl(`/v1/events/${id}/face`, signal));
  return crops.get(id);
}

function stat(label, value) {
  return el('div', { class: 'muted' }, `${label}: `, el('strong', {}, value ?? '–'));
}

async function tile(camera, signal) {
  const s = camera.statistics ?? {};
  const shots = el('div', { class: 'shots', 'aria-label': 'latest best shots' });
  const card = el('article', { class: 'card', 'data-camera': camera.id },
    el('h3', {}, camera.id), el('span', { class: `state ${camera.status.state}`, 'data-state': camera.status.state }, camera.status.state),
    camera.status.last_error ? el('p', { class: 'error', 'data-error': '' }, camera.status.last_error) : null,
    stat('fps', s.processing_fps?.toFixed(1)), stat('dropped frames', s.frames_dropped), stat('faces posted', s.faces_posted),
    s.frame_width ? stat('resolution', `${s.frame_width}×${s.frame_height}`) : null,
    shots);
  const recent = await api(`/v1/events?cam_id=${encodeURIComponent(camera.id)}&limit=4`, { signal });
  for (const e of recent.events) {
    const url = await crop(e.id, signal);
    if (url) shots.append(el('img', { src: url, alt: `best shot at ${when(e.timestamp)}`, title: when(e.timestamp) }));
  }
  return card;
}

export async function render(main, signal) {
  const grid = el('div', { class: 'grid', id: 'cameras' });
  const summary = el('p', { class: 'muted', id: 'routing' });
  main.append(el('h1', {}, 'Live'), summary, grid);
  signal.addEventListener('abort', () => { for (const u of crops.values()) if (u) URL.revokeObjectURL(u); crops.clear(); });
  while (!signal.aborted) {
    const [{ cameras }, feed] = await Promise.all([api('/v1/cameras', { signal }), api('/v1/events?limit=1', { signal })]);
    const tiles = await Promise.all(cameras.map(c => tile(c, signal)));
    if (signal.aborted) return;
    grid.replaceChildren(...(tiles.length ? tiles : [el('p', { class: 'muted' }, 'No cameras yet: add one on the Cameras page.')]));
    const r = feed.routing;
    summary.textContent = `${r.routed} events routed, ${r.queued} queued, ${r.failed} failed since start`;
    await new Promise(r => setTimeout(r, 2000));
  }
}
