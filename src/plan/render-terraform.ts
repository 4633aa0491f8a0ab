/**
 * The plan as Terraform configuration for the google provider.
 *
 * Contract:
 * - One `resource` per managed resource of the graph, with references between them written as
 *   resource addresses (`google_compute_backend_service.web.id`), never as literal names; existing
 *   resources (managed=false) become `data` sources (or a literal path where the provider has no
 *   data source for that kind).
 * - A `terraform { required_providers }` block, `variable "project"` (defaulting to the graph's
 *   project) and `provider "google" { project = var.project }`; `google-beta` is added only for
 *   API Gateway NEGs (`serverless_deployment` exists only in that provider).
 * - Secrets never appear: the IAP OAuth client secret is a `sensitive` variable, a private key is
 *   read with `file("...")` from the path the plan names (or a sensitive variable for one kept in
 *   the environment).
 * - The Cloud Run ingress change is not a Terraform resource here (the service is not managed by
 *   this configuration): it is written as a comment holding the gcloud command.
 * - Dependencies that no reference expresses (the proxy-only subnet a forwarding rule needs) are
 *   written as `depends_on`.
 *
 * Pure: no I/O.
 */
import { shellQuote } from '../model/gcloud-words.js';
import { sub } from '../kinds/terraform-words.js';
import type { ResolvedRef, TerraformConfig } from '../kinds/kind.js';
import { kindModule } from '../kinds/registry.js';
import { KIND_WORDS, regionOfResource, resolveRef } from './render-export-refs.js';
import { attr, block, expr, Expr, hclString, renderHcl, type Block, type BlockItem, type HclValue } from '../model/hcl.js';
import type { DesiredGraph, ResourceKind, SecretRef } from '../model/resource-model.js';

/** The data source that reads an existing resource of this kind and scope, where the provider has one. */
function dataSourceType(kind: ResourceKind, global: boolean): string | undefined {
  return kindModule(kind).terraform.dataSource?.(global);
}

/** A local name: the resource name with `-` as `_` (valid identifier), unique per type. */
function localNameFor(taken: Set<string>, type: string, name: string, region?: string): string {
  let base = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `r_${base}`;
  let candidate = base;
  if (taken.has(`${type}.${candidate}`) && region) candidate = `${base}_${region.replace(/-/g, '_')}`;
  for (let i = 2; taken.has(`${type}.${candidate}`); i++) candidate = `${base}_${i}`;
  taken.add(`${type}.${candidate}`);
  return candidate;
}

interface Address {
  /** `google_compute_x.name` or `data.google_compute_x.name`. */
  address: string;
  kind: ResourceKind;
}

class Context implements TerraformConfig {
  readonly taken = new Set<string>();
  /** Graph id (or reference key) to the Terraform address of its resource or data source. */
  readonly addresses = new Map<string, Address>();
  readonly dataBlocks: Block[] = [];
  readonly variables: Block[] = [];
  private readonly secretVars = new Map<string, string>();
  needsBeta = false;
  /** Graph ids referenced while converting the current resource. */
  referencedIds = new Set<string>();

  constructor(readonly graph: DesiredGraph) {}

  /** The value of a reference field: an expression when the target is known, a literal path otherwise. */
  ref(value: string, attribute: 'id' | 'self_link' = 'id'): HclValue {
    const resolved = resolveRef(this.graph, value);
    if (!resolved) return value;
    const known = this.addresses.get(resolved.id) ?? this.dataFor(resolved);
    if (known) {
      this.referencedIds.add(resolved.id);
      return expr(`${known.address}.${attribute}`);
    }
    return this.projectPath(value, resolved);
  }

  resolve(value: string): ResolvedRef | undefined {
    return resolveRef(this.graph, value);
  }

  addressOf(id: string): Address | undefined {
    return this.addresses.get(id);
  }

  referenced(id: string): void {
    this.referencedIds.add(id);
  }

  useBeta(): void {
    this.needsBeta = true;
  }

  private projectData?: string;

  projectNumber(): string {
    if (!this.projectData) {
      this.projectData = 'data.google_project.this';
      this.dataBlocks.push(block('data', ['google_project', 'this'], attr('project_id', expr('var.project')), ['The project, for its number (service agents are named by it).']));
    }
    return `${this.projectData}.number`;
  }

  /** A data source for an existing network or subnetwork outside the graph, created once. */
  private dataFor(ref: ResolvedRef): Address | undefined {
    if (ref.resource || (ref.kind !== 'network' && ref.kind !== 'subnetwork')) return undefined;
    const type = dataSourceType(ref.kind, ref.scope === 'global');
    if (!type) return undefined;
    const local = localNameFor(this.taken, `data.${type}`, ref.name, ref.region);
    const body: BlockItem[] = [...attr('name', ref.name), ...attr('region', ref.region)];
    if (ref.project !== this.graph.project) body.push(...attr('project', ref.project));
    this.dataBlocks.push(block('data', [type, local], body));
    const address = { address: `data.${type}.${local}`, kind: ref.kind };
    this.addresses.set(ref.id, address);
    return address;
  }

  /** A literal path, with the graph's project written as `var.project`. */
  projectPath(value: string, ref: ResolvedRef): HclValue {
    const relative = `projects/${ref.project}/${ref.scope}/${value.split('/').slice(-2).join('/')}`;
    if (ref.project !== this.graph.project) return relative;
    const rest = relative.slice(`projects/${ref.project}/`.length);
    return expr(`"projects/\${var.project}/${hclString(rest).slice(1, -1)}"`);
  }

  /** A sensitive variable holding a secret, declared once per source. */
  secretVariable(ref: SecretRef, stem: string): Expr {
    const { env, file, what } = ref.$secret;
    const key = env !== undefined ? `env:${env}` : `file:${file ?? ''}`;
    let name = this.secretVars.get(key);
    if (!name) {
      name = stem;
      for (let i = 2; [...this.secretVars.values()].includes(name); i++) name = `${stem}_${i}`;
      this.secretVars.set(key, name);
      const from =
        env !== undefined
          ? `export TF_VAR_${name}="$${env}"`
          : file !== undefined
            ? `export TF_VAR_${name}="$(cat ${shellQuote(file)})"`
            : `export TF_VAR_${name}=...`;
      this.variables.push(
        block('variable', [name], [
          ...attr('description', `${what[0]?.toUpperCase() ?? ''}${what.slice(1)}. Set it without writing it down: ${from}`),
          ...attr('type', expr('string')),
          ...attr('sensitive', true),
        ]),
      );
    }
    return expr(`var.${name}`);
  }
}


/** Renders the graph as Terraform configuration (see the file comment for the contract). */
export function renderTerraform(graph: DesiredGraph): string {
  const ctx = new Context(graph);
  const resources: Block[] = [];
  const comments: string[][] = [];

  // Existing resources first: data sources (or nothing, where a literal path must do).
  for (const r of graph.resources) {
    if (r.managed || !kindModule(r.kind).terraform.resourceType(r)) continue;
    const type = dataSourceType(r.kind, r.scope === 'global');
    if (!type) continue;
    const region = regionOfResource(r);
    const local = localNameFor(ctx.taken, `data.${type}`, r.name, region);
    const body: BlockItem[] = [...attr('name', r.name), ...attr('region', region)];
    if (r.project !== graph.project) body.push(...attr('project', r.project));
    ctx.dataBlocks.push(block('data', [type, local], body, [`Existing ${KIND_WORDS[r.kind]} ${r.name}: read, never changed.${r.purpose ? ` (${r.purpose})` : ''}`]));
    ctx.addresses.set(r.id, { address: `data.${type}.${local}`, kind: r.kind });
  }

  // Every managed resource gets its address before any is converted, so references resolve
  // whatever the order.
  const locals = new Map<string, { type: string; local: string }>();
  for (const r of graph.resources) {
    const type = kindModule(r.kind).terraform.resourceType(r);
    if (!r.managed || !type) continue;
    const local = localNameFor(ctx.taken, type, r.name, regionOfResource(r));
    locals.set(r.id, { type, local });
    ctx.addresses.set(r.id, { address: `${type}.${local}`, kind: r.kind });
  }

  for (const r of graph.resources) {
    const tf = kindModule(r.kind).terraform;
    // A kind writes a comment for what no Terraform resource can say (resourceType undefined).
    if (tf.comment && !tf.resourceType(r)) {
      comments.push(tf.comment(r));
      continue;
    }
    if (!r.managed) continue;
    const { type, local } = locals.get(r.id) as { type: string; local: string };
    ctx.referencedIds = new Set();
    const items = tf.convert?.(ctx, r) ?? [];
    const extra = r.dependsOn.filter((id) => !ctx.referencedIds.has(id) && ctx.addresses.has(id) && !ctx.addresses.get(id)?.address.startsWith('data.'));
    if (extra.length > 0) {
      items.push(...attr('depends_on', extra.map((id) => expr((ctx.addresses.get(id) as Address).address))));
    }
    resources.push(block('resource', [type, local], items, r.purpose ? [r.purpose] : undefined));
  }

  const providers: BlockItem[] = [
    ...attr('google', { source: 'hashicorp/google' }),
    ...(ctx.needsBeta ? attr('google-beta', { source: 'hashicorp/google-beta' }) : []),
  ];
  const head: Block[] = [
    block('terraform', [], [sub('required_providers', providers)]),
    block('variable', ['project'], [
      ...attr('description', 'Google Cloud project that holds the load balancer'),
      ...attr('type', expr('string')),
      ...attr('default', graph.project),
    ]),
    ...ctx.variables,
    block('provider', ['google'], attr('project', expr('var.project'))),
    ...(ctx.needsBeta ? [block('provider', ['google-beta'], attr('project', expr('var.project')))] : []),
  ];
  const text = renderHcl(
    [...head, ...ctx.dataBlocks, ...resources],
    [
      `serverless-lb: Terraform configuration for load balancer "${graph.lbName}" in project "${graph.project}".`,
      'Secrets are not in this file: set the sensitive variables below from their files or environment.',
    ],
  );
  if (comments.length === 0) return text;
  return `${text}\n${comments.map((lines) => lines.map((l) => `# ${l}`.trimEnd()).join('\n')).join('\n\n')}\n`;
}
