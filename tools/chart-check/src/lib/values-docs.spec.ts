import { checkValuesDocumented, hasPath, leafPaths } from './values-docs';

describe('values documentation check', () => {
  it('lists the leaves of a values tree, treating arrays and empty maps as leaves', () => {
    expect(leafPaths({ a: { b: 1, c: [] }, d: {}, e: 'x' })).toEqual(['a.b', 'a.c', 'd', 'e']);
  });

  it('finds existing paths and rejects missing ones', () => {
    expect(hasPath({ a: { b: 0 } }, 'a.b')).toBe(true);
    expect(hasPath({ a: { b: 0 } }, 'a.c')).toBe(false);
    expect(hasPath({ a: 1 }, 'a.b')).toBe(false);
  });

  it('accepts values documented leaf by leaf, by an enclosing object, or skipped', () => {
    const text = ['## @param a.b first', 'a:', '  b: 1', '## @param r limits', 'r:', '  cpu: 1', '## @skip sub', 'sub:', '  x: 1'].join('\n');
    expect(checkValuesDocumented(text)).toEqual({ undocumented: [], unknownParams: [] });
  });

  it('reports values without a param and params without a value', () => {
    const text = ['## @param a.b first', '## @param a.gone stale', 'a:', '  b: 1', '  c: 2'].join('\n');
    expect(checkValuesDocumented(text)).toEqual({ undocumented: ['a.c'], unknownParams: ['a.gone'] });
  });
});
