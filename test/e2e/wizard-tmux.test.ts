/**
 * The wizard on a real terminal: tmux runs `serverless-lb init --emulator` in a temp dir, the test
 * answers with send-keys and reads the screen with capture-pane, then checks the written config
 * (the same as `init --yes` with the same answers as flags) and the applied, verified result.
 * Skipped, with a message, where tmux is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assertBuilt, BIN, runCli, tempDir } from './cli-helpers.js';
import { hasTmux } from '../support/tools.js';

const tmuxPresent = hasTmux();
if (!tmuxPresent) console.warn('wizard-tmux.test.ts: tmux is not installed, so the real-terminal wizard test is skipped');

const SOCKET = `slb-test-${process.pid}`;

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

class Terminal {
  constructor(readonly session: string) {}

  static start(name: string, dir: string, args: string): Terminal {
    const node = process.execPath;
    const command = `cd '${dir}' && env -u CI -u SERVERLESS_LB_EMULATOR_HOST -u CLOUDSDK_CORE_PROJECT -u GOOGLE_CLOUD_PROJECT '${node}' '${BIN}' ${args}; echo EXIT:$?; sleep 300`;
    tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '50', command);
    return new Terminal(name);
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.session);
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.screen().match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on the screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  keys(...keys: string[]): void {
    tmux('send-keys', '-t', this.session, ...keys);
  }

  /** Types text literally, then Enter. */
  type(text: string): void {
    tmux('send-keys', '-t', this.session, '-l', text);
    tmux('send-keys', '-t', this.session, 'Enter');
  }

  /** Waits for a prompt (`? message`), then answers. */
  async answer(prompt: RegExp, ...keys: string[]): Promise<void> {
    await this.waitFor(new RegExp(`\\? ${prompt.source}`));
    if (keys.length === 1 && keys[0] !== 'Enter') this.type(keys[0]!);
    else this.keys(...(keys.length ? keys : ['Enter']));
  }

  close(): void {
    try {
      tmux('kill-session', '-t', this.session);
    } catch {
      // already gone
    }
  }
}

describe.skipIf(!tmuxPresent)('init on a real terminal (tmux)', () => {
  beforeAll(assertBuilt);
  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it('asks, lists the Cloud Run services, writes the config, applies and verifies on confirmation', async () => {
    const dir = tempDir('slb-tmux-');
    const term = Terminal.start('init', dir, 'init --emulator');
    try {
      await term.answer(/Google Cloud project ID.*\(demo-project\)/);
      await term.answer(/Which Application Load Balancer\?/);
      // The project's regions, filtered as one types; the suggested one is first.
      await term.waitFor(/\? Region of your serverless apps.*type to filter[\s\S]*❯ europe-west1/);
      term.keys('Enter');

      // The backends checkbox lists the seeded Cloud Run services: tick api and web.
      await term.waitFor(/\? Which serverless apps go behind the load balancer\?[\s\S]*Something else/);
      const listed = [...term.screen().matchAll(/^[❯ ][◯◉] (\S+)\s+\(Cloud Run, europe-west1\)/gm)].map((m) => m[1]!);
      expect(listed).toEqual(expect.arrayContaining(['web', 'api', 'static', 'admin']));
      const picks = ['api', 'web'].map((name) => listed.indexOf(name)).sort((a, b) => a - b);
      let at = 0;
      for (const index of picks) {
        for (; at < index; at++) term.keys('Down');
        term.keys('Space');
      }
      term.keys('Enter');
      const picked = picks.map((i) => listed[i]!);

      await term.answer(/Which backend gets the requests that match no host or path rule\?/);
      await term.answer(/Routes, comma-separated/, 'api.example.com=api, www.example.com=web');
      await term.answer(/Name of the load balancer/, 'tmux-lb');
      await term.answer(/Which protocol do clients use\?/);
      await term.answer(/Port of the HTTPS listener \(443\)/);
      await term.answer(/Domains clients use.*\(api\.example\.com, www\.example\.com\)/);
      // Both Google-managed certificates are offered; take the Certificate Manager one (DNS authorization, a certificate map).
      await term.waitFor(/\? Which certificate does the HTTPS listener present\?[\s\S]*Existing Certificate Manager/);
      expect(term.screen()).toMatch(/Google-managed \(managed\)[\s\S]*Google-managed \(Certificate Manager\)[\s\S]*self-managed, Certificate Manager/);
      term.keys('Down', 'Enter');
      await term.answer(/Cloud DNS managed zone/, 'example-com');
      await term.answer(/Which external IP address\?/);
      await term.answer(/Cache responses at Google's edge with Cloud CDN\?/);
      await term.answer(/Require a Google sign-in/);
      await term.answer(/Protect the backends with Cloud Armor\?/);
      await term.answer(/Log every request in Cloud Logging\?/);
      await term.answer(/Stop sending traffic to a region/);
      await term.answer(/Which traffic may reach your Cloud Run services directly\?/);
      // Invoker access is offered with its choices (allUsers, the IAM check off, the IAP service agent, or leave IAM alone).
      await term.waitFor(/\? Who may invoke your Cloud Run services through the load balancer[\s\S]*unchanged/);
      expect(term.screen()).toMatch(/Anyone, by IAM \(public: allUsers\)/);
      expect(term.screen()).toMatch(/Anyone, invoker IAM check off \(public-no-iam-check\)/);
      term.keys('Enter');

      await term.waitFor(/Your answers:[\s\S]*Wrote the equivalent config to serverless-lb\.yaml[\s\S]*\? Apply these changes to project demo-project\?/, 30_000);
      expect(term.screen()).toMatch(/\+\s+create\s+forwardingRule\s+tmux-lb-https-fr/);
      expect(term.screen()).toMatch(/\+\s+create\s+certificateMap\s+tmux-lb-certmap/);
      term.type('y');
      const [, code] = await term.waitFor(/EXIT:(\d+)/, 60_000);
      const screen = term.screen();
      expect(code, screen).toBe('0');
      expect(screen).toMatch(/All checks passed/);
      expect(screen).toMatch(/Google-managed certificate tmux-lb-cert ACTIVE/);
      expect(screen).toMatch(/Load balancer tmux-lb is in place in project demo-project/);
      expect(screen).toMatch(/DNS\s+records created in Cloud DNS zone example-com/);

      const written = readFileSync(join(dir, 'serverless-lb.yaml'), 'utf8');
      expect(parse(written)).toMatchObject({
        name: 'tmux-lb', project: 'demo-project', type: 'global-external', region: 'europe-west1',
        backends: picked.map((name) => ({ name, cloudRun: { service: name } })),
        routing: { defaultBackend: picked[0], hosts: [{ hosts: ['api.example.com'], defaultBackend: 'api' }, { hosts: ['www.example.com'], defaultBackend: 'web' }] },
        frontend: { protocol: 'https-redirect', domains: ['api.example.com', 'www.example.com'], address: { mode: 'reserve' } },
        certificate: { type: 'managed', service: 'certificate-manager' },
        dns: { managedZone: 'example-com' },
      });

      // The CI path with the same answers as flags writes the same file.
      const ciDir = tempDir('slb-tmux-ci-');
      const ci = await runCli(
        ['init', '--yes', '--no-apply', '--project', 'demo-project', '--name', 'tmux-lb', '--region', 'europe-west1', ...picked.flatMap((p) => ['--backend', p]),
          '--default-backend', picked[0]!, '--route', 'api.example.com=api', '--route', 'www.example.com=web', '--domain', 'api.example.com,www.example.com', '--dns-zone', 'example-com',
          '--certificate', 'managed', '--certificate-service', 'certificate-manager'],
        { cwd: ciDir },
      );
      expect(ci.code, ci.stderr).toBe(0);
      expect(readFileSync(join(ciDir, 'serverless-lb.yaml'), 'utf8')).toBe(written);
    } finally {
      term.close();
    }
  }, 120_000);

  it('Ctrl-C at a prompt exits 130 with no stack trace and nothing written', async () => {
    const dir = tempDir('slb-tmux-');
    const term = Terminal.start('interrupt', dir, 'init --emulator');
    try {
      await term.answer(/Google Cloud project ID/);
      await term.answer(/Which Application Load Balancer\?/);
      await term.answer(/Region of your serverless apps/);
      // Interrupt at the backends list, once discovery has started the emulator.
      await term.waitFor(/\? Which serverless apps go behind the load balancer\?/);
      term.keys('C-c');
      const [, code] = await term.waitFor(/EXIT:(\d+)/, 15_000);
      const screen = term.screen();
      expect(code, screen).toBe('130');
      expect(screen).toMatch(/Interrupted: nothing was changed/);
      expect(screen).not.toMatch(/^\s+at /m);
      expect(existsSync(join(dir, 'serverless-lb.yaml'))).toBe(false);
    } finally {
      term.close();
    }
  }, 60_000);

  it('a wrong project and a mistyped region show their problem on the next screen, and the right answers go on', async () => {
    const dir = tempDir('slb-tmux-');
    const term = Terminal.start('typos', dir, 'init --emulator');
    try {
      await term.answer(/Google Cloud project ID.*\(demo-project\)/, 'wrong-project');
      // The project is read right away: the refusal and the same question again, before any other.
      await term.waitFor(/✖ Project: wrong-project: project "wrong-project" was not found[\s\S]*\? Google Cloud project ID/);
      expect(term.screen()).not.toMatch(/Which Application Load Balancer/);
      term.keys('Enter');
      await term.answer(/Which Application Load Balancer\?/);
      await term.waitFor(/\? Region of your serverless apps.*type to filter/);
      tmux('send-keys', '-t', term.session, '-l', 'europe-wst1');
      // No region matches the typo: the nearest ones are offered instead, the right one first.
      await term.waitFor(/❯ europe-west1 +\(did you mean this\? no match for "europe-wst1"\)/);
      term.keys('Enter');
      await term.waitFor(/✔ Region of your serverless apps.* europe-west1/);
      await term.waitFor(/\? Which serverless apps go behind the load balancer\?/);
      term.keys('C-c');
      const [, code] = await term.waitFor(/EXIT:(\d+)/, 15_000);
      expect(code).toBe('130');
    } finally {
      term.close();
    }
  }, 60_000);

  it('the demo: Enter at every question, and at the final confirmation, applies the recommended answers', async () => {
    const dir = tempDir('slb-tmux-');
    const term = Terminal.start('demo', dir, 'demo');
    try {
      const deadline = Date.now() + 45_000;
      let answered = 0;
      for (;;) {
        const screen = term.screen();
        if (/EXIT:\d+/.test(screen) || Date.now() > deadline) break;
        // The prompt waiting for an answer is the last `? ` line; once it is answered it becomes `✔ `.
        const lines = screen.trimEnd().split('\n');
        const pending = lines.findLastIndex((l) => l.startsWith('? ')) > lines.findLastIndex((l) => l.startsWith('✔ '));
        if (pending) {
          term.keys('Enter');
          answered++;
          await new Promise((r) => setTimeout(r, 250));
        } else await new Promise((r) => setTimeout(r, 100));
      }
      const [, code] = await term.waitFor(/EXIT:(\d+)/, 30_000);
      const screen = term.screen();
      expect(screen).toMatch(/Apply these changes to project demo-project\? .*\(Y\/n\)|Apply these changes to project demo-project\? .*Yes/);
      expect(screen).toMatch(/All checks passed/);
      expect(screen).toMatch(/Demo complete/);
      expect(code, screen).toBe('0');
      expect(answered).toBeGreaterThan(5);
    } finally {
      term.close();
    }
  }, 90_000);
});
