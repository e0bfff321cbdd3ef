// Small DOM helpers: elements are built with text nodes, never from HTML strings, so nothing the
// API returns (camera names, meta, errors) can inject markup.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

export function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 4000);
}

export function when(ts) {
  const d = new Date(ts);
  return isNaN(d) ? '' : d.toLocaleString();
}

/** A drop zone plus file picker; calls onFiles with the chosen files. */
export function dropzone(label, onFiles, multiple = true) {
  const input = el('input', { type: 'file', accept: 'image/*', multiple, 'aria-label': label, onchange: () => { onFiles([...input.files]); input.value = ''; } });
  const zone = el('div', { class: 'dropzone' }, label, ' ', input);
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => { e.preventDefault(); zone.classList.remove('over'); onFiles([...e.dataTransfer.files]); });
  return zone;
}
