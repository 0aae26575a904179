import type { PolicyExecutor } from '../../lib/runtime/call.js';
import type { PolicyDeclaration, PolicySite } from '../../lib/runtime/declaration.js';
import type { PolicyKind } from '../../lib/shared/policy-kind.js';
import { makeDecorator } from '../../lib/decorators/make-decorator.js';

/** What a probe saw: which layer ran, in which order, for which site. */
export interface ProbeLog {
  readonly entries: string[];
  readonly sites: PolicySite[];
}

export function createProbeLog(): ProbeLog {
  return { entries: [], sites: [] };
}

/**
 * A test-only policy of any kind: logs `enter:<kind>` and `exit:<kind>` around the next layer, so
 * specs can see the order in which the engine composes declarations.
 */
export function probeDeclaration(kind: PolicyKind, log: ProbeLog, perInstance = false): PolicyDeclaration {
  return {
    kind,
    options: { probe: kind },
    perInstance,
    create(site: PolicySite): PolicyExecutor {
      log.sites.push(site);
      return {
        kind,
        run(call, next) {
          log.entries.push(`enter:${kind}`);
          return next(call).finally(() => log.entries.push(`exit:${kind}`));
        },
      };
    },
  };
}

/** A decorator that records a probe declaration. */
export function Probe(kind: PolicyKind, log: ProbeLog, perInstance = false) {
  return makeDecorator(`Probe(${kind})`, () => probeDeclaration(kind, log, perInstance));
}
