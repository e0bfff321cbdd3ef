// The shell: sign-in, the hash router, one page module per route. Each page gets a fresh
// AbortSignal, aborted when the operator leaves it, so no stream or poll outlives its page.
import { api, auth } from './api.js';
import { el } from './dom.js';

const pages = {
  live: () => import('./pages/live.js'),
  events: () => import('./pages/events.js'),
  galleries: () => import('./pages/galleries.js'),
  gallery: () => import('./pages/gallery.js'),
  cameras: () => import('./pages/cameras.js'),
  plugins: () => import('./pages/plugins.js'),
};

const main = document.getElementById('main');
let current = null;

function signIn(message) {
  current?.abort();
  main.replaceChildren();
  const key = el('input', { type: 'password', id: 'api-key', autocomplete: 'current-password', required: true });
  const error = el('p', { class: 'error', role: 'alert' }, message ?? '');
  const form = el('form', { class: 'card', onsubmit: async e => {
      e.preventDefault();
      auth.key = key.value;
      try { await api('/v1/galleries'); route(); }
      catch (err) { auth.key = null; error.textContent = err.status === 401 ? 'That key was refused.' : err.message; }
    } },
    el('h1', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'This Router requires an API key. It is kept for this browser session only.'),
    el('label', { for: 'api-key' }, 'API key'), key, ' ',
    el('button', { class: 'primary', type: 'submit' }, 'Sign in'), error);
  main.append(form);
  key.focus();
}

async function route() {
  const [, page = 'live', ...rest] = location.hash.replace(/^#/, '').split('/');
  const name = page in pages ? page : 'live';
  const active = name === 'gallery' ? 'galleries' : name;
  for (const a of document.querySelectorAll('nav a'))
    if (a.dataset.page === active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  document.getElementById('signout').hidden = !auth.key;
  current?.abort();
  current = new AbortController();
  const signal = current.signal;
  const module = await pages[name]();
  if (signal.aborted) return;
  main.replaceChildren();
  try {
    await module.render(main, signal, rest.map(decodeURIComponent));
  } catch (e) {
    if (e.status === 401 || signal.aborted) return;
    main.append(el('p', { class: 'error', role: 'alert' }, `${e.code ?? 'ERROR'}: ${e.message}`));
  }
}

window.addEventListener('router-unauthorized', () => signIn(auth.key ? 'That key was refused.' : undefined));
window.addEventListener('hashchange', route);
document.getElementById('signout').addEventListener('click', () => { auth.key = null; signIn(); });
route();
