// Builds the gateway's front end into <out> (the jar's gateway-webroot/, served at /):
//
//   app/dashboard-<hash>.js, app/dashboard-<hash>.css (+ icons)   the dashboard, named by content
//   app/dashboard-chunk-<hash>.js                                 its chunks: shared ones (preloaded by
//                                                                 index.html) and the Layouts menu's
//                                                                 commands, imported when first used
//   sdk/mesh.js                                                   the widget SDK, at a stable URL
//   index.html                                                    the dashboard page, naming the above
//
//   node build.mjs [out]     out: argument, else $MESH_WEBROOT_OUT, else ../../../target/classes/gateway-webroot
//
// The dashboard imports the SDK by its URL (/sdk/mesh.js, left out of the bundle), so the page and
// the widgets that import the SDK share one module, hence one bridge connection and one session.
// A bare golden-layout page is built the same way beside the output (target/frontend-reference) to
// print the two initial JavaScript weights side by side.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(
  process.argv[2] || process.env.MESH_WEBROOT_OUT || path.join(here, '../../../target/classes/gateway-webroot'),
);
const reference = path.resolve(out, '../../frontend-reference');
const SDK_URL = '/sdk/mesh.js';

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(1);
}

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // private class fields and top-level await, natively (Chromium 94+, Firefox 93+, Safari 15+)
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
  // sockjs-client is CommonJS written for browserify
  define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
};

/**
 * The outputs of a build, checked to import nothing but what is allowed (or another output: a chunk
 * shared by entry points, or one loaded later with import()).
 */
function outputs(result, allowedImports) {
  const files = Object.entries(result.metafile.outputs);
  const produced = new Set(files.map(([file]) => file));
  for (const [file, info] of files) {
    if (!file.endsWith('.js')) continue; // a stylesheet's url()s are its own files
    const stray = info.imports.filter((i) => !allowedImports.includes(i.path) && !produced.has(i.path));
    if (stray.length > 0) fail(`${file} still imports ${stray.map((i) => i.path).join(', ')}`);
  }
  return files.map(([file, info]) => ({
    file: path.resolve(file),
    entry: info.entryPoint,
    bytes: info.bytes,
    // what it loads at once (not what it may load later with import())
    loads: info.imports
      .filter((i) => i.kind === 'import-statement' && produced.has(i.path))
      .map((i) => path.resolve(i.path)),
  }));
}

/** `output` and every file it loads at once, transitively. */
function initialFiles(all, output) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const found = all.find((o) => o.file === file);
    if (found) found.loads.forEach(visit);
  };
  visit(output.file);
  return [...seen];
}

async function gzipped(files) {
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(file)).length;
  return total;
}

// sockjs-client bundles every transport it knows; the SDK uses three (see src/sdk/sockjs-transports.cjs)
const sockjsTransports = {
  name: 'sockjs-transports',
  setup(b) {
    b.onResolve({ filter: /^\.\/transport-list$/ }, (args) =>
      args.importer.includes(`${path.sep}sockjs-client${path.sep}lib${path.sep}`)
        ? { path: path.join(here, 'src/sdk/sockjs-transports.cjs') }
        : undefined,
    );
  },
};

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

await rm(path.join(out, 'app'), { recursive: true, force: true });
await rm(path.join(out, 'sdk'), { recursive: true, force: true });
await mkdir(out, { recursive: true });

// the SDK: a stable URL that widget authors import
const sdk = outputs(
  await build({
    ...common,
    entryPoints: [path.join(here, 'src/sdk/mesh.js')],
    outfile: path.join(out, 'sdk/mesh.js'),
    plugins: [sockjsTransports],
  }),
  [],
);

// the dashboard: content-hashed names, so the files can be cached for good
const app = outputs(
  await build({
    ...common,
    entryPoints: {
      dashboard: path.join(here, 'src/dashboard/main.js'),
      'dashboard-style': path.join(here, 'src/dashboard/dashboard.css'),
    },
    outdir: path.join(out, 'app'),
    entryNames: 'dashboard-[hash]',
    // the Layouts menu's commands and dialogs are loaded when first used (a view-mode page never does)
    splitting: true,
    chunkNames: 'dashboard-chunk-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.svg': 'file', '.png': 'file' },
    external: [SDK_URL],
  }),
  [SDK_URL],
);
const js = app.find((o) => o.file.endsWith('.js') && o.entry && o.entry.endsWith('main.js'));
const css = app.find((o) => o.file.endsWith('.css') && o.entry);
if (!js || !css) fail('the dashboard build gave no script or no stylesheet');

const template = await readFile(path.join(here, 'src/index.html'), 'utf8');
// the chunks the dashboard imports at once are fetched beside it, not after it
const preloads = initialFiles(app, js)
  .filter((file) => file !== js.file)
  .map((file) => `<link rel="modulepreload" href="/app/${path.basename(file)}">`)
  .join('\n  ');
const page = template
  .replaceAll('{{dashboard.js}}', path.basename(js.file))
  .replaceAll('{{dashboard.preloads}}', preloads)
  .replaceAll('{{dashboard.css}}', path.basename(css.file));
if (page.includes('{{')) fail('src/index.html names an asset the build does not make');
await writeFile(path.join(out, 'index.html'), page);

// the reference: golden-layout alone, two windows, built the same way
await rm(reference, { recursive: true, force: true });
const bare = outputs(
  await build({
    ...common,
    entryPoints: [path.join(here, 'src/reference/bare-golden-layout.js')],
    outfile: path.join(reference, 'bare-golden-layout.js'),
  }),
  [],
);

const initial = [...initialFiles(app, js), sdk[0].file];
const later = app.filter((o) => o.file.endsWith('.js') && !initial.includes(o.file));
console.log(`dashboard      ${path.relative(out, js.file).padEnd(34)} ${kib(js.bytes).padStart(9)}`);
for (const chunk of app.filter((o) => o.file.endsWith('.js') && o !== js)) {
  console.log(
    `  ${initial.includes(chunk.file) ? 'at once' : 'later  '}      ${path.relative(out, chunk.file).padEnd(34)} ${kib(chunk.bytes).padStart(9)}`,
  );
}
console.log(`dashboard css  ${path.relative(out, css.file).padEnd(34)} ${kib(css.bytes).padStart(9)}`);
console.log(`sdk            ${path.relative(out, sdk[0].file).padEnd(34)} ${kib(sdk[0].bytes).padStart(9)}`);
console.log(`initial JavaScript of the dashboard (dashboard + sdk), gzipped: ${kib(await gzipped(initial))}`);
console.log(
  `loaded when first used (the Layouts menu's commands), gzipped:  ${kib(await gzipped(later.map((o) => o.file)))}`,
);
console.log(
  `initial JavaScript of a bare golden-layout page, gzipped:       ${kib(await gzipped(bare.map((b) => b.file)))} (${kib(bare[0].bytes)} minified)`,
);
console.log(`written to ${out}`);
