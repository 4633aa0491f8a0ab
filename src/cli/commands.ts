/**
 * The subcommands: each one's name and one-line description, and the module that defines its
 * options and action, loaded only when that command runs (or prints its own help). The top-level
 * `--help` and `--version` load none of them, so they cost little more than starting Node.
 */
import type { Command } from 'commander';

export interface SubcommandEntry {
  name: string;
  description: string;
  /** The function that adds the command's options and action to its (already named) Command. */
  load: () => Promise<(command: Command) => void>;
  /** The command reads every other command's options from its parent (completion): define them all. */
  needsAllCommands?: boolean;
}

export const SUBCOMMANDS: readonly SubcommandEntry[] = [
  { name: 'init', description: 'the wizard: asks (or takes from flags and the config) everything, writes the config, shows the plan, applies it on confirmation, then verifies', load: async () => (await import('./init.js')).defineInit },
  { name: 'plan', description: 'show what apply would do: reads what exists and diffs it with the config (--offline: no API calls, everything is a create)', load: async () => (await import('./plan.js')).definePlan },
  { name: 'apply', description: 'create or update the load balancer step by step, then verify it works', load: async () => (await import('./apply.js')).defineApply },
  { name: 'verify', description: 'check the load balancer works: DNS records, HTTP(S) through it, certificate state, Cloud Run ingress restriction', load: async () => (await import('./verify.js')).defineVerify },
  { name: 'status', description: 'what of this load balancer exists now, and its addresses', load: async () => (await import('./status.js')).defineStatus },
  { name: 'teardown', description: 'delete, in reverse dependency order, every resource serverless-lb created for this load balancer (found by its ownership mark); restores Cloud Run ingress', load: async () => (await import('./teardown.js')).defineTeardown },
  { name: 'import', description: 'take over a load balancer made outside serverless-lb (console, gcloud, the exported script): read it from a forwarding rule, write its config, mark it as this tool\'s', load: async () => (await import('./import.js')).defineImport },
  { name: 'emulator', description: 'run the local Google Cloud emulator in the foreground: Compute Engine, Cloud Run, Certificate Manager, Cloud DNS, Cloud Functions, App Engine and API Gateway APIs, a loopback data plane and a DNS server', load: async () => (await import('./emulator.js')).defineEmulator },
  { name: 'demo', description: 'the whole lifecycle (init answers, plan, apply, verify, teardown) against an embedded emulator: no Google account needed', load: async () => (await import('./demo.js')).defineDemo },
  { name: 'schema', description: 'print the JSON Schema of the config file (for editors: yaml-language-server, VS Code)', load: async () => (await import('./schema.js')).defineSchema },
  { name: 'completion', description: 'print a shell completion script: completion bash|zsh|fish', load: async () => (await import('./completion.js')).defineCompletion, needsAllCommands: true },
];
