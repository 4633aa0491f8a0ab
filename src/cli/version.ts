/**
 * The package version, from package.json. The bundle (esbuild.config.mjs) holds package.json, so
 * printing the version reads no file at run time.
 */
import packageJson from '../../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;
