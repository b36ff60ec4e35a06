// The benchmark's reference page (bench/compare.mjs): what the session list does for an Ekran
// file, written by hand in plain JavaScript. It records the same performance measures as the app:
// `sv:load` (text → normalised rows), `sv:render` (rows → first window in the DOM) and
// `sv:filter` (keystroke → window redrawn), so that the two can be compared run against run.
'use strict';
const ROW = 32;
const VIEW = 800;
const grid = document.querySelector('.grid');
const body = document.querySelector('.body');
const win = document.querySelector('.window');
const count = document.querySelector('.count');
const filterInput = document.getElementById('filter');
let all = [];
let hay = [];
let shown = [];
let now = Date.now();

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pad = (n) => String(n).padStart(2, '0');
const when = (ms) => {
  if (ms === null) return '';
  const d = new Date(ms);
  return `<time datetime="${d.toISOString()}">${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}</time>`;
};
const dur = (ms) => {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor(s / 60) % 60)} min`;
};
const duration = (r) => (r.start === null ? null : (r.end ?? now) - r.start);

// Ekran's fields → the list's: id, user, host, start, end, status.
function normalise(items) {
  const out = [];
  for (const it of items) {
    if (!it || typeof it !== 'object' || typeof it.sessionId !== 'number') continue;
    const start = typeof it.loginDate === 'string' ? Date.parse(it.loginDate) : null;
    const end = typeof it.logoutDate === 'string' ? Date.parse(it.logoutDate) : null;
    out.push({
      id: String(it.sessionId),
      user: typeof it.userId === 'number' ? `user ${it.userId}` : null,
      host: typeof it.clientGuid === 'string' ? it.clientGuid : null,
      start,
      end,
      status: end === null ? 'running' : 'ended',
      vendorStatus: end === null ? 'Open' : 'Logged out',
    });
  }
  return out;
}

function draw() {
  const first = Math.max(0, Math.floor(grid.scrollTop / ROW) - 5);
  const last = Math.min(shown.length, first + Math.ceil(VIEW / ROW) + 10);
  let html = '';
  for (let p = first; p < last; p++) {
    const r = all[shown[p]];
    const d = duration(r);
    html += `<div role="row" class="row" aria-rowindex="${p + 2}" data-session-id="${esc(r.id)}" data-status="${r.status}"${d === null ? '' : ` data-duration-ms="${d}"`}>`
      + `<div>${esc(r.id)}</div><div><span class="badge">${r.status === 'running' ? '▶' : '■'} ${r.status}</span></div><div>${esc(r.vendorStatus)}</div>`
      + `<div>${esc(r.user ?? '')}</div><div>${esc(r.host ?? '')}</div><div>${when(r.start)}</div><div>${when(r.end)}</div>`
      + `<div>${d === null ? '' : dur(d)}${r.end === null ? ' (still open)' : ''}</div><div></div></div>`;
  }
  win.innerHTML = html;
  win.style.transform = `translateY(${first * ROW}px)`;
  body.style.height = `${shown.length * ROW}px`;
  count.textContent = shown.length === all.length ? `${all.length} sessions` : `${shown.length} of ${all.length} sessions`;
}

// The filter language's core, as the bench types it: words, `field:text`, `field:=text`,
// `-` for not, `is:open`, `duration>10m`; quotes group words.
function parse(text) {
  const terms = [];
  const re = /(-?)(?:(\w+):(=?)(?:"([^"]*)"?|(\S*))|"([^"]*)"?|(\S+))/g;
  for (const m of text.matchAll(re)) {
    const neg = m[1] === '-';
    if (m[2] !== undefined) {
      const field = m[2].toLowerCase();
      const value = (m[4] ?? m[5] ?? '').toLowerCase();
      if (field === 'is' && value === 'open') terms.push({ neg, test: (r) => r.start !== null && r.end === null });
      else if (['id', 'user', 'host'].includes(field) && value) {
        const at = { id: 0, user: 1, host: 2 }[field];
        terms.push({ neg, test: m[3] ? (r, h) => h[at] === value : (r, h) => h[at] !== null && h[at].includes(value) });
      }
    } else {
      const word = (m[6] ?? m[7]).toLowerCase();
      const d = /^duration([<>]=?)(\d+)(s|m|h)$/.exec(word);
      if (d) {
        const limit = Number(d[2]) * { s: 1e3, m: 6e4, h: 36e5 }[d[3]];
        const cmp = { '>': (a) => a > limit, '>=': (a) => a >= limit, '<': (a) => a < limit, '<=': (a) => a <= limit }[d[1]];
        terms.push({ neg, test: (r) => { const v = duration(r); return v !== null && cmp(v); } });
      } else if (!word.includes(':') && word) terms.push({ neg, test: (r, h) => h[3].includes(word) });
    }
  }
  return terms;
}

function filter() {
  const terms = parse(filterInput.value);
  const out = [];
  for (let i = 0; i < all.length; i++) {
    const r = all[i];
    const h = hay[i];
    let keep = true;
    for (const t of terms) {
      if (t.test(r, h) === t.neg) { keep = false; break; }
    }
    if (keep) out.push(i);
  }
  shown = out;
  grid.scrollTop = 0;
  draw();
}

document.querySelector('input[type=file]').addEventListener('change', async (ev) => {
  const text = await ev.target.files[0].text();
  performance.mark('sv:load:start');
  all = normalise(JSON.parse(text));
  performance.measure('sv:load', 'sv:load:start');
  performance.mark('sv:ready');
  shown = all.map((_, i) => i);
  now = Date.now();
  draw();
  performance.measure('sv:render', 'sv:ready');
  // The search text, lowercased once (after the first rows, as the app does).
  setTimeout(() => {
    hay = all.map((r) => {
      const f = [r.id.toLowerCase(), r.user?.toLowerCase() ?? null, r.host?.toLowerCase() ?? null];
      f.push(f.filter((x) => x !== null).join('\u0001') + '\u0001' + r.vendorStatus.toLowerCase());
      return f;
    });
  }, 0);
});
filterInput.addEventListener('input', () => {
  performance.mark('sv:filter-start');
  filter();
  performance.measure('sv:filter', 'sv:filter-start');
});
grid.addEventListener('scroll', draw);
