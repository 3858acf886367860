import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../test/run-cli';

describe('explain', () => {
  it('explains a documented code/subcode pair', async () => {
    const { code, out } = await runCli(['explain', '408', '8537']);
    expect(code).toBe(0);
    expect(out).toMatch(/^408\/8537 \(clientError\)$/m);
    expect(out).toMatch(/cause: +Graph ended the call because no keepAlive arrived within 45 minutes/);
    expect(out).toMatch(/action: +send POST \/calls\/\{id\}\/keepAlive/);
    expect((await runCli(['explain', '200/5855'])).out).toMatch(/lobby/);
  });

  it('falls back to the code class for an unlisted pair and a missing subcode', async () => {
    const { code, out } = await runCli(['explain', '503']);
    expect(code).toBe(0);
    expect(out).toMatch(/^503\/0 \(serverError, not in the documented table: explained by its code class\)$/m);
    expect(out).toMatch(/action: +retry with backoff/);
  });

  it('refuses what is not a code', async () => {
    expect(await runCli(['explain', 'timeout'])).toMatchObject({ code: 2, err: expect.stringMatching(/code must be an integer, got "timeout"/) });
    expect(await runCli(['explain'])).toMatchObject({ code: 2, err: expect.stringMatching(/usage: switchboard explain <code> \[subcode\]/) });
  });
});

describe('flow validate', () => {
  const examples = resolve(__dirname, '../../../../libs/ivr-engine/examples');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-flow-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a valid flow', async () => {
    const { code, out } = await runCli(['flow', 'validate', join(examples, 'main-menu.yaml')], {}, examples);
    expect(code).toBe(0);
    expect(out).toMatch(/^main-menu\.yaml: flow "main-menu" is valid \(\d+ steps, starts at "welcome"\)$/m);
  });

  it('reports every problem as file:line:column and exits 1', async () => {
    writeFileSync(
      join(dir, 'broken.yaml'),
      ['id: broken', 'version: 1', 'start: welcome', 'steps:', '  welcome:', '    play: [hello.wav]', '    colour: blue', '    next: menu', '  menu:', '    gather:', '      maxDigits: 0', ''].join('\n'),
    );
    const { code, out, err } = await runCli(['flow', 'validate', 'broken.yaml'], {}, dir);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^broken\.yaml:7:5: steps\.welcome\.colour: unknown key "colour"$/m);
    expect(err).toMatch(/^broken\.yaml:11:18: steps\.menu\.gather\.maxDigits: must be between 1 and 32$/m);
  });

  it('reports a step that names no step, with its position', async () => {
    writeFileSync(join(dir, 'dangling.yaml'), ['id: dangling', 'version: 1', 'start: welcome', 'steps:', '  welcome:', '    play: [hello.wav]', '    next: nowhere', ''].join('\n'));
    const { code, err } = await runCli(['flow', 'validate', 'dangling.yaml'], {}, dir);
    expect(code).toBe(1);
    expect(err).toMatch(/^dangling\.yaml:7:11: steps\.welcome\.next: no step named "nowhere"/m);
  });

  it('says when a file cannot be read', async () => {
    expect(await runCli(['flow', 'validate', 'missing.yaml'], {}, dir)).toMatchObject({ code: 2, err: expect.stringMatching(/cannot read missing\.yaml: ENOENT/) });
    expect(await runCli(['flow', 'check', 'x.yaml'], {}, dir)).toMatchObject({ code: 2, err: expect.stringMatching(/usage: switchboard flow validate/) });
  });
});
