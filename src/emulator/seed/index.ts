/**
 * The seed module: on start-up and after every reset, loads the seed the emulator was given
 * (`options.seed`: a file path, a parsed document, `false` for none) or the built-in demo seed.
 * A seed that does not validate stops the emulator from starting, with a SeedError listing every problem.
 */
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { DEMO_SEED } from './demo-seed.js';
import { loadSeed } from './load-seed.js';
import { parseSeed, readSeedFile, type Seed } from './seed-schema.js';

export { DEMO_SEED } from './demo-seed.js';
export { loadSeed } from './load-seed.js';
export { parseSeed, parseSeedText, readSeedFile, SeedError, type Seed, type SeedInput } from './seed-schema.js';

/** The seed named by the options, validated; undefined for `seed: false`. */
export function resolveSeed(option: EmulatorContext['options']['seed']): Seed | undefined {
  if (option === false) return undefined;
  if (option === undefined) return parseSeed(DEMO_SEED, '(built-in demo seed)');
  if (typeof option === 'string') return readSeedFile(option);
  return parseSeed(option);
}

export const seedModule: EmulatorModule = {
  name: 'seed',
  install(ctx) {
    // Validate once at install so a bad seed fails fast, then load it on every reset.
    const seed = resolveSeed(ctx.options.seed);
    ctx.onReset(() => {
      if (seed) loadSeed(ctx, seed);
    });
  },
};
