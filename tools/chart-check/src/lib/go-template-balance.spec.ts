import { checkGoTemplateBalance } from './go-template-balance';

describe('checkGoTemplateBalance', () => {
  it('accepts nested blocks, else branches, comments and strings holding braces', () => {
    const text = [
      '{{- /* a comment with }} inside */ -}}',
      '{{- define "x" -}}',
      '{{- if .a }}a{{ else if .b }}b{{ else }}c{{ end }}',
      '{{- range $i := until 3 }}{{ printf "}}%d" $i }}{{ end }}',
      '{{- with .c }}{{ . }}{{ else }}none{{ end }}',
      '{{- end }}',
    ].join('\n');
    expect(checkGoTemplateBalance(text)).toEqual([]);
  });

  it('reports a block that is never ended, with the line it opened on', () => {
    expect(checkGoTemplateBalance('a\n{{ if .x }}\nb\n')).toEqual([{ line: 2, message: '"if" opened here is never closed by "end"' }]);
  });

  it('reports a define without its end', () => {
    const issues = checkGoTemplateBalance('{{- define "n" }}\n{{ if .a }}{{ end }}\n');
    expect(issues.map((i) => i.message)).toEqual(['"define" opened here is never closed by "end"']);
  });

  it('reports an end without a block and an else outside a block', () => {
    const messages = checkGoTemplateBalance('{{ end }}\n{{ else }}').map((i) => i.message);
    expect(messages).toEqual(['"end" without an open block', '"else" outside an if/range/with block']);
  });

  it('reports an unclosed action and a stray closing brace pair', () => {
    expect(checkGoTemplateBalance('name: {{ .Values.a\n').map((i) => i.message)).toContain('"{{" is never closed by "}}"');
    expect(checkGoTemplateBalance('name: .Values.a }}\n')).toEqual([{ line: 1, message: '"}}" without a matching "{{"' }]);
  });

  it('reports an action opened inside another one', () => {
    const messages = checkGoTemplateBalance('{{ include "a" {{ .b }}').map((i) => i.message);
    expect(messages).toContain('"{{" inside an action that was not closed');
  });

  it('reports unbalanced parentheses and unterminated strings inside actions', () => {
    expect(checkGoTemplateBalance('{{ include "a" (dict "x" 1 }}').map((i) => i.message)).toEqual(['unclosed "(" in action']);
    expect(checkGoTemplateBalance('{{ .a) }}').map((i) => i.message)).toEqual(['unexpected ")" in action']);
    expect(checkGoTemplateBalance('{{ printf "abc }}\n').map((i) => i.message)).toContain('unterminated " string in action');
  });
});
