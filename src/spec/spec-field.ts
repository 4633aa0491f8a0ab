/** One entry of the config key registry (fields.ts). */
export interface SpecField {
  /** Dotted config key, e.g. 'frontend.protocol', 'backends[].cloudRun.service'. */
  key: string;
  /** The flag as commander takes it, e.g. '--protocol <protocol>'. Absent: config only. */
  flag?: string;
  /** The flag may be given several times (each value is appended). */
  repeatable?: boolean;
  /** A boolean flag that also has a `--no-` form. */
  negatable?: boolean;
  /** The wizard's question id, e.g. 'protocol'. */
  question?: string;
  /** The value's type, for the docs. */
  type: string;
  /** The default, as the docs show it. */
  default?: string;
  /** One line: what the key means. */
  description: string;
}
