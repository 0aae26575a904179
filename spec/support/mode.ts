/** The decorator mode of this jest project (jest.config.ts sets it per project). */
export const decoratorMode = (globalThis as { BREAKWATER_DECORATOR_MODE?: 'standard' | 'legacy' })
  .BREAKWATER_DECORATOR_MODE;

/**
 * `describe` in the `standard` project only, `describe.skip` in the `legacy` one: for specs that do
 * something once per test run whatever the decorator mode (pack the package, start child processes,
 * compile with both settings themselves).
 */
export const describeOnce: jest.Describe = decoratorMode === 'standard' ? describe : describe.skip;
