// The console's one door to the API: every call carries the signed-in key, every failure
// becomes an ApiError with the API's machine code and the parameter it concerns.
const KEY = 'router-api-key';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.reason ?? body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'HTTP_' + status;
    this.param = body?.param ?? null;
  }
}

export const auth = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
};

function headers(extra = {}) {
  const h = { ...extra };
  if (auth.key) h.Authorization = 'Bearer ' + auth.key;
  return h;
}

export async function api(path, { method = 'GET', json, body, signal } = {}) {
  const init = { method, headers: headers(json !== undefined ? { 'Content-Type': 'application/json' } : {}), signal };
  if (json !== undefined) init.body = JSON.stringify(json);
  else if (body !== undefined) init.body = body;
  const response = await fetch(path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401) window.dispatchEvent(new CustomEvent('router-unauthorized', { detail: error }));
    throw error;
  }
  return data;
}

/** An image the API serves (event crops) as an object URL, fetched with the key. */
export async function imageUrl(path, signal) {
  const response = await fetch(path, { headers: headers(), signal });
  if (!response.ok) return null;
  return URL.createObjectURL(await response.blob());
}

/**
 * The server-sent event stream, read with fetch so that it carries the key (EventSource
 * cannot send headers). Calls onEvent for each 'data:' line; reconnects after a drop.
 */
export function stream(path, onEvent, signal) {
  (async () => {
    while (!signal.aborted) {
      try {
        const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
        if (!response.ok) throw new ApiError(response.status, null);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of message.split('\n'))
              if (line.startsWith('data:')) onEvent(JSON.parse(line.slice(5)));
          }
        }
      } catch (e) {
        if (signal.aborted) return;
      }
      await new Promise(r => setTimeout(r, 2000));
    }
  })();
}
