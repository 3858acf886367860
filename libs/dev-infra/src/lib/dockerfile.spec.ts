import { instructionsOf, parseDockerfile } from './dockerfile';

describe('parseDockerfile', () => {
  it('splits stages, keeps global ARGs and joins continued lines', () => {
    const file = parseDockerfile(['# syntax=docker/dockerfile:1', 'ARG BASE=node:20', 'FROM ${BASE} AS build', 'RUN a && \\', '    b', '# note', 'FROM ${BASE}', 'USER node'].join('\n'));
    expect(file.globalArgs).toEqual(['BASE=node:20']);
    expect(file.stages.map((s) => [s.base, s.name])).toEqual([
      ['${BASE}', 'build'],
      ['${BASE}', undefined],
    ]);
    expect(instructionsOf(file.stages[0], 'run')).toEqual(['a &&      b']);
    expect(instructionsOf(file.stages[1], 'USER')).toEqual(['node']);
  });

  it('honours the escape directive (Windows Dockerfiles use a backtick)', () => {
    const file = parseDockerfile(['# escape=`', 'FROM img', 'RUN one `', '    two', 'COPY C:\\a C:\\b'].join('\n'));
    expect(instructionsOf(file.stages[0], 'RUN')).toEqual(['one      two']);
    expect(instructionsOf(file.stages[0], 'COPY')).toEqual(['C:\\a C:\\b']);
  });
});
