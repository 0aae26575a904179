import { parseArgs, type ParseArgsConfig } from 'node:util';
import { incidentOfDuration, PHASE_NAMES, type Phase } from './incident.js';
import { demoSettings, UnfitIncidentError, type DemoSettings } from './scale.js';

/** Where the JSON summary goes: stdout (the live view then goes to stderr), or a file. */
export type JsonTarget = { readonly to: 'stdout' } | { readonly to: 'file'; readonly path: string };

/** What the command line asked for. */
export interface DemoOptions {
  readonly phases: readonly Phase[];
  readonly users: number;
  readonly seed: number;
  readonly json: JsonTarget | null;
  readonly report: boolean;
  /** Serve the live dashboard during the run (`--dashboard`, implied by `--serve`). */
  readonly dashboard: boolean;
  /** Keep serving the dashboard after the run, until Ctrl-C (`--serve`). */
  readonly serve: boolean;
  /** The client's limits fitted to the phases and users. */
  readonly settings: DemoSettings;
  /** `--fleet <n>`: run the fleet demo (n processes sharing breakers through Redis) instead. */
  readonly fleet: number | null;
}

/** The command line was wrong; the message says which flag, what it got and what it accepts. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Defaults of the command line. */
export const DEFAULTS = { durationS: 20, users: 10, seed: 42 } as const;

/** The `--help` text. */
export const HELP = `Usage: npm run demo -- [options]

Plays a scripted incident (healthy → 50 % errors → outage → slow → recovered) on a local HTTP
service and drives the same load through a client protected by breakwater and an unprotected one.
The protected client's timeout, reset timeout, bulkhead and catalogue are fitted to the phases and
users; a combination too short to show the breaker opening and closing again is refused, saying why.

Options:
  --duration <s>     total length in seconds, 2–600 (default ${DEFAULTS.durationS}); phases get 20/20/25/15/20 %
  --phases <list>    five phase lengths in seconds instead, e.g. 4,4,5,3,4 (not with --duration)
  --users <n>        simulated users per client, integer 1–200 (default ${DEFAULTS.users})
  --seed <n>         seed of the incident's randomness, integer 0–4294967295 (default ${DEFAULTS.seed})
  --json             print a machine-readable summary on stdout, the live view going to stderr
                     (with npm, \`npm run -s demo -- --json\` keeps npm's own lines off stdout)
  --json=<path>      write the summary to a file instead; the live view stays on stdout
  --no-report        do not write the HTML report
  --dashboard        serve breakwater's live dashboard on 127.0.0.1 during the run and print its URL
  --serve            like --dashboard, and keep serving it after the run until Ctrl-C
  --fleet <n>        instead: n worker processes (2–8) calling one failing service, with breakers of
                     their own and then one breaker shared through a local redis-server
  --help             show this text
`;

function numberFlag(flag: string, raw: string, min: number, max: number, integer: boolean): number {
  const value = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `${flag}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

function phasesFlag(raw: string): Phase[] {
  const parts = raw.split(',');
  if (parts.length !== PHASE_NAMES.length) {
    throw new UsageError(
      `--phases: expected ${PHASE_NAMES.length} comma-separated seconds (${PHASE_NAMES.join(',')}), got "${raw}"`,
    );
  }
  return PHASE_NAMES.map((name, i) => ({
    name,
    durationMs: Math.round(1_000 * numberFlag(`--phases (${name})`, parts[i] ?? '', 0.1, 600, false)),
  }));
}

/** The flags and what they take, as `util.parseArgs` reads them. */
const FLAGS = {
  duration: { type: 'string' },
  phases: { type: 'string' },
  users: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  // `--json=<path>`: `--json` alone is a switch, so the spelling with a path is told apart before parsing.
  'json-file': { type: 'string' },
  'no-report': { type: 'boolean' },
  dashboard: { type: 'boolean' },
  serve: { type: 'boolean' },
  fleet: { type: 'string' },
  help: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const ALLOWED = Object.keys(FLAGS)
  .filter((flag) => flag !== 'json-file')
  .map((flag) => `--${flag}`)
  .join(', ');

/** parseArgs' own errors, said the way the rest of the demo's messages are. */
function usageOf(error: unknown, argv: readonly string[]): UsageError {
  const { code, message } = error as { code?: string; message: string };
  const flag = /'(--[\w-]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && FLAGS[flag.slice(2) as keyof typeof FLAGS]?.type === 'string') {
    return new UsageError(`${flag}: missing value`);
  }
  const given =
    argv.find((arg) => arg === flag || arg.startsWith(`${flag}=`)) ?? argv.find((arg) => !arg.startsWith('--'));
  return new UsageError(`unknown argument "${given ?? flag}"; allowed: ${ALLOWED}`);
}

/**
 * `--json=<path>` becomes `--json-file=<path>`, and a value that looks like a short option (`--seed -1`)
 * is attached to its flag (`--seed=-1`), so that its range is what gets reported; a value starting
 * with `--` is taken for the next flag, and its own is then missing.
 */
function parse(argv: readonly string[]) {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (arg.startsWith('--json=')) args.push(`--json-file=${arg.slice('--json='.length)}`);
    else if (
      FLAGS[arg.slice(2) as keyof typeof FLAGS]?.type === 'string' &&
      next !== undefined &&
      !next.startsWith('--')
    ) {
      args.push(`${arg}=${next}`);
      i += 1;
    } else args.push(arg);
  }
  return parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false, tokens: true });
}

/**
 * Parses the demo's arguments (without `node` and the script) with Node's `util.parseArgs`.
 *
 * @param argv - e.g. `['--duration', '4', '--json']`; `--flag=value` works too.
 * @returns `'help'` when `--help` was given, else the options.
 * @throws UsageError naming the flag, the value and what is allowed.
 * @example
 * ```ts
 * parseDemoArgs(['--users', '5']); // { users: 5, … }
 * ```
 */
export function parseDemoArgs(argv: readonly string[]): DemoOptions | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw usageOf(error, argv);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    const flag = token.name === 'json-file' ? 'json' : token.name;
    if (seen.has(flag)) throw new UsageError(`--${flag}: given twice`);
    seen.add(flag);
  }
  const values = parsed.values;
  if (values.help === true) return 'help';
  if (values.fleet !== undefined && seen.size > 1)
    throw new UsageError(
      `--fleet: runs a scenario of its own, give it alone (got ${[...seen].map((f) => `--${f}`).join(', ')})`,
    );
  const { duration, phases, users: usersText, seed } = values;
  if (duration !== undefined && phases !== undefined)
    throw new UsageError('--duration and --phases: give one or the other');
  const jsonFile = values['json-file'];
  if (jsonFile !== undefined && jsonFile.trim() === '') throw new UsageError('--json=<path>: missing path');
  const incident =
    phases !== undefined
      ? phasesFlag(phases)
      : incidentOfDuration(
          1_000 * (duration === undefined ? DEFAULTS.durationS : numberFlag('--duration', duration, 2, 600, false)),
        );
  const users = usersText === undefined ? DEFAULTS.users : numberFlag('--users', usersText, 1, 200, true);
  const seedValue = seed === undefined ? DEFAULTS.seed : numberFlag('--seed', seed, 0, 4_294_967_295, true);
  let settings: DemoSettings;
  try {
    settings = demoSettings(incident, users);
  } catch (error) {
    if (error instanceof UnfitIncidentError) throw new UsageError(error.message);
    throw error;
  }
  return {
    phases: incident,
    users,
    seed: seedValue,
    json: jsonFile !== undefined ? { to: 'file', path: jsonFile } : values.json === true ? { to: 'stdout' } : null,
    report: values['no-report'] !== true,
    dashboard: values.dashboard === true || values.serve === true,
    serve: values.serve === true,
    settings,
    fleet: values.fleet === undefined ? null : numberFlag('--fleet', values.fleet, 2, 8, true),
  };
}
