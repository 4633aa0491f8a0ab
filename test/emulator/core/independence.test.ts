/** The emulator is an independent model of Google: no SDK, no code of the tool itself; and it starts fast. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/server.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('emulator independence', () => {
  it('imports no Google SDK and nothing from src/plan, src/spec or src/cloud', () => {
    const offenders: string[] = [];
    for (const f of [...files('src/emulator'), ...files('test/emulator')]) {
      const text = readFileSync(f, 'utf8');
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
      for (const spec of imports) {
        const sdk = /^@google-cloud\/|^google-gax/.test(spec) && !f.startsWith('test/');
        const tool = /(^|\/)(plan|spec|cloud)\//.test(spec) && spec.startsWith('.') && !spec.includes('/emulator/');
        if (sdk || tool) offenders.push(`${f}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('starts in well under a second', async () => {
    const t0 = performance.now();
    const em = await startEmulator({ seed: false, dns: false, dataplane: false });
    const elapsed = performance.now() - t0;
    await em.close();
    expect(elapsed).toBeLessThan(500);
  });
});
