import { interleave } from '../harness/interleave.js';
import { summarize } from '../harness/stats.js';
import { timeRejections } from '../harness/timing.js';
import { fail, succeed, type Scenario } from './scenario.js';

const PREFILL = 10_000;

export const failingCall: Scenario = {
  id: 'failing-call',
  title: '4. Failing call with 10k successes in the window',
  async run(context) {
    const n = context.scale.failingCalls;
    const contenders = [];
    for (const lib of context.libraries) {
      if (!lib.timeWindow) continue;
      const execute = lib.timeWindow();
      for (let i = 0; i < PREFILL; i++) await execute(succeed);
      // A sample of about sampleMs, capped at `failingCalls`: the slowest library must not keep the
      // scenario running past the 60 s window (which would let the pre-filled successes expire).
      const probe = Math.min(n, 20);
      const perCallGuess = await timeRejections(() => execute(fail), probe, false);
      for (let i = 0; i < probe; i++) await execute(succeed);
      const calls = Math.max(5, Math.min(n, Math.round((context.scale.sampleMs * 1e6) / perCallGuess)));
      contenders.push({
        id: lib.id,
        async sample(): Promise<number> {
          const perCall = await timeRejections(() => execute(fail), calls, context.scale.gcBetweenSamples);
          // As many successes again (untimed): the failure rate stays far below 50 %, so the
          // breaker never opens, and the window keeps growing past 10k calls.
          for (let i = 0; i < calls; i++) await execute(succeed);
          return perCall;
        },
      });
    }
    const samples = await interleave(contenders, context.scale);
    return {
      id: this.id,
      title: this.title,
      unit: 'ns',
      metric: 'ns per failing call',
      rows: contenders.map((c) => ({ library: c.id, summary: summarize(samples.get(c.id)!) })),
      notes: [
        `Failure rate over a 60 s time window, opening at 50 %, pre-filled with ${PREFILL.toLocaleString('en-US')} successes; each sample times up to ${n} failing calls (fewer for slow libraries, about ${context.scale.sampleMs} ms), then adds as many successes untimed.`,
        'The baseline row is `await fn()` for a function that throws a fresh Error.',
      ],
    };
  },
};
