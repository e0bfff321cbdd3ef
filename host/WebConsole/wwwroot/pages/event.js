// One event: the full frame with the face's box drawn, what each plugin did and concluded.
import { api, imageUrl } from '../api.js';
import { el, when } from '../dom.js';

export async function render(main, signal, [id]) {
  const { events } = await api(`/v1/events?limit=1000`, { signal });
  const e = events.find(x => x.id === id);
  if (!e) { main.append(el('h1', {}, `Event ${id}`), el('p', { class: 'error' }, 'This event is no longer among the recent events.')); return; }
  const img = el('img', { id: 'frame', alt: `frame of event ${id}` });
  const box = el('div', { class: 'box face-box', hidden: true });
  const url = await imageUrl(`/v1/events/${id}/frame`, signal);
  main.append(el('h1', {}, `Event ${id}`),
    el('p', {}, el('strong', {}, e.cam_id), ' · ', when(e.timestamp), ' · track ', e.track_id, ' · quality ', e.quality, ' · detection ', e.detection_score),
    url ? el('div', { class: 'frame' }, img, box) : el('p', { class: 'muted' }, 'The full frame is no longer kept (Events:FrameMemoryBytes).'),
    el('h2', {}, 'Plugins'),
    el('table', {}, el('tbody', {}, (e.plugins ?? []).map(p => el('tr', {}, el('th', {}, p.plugin), el('td', {}, p.outcome),
      el('td', {}, p.annotation ? Object.entries(p.annotation).map(([k, v]) => `${k}: ${v}`).join(', ') : ''), el('td', { class: 'error' }, p.error ?? ''))))));
  if (url) {
    img.src = url;
    await img.decode().catch(() => {});
    const place = () => {
      const sx = img.clientWidth / img.naturalWidth, sy = img.clientHeight / img.naturalHeight, b = e.bbox;
      Object.assign(box.style, { left: `${b.left * sx}px`, top: `${b.top * sy}px`, width: `${(b.right - b.left) * sx}px`, height: `${(b.bottom - b.top) * sy}px` });
      box.hidden = false;
    };
    place();
    window.addEventListener('resize', place, { signal });
  }
}
