import type { LibraryAdapter } from './adapter.js';
import { baseline } from './baseline.js';
import { cockatielAdapter } from './cockatiel.js';
import { hand } from './hand.js';
import { opossumAdapter } from './opossum.js';

export interface LoadedLibraries {
  readonly libraries: readonly LibraryAdapter[];
  /** Why breakwater's rows are missing, when lib/ could not be loaded. */
  readonly breakwaterError?: string;
}

/** The peers always; breakwater when lib/ loads (it may be mid-change while the bench is developed). */
export async function loadLibraries(): Promise<LoadedLibraries> {
  const peers = [baseline, hand, cockatielAdapter, opossumAdapter];
  try {
    const bw = await import('./breakwater.js');
    return { libraries: [...peers, bw.breakwaterDecorator, bw.breakwaterFunctional] };
  } catch (error) {
    return { libraries: peers, breakwaterError: error instanceof Error ? error.message : String(error) };
  }
}
