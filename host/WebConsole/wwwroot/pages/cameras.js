// Cameras: add, edit, disable and delete, with the API's validation errors shown at their field.
import { api } from '../api.js';
import { el, toast } from '../dom.js';

function form(camera, signal, onSaved) {
  const id = el('input', { id: 'camera-id', required: true, value: camera?.id ?? '', readonly: camera ? true : null });
  const url = el('input', { id: 'camera-url', required: true, value: camera?.stream_url ?? '', placeholder: 'rtsp://host/stream' });
  const enabled = el('input', { id: 'camera-enabled', type: 'checkbox', checked: camera ? camera.enabled : true });
  const labels = el('input', { id: 'camera-labels', value: Object.entries(camera?.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', '), placeholder: 'door=front, floor=1' });
  const settings = el('textarea', { id: 'camera-settings', rows: 4, cols: 50 }, camera?.settings && camera.source === 'api' ? JSON.stringify(camera.settings, null, 1) : '');
  const errors = { stream_url: el('div', { class: 'field-error' }), settings: el('div', { class: 'field-error' }), other: el('div', { class: 'field-error', role: 'alert' }) };
  return el('form', { class: 'card', id: 'camera-form', onsubmit: async e => {
      e.preventDefault();
      for (const x of Object.values(errors)) x.textContent = '';
      const body = { stream_url: url.value, enabled: enabled.checked, labels: Object.fromEntries(labels.value.split(',').map(s => s.trim()).filter(Boolean).map(s => s.split('=').map(x => x.trim()))) };
      if (settings.value.trim()) {
        try { body.settings = JSON.parse(settings.value); } catch { errors.settings.textContent = 'Settings must be JSON'; return; }
      }
      try { await api(`/v1/cameras/${encodeURIComponent(id.value)}`, { method: 'PUT', json: body, signal }); toast(`Saved ${id.value}`); onSaved(); }
      catch (err) {
        const field = err.param?.startsWith('settings') ? 'settings' : err.param === 'stream_url' ? 'stream_url' : 'other';
        errors[field].textContent = `${err.code}: ${err.message}`;
      }
    } },
    el('h2', {}, camera ? `Edit ${camera.id}` : 'Add a camera'),
    el('label', { for: 'camera-id' }, 'Id'), id,
    el('label', { for: 'camera-url' }, 'Stream URL'), url, errors.stream_url,
    el('label', { for: 'camera-labels' }, 'Labels'), labels,
    el('label', { for: 'camera-settings' }, 'Settings (JSON, optional: detect_fps, roi, filter_min_size, ...)'), settings, errors.settings,
    el('label', { for: 'camera-enabled' }, enabled, ' enabled'),
    el('div', { class: 'row' }, el('button', { class: 'primary', type: 'submit' }, 'Save')), errors.other);
}

export async function render(main, signal) {
  const body = el('tbody');
  const slot = el('div');
  const load = async () => {
    const { cameras } = await api('/v1/cameras', { signal });
    body.replaceChildren(...cameras.map(c => el('tr', { 'data-camera': c.id },
      el('td', {}, c.id), el('td', {}, c.stream_url),
      el('td', {}, el('span', { class: `state ${c.status.state}`, 'data-state': c.status.state }, c.status.state),
        c.status.last_error ? el('div', { class: 'error', 'data-error': '' }, c.status.last_error) : null,
        c.probe?.error ? el('div', { class: 'error', 'data-probe-error': '' }, `source: ${c.probe.error}`)
          : c.probe ? el('div', { class: 'muted' }, `${c.probe.codec} ${c.probe.width}×${c.probe.height} ${c.probe.fps} fps`) : null),
      el('td', { class: 'row' }, c.source === 'api' ? [
        el('button', { type: 'button', onclick: () => slot.replaceChildren(form(c, signal, () => { slot.replaceChildren(form(null, signal, load)); load(); })) }, 'Edit'),
        el('button', { type: 'button', class: 'danger', onclick: async () => {
          if (!confirm(`Delete camera ${c.id}?`)) return;
          await api(`/v1/cameras/${encodeURIComponent(c.id)}`, { method: 'DELETE', signal });
          load();
        } }, 'Delete')] : el('span', { class: 'muted' }, 'from configuration')))));
  };
  slot.append(form(null, signal, load));
  main.append(el('h1', {}, 'Cameras'),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Id'), el('th', {}, 'Stream'), el('th', {}, 'State'), el('th', {}, ''))), body), slot);
  await load();
  // States change as streams connect or fail: refresh the table while the page is open.
  while (!signal.aborted) { await new Promise(r => setTimeout(r, 2000)); if (!signal.aborted) await load(); }
}
