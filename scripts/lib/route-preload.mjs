// Writes into index.html a small inline script that, on a deep link, starts fetching the
// screen's first API reads at once, and the route's wasm chunk (and the shared chunks it needs)
// with the main module, just after the first paint (index.html says why then). Without it they
// wait for the main module, then for the chunk, then for the data: three slow round trips one
// after the other on a phone.
//
//   node route-preload.mjs <__wasm_split.js before minifying> <src/app.rs> <index.html>
//
// The routes come from the route table in src/app.rs (`path!(..)` → `screens::<screen>` →
// `screen_chunk!(<screen>, <group>, ..)`) and the chunk dependencies from wasm-split's loader, so
// neither is written twice. The app's own requests then find the preloaded responses.
import { readFileSync, writeFileSync } from 'node:fs';

const [loaderPath, appPath, indexPath] = process.argv.slice(2);
const loader = readFileSync(loaderPath, 'utf8');
const app = readFileSync(appPath, 'utf8');

// The API reads a screen makes as soon as it mounts, for the screens people reach by link
// (notices and agencies are shared as links). `{id}` is the route's `:id`, only when it is a
// plain number: the app asks for exactly that URL, and for anything else it asks for nothing.
const API_READS = {
  '/agencies/:id': ['/api/agencies/{id}', '/api/agencies/{id}/credit'],
  '/jobs/:id': ['/api/jobs/{id}', '/api/jobs/{id}/events'],
};

// wasm-split's loader: `export const __wasm_split_load_<group> = ... "./split_<group>.wasm" ...
// , [__chunk_1, __chunk_2]));`
const files = {};
const split = /export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/(split_\w+\.wasm)"[\s\S]*?\n, \[([^\]]*)\]\)\);/g;
for (const [, group, file, deps] of loader.matchAll(split)) {
  // Shared chunks by number only: this table is in every page's HTML, the home page's too.
  const chunks = deps.split(',').map((d) => d.trim()).filter(Boolean)
    .map((d) => Number(/^__chunk_(\d+)$/.exec(d)[1]));
  files[group] = chunks;
  if (file !== `split_${group}.wasm`) {
    throw new Error(`group ${group} is in ${file}`);
  }
}

const groupOf = {};
for (const [, screen, group] of app.matchAll(/screen_chunk!\((\w+), (\w+),/g)) {
  groupOf[screen] = group;
}
const routes = [];
for (const [, path, screen] of app.matchAll(/path=path!\("([^"]+)"\) view=\|\| screen\(screens::(\w+)::load/g)) {
  const group = groupOf[screen];
  if (!group || !files[group]) {
    throw new Error(`route ${path}: no chunk found for screen ${screen}`);
  }
  routes.push({ path, group, api: API_READS[path] ?? [] });
}
if (routes.length === 0 || Object.keys(files).length === 0) {
  throw new Error('no routes or no chunks found: has the format of app.rs or the loader changed?');
}
// Static segments win over `:id`, as in the router (`/jobs/new` before `/jobs/:id`).
routes.sort((a, b) => a.path.includes(':') - b.path.includes(':'));

const table = routes.map(({ path, group, api }) => {
  const pattern = '^' + path.replace(/:\w+/g, '([^/]+)') + '$';
  return [pattern, group, api];
});
const script = `(function(){var p=location.pathname,d=${JSON.stringify(files)},r=${JSON.stringify(table)};`
  + 'function l(h){var e=document.createElement("link");e.rel="preload";e.as="fetch";e.crossOrigin="anonymous";e.href=h;document.head.appendChild(e)}'
  + 'for(var i=0;i<r.length;i++){var m=new RegExp(r[i][0]).exec(p);if(!m)continue;var g=r[i][1];'
  + 'window.__afterFirstPaint.then(function(){l("/pkg/split_"+g+".wasm");d[g].forEach(function(n){l("/pkg/chunk_"+n+".wasm")})});'
  + 'if(/^[1-9][0-9]{0,17}$/.test(m[1]||""))r[i][2].forEach(function(a){l(a.replace("{id}",m[1]))});break}})();';

// After the title: early in the head, after the script that defines `__afterFirstPaint`. Trunk
// has minified the HTML by now, comments included.
const index = readFileSync(indexPath, 'utf8');
const at = index.indexOf('</title>');
if (at < 0) {
  throw new Error(`${indexPath} has no <title>`);
}
const end = at + '</title>'.length;
writeFileSync(indexPath, `${index.slice(0, end)}<script>${script}</script>${index.slice(end)}`);
console.log(`route preload: ${routes.length} routes, ${Object.keys(files).length} chunks`);
