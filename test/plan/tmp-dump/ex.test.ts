import { test } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { specSchema } from '../../../src/spec/schema.js';
import { buildDesiredGraph } from '../../../src/plan/build-graph.js';
import { renderGcloudScript } from '../../../src/plan/render-gcloud.js';
import { renderTerraform } from '../../../src/plan/render-terraform.js';
test('ex', () => {
  for (const f of readdirSync('docs/examples').filter((f) => f.endsWith('.yaml'))) {
    const g = buildDesiredGraph(specSchema.parse(parse(readFileSync(`docs/examples/${f}`, 'utf8'))));
    writeFileSync(`/tmp/rout/ex-${f}.json`, JSON.stringify(g, null, 1));
    try { writeFileSync(`/tmp/rout/ex-${f}.sh`, renderGcloudScript(g)); } catch (e) { console.log(f, 'gcloud', e); }
    try { writeFileSync(`/tmp/rout/ex-${f}.tf`, renderTerraform(g)); } catch (e) { console.log(f, 'tf', e); }
  }
});
