import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { specSchema } from '../../src/spec/schema.js';
import { buildDesiredGraph } from '../../src/plan/build-graph.js';
import { assertAcyclic } from '../../src/plan/diff.js';
import { offlinePlan } from '../../src/plan/offline-plan.js';
import { renderPlanJson } from '../../src/plan/render-json.js';

const dir = join(import.meta.dirname, '../../docs/examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));

describe('docs/examples', () => {
  it('has examples to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`builds a graph and an offline plan for ${file}`, () => {
      const spec = specSchema.parse(parse(readFileSync(join(dir, file), 'utf8')));
      const graph = buildDesiredGraph(spec);
      expect(graph.resources.length).toBeGreaterThan(0);
      expect(graph.resources.filter((r) => r.kind === 'forwardingRule').length).toBeGreaterThan(0);
      const plan = offlinePlan(spec);
      assertAcyclic(plan.steps);
      expect(plan.blockers).toEqual([]);
      expect(plan.summary.create).toBe(graph.resources.filter((r) => r.managed).length);
      // No private key or secret content in the rendering.
      expect(renderPlanJson(plan)).not.toMatch(/PRIVATE KEY/);
    });
  }
});
