import fc from 'fast-check';
import { sseComment, sseMessage } from '../../../lib/integrations/dashboard/sse';
import { readSse as parseStream } from './fixtures/sse-reader';

describe('SSE framing', () => {
  it('writes id, event and data, ended by an empty line, and the retry hint first when asked', () => {
    expect(sseMessage(7, 'batch', '{"a":1}')).toBe('id: 7\nevent: batch\ndata: {"a":1}\n\n');
    expect(sseMessage(1, 'snapshot', '{}', 2_000)).toBe('retry: 2000\nid: 1\nevent: snapshot\ndata: {}\n\n');
  });

  it('splits data at every kind of line break, so no line of the payload can end the message early', () => {
    expect(sseMessage(2, 'batch', 'a\nb\r\nc\rd')).toBe('id: 2\nevent: batch\ndata: a\ndata: b\ndata: c\ndata: d\n\n');
    expect(sseMessage(3, 'batch', 'x\n\nid: 99\nevent: evil')).toBe(
      'id: 3\nevent: batch\ndata: x\ndata: \ndata: id: 99\ndata: event: evil\n\n',
    );
  });

  it('reads back as the same messages for any payload (a naive event-stream reader)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom('snapshot', 'batch'),
            fc.string({ unit: fc.constantFrom('a', 'é', ' ', ':', '\n', '\r', '{', '"') }),
          ),
        ),
        (messages) => {
          const stream = messages.map(([id, event, data]) => sseMessage(id, event, data)).join('');
          // The reader normalises CRLF and CR to LF, as browsers do when they join data lines.
          expect(parseStream(stream)).toEqual(
            messages.map(([id, event, data]) => ({ id: String(id), event, data: data.replace(/\r\n|\r/g, '\n') })),
          );
        },
      ),
    );
  });

  it('reads JSON payloads back unchanged, whatever the names inside them hold', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (names) => {
        const data = JSON.stringify({ names });
        const [message] = parseStream(sseMessage(1, 'batch', data));
        expect(JSON.parse(message!.data)).toEqual({ names });
      }),
    );
  });

  it('writes comments that browsers ignore, on one line', () => {
    expect(sseComment('ping')).toBe(': ping\n\n');
    expect(sseComment('a\r\nb')).toBe(': a b\n\n');
    expect(parseStream(sseComment('ping') + sseMessage(1, 'batch', 'x'))).toEqual([
      { id: '1', event: 'batch', data: 'x' },
    ]);
  });

  it('refuses an event type that is not a single word, and an id that is not a non-negative integer', () => {
    expect(() => sseMessage(1, 'a\nb', '')).toThrow(RangeError);
    expect(() => sseMessage(1, '', '')).toThrow(/event must be a single word/);
    expect(() => sseMessage(-1, 'batch', '')).toThrow(/id must be an integer ≥ 0, got -1/);
    expect(() => sseMessage(1.5, 'batch', '')).toThrow(RangeError);
  });
});
