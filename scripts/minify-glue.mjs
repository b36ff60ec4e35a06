// Trunk post_build hook (Trunk.toml): minify wasm-bindgen's JS glue in release builds and
// rewrite its Subresource Integrity hash in index.html. Trunk's own JS minifier (minify-js)
// cannot parse the glue's `export default`, so without this the glue ships unminified
// (8.9 KB brotli; 6 KB minified, see README "Bundle"). Runs on Trunk's staging directory.
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
const out = await minify(before.toString('utf8'), {
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
const after = Buffer.from(out.code, 'utf8');
const indexPath = join(dir, 'index.html');
const index = await readFile(indexPath, 'utf8');
const old = sri(before);
if (!index.includes(old)) {
  console.error('minify-glue: index.html does not carry the glue integrity hash it should');
  process.exit(1);
}
await writeFile(path, after);
await writeFile(indexPath, index.split(old).join(sri(after)));
console.log(`minify-glue: ${glue[0]} ${before.length} → ${after.length} bytes`);
