/** One library's part in a scenario: `sample()` measures once and returns one number. */
export interface Contender {
  readonly id: string;
  readonly sample: () => Promise<number>;
}

export interface InterleaveOptions {
  readonly rounds: number;
  /** Unrecorded passes over every contender first, so the JIT has seen all of them. */
  readonly warmupRounds: number;
}

/**
 * Runs every contender once per round, round-robin, starting one position later each round so no
 * contender is always first (right after a gc) or always last. Noise that lasts longer than one
 * sample (another process, thermal drift) then lands on every contender alike.
 */
export async function interleave(
  contenders: readonly Contender[],
  options: InterleaveOptions,
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.id, []]));
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length]!;
      const value = await contender.sample();
      if (round >= options.warmupRounds) samples.get(contender.id)!.push(value);
    }
  }
  return samples;
}
