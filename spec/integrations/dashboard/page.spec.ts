import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import fc from 'fast-check';
import { escapeHtml, PAGE_CSP, PAGE_HEADERS, PAGE_SCRIPT, renderPage } from '../../../lib/integrations/dashboard/page';

const hashOf = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const between = (html: string, open: string, close: string): string => {
  const start = html.indexOf(open);
  const end = html.indexOf(close, start);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return html.slice(start + open.length, end);
};

describe('dashboard page', () => {
  const html = renderPage('checkout-api');

  it('escapes the five characters that matter in HTML text and quoted attributes', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&amp;`)).toBe(
      '&#60;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&#62;&#38;amp;',
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        // Every & left starts one of our entities: nothing in the text can form markup or an entity of its own.
        expect(escaped.replace(/&#(38|60|62|34|39);/g, '')).not.toContain('&');
      }),
    );
  });

  it('puts the title into the page escaped, and nothing else from the server', () => {
    const hostile = renderPage('</title><script>alert(1)</script>');
    expect(hostile).toContain('&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62; · breakwater dashboard');
    expect(hostile.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('<title>checkout-api · breakwater dashboard</title>');
    expect(html).toContain('<h1>checkout-api</h1>');
  });

  it('allows exactly its own inline script and style by hash, and fetches nothing from elsewhere', () => {
    const script = between(html, '<script>', '</script>');
    const style = between(html, '<style>', '</style>');
    expect(script).toBe(PAGE_SCRIPT);
    expect(PAGE_CSP).toContain(`script-src ${hashOf(script)}`);
    expect(PAGE_CSP).toContain(`style-src ${hashOf(style)}`);
    expect(PAGE_CSP).toMatch(/^default-src 'none'; /);
    expect(PAGE_CSP).not.toMatch(/unsafe|\*|https?:/);
    expect(PAGE_HEADERS['Content-Security-Policy']).toBe(PAGE_CSP);
    // No external script, style, image, font or frame, and no absolute URL anywhere in the page.
    expect(html).not.toMatch(/https?:\/\/|src=|@import|url\(/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<link /g)).toEqual(['<link ']);
    expect(html).toContain('<link rel="icon" href="data:,">');
  });

  it('has a script that parses, never parses data as markup, and uses the stream relative to the page', () => {
    expect(() => new Script(PAGE_SCRIPT, { filename: 'dashboard-page.js' })).not.toThrow();
    expect(PAGE_SCRIPT).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|setAttribute\(\s*'style'/,
    );
    expect(PAGE_SCRIPT).toContain('.textContent = text');
    expect(PAGE_SCRIPT).toContain("new EventSource(base + 'events')");
    expect(PAGE_SCRIPT).not.toContain('${');
  });

  it('is one small self-contained document', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(Buffer.byteLength(html)).toBeLessThan(64 * 1024);
    expect(html).toContain('<meta charset="utf-8">');
    for (const id of ['filter', 'state-filter', 'breakers', 'bulkheads', 'timeline', 'conn', 'shown']) {
      expect(html).toContain(`id="${id}"`);
    }
  });
});
