// Bundles every example widget (a folder here with a manifest.json) into <out>/<id>/: the manifest,
// the ES module named by its `module` field, and the folder's other files (data, icons, CSS).
//
//   node build.mjs [out]     out: argument, else $MESH_EXAMPLES_OUT, else ../../../target/classes/mesh-examples
//
// Maven passes ${project.build.outputDirectory}/mesh-examples, so the widgets land in the jar where the
// widget-host looks for them on the classpath.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(
  process.argv[2] || process.env.MESH_EXAMPLES_OUT || path.join(here, '../../../target/classes/mesh-examples'),
);

// Sources that end up inside the bundle; everything else in a widget folder is an asset, copied as is.
const SOURCE = /\.(m?js|ts)$/;
// Modules a widget may load at run time from the page's origin instead of bundling: the gateway's SDK,
// so that every widget of a page shares its one event-bus connection (the analytics widgets' live feed).
const RUNTIME_MODULES = ['/sdk/mesh.js'];
// Folders that are no widget: installed packages, and helpers that esbuild inlines into each bundle.
const NOT_WIDGETS = new Set(['node_modules', 'shared']);

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(1);
}

async function widgetFolders() {
  const found = [];
  for (const entry of await readdir(here, { withFileTypes: true })) {
    if (!entry.isDirectory() || NOT_WIDGETS.has(entry.name) || entry.name.startsWith('.')) continue;
    const manifest = path.join(here, entry.name, 'manifest.json');
    if (await stat(manifest).catch(() => null)) found.push(entry.name);
  }
  return found.sort();
}

async function bundle(folder) {
  const src = path.join(here, folder);
  const manifest = JSON.parse(await readFile(path.join(src, 'manifest.json'), 'utf8'));
  // the widget-host serves a folder under its id; a mismatch would publish URLs that 404
  if (manifest.id !== folder) fail(`${folder}/manifest.json has id "${manifest.id}", expected "${folder}"`);
  // (an icon may also be an emoji, so only the files are checked)
  for (const field of ['module', 'css']) {
    const value = manifest[field];
    if (value !== undefined && (value.includes(':') || value.startsWith('/') || value.includes('..'))) {
      fail(`${folder}: "${field}" must be a path inside the widget folder, got "${value}"`);
    }
  }
  const dest = path.join(out, folder);
  await mkdir(dest, { recursive: true });

  const result = await build({
    entryPoints: [path.join(src, manifest.module)],
    outfile: path.join(dest, manifest.module),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    // keeps the libraries' licence notices (Lit, Chart.js), once each, at the end of the file
    legalComments: 'eof',
    metafile: true,
    external: RUNTIME_MODULES,
    logLevel: 'warning',
  });
  const [file, info] = Object.entries(result.metafile.outputs)[0];
  // a bare import left in the output would fail in the browser, where there is no node_modules
  const left = info.imports.filter((i) => !RUNTIME_MODULES.includes(i.path));
  if (left.length > 0) fail(`${file} still imports ${left.map((i) => i.path).join(', ')}`);

  const copied = [];
  for (const name of await readdir(src)) {
    if (SOURCE.test(name) || name.startsWith('.')) continue;
    await copyFile(path.join(src, name), path.join(dest, name));
    copied.push(name);
  }
  return { manifest, module: manifest.module, bytes: info.bytes, copied };
}

/** A topic's payload schema must be one schema: a listener built against another would drop events. */
function checkTopics(manifests) {
  const schemas = new Map();
  for (const m of manifests) {
    for (const e of [...(m.emits || []), ...(m.listens || [])]) {
      if (!schemas.has(e.topic)) schemas.set(e.topic, { schema: e.schema, by: m.id });
      else if (!isDeepStrictEqual(schemas.get(e.topic).schema, e.schema)) {
        fail(`topic "${e.topic}": the schema in ${m.id} differs from the one in ${schemas.get(e.topic).by}`);
      }
    }
  }
}

// a widget removed or renamed here must not linger in the jar
await rm(out, { recursive: true, force: true });
const folders = await widgetFolders();
if (folders.length === 0) fail(`no widget folders in ${here}`);
const built = [];
for (const folder of folders) built.push(await bundle(folder));
checkTopics(built.map((b) => b.manifest));
for (const b of built) {
  console.log(
    `${b.manifest.id.padEnd(14)} ${b.module.padEnd(16)} ${(b.bytes / 1024).toFixed(1).padStart(6)} KiB   + ${b.copied.join(', ')}`,
  );
}
console.log(`${built.length} widgets in ${out}`);
