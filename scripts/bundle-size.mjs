// Prints the size of a built dist/ (wasm, JS, CSS), raw and brotli-compressed at quality 11,
// against the first-load budget of SPEC §4 (250 KB brotli). Reports; the benchmark judges.
import { readdirSync, readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const BUDGET = 250 * 1024;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

let raw = 0;
let brotli = 0;
const rows = [];
for (const name of readdirSync(dist).sort()) {
  if (!['.wasm', '.js', '.css'].includes(extname(name))) continue;
  const bytes = readFileSync(join(dist, name));
  const compressed = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;
  raw += bytes.length;
  brotli += compressed;
  rows.push([name, kb(bytes.length), kb(compressed)]);
}
if (rows.length === 0) {
  console.error(`no .wasm/.js/.css files in ${dist}: build first`);
  process.exit(1);
}
rows.push(['total', kb(raw), kb(brotli)]);
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`${'file'.padEnd(width)}  ${'raw'.padStart(10)}  ${'brotli'.padStart(10)}`);
for (const [name, r, b] of rows) console.log(`${name.padEnd(width)}  ${r.padStart(10)}  ${b.padStart(10)}`);
console.log(
  `first load ${kb(brotli)} brotli of a ${kb(BUDGET)} budget: ${brotli <= BUDGET ? 'within' : 'OVER'} budget`,
);
