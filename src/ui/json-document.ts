/**
 * With --format json a command prints exactly one JSON document on stdout. A command that has
 * printed its result document and then fails (exit 1, 2 or 130) must not print a second one: the
 * top-level error handler (src/cli/handle-error.ts) checks this flag. No imports, so the error
 * path stays as light as the help path.
 */
export const stdoutJsonDocument = { written: false };
