import { test } from 'vitest';
import { writeFileSync } from 'node:fs';
import * as f from '../render-export-fixtures.js';
import { renderGcloudScript } from '../../../src/plan/render-gcloud.js';
import { renderTerraform } from '../../../src/plan/render-terraform.js';
test('dump', () => {
  const graphs = { ge: f.globalExternalGraph(), re: f.regionalExternalGraph(), ri: f.regionalInternalGraph(), cri: f.crossRegionInternalGraph(), cl: f.classicGraph({ iapSecret: { file: 'secrets/iap.txt' } }), clenv: f.classicGraph({ iapSecret: { env: 'IAP_SECRET' } }) };
  for (const [k, g] of Object.entries(graphs)) {
    writeFileSync(`/tmp/rout/${k}.sh`, renderGcloudScript(g));
    writeFileSync(`/tmp/rout/${k}.tf`, renderTerraform(g));
  }
});
