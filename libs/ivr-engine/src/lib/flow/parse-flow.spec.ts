import { readdirSync } from 'node:fs';
import { examplesDir, loadExample } from '../../../test/ivr-driver';
import { FlowValidationError, type FlowIssue } from './flow-issues';
import { parseFlow, parseInlineSteps } from './parse-flow';

const header = ['id: t', 'version: 1', 'start: a', 'prompts: { base: "https://cdn.example/p/" }', 'steps:'];

/** Parses a flow whose steps are `lines` (after a fixed 5-line header) and returns its issues. */
function issuesOf(lines: string[], text = [...header, ...lines].join('\n')): FlowIssue[] {
  try {
    parseFlow(text, 'flows/t.yaml');
  } catch (error) {
    if (error instanceof FlowValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('the flow was accepted');
}

const brief = (issues: FlowIssue[]) => issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);

describe('parseFlow', () => {
  it.each(readdirSync(examplesDir))('accepts the example %s without warnings', (file) => {
    const flow = loadExample(file);
    expect(flow.warnings).toEqual([]);
    expect(flow.steps[flow.start]).toBeDefined();
  });

  it('reads JSON with the same positions as YAML', () => {
    const json = '{\n  "id": "j",\n  "version": 1,\n  "start": "a",\n  "steps": {\n    "a": { "hangup": {}, "nxet": "a" }\n  }\n}';
    expect(brief(issuesOf([], json))).toEqual(['6:26 steps.a.nxet: unknown key "nxet"']);
  });

  it('says where a value is out of range, with a message that lists every problem', () => {
    let error: unknown;
    try {
      parseFlow([...header, '  a:', '    gather:', '      maxDigits: 33', '      retries: -1'].join('\n'), 'flows/main.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FlowValidationError);
    expect((error as Error).message).toBe(
      [
        'flows/main.yaml is not a valid flow (2 problems):',
        '  flows/main.yaml:8:18: steps.a.gather.maxDigits: must be between 1 and 32',
        '  flows/main.yaml:9:16: steps.a.gather.retries: must be between 0 and 10',
      ].join('\n'),
    );
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    const syntax = brief(issuesOf(['  a: { hangup: {}', '  b: [']));
    expect(syntax.length).toBeGreaterThan(0);
    for (const line of syntax) expect(line).toMatch(/^[67]:\d+ : syntax error: /);
    expect(brief(issuesOf(['  a: { hangup: {} }', '  a: { hangup: {} }']))).toEqual(['7:3 : duplicate key (each key may appear once)']);
  });

  it('refuses unknown keys at the key, everywhere', () => {
    expect(brief(issuesOf(['  a:', '    play: [x.wav]', '    nxt: a', 'extra: 1']))).toEqual(['8:5 steps.a.nxt: unknown key "nxt"', '9:1 extra: unknown key "extra"']);
  });

  it('refuses wrong types and missing fields', () => {
    expect(brief(issuesOf(['  a:', '    gather: { finishOnKey: }', '    next: a']))).toEqual(['7:28 steps.a.gather.finishOnKey: must be a string, found an empty value']);
    expect(brief(issuesOf([], 'id: t\nversion: one\nsteps: {}'))).toEqual([
      '1:1 start: is required',
      '2:10 version: must be a number',
      '3:8 steps: a flow needs at least one step',
    ]);
  });

  it('refuses steps without exactly one verb, and routing keys the verb does not use', () => {
    expect(brief(issuesOf(['  a: { play: [x.wav], goto: a }', '  b: { next: a }', '  c: { hangup: {}, next: a }']))).toEqual([
      '6:6 steps.a: a step has exactly one verb (play, gather, record, transfer, redirect, invite, hangup, set, goto, webhook); found play and goto',
      '7:6 steps.b: a step has exactly one verb (play, gather, record, transfer, redirect, invite, hangup, set, goto, webhook); found none',
      '8:26 steps.c.next: "next" does not apply to a hangup step',
    ]);
  });

  it('checks that every step reference names a step', () => {
    expect(brief(issuesOf(['  a:', '    gather: { maxDigits: 1 }', '    branches: { "1": b, "2": nope }', '    onExhausted: gone', '  b: { goto: missing }']))).toEqual([
      '8:30 steps.a.branches.2: no step named "nope"',
      '9:18 steps.a.onExhausted: no step named "gone"',
      '10:14 steps.b.goto: no step named "missing"',
    ]);
    expect(brief(issuesOf([], 'id: t\nversion: 1\nstart: nowhere\nsteps:\n  a: { hangup: {} }'))).toEqual(['3:8 start: no step named "nowhere"']);
  });

  it('enforces the Graph limits', () => {
    const prompts = JSON.stringify(Array.from({ length: 21 }, (_, i) => `p${i}.wav`));
    const phones = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ phone: `+1425555${String(i).padStart(4, '0')}` })));
    expect(
      brief(
        issuesOf([
          `  a: { play: ${prompts}, next: b }`,
          '  b: { record: { prompt: [x.wav, y.wav], maxDurationSeconds: 121 }, next: c }',
          `  c: { redirect: { targets: ${phones(26)} } }`,
          `  d: { invite: { participants: ${phones(6)} }, next: e }`,
          '  e: { redirect: { targets: [{ phone: "+14255550100" }], timeoutSeconds: 10 } }',
        ]),
      ).map((line) => line.replace(/^\d+:\d+ /, '')),
    ).toEqual([
      'steps.a.play: at most 20 prompts (Graph playPrompt limit)',
      'steps.b.record.prompt: record plays at most one prompt (Graph recordResponse limit)',
      'steps.b.record.maxDurationSeconds: must be between 1 and 120',
      'steps.c.redirect.targets: at most 25 targets (Graph simulring limit)',
      'steps.d.invite.participants: at most 5 participants (Graph invite limit)',
      'steps.e.redirect.timeoutSeconds: must be between 15 and 90',
    ]);
  });

  it('keeps a retry (apology + menu) within one playPrompt', () => {
    const list = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `p${i}.wav`));
    expect(brief(issuesOf(['  a:', `    gather: { prompt: ${list(15)}, onInvalid: { play: ${list(6)} } }`]))).toEqual([
      '7:13 steps.a.gather: prompt plus onNoInput/onInvalid come to 21 prompts; a retry plays them together, at most 20',
    ]);
    expect(() => parseFlow([...header, '  a:', `    gather: { prompt: ${list(15)}, onInvalid: { play: ${list(5)} } }`].join('\n'), 't.yaml')).not.toThrow();
  });

  it('checks targets, keys and patterns', () => {
    expect(
      brief(
        issuesOf([
          '  a: { transfer: { target: { phone: "4255550100" } } }',
          '  b: { transfer: { target: { user: { id: u }, phone: "+14255550100" } } }',
          '  c:',
          '    gather: { maxDigits: 2, finishOnKey: "##", pattern: "([0-9" }',
          '    branches: { "123": a }',
        ]),
      ),
    ).toEqual([
      '6:37 steps.a.transfer.target.phone: must be an E.164 number such as "+14255550123"',
      '7:28 steps.b.transfer.target: a target names exactly one of: user, application, applicationInstance, phone',
      '9:42 steps.c.gather.finishOnKey: must be one keypad key: 0-9, *, #, A-D (quote it in YAML: "#")',
      '9:57 steps.c.gather.pattern: must be a valid regular expression',
    ]);
    expect(brief(issuesOf(['  a:', '    gather: { maxDigits: 2 }', '    branches: { "123": a, 01: a }']))).toEqual([
      '8:27 steps.a.branches.01: write the key 01 in quotes ("01"): unquoted it reads as a number',
    ]);
    expect(brief(issuesOf(['  a:', '    gather: { maxDigits: 2 }', '    branches: { "123": a }']))).toEqual(['8:17 steps.a.branches.123: can never match: gather.maxDigits is 2']);
  });

  it('checks template variables and syntax, and that relative prompts have a base', () => {
    expect(
      brief(
        issuesOf([
          '  a: { set: { x: "{{vars.y}}", z: "{{ caller.id }} {{vars.x}}" }, next: b }',
          '  b: { set: { w: "{{nope}}", v: "{{vars.x" }, next: c }',
          '  c: { play: ["{{vars.z}}.wav"] }',
        ]),
      ),
    ).toEqual([
      '6:18 steps.a.set.x: variable "vars.y" is never set (add it to vars, a set step or a gather storeAs)',
      expect.stringMatching(/^7:18 steps\.b\.set\.w: "\{\{nope\}\}" must name vars\.<name> or one of: caller\.id, /),
      '7:33 steps.b.set.v: unbalanced "{{" / "}}" in template',
    ]);
    const noBase = 'id: t\nversion: 1\nstart: a\nsteps:\n  a: { play: [hello.wav, "https://cdn.example/ok.wav"] }';
    expect(brief(issuesOf([], noBase))).toEqual(['5:15 steps.a.play[0]: "hello.wav" is not an absolute URL and the flow has no prompts.base to resolve it against']);
  });

  it('refuses loops of steps that never wait', () => {
    expect(brief(issuesOf(['  a: { set: { x: "1" }, next: b }', '  b: { goto: a }']))).toEqual(['6:6 steps.a: steps a → b → a loop without ever waiting for the call']);
  });

  it('warns about steps nothing reaches', () => {
    const flow = parseFlow([...header, '  a: { hangup: {} }', '  orphan:', '    hangup: {}'].join('\n'), 'flows/t.yaml');
    expect(flow.warnings).toEqual([{ source: 'flows/t.yaml', line: 8, column: 5, path: 'steps.orphan', message: 'step "orphan" is never reached from "a"' }]);
  });
});

describe('parseInlineSteps', () => {
  const flow = loadExample('main-menu.yaml');

  it('accepts steps that route into the flow and resolves nothing yet', () => {
    const steps = parseInlineSteps([{ play: ['x.wav'] }, { goto: 'menu' }], flow);
    expect(steps).toEqual([{ verb: 'play', prompts: ['x.wav'] }, { verb: 'goto', target: 'menu' }]);
  });

  it('gives paths without positions for parsed values, and refuses a non-list', () => {
    expect(() => parseInlineSteps({ play: ['x.wav'] }, flow, 'answer')).toThrow('answer is not a valid flow (1 problem):\n  answer: must be a list');
    try {
      parseInlineSteps([{ record: { maxSilenceSeconds: 0 } }], flow);
      throw new Error('accepted');
    } catch (error) {
      expect((error as FlowValidationError).issues).toEqual([
        { source: 'webhook response', line: 0, column: 0, path: '[0].record.maxSilenceSeconds', message: 'must be between 1 and 120' },
      ]);
    }
  });
});
