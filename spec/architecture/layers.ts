// breakwater's layering, as data: which folder of lib/ may import which. docs/architecture.md draws it;
// layering.spec.ts holds every import of lib/ against it. Higher layers import lower ones, never the
// reverse; folders of one layer do not import each other (a policy never reaches into another
// policy, the event bus knows nothing of the run-time contract). Everything in a folder may import
// everything in the same folder.

/** A layer: its folders (paths under lib/, a file or a folder) and what it is for. */
export interface Layer {
  readonly name: string;
  readonly folders: readonly string[];
  readonly role: string;
}

/** Top first. */
export const LAYERS: readonly Layer[] = [
  { name: 'face', folders: ['index.ts'], role: 'the public barrel: the only entry of `breakwater`' },
  {
    name: 'api',
    folders: ['decorators', 'functional'],
    role: 'the two ways to declare policies: decorators (metadata + the one wrapper per method) and factories',
  },
  {
    name: 'policies',
    folders: [
      'policies/circuit-breaker',
      'policies/retry',
      'policies/fallback',
      'policies/timeout',
      'policies/bulkhead',
    ],
    role: 'one folder per policy: options, declaration, executor, registry and handle',
  },
  {
    name: 'contract',
    folders: ['runtime', 'events', 'config'],
    role: 'what every policy plugs into: the call/chain contract, the event bus, option reading and validation',
  },
  { name: 'clock', folders: ['clock'], role: 'the only way time is read or waited for' },
  { name: 'errors', folders: ['errors'], role: 'the error classes and their guards' },
  { name: 'shared', folders: ['shared'], role: 'process-wide pieces: the shared-state slots, the policy kinds' },
];

/**
 * Integrations (lib/integrations/<name>/) sit above the face: each imports breakwater only through
 * the public barrel (`lib/index.ts`), as a user would, and another integration only through that
 * integration's `index.ts`.
 */
export const INTEGRATIONS = 'integrations';

/** The folder of LAYERS a lib/-relative path belongs to, or `undefined` (an integration, or unknown). */
export function folderOf(path: string): string | undefined {
  for (const layer of LAYERS) {
    for (const folder of layer.folders) {
      if (path === folder || path.startsWith(`${folder}/`)) return folder;
    }
  }
  return undefined;
}

function rank(folder: string): number {
  return LAYERS.findIndex((layer) => layer.folders.includes(folder));
}

/**
 * Why an import from `from` to `to` (lib/-relative paths of two files) breaks the layering, or
 * `undefined` when it is allowed.
 */
export function violation(from: string, to: string): string | undefined {
  const fromIntegration = from.startsWith(`${INTEGRATIONS}/`) ? from.split('/')[1] : undefined;
  const toIntegration = to.startsWith(`${INTEGRATIONS}/`) ? to.split('/')[1] : undefined;
  if (fromIntegration !== undefined) {
    if (toIntegration === fromIntegration || to === 'index.ts') return undefined;
    if (toIntegration !== undefined && to === `${INTEGRATIONS}/${toIntegration}/index.ts`) return undefined;
    return `integrations import breakwater only through lib/index.ts, and another integration only through its index.ts`;
  }
  if (toIntegration !== undefined) return `the core never imports an integration (lib/${to})`;
  const a = folderOf(from);
  const b = folderOf(to);
  if (a === undefined) return `lib/${from} is in no layer of spec/architecture/layers.ts: add its folder`;
  if (b === undefined) return `lib/${to} is in no layer of spec/architecture/layers.ts: add its folder`;
  if (a === b) return undefined;
  const [ra, rb] = [rank(a), rank(b)];
  if (ra === rb)
    return `${a} and ${b} are both in layer "${LAYERS[ra]!.name}": folders of one layer do not import each other`;
  if (ra > rb)
    return `${a} (layer "${LAYERS[ra]!.name}") is below ${b} (layer "${LAYERS[rb]!.name}"): imports point down only`;
  return undefined;
}
