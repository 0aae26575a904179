import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runFleetDemo } from '../fleet/demo.js';
import { HELP, parseDemoArgs, UsageError, type DemoOptions } from './cli.js';
import { comparisonRows, renderComparisonTable } from './comparison.js';
import { closeDemoDashboard, finishDemoDashboard, startDemoDashboard } from './dashboard.js';
import { phaseAt } from './incident.js';
import { introText, limitsText } from './intro.js';
import { renderReport } from './report-html.js';
import { runDemo, type DemoResult } from './run.js';
import { errorsTheFallbackCouldAnswer, perSecond, stateSegments } from './stats.js';
import { QUOTES_BREAKER } from './settings.js';

function transitionsOf(
  result: DemoResult,
): { atMs: number; from: string; to: string; reason: string; phase: string }[] {
  return result.stateLog.map(({ change, elapsedMs }) => ({
    atMs: Math.round(elapsedMs),
    from: change.from,
    to: change.to,
    reason: change.reason,
    phase: phaseAt(result.windows, elapsedMs).name,
  }));
}

async function writeReport(options: DemoOptions, result: DemoResult): Promise<string> {
  const endMs = result.windows[result.windows.length - 1]?.endMs ?? 0;
  const transitions = transitionsOf(result);
  const html = renderReport({
    generatedAt: new Date().toISOString(),
    users: options.users,
    seed: options.seed,
    windows: result.windows,
    breakers: [{ name: QUOTES_BREAKER, segments: stateSegments(transitions, endMs) }],
    series: [
      { label: 'with breakwater', buckets: perSecond(result.records.protected, endMs) },
      { label: 'without', buckets: perSecond(result.records.unprotected, endMs) },
    ],
    comparison: comparisonRows(result.summaries.protected, result.summaries.unprotected),
    transitions: transitions.map(
      (t) => `${(t.atMs / 1_000).toFixed(2)} s, ${t.phase}: ${t.from} → ${t.to} (${t.reason})`,
    ),
    limits: limitsText(options.settings),
  });
  const dir = resolve('reports');
  await mkdir(dir, { recursive: true });
  const path = resolve(dir, `demo-${new Date().toISOString().replace(/[:.]/g, '-')}.html`);
  await writeFile(path, html);
  return path;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: DemoOptions | 'help';
  try {
    options = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${HELP}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (options.fleet !== null) return (await runFleetDemo(options.fleet)) === undefined ? 1 : 0;
  // With --json, stdout carries only the summary; people read stderr. With --json=<path> it goes to a file.
  const human = options.json?.to === 'stdout' ? process.stderr : process.stdout;
  const tty = human.isTTY === true;
  human.write(`${introText(options)}\n`);
  if (options.dashboard) await startDemoDashboard(human);

  const stop = new AbortController();
  const onSecondSigint = (): void => {
    // Give the terminal its cursor and line wrapping back before leaving mid-draw.
    if (tty) human.write('\x1b[?25h\x1b[?7h');
    process.exit(130);
  };
  const onSigint = (): void => {
    // Nothing is printed here: the live view would draw over it. Ctrl-C again quits at once.
    process.once('SIGINT', onSecondSigint);
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  let result: DemoResult;
  try {
    result = await runDemo(options, { out: human, tty, color: tty && !process.env['NO_COLOR'] }, stop.signal);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGINT', onSecondSigint);
  }

  if (stop.signal.aborted) human.write('\nStopped early by Ctrl-C: the numbers cover the run so far.\n');
  human.write(`\n${renderComparisonTable(comparisonRows(result.summaries.protected, result.summaries.unprotected))}\n`);
  const reportPath = options.report ? await writeReport(options, result) : null;
  if (reportPath !== null) human.write(`\nHTML report: ${reportPath}\n`);
  if (options.json !== null) {
    const summary = {
      durationMs: result.windows[result.windows.length - 1]?.endMs ?? 0,
      users: options.users,
      seed: options.seed,
      stoppedEarly: stop.signal.aborted,
      phases: result.windows.map(({ name, startMs, endMs }) => ({ name, startMs, endMs })),
      settings: options.settings,
      protected: {
        ...result.summaries.protected,
        errorsTheFallbackCouldAnswer: errorsTheFallbackCouldAnswer(result.records.protected),
      },
      unprotected: result.summaries.unprotected,
      breaker: { name: QUOTES_BREAKER, finalState: result.finalState ?? null, transitions: transitionsOf(result) },
      report: reportPath,
    };
    const text = `${JSON.stringify(summary, null, 2)}\n`;
    if (options.json.to === 'stdout') process.stdout.write(text);
    else {
      await writeFile(options.json.path, text);
      human.write(`JSON summary: ${resolve(options.json.path)}\n`);
    }
  }
  await finishDemoDashboard(options.serve, human);
  return 0;
}

main(process.argv.slice(2))
  .finally(closeDemoDashboard)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
