// A small parser for the Prometheus text exposition format (version 0.0.4), enough to read back
// what prom-client wrote: `name{label="value",…} number` lines, with `\\`, `\"` and `\n` escapes in
// label values. The specs assert on parsed samples, so a wrongly escaped label fails to parse.

export interface ParsedSample {
  readonly metric: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: ParsedSample[];
  /** `# TYPE` of each metric family. */
  readonly types: Record<string, string>;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0 || text[eq + 1] !== '"') throw new Error(`bad label set in: ${line}`);
    const name = text.slice(i, eq);
    if (!/^[a-zA-Z_]\w*$/.test(name)) throw new Error(`bad label name ${name} in: ${line}`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape \\${String(next)} in: ${line}`);
      } else if (text[j] === '\n') {
        throw new Error(`raw newline in a label value: ${line}`);
      } else {
        value += text[j];
      }
    }
    if (text[j] !== '"') throw new Error(`unterminated label value in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return labels;
}

/** Parses a whole exposition; throws on any line that is not valid. */
export function parseExposition(text: string): Exposition {
  const samples: ParsedSample[] = [];
  const types: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types[name!] = type!;
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unexpected comment: ${line}`);
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`bad sample line: ${line}`);
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
    if (Number.isNaN(value) && match[3] !== 'NaN') throw new Error(`bad value in: ${line}`);
    samples.push({ metric: match[1]!, labels: parseLabels(match[2] ?? '', line), value });
  }
  return { samples, types };
}

/** The value of the one sample of `metric` whose labels include `labels`; undefined if none. */
export function valueOf(
  exposition: Exposition,
  metric: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = exposition.samples.filter(
    (s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${String(found.length)} samples of ${metric} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Every sample of `metric` for the policy `name`. */
export function samplesOf(exposition: Exposition, metric: string, name: string): ParsedSample[] {
  return exposition.samples.filter((s) => s.metric === metric && s.labels.name === name);
}
