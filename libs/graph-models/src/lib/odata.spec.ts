import { graphEnum, graphId, graphObject, odataInt, odataType } from './odata';
import { z } from 'zod';

describe('odata helpers', () => {
  it('compares @odata.type ignoring case', () => {
    const call = odataType('call');
    expect(call.safeParse('#microsoft.graph.call').success).toBe(true);
    expect(call.safeParse('#Microsoft.Graph.Call').success).toBe(true);
    expect(call.safeParse('#microsoft.graph.participant').error!.issues[0].message).toBe(
      'expected @odata.type #microsoft.graph.call',
    );
  });

  it('reads integers sent as numbers or strings, and nothing else', () => {
    expect(odataInt.parse(5)).toBe(5);
    expect(odataInt.parse('-12')).toBe(-12);
    for (const bad of ['5.0', '', ' 5', 5.5, null]) expect(odataInt.safeParse(bad).success).toBe(false);
  });

  it('accepts any non-empty id up to 256 characters', () => {
    expect(graphId.safeParse('5A1F0B2C3D4E5F60718293A4B5C6D7E8').success).toBe(true);
    expect(graphId.safeParse('').success).toBe(false);
    expect(graphId.safeParse('x'.repeat(257)).success).toBe(false);
  });

  it('keeps unknown properties of Graph objects', () => {
    expect(graphObject({ a: z.number() }).parse({ a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
  });
});

describe('graphEnum', () => {
  it('reads members in any casing as their documented spelling, and refuses non-members', () => {
    const status = graphEnum(['notStarted', 'running']);
    expect(['NotStarted', 'NOTSTARTED', 'notstarted', 'notStarted'].map((v) => status.parse(v))).toEqual(Array(4).fill('notStarted'));
    expect(status.parse('Running')).toBe('running');
    expect(status.safeParse('walking').success).toBe(false);
    expect(status.safeParse(1).success).toBe(false);
  });
});
