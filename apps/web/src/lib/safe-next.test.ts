import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next';

describe('safeNextPath', () => {
  it('keeps paths of this app, with their query and fragment', () => {
    expect(safeNextPath('/console/demo')).toBe('/console/demo');
    expect(safeNextPath('/console/demo/stores/abc?page=2#top')).toBe('/console/demo/stores/abc?page=2#top');
    expect(safeNextPath('/%2F/evil.example')).toBe('/%2F/evil.example');
  });

  it('never leads to another site, however the address is spelled', () => {
    const attempts = [
      '//evil.example/phish',
      '/\t/evil.example/phish',
      '/\n/evil.example/phish',
      '/\r/evil.example',
      '\t//evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      '\\\\evil.example',
      'https://evil.example',
      'http:evil.example',
      'javascript:alert(1)',
      ' /console',
      '',
      null,
      undefined,
    ];
    for (const attempt of attempts) expect(safeNextPath(attempt), JSON.stringify(attempt)).toBe('/console');
  });
});
