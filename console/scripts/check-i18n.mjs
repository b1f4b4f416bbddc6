// Every language has exactly the English keys, none empty, with the same {placeholders};
// and no page puts a literal word in its markup instead of t('…').
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../src/i18n/', import.meta.url);
const load = (l) => JSON.parse(readFileSync(new URL(l + '.json', dir), 'utf8'));
const en = load('en');
const problems = [];
const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
for (const lang of ['ru', 'kk']) {
  const other = load(lang);
  for (const key of Object.keys(en)) {
    if (!(key in other)) problems.push(`${lang}.json lacks ${key}`);
    else if (!other[key].trim()) problems.push(`${lang}.json has an empty ${key}`);
    else if (holes(other[key]) !== holes(en[key])) problems.push(`${lang}.json ${key} has placeholders {${holes(other[key])}}, English has {${holes(en[key])}}`);
  }
  for (const key of Object.keys(other)) if (!(key in en)) problems.push(`${lang}.json has ${key}, which English lacks`);
}

// Text between tags that contains a letter and is not an expression: `>Word<`.
const src = new URL('../src/', import.meta.url).pathname;
const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
for (const file of walk(src).filter((f) => f.endsWith('.tsx'))) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const literal = line.match(/(?<![=\-])>\s*([^<>{}\s][^<>{}]*\p{L}[^<>{}]*)</u);
      // …or a line of nothing but words, as JSX text between tags on lines of their own.
      const bare = line.match(/^\s*(\p{L}[\p{L}\s,.!?'-]*)$/u);
      const prose = bare && (/\p{L}\s+\p{L}/u.test(bare[1]) || /^\p{Lu}/u.test(bare[1].trim()));
      if (prose && bare[1].trim() !== 'Iz') problems.push(`${file}:${i + 1}: literal text ${JSON.stringify(bare[1].trim())}; use t()`);
      if (literal && literal[1].trim() !== 'Iz') problems.push(`${file}:${i + 1}: literal text ${JSON.stringify(literal[1].trim())}; use t()`);
    });
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`i18n: ${Object.keys(en).length} keys in en, ru and kk; no literal text in markup`);
