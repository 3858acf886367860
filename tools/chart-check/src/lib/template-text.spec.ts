import { defineBody, definedTemplates, includedTemplates, valuesReferences, yamlSkeleton } from './template-text';

const text = [
  '{{- define "a.one" -}}',
  '{{- if .x }}',
  'k: {{ include "a.two" . }}',
  '{{- end }}',
  '{{- end }}',
  '{{- define "a.two" -}}v: {{ .Values.b.c }}{{- end }}',
].join('\n');

describe('template text helpers', () => {
  it('returns the body of a define up to its own end, skipping nested blocks', () => {
    expect(defineBody(text, 'a.one')).toBe('{{- if .x }}\nk: {{ include "a.two" . }}\n{{- end }}\n');
    expect(defineBody(text, 'a.missing')).toBeUndefined();
  });

  it('lists defined and included names and the .Values paths read', () => {
    expect(definedTemplates(text)).toEqual(['a.one', 'a.two']);
    expect(includedTemplates(text)).toEqual(['a.two']);
    expect(valuesReferences(text)).toEqual(['b.c']);
  });

  it('reduces a template to parseable YAML', () => {
    expect(yamlSkeleton('{{- if .a }}\n- name: A\n  value: {{ .v | quote }}\n{{- end }}')).toBe('- name: A\n  value: x');
  });
});
