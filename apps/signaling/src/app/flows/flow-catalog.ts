import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Call } from '@switchboard/graph-models';
import { FlowValidationError, parseFlow, type Flow, type FlowIssue } from '@switchboard/ivr-engine';
import type { CallHandler } from '../orchestration/call-record';
import type { FlowDirectory } from '../orchestration/call-reducer';
import { routeIncomingCall, routingFileSchema, type RoutingFile } from './routing';

/** The deployment's flows or routing cannot be used; the message names each file, line and problem. */
export class FlowConfigError extends Error {
  override readonly name = 'FlowConfigError';
}

/** The flows and routing rules signaling runs with, loaded and validated once at boot. */
export class FlowCatalog implements FlowDirectory {
  constructor(
    private readonly flows: ReadonlyMap<string, Flow>,
    private readonly routing: Pick<RoutingFile, 'rules' | 'default'>,
  ) {}

  flow(flowId: string): Flow | undefined {
    return this.flows.get(flowId);
  }

  route(call: Call): CallHandler {
    return routeIncomingCall(call, this.routing);
  }

  get flowIds(): string[] {
    return [...this.flows.keys()];
  }

  /**
   * From a routing file and its flows folder; every flow file is validated and every rule must name a flow that
   * exists. Without a routing file: one built-in flow that plays `welcomePromptUri`, for every call.
   */
  static load(routingFile: string | undefined, welcomePromptUri: string): FlowCatalog {
    if (!routingFile) {
      const welcome = parseFlow(welcomeFlow(welcomePromptUri), 'built-in welcome flow');
      return new FlowCatalog(new Map([[welcome.id, welcome]]), { rules: [], default: { flow: welcome.id } });
    }
    const routing = readRouting(routingFile);
    const flows = readFlows(resolve(dirname(routingFile), routing.flowsDir));
    const named = [...routing.rules.map((r, i) => ({ at: `rules[${i}]`, flow: r.flow })), { at: 'default', flow: routing.default.flow }];
    const missing = named.filter((n) => n.flow !== undefined && !flows.has(n.flow));
    if (missing.length) {
      throw new FlowConfigError(`${routingFile}: ${missing.map((m) => `${m.at} names flow "${m.flow}", which is not in ${routing.flowsDir}`).join('; ')}`);
    }
    return new FlowCatalog(flows, routing);
  }
}

function readRouting(path: string): RoutingFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FlowConfigError(`${path}: ${(error as Error).message}`);
  }
  const parsed = routingFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FlowConfigError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

function readFlows(dir: string): Map<string, Flow> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f))).sort();
  } catch (error) {
    throw new FlowConfigError(`flows folder ${dir} cannot be read: ${(error as Error).message}`);
  }
  const flows = new Map<string, Flow>();
  const issues: FlowIssue[] = [];
  for (const file of files) {
    const path = join(dir, file);
    try {
      const flow = parseFlow(readFileSync(path, 'utf8'), path);
      if (flows.has(flow.id)) throw new FlowConfigError(`${path}: flow id "${flow.id}" is used by another file too`);
      flows.set(flow.id, flow);
    } catch (error) {
      if (error instanceof FlowValidationError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length) throw new FlowValidationError(`flows in ${dir}`, issues);
  return flows;
}

/** Plays the welcome prompt, then listens for keys (each becomes a tone event) until ten silent minutes pass. */
const welcomeFlow = (promptUri: string): string =>
  JSON.stringify({
    id: 'welcome',
    version: 1,
    start: 'welcome',
    steps: {
      welcome: { play: [promptUri], next: 'listen' },
      listen: { gather: { maxDigits: 1, firstDigitTimeoutMs: 60_000, retries: 10 }, next: 'listen' },
    },
  });
