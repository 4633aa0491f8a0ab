// Loaded with `node --import`: records every module URL the process resolves and, at exit, writes
// them (one per line) to the file named by SLB_TRACE_MODULES. Used to prove which paths load no SDK.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    seen.add(result.url);
    return result;
  },
});
process.on('exit', () => writeFileSync(process.env.SLB_TRACE_MODULES, [...seen].join('\n')));
