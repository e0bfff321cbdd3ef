// One camera: its current snapshot (refreshed), every statistic, its recent events, and the
// region of interest drawn on the snapshot with the mouse (or a finger) and saved to its settings.
import { api, imageUrl } from '../api.js';
import { el, toast, when } from '../dom.js';

function roiOf(drag, img) {
  const sx = img.naturalWidth / img.clientWidth, sy = img.naturalHeight / img.clientHeight;
  const x = Math.round(Math.min(drag.x0, drag.x1) * sx), y = Math.round(Math.min(drag.y0, drag.y1) * sy);
  const w = Math.round(Math.abs(drag.x1 - drag.x0) * sx), h = Math.round(Math.abs(drag.y1 - drag.y0) * sy);
  return w > 4 && h > 4 ? `${w}x${h}+${x}+${y}` : '';
}

function drawRoi(box, img, roi) {
  const m = /^(\d+)x(\d+)\+(\d+)\+(\d+)$/.exec(roi ?? '');
  box.hidden = !m || !img.naturalWidth;
  if (box.hidden) return;
  const sx = img.clientWidth / img.naturalWidth, sy = img.clientHeight / img.naturalHeight;
  Object.assign(box.style, { left: `${m[3] * sx}px`, top: `${m[4] * sy}px`, width: `${m[1] * sx}px`, height: `${m[2] * sy}px` });
}

export async function render(main, signal, [id]) {
  let camera = await api(`/v1/cameras/${encodeURIComponent(id)}`, { signal });
  const img = el('img', { id: 'snapshot', alt: `current picture of ${id}`, draggable: 'false' });
  const box = el('div', { class: 'box', hidden: true });
  const frame = el('div', { class: 'frame' }, img, box);
  const stats = el('tbody');
  const recent = el('ul', { class: 'events' });
  const roiText = el('code', { id: 'roi' }, camera.settings?.roi || 'whole frame');
  const save = el('button', { type: 'button', class: 'primary', disabled: true }, 'Save region');
  const clear = el('button', { type: 'button' }, 'Whole frame');
  let pending = null;

  let drag = null;
  frame.addEventListener('pointerdown', e => {
    if (!img.naturalWidth) return;
    const r = img.getBoundingClientRect();
    drag = { x0: e.clientX - r.left, y0: e.clientY - r.top, x1: e.clientX - r.left, y1: e.clientY - r.top };
    frame.setPointerCapture(e.pointerId);
  });
  frame.addEventListener('pointermove', e => {
    if (!drag) return;
    const r = img.getBoundingClientRect();
    drag.x1 = Math.max(0, Math.min(r.width, e.clientX - r.left));
    drag.y1 = Math.max(0, Math.min(r.height, e.clientY - r.top));
    pending = roiOf(drag, img);
    drawRoi(box, img, pending);
    roiText.textContent = pending || 'whole frame';
    save.disabled = false;
  });
  frame.addEventListener('pointerup', () => { drag = null; });
  const put = async roi => {
    const settings = { ...(camera.source === 'api' ? camera.settings ?? {} : {}), roi };
    try {
      camera = await api(`/v1/cameras/${encodeURIComponent(id)}`, { method: 'PUT', json: { stream_url: camera.stream_url, labels: camera.labels, enabled: camera.enabled, settings }, signal });
      toast(roi ? `Region saved: ${roi}` : 'Whole frame');
      save.disabled = true;
    } catch (err) { toast(`${err.code}: ${err.message}`); }
  };
  save.addEventListener('click', () => put(pending ?? ''));
  clear.addEventListener('click', () => { pending = ''; drawRoi(box, img, ''); roiText.textContent = 'whole frame'; put(''); });

  main.append(el('h1', {}, `Camera ${id}`), el('p', {}, el('a', { href: '#/cameras' }, 'Edit cameras')),
    el('section', {}, el('h2', {}, 'Now'), frame,
      el('p', { class: 'row' }, 'Region of interest: ', roiText, camera.source === 'api' ? [save, clear] : el('span', { class: 'muted' }, '(configured camera: read-only)'),
        el('span', { class: 'muted' }, 'Drag on the picture to draw it.'))),
    el('section', {}, el('h2', {}, 'Statistics'), el('table', {}, stats)),
    el('section', {}, el('h2', {}, 'Recent events'), recent));
  let shown = null;
  while (!signal.aborted) {
    camera = await api(`/v1/cameras/${encodeURIComponent(id)}`, { signal });
    const url = await imageUrl(`/v1/cameras/${encodeURIComponent(id)}/snapshot`, signal);
    if (url) { if (shown) URL.revokeObjectURL(shown); shown = url; img.src = url; await img.decode().catch(() => {}); if (!drag && pending === null) drawRoi(box, img, camera.settings?.roi); }
    const p = camera.probe;
    const probe = !p ? 'probing…' : p.error ? `no video: ${p.error}` : `${p.codec} ${p.width}×${p.height} at ${p.fps} fps`;
    const s = { state: camera.status.state, last_error: camera.status.last_error ?? '', source: probe, ...(camera.statistics ?? {}) };
    stats.replaceChildren(...Object.entries(s).filter(([, v]) => typeof v !== 'object' || v === null)
      .map(([k, v]) => el('tr', {}, el('th', {}, k.replaceAll('_', ' ')), el('td', {}, typeof v === 'number' ? +v.toFixed(3) : v))));
    const { events } = await api(`/v1/events?cam_id=${encodeURIComponent(id)}&limit=10`, { signal });
    recent.replaceChildren(...await Promise.all(events.map(async e => {
      const crop = await imageUrl(`/v1/events/${e.id}/face`, signal);
      return el('li', {}, crop ? el('img', { src: crop, alt: 'face', width: 64, height: 64 }) : null,
        el('a', { href: `#/event/${e.id}` }, when(e.timestamp)));
    })));
    await new Promise(r => setTimeout(r, 2000));
  }
}
