// The front end's source rules, checked without a browser:
// - every string key the code uses exists in Chinese and in English;
// - no markup is ever built from strings (innerHTML, outerHTML,
//   insertAdjacentHTML, document.write), so user content is always text;
// - no inline scripts, styles or event handlers in the HTML files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../api/lib/server.mjs';

const web = join(repoRoot, 'web');

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(web);
const scripts = files.filter((f) => f.endsWith('.js'));

// Catalog modules are plain data: strings/*.js default exports and the
// `strings` export of page modules (read from source, as pages need a DOM).
async function loadCatalog() {
  const zh = {}; const en = {};
  for (const f of scripts) {
    const src = readFileSync(f, 'utf8');
    if (f.includes(`${join('js', 'strings')}`)) {
      const m = await import(pathToFileURL(f));
      Object.assign(zh, m.default.zh); Object.assign(en, m.default.en);
    } else if (/export const strings\s*=/.test(src)) {
      const body = extractStrings(src, f);
      Object.assign(zh, body.zh); Object.assign(en, body.en);
    }
  }
  return { zh, en };
}

// The object literal after `export const strings =`, evaluated on its own.
function extractStrings(src, file) {
  const start = src.indexOf('{', src.search(/export const strings\s*=/));
  let depth = 0; let i = start; let quote = null;
  for (; i < src.length; i++) {
    const c = src[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = null; continue; }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) break;
  }
  const literal = src.slice(start, i + 1);
  try {
    return Function(`"use strict"; return (${literal});`)();
  } catch (e) {
    throw new Error(`${relative(repoRoot, file)}: strings must be a plain object literal: ${e.message}`);
  }
}

test('every key used by t() exists in Chinese and English', async () => {
  const { zh, en } = await loadCatalog();
  const missing = [];
  for (const f of scripts) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'([a-z0-9_.]+)'/g)) {
      if (!(m[1] in zh)) missing.push(`${relative(repoRoot, f)}: ${m[1]} (zh)`);
      if (!(m[1] in en)) missing.push(`${relative(repoRoot, f)}: ${m[1]} (en)`);
    }
  }
  assert.deepEqual([...new Set(missing)], []);
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], 'keys in Chinese only');
  assert.deepEqual(Object.keys(en).filter((k) => !(k in zh)), [], 'keys in English only');
});

test('no markup is built from strings anywhere in the front end', () => {
  const bad = [];
  for (const f of scripts) {
    const src = readFileSync(f, 'utf8').replace(/^\s*\/\/.*$/gm, '');
    if (/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(src)) bad.push(relative(repoRoot, f));
  }
  assert.deepEqual(bad, []);
});

test('the HTML files hold no inline script, style or handler', () => {
  for (const f of files.filter((x) => x.endsWith('.html'))) {
    const html = readFileSync(f, 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, f);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, f);
  }
});
