// Trunk post_build hook (Trunk.toml): minify wasm-bindgen's JS glue in release builds, shorten
// the names the wasm imports from it, and rewrite both files' Subresource Integrity hashes in
// index.html. Runs on Trunk's staging directory, after wasm-opt.
// - Trunk's own JS minifier (minify-js) cannot parse the glue's `export default`, so without
//   terser the glue ships unminified (8.9 KB brotli; 6 KB minified, see README "Bundle").
// - wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` and writes each name twice,
//   in the wasm's import section and as a key of the glue's import object: 272 names whose hex
//   digits brotli cannot compress (6.5 KB of the first load). They become `a`, `b`, … `aa`, …
//   in both, their module `a`, and the exports named with a hash (closure shims) `_a`, `_b`, …. terser cannot do this (the names cross the JS/wasm boundary); binaryen's
//   `--minify-imports` leaves modules other than `env`/`wasi` alone, and its variant that
//   renames modules renames the exports too, which the glue reads as properties.
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('minify-glue: TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');
const glue = (await readdir(dir)).filter((f) => /^session-viewer-[0-9a-f]+\.js$/.test(f));
if (glue.length !== 1) {
  console.error(`minify-glue: expected one glue file in ${dir}, found ${glue.length}`);
  process.exit(1);
}
const path = join(dir, glue[0]);
const before = await readFile(path);
const wasmPath = path.replace(/\.js$/, '_bg.wasm');
const wasmBefore = await readFile(wasmPath);
// Compiled once, for the exports and imports both cuts check against.
const moduleBefore = new WebAssembly.Module(wasmBefore);
const out = await minify(withoutUnusedImports(withoutStreams(before.toString('utf8'), moduleBefore), moduleBefore), {
  module: true,
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
if (typeof out.code !== 'string' || out.code.length === 0) {
  console.error('minify-glue: terser produced nothing');
  process.exit(1);
}
const { wasm: wasmAfter, glue: code } = shortenImports(wasmBefore, out.code);
const after = Buffer.from(code, 'utf8');
const indexPath = join(dir, 'index.html');
let index = await readFile(indexPath, 'utf8');
for (const [from, to, what] of [
  [before, after, 'glue'],
  [wasmBefore, wasmAfter, 'wasm'],
]) {
  const old = sri(from);
  if (!index.includes(old)) {
    console.error(`minify-glue: index.html does not carry the ${what} integrity hash it should`);
    process.exit(1);
  }
  index = index.split(old).join(sri(to));
}
await writeFile(path, after);
await writeFile(wasmPath, wasmAfter);
await writeFile(indexPath, index);
console.log(
  `minify-glue: ${glue[0]} ${before.length} → ${after.length} bytes; ` +
    `wasm ${wasmBefore.length} → ${wasmAfter.length} bytes (import names shortened)`,
);

/** The glue without wasm-streams' three classes (`IntoUnderlyingSource`, `…Sink`,
 * `…ByteSource`), whose exports wasm-opt removes (index.html: `--remove-exports` for
 * `*ntounderlying*`) with the code only they reach. Leptos always builds server functions'
 * browser streaming, which this app never uses; the exports kept that code in the module
 * (with the classes: −1.3 KB brotli, 331 243 → 329 896 bytes, build against build). Fails the
 * build (exit 1) unless each class and its finalization registry are found once, and every
 * export the glue still uses is in the wasm. */
function withoutStreams(glue, module) {
  const fail = (why) => {
    console.error(`minify-glue: cannot take out the stream classes: ${why}`);
    process.exit(1);
  };
  const cut = (text, from, to, what) => {
    const start = text.indexOf(from);
    const end = start < 0 ? -1 : text.indexOf(to, start);
    if (start < 0 || end < 0 || text.indexOf(from, start + 1) >= 0) fail(`${what} is not there once`);
    return text.slice(0, start) + text.slice(end + to.length);
  };
  let text = glue;
  for (const name of ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource']) {
    const dispose = `if (Symbol.dispose) ${name}.prototype[Symbol.dispose] = ${name}.prototype.free;\n`;
    text = cut(text, `export class ${name} {`, dispose, `the class ${name}`);
    text = cut(text, `const ${name}Finalization = `, ';', `${name}'s finalization registry`);
  }
  if (/ntounderlying/i.test(text)) fail('the glue still names them');
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const [, name] of text.matchAll(/\bwasm\.([\w$]+)/g)) {
    if (!exports.has(name)) fail(`the glue uses the export ${name}, which the wasm does not have`);
  }
  return text;
}

/** The glue without the import functions the wasm does not import: wasm-bindgen writes one for
 * every import of the crates it was given, and those of code wasm-opt removed (the streams
 * above) stay behind, with whatever only they call. Each is a key of the import object, eight
 * spaces in, up to the next key or the object's end. Fails the build (exit 1) unless the
 * object is found once and every import of the wasm is still a key. */
function withoutUnusedImports(glue, module) {
  const fail = (why) => {
    console.error(`minify-glue: cannot take out unused imports: ${why}`);
    process.exit(1);
  };
  const imported = new Set(WebAssembly.Module.imports(module).map((i) => i.name));
  const open = glue.indexOf('    const import0 = {\n');
  const close = open < 0 ? -1 : glue.indexOf('\n    };\n', open);
  if (open < 0 || close < 0 || glue.indexOf('    const import0 = {\n', open + 1) >= 0) fail('the import object is not there once');
  const body = glue.slice(open, close + 1);
  // Each entry starts at a line "        name: " and runs to the next such line.
  const entries = body.split(/(?=^ {8}[\w$]+: )/m);
  const kept = entries.filter((e) => {
    const key = /^ {8}([\w$]+): /.exec(e)?.[1];
    return key === undefined || !key.startsWith('__wb') || imported.has(key);
  });
  const text = glue.slice(0, open) + kept.join('') + glue.slice(close + 1);
  for (const name of imported) {
    if (text.split(`        ${name}: `).length !== 2) fail(`the wasm imports ${name}, which is not one key of the glue`);
  }
  return text;
}

/** The wasm with each import from the glue renamed `a`, `b`, …, and the glue with the same
 * keys renamed. Fails the build (exit 1) unless every import name is a key of the glue exactly
 * once and nowhere else, and the new module validates and imports exactly the new keys. */
function shortenImports(wasm, glue) {
  const fail = (why) => {
    console.error(`minify-glue: cannot shorten the import names: ${why}`);
    process.exit(1);
  };
  const at = { p: 8 };
  const u32 = () => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[at.p++];
      if (b === undefined) fail('the wasm ends inside a number');
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return n;
    }
  };
  const leb = (n) => {
    const out = [];
    do {
      let b = n % 128;
      n = Math.floor(n / 128);
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return Buffer.from(out);
  };
  const name = () => {
    const n = u32();
    const text = wasm.subarray(at.p, at.p + n).toString('utf8');
    at.p += n;
    return text;
  };
  const named = (text) => {
    const b = Buffer.from(text, 'utf8');
    return Buffer.concat([leb(b.length), b]);
  };
  const limits = () => {
    const flags = wasm[at.p++];
    u32();
    if (flags & 1) u32();
  };
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const short = (i) => {
    let text = '';
    for (let n = i; ; n = Math.floor(n / letters.length) - 1) {
      text = letters[n % letters.length] + text;
      if (n < letters.length) return text;
    }
  };
  if (wasm.readUInt32LE(0) !== 0x6d736100) fail('not a wasm module');
  const parts = [wasm.subarray(0, 8)];
  const renamed = new Map();
  const modules = new Set();
  // Exports named with a hash (wasm-bindgen's closure shims: `…invoke__h<16 hex digits>`),
  // which the glue calls as properties of the module's exports.
  const hashed = /h[0-9a-f]{16}/;
  const exported = new Map();
  while (at.p < wasm.length) {
    const start = at.p;
    const id = wasm[at.p++];
    const size = u32();
    const end = at.p + size;
    if (id !== 2 && id !== 7) {
      parts.push(wasm.subarray(start, end));
      at.p = end;
      continue;
    }
    const count = u32();
    const entries = [leb(count)];
    for (let i = 0; i < count; i++) {
      if (id === 7) {
        const field = name();
        const desc = at.p;
        at.p++;
        u32();
        let to = field;
        if (hashed.test(field)) {
          to = `_${short(exported.size)}`;
          exported.set(field, to);
        }
        entries.push(named(to), wasm.subarray(desc, at.p));
        continue;
      }
      const module = name();
      const field = name();
      const desc = at.p;
      const kind = wasm[at.p++];
      if (kind === 0) u32();
      else if (kind === 1) (at.p++, limits());
      else if (kind === 2) limits();
      else if (kind === 3) at.p += 2;
      else fail(`an import of kind ${kind}`);
      if (!field.startsWith('__wb')) fail(`the import ${module}.${field} is not wasm-bindgen's`);
      const to = short(renamed.size);
      renamed.set(field, to);
      modules.add(module);
      entries.push(named('a'), named(to), wasm.subarray(desc, at.p));
    }
    if (at.p !== end) fail(`section ${id} is not what it says`);
    const body = Buffer.concat(entries);
    parts.push(Buffer.from([id]), leb(body.length), body);
  }
  // The one module the wasm imports from (`"./session-viewer_bg.js"`) is `a`, written 272
  // times in the wasm.
  if (modules.size !== 1) fail(`imports from ${modules.size} modules, not one`);
  const [module] = modules;
  if (glue.split(JSON.stringify(module)).length !== 2 || glue.split(`${JSON.stringify(module)}:`).length !== 2) {
    fail(`${module} is not one key of the glue`);
  }
  let code = glue.replace(`${JSON.stringify(module)}:`, 'a:');
  for (const [from, to] of renamed) {
    if (code.split(from).length !== 2 || code.split(`${from}:`).length !== 2) {
      fail(`${from} is not one key of the glue`);
    }
    code = code.replace(`${from}:`, `${to}:`);
  }
  for (const [from, to] of exported) {
    // Whole names only (one shim's name can begin another's).
    const uses = new RegExp(`(?<![\\w$])${from}(?![\\w$])`, 'g');
    if (!uses.test(code)) fail(`the glue does not use the export ${from}`);
    code = code.replace(uses, to);
  }
  const out = Buffer.concat(parts);
  if (!WebAssembly.validate(out)) fail('the renamed module does not validate');
  const mod = new WebAssembly.Module(out);
  const imports = WebAssembly.Module.imports(mod);
  const keys = new Set(renamed.values());
  if (imports.length !== keys.size || imports.some((i) => i.module !== 'a' || !keys.has(i.name))) {
    fail('the renamed module imports other names than the glue now gives');
  }
  const exports = new Set(WebAssembly.Module.exports(mod).map((e) => e.name));
  if ([...exported.values()].some((n) => !exports.has(n)) || exports.size !== WebAssembly.Module.exports(mod).length) {
    fail('the renamed exports are not one each');
  }
  return { wasm: out, glue: code };
}
