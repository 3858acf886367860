import { renderTemplate, templateReferences } from './templates';

describe('templates', () => {
  it('lists the variables and built-ins a template reads', () => {
    expect(templateReferences('Hi {{ caller.displayName }}, you chose {{vars.choice}}')).toEqual({
      references: [
        { kind: 'builtin', name: 'caller.displayName' },
        { kind: 'var', name: 'choice' },
      ],
    });
    expect(templateReferences('no placeholders')).toEqual({ references: [] });
  });

  it('refuses expressions, nested names and unknown built-ins', () => {
    for (const bad of ['{{ vars.a + 1 }}', '{{vars.a.b}}', '{{ secret }}', '{{}}']) {
      expect(templateReferences(bad)).toEqual({ error: expect.stringContaining('must name vars.<name>') });
    }
    expect(templateReferences('{{vars.a}} }}')).toEqual({ error: 'unbalanced "{{" / "}}" in template' });
  });

  it('gives flows no way to read the recording access token', () => {
    expect(templateReferences('{{recording.location}}')).toEqual({ references: [{ kind: 'builtin', name: 'recording.location' }] });
    expect(templateReferences('{{recording.accessToken}}')).toEqual({ error: expect.stringContaining('must name vars.<name>') });
  });

  it('renders values and leaves unset names empty', () => {
    const values: Record<string, string> = { 'vars.a': 'A', digits: '42' };
    const render = (t: string) => renderTemplate(t, (ref) => values[ref.kind === 'var' ? `vars.${ref.name}` : ref.name]);
    expect(render('{{vars.a}}-{{ digits }}-{{vars.unset}}!')).toBe('A-42-!');
  });
});
