/**
 * The plan as a gcloud script: the commands Google's own load-balancing guides would have you type
 * for this topology, in the graph's creation order. Each kind writes its own commands
 * (src/kinds/<kind>.ts `gcloud`); this module is the script around them.
 *
 * Contract:
 * - The script starts with `#!/usr/bin/env bash` and `set -euo pipefail`, passes `--project` to
 *   every command, and runs as is with `bash` (every value goes through `shellQuote`).
 * - Only managed resources are created; existing ones (managed=false) are named in a comment and
 *   referenced by name.
 * - Secrets never appear: an OAuth client secret or private key is read when the script runs, from
 *   the file (`"$(cat -- FILE)"`) or the environment variable (`"${VAR}"`) the plan names.
 * - The ownership mark travels in `--description` (and labels where a gcloud command can set them).
 *
 * Pure: no I/O.
 */
import { shellQuote, raw, lit, wordText, type GcloudCommand, type Word } from '../model/gcloud-words.js';
import type { GcloudScript, ResolvedRef } from '../kinds/kind.js';
import { kindModule } from '../kinds/registry.js';
import { KIND_WORDS, regionOfResource, resolveRef } from './render-export-refs.js';
import type { DesiredGraph, DesiredResource, SecretRef } from '../model/resource-model.js';

export { shellQuote };
export { gcloudArmorAction } from '../kinds/security-policy.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEREDOC_END = 'SERVERLESS_LB_YAML';

/** Collects the script's lines, and the run-time variables (secrets, addresses) it defines. */
class Script implements GcloudScript {
  readonly lines: string[] = [];
  private readonly vars = new Map<string, string>();
  private readonly usedNames = new Set<string>();

  constructor(readonly graph: DesiredGraph) {}

  comment(text: string): void {
    for (const line of text.split('\n')) this.lines.push(`# ${line}`.trimEnd());
  }

  blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  command(project: string, cmd: GcloudCommand): void {
    const head = cmd.head.map(wordText).join(' ');
    const flags = [...cmd.flags.map(wordText), `--project=${shellQuote(project)}`];
    const text = [head, ...flags.map((f) => `    ${f}`)].join(' \\\n');
    if (cmd.stdin === undefined) {
      this.lines.push(text);
      return;
    }
    if (cmd.stdin.split('\n').some((line) => line === HEREDOC_END)) {
      throw new Error(`a document fed to ${head} contains the heredoc delimiter ${HEREDOC_END}`);
    }
    this.lines.push(`${text} <<'${HEREDOC_END}'`, ...cmd.stdin.replace(/\n$/, '').split('\n'), HEREDOC_END);
  }

  /** A shell variable holding the value of `expression`, defined once (reused by key). */
  variable(key: string, stem: string, expression: string): string {
    const known = this.vars.get(key);
    if (known) return known;
    let name = stem.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
    for (let i = 2; this.usedNames.has(name); i++) name = `${stem}_${i}`.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
    this.usedNames.add(name);
    this.vars.set(key, name);
    this.lines.push(`${name}="${expression}"`);
    return name;
  }

  /** A double-quoted shell expression giving the secret at run time; its value is never in the script. */
  secret(ref: SecretRef, stem: string): string {
    const { env, file, what } = ref.$secret;
    if (env !== undefined) {
      if (!ENV_NAME.test(env)) throw new Error(`${what}: ${JSON.stringify(env)} is not an environment variable name`);
      const message = `set ${env} to the ${what}`.replace(/[^A-Za-z0-9 _.,()-]/g, ' ');
      return `"\${${env}:?${message}}"`;
    }
    if (file !== undefined) {
      const name = this.variable(`secret:file:${file}`, stem, `$(cat -- ${shellQuote(file)})`);
      return `"\${${name}}"`;
    }
    throw new Error(`${what}: the secret names neither a file nor an environment variable`);
  }

  resolve(value: string): ResolvedRef | undefined {
    return resolveRef(this.graph, value);
  }

  /** The name in a reference, checked to be one (a path or a bare name). */
  refName(value: string): string {
    return resolveRef(this.graph, value)?.name ?? value.split('/').pop() ?? value;
  }

  /** A file path usable as a command argument for a secret that gcloud reads from a file. */
  secretFile(ref: SecretRef): Word {
    const { env, file, what } = ref.$secret;
    if (file !== undefined) return lit(file);
    if (env !== undefined) {
      if (!ENV_NAME.test(env)) throw new Error(`${what}: ${JSON.stringify(env)} is not an environment variable name`);
      return raw(`<(printf '%s\\n' "\${${env}:?set ${env} to the ${what.replace(/[^A-Za-z0-9 _.,()-]/g, ' ')}}")`);
    }
    throw new Error(`${what}: the secret names neither a file nor an environment variable`);
  }
}

function where(r: DesiredResource): string {
  const region = regionOfResource(r);
  return region ? `in ${region}` : r.kind === 'dnsRecordSet' ? `in zone ${r.zone ?? '?'}` : 'global';
}

/** Renders the graph as a bash script of gcloud commands (see the file comment for the contract). */
export function renderGcloudScript(graph: DesiredGraph): string {
  const s = new Script(graph);
  s.lines.push('#!/usr/bin/env bash');
  s.comment(
    [
      `serverless-lb: gcloud commands that create load balancer "${graph.lbName}" in project "${graph.project}".`,
      'Run with: bash THIS_FILE (gcloud authenticated, with rights on the project).',
      'Commands run in creation order; a failed command stops the script.',
      'Secrets are read when the script runs, from the files and environment variables it names;',
      'relative file paths are read from the directory the script runs in.',
    ].join('\n'),
  );
  s.lines.push('set -euo pipefail');
  for (const r of graph.resources) {
    s.blank();
    const summary = `${KIND_WORDS[r.kind]} ${r.name} (${where(r)})`;
    if (!r.managed) {
      s.comment(`Existing ${summary}: referenced, not created.${r.purpose ? ` (${r.purpose})` : ''}`);
      continue;
    }
    s.comment(`${summary}${r.purpose ? `: ${r.purpose}` : ''}`);
    kindModule(r.kind).gcloud(s, r);
  }
  s.blank();
  s.lines.push(`echo ${shellQuote(`Load balancer ${graph.lbName}: all commands completed.`)}`);
  return `${s.lines.join('\n')}\n`;
}
