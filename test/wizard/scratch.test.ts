import { it, expect } from 'vitest';
import { collectAnswers } from '../../src/wizard/ask.js';
import { ScriptedPrompter, DEFAULT } from '../../src/wizard/scripted-prompter.js';
it('scratch', async () => {
  const p = new ScriptedPrompter({ project: 'demo-project', type: DEFAULT, region: 'europe-west1', backends: 'web, api', defaultBackend: DEFAULT, routes: 'api.example.com=api', name: 'demo-lb', protocol: DEFAULT, port: DEFAULT, domains: 'www.example.com, api.example.com', certificate: DEFAULT, dnsZone: 'example-com', address: DEFAULT, cdn: DEFAULT, iap: DEFAULT, securityPolicy: DEFAULT, logging: DEFAULT, outlierDetection: DEFAULT, ingress: DEFAULT });
  const lines: string[] = [];
  const r = await collectAnswers({ given: {}, prompter: p, say: (l) => lines.push(l) });
  console.log(JSON.stringify(r, null, 1), lines, p.rejections, p.unused());
});
