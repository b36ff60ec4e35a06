// Example host page for Session Viewer's embedding protocol, version 1 (README: "Embedding in a
// portal"). Every message is an object `{ sv: 1, type, ... }`; the viewer hears only this page
// (its `window.parent`) and only if this page's origin is listed in the viewer's config.json
// (`embed.allowedParentOrigins`); it answers to this origin only.
'use strict';

const params = new URLSearchParams(location.search);
/** The viewer's address (where its dist/ is served). */
const APP = new URL(params.get('app') ?? 'http://127.0.0.1:8080/');
const frame = document.getElementById('viewer');
const heard = document.getElementById('heard');
const status = document.getElementById('status');
const themes = document.getElementById('theme');

let pinger = null;
let ready = false;
let nextId = 1;
const waiting = new Map();

/** Sends one message to the viewer, at its exact origin (never '*'). Resolves with the viewer's
 * answer to it (DONE, or rejects with ERROR's message) when it carries an id. */
function send(type, fields = {}, transfer = []) {
  const id = nextId++;
  frame.contentWindow.postMessage({ sv: 1, type, id, ...fields }, APP.origin, transfer);
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}

/** Pings until the viewer answers: a message posted before its listener exists is lost. */
function handshake() {
  ready = false;
  clearInterval(pinger);
  status.textContent = 'Waiting for the viewer…';
  pinger = setInterval(() => frame.contentWindow?.postMessage({ sv: 1, type: 'PING' }, APP.origin), 100);
}

window.addEventListener('message', (event) => {
  // Only the viewer's frame, at the viewer's origin.
  if (event.source !== frame.contentWindow || event.origin !== APP.origin) return;
  const m = event.data;
  if (!m || m.sv !== 1) return;
  const li = document.createElement('li');
  li.dataset.type = m.type;
  li.textContent = JSON.stringify(m);
  heard.append(li);
  const pending = m.re !== undefined && waiting.get(m.re);
  switch (m.type) {
    case 'PONG':
      clearInterval(pinger);
      break;
    case 'READY':
      ready = true;
      status.textContent = `Viewer ready (protocol ${m.sv})`;
      showRoute(m);
      // A frame that reloaded itself may have lost the theme (a cross-site frame may get no
      // storage to keep it in): say it again.
      if (themes.value !== 'system') send('THEME', { theme: themes.value }).catch(() => {});
      break;
    case 'NAVIGATED':
      showRoute(m);
      break;
    case 'DONE':
      if (pending) pending.resolve(m);
      break;
    case 'ERROR':
      status.textContent = `The viewer says: ${m.message}`;
      if (pending) pending.reject(new Error(m.message));
      break;
  }
  if (m.re !== undefined) waiting.delete(m.re);
});

/** Keeps the viewer's route in this page's own address (after #), so it can be deep-linked. */
function showRoute({ path, query }) {
  const here = new URL(location.href);
  here.hash = query ? `${path}?${query}` : path;
  history.replaceState(null, '', here);
}

/** The frame's address: the viewer, at the route in this page's address, in embed mode. */
function frameSrc() {
  const route = location.hash.slice(1) || '/';
  const src = new URL(route.replace(/^\//, ''), APP);
  src.searchParams.set('embed', '1');
  src.searchParams.set('theme', themes.value);
  return src.href;
}

frame.addEventListener('load', handshake);
frame.src = frameSrc();

document.getElementById('file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const data = await file.arrayBuffer();
  // The bytes are transferred, not copied.
  send('OPEN', { name: file.name, data }, [data]).catch(() => {});
  event.target.value = '';
});

const connection = document.getElementById('connection');
const token = document.getElementById('token');
document.getElementById('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send('TOKEN', { connection: connection.value, token: token.value }).catch(() => {});
  // The portal keeps no copy either.
  token.value = '';
});
document.getElementById('open-connection').addEventListener('click', () => {
  send('OPEN_CONNECTION', { connection: connection.value }).catch(() => {});
});
themes.addEventListener('change', (event) => {
  send('THEME', { theme: event.target.value }).catch(() => {});
});

// For scripts (and the end-to-end test): window.portal.send('THEME', { theme: 'dark' }).
window.portal = { send, get ready() { return ready; } };
