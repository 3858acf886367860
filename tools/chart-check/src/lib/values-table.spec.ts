import { renderValuesTable } from './values-table';

describe('renderValuesTable', () => {
  it('renders one table per section with each param and its default', () => {
    const yaml = ['## @section Main', '## @param a.b The b | pipe', 'a:', '  b: 2', '## @param c Cs', 'c: [x]'].join('\n');
    expect(renderValuesTable(yaml)).toBe(
      ['### Main', '', '| Name | Description | Default |', '| --- | --- | --- |', '| `a.b` | The b \\| pipe | `2` |', '| `c` | Cs | `["x"]` |', ''].join('\n'),
    );
  });
});
