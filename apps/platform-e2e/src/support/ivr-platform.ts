import { FixtureCopy } from './fixtures';
import { E2eHarness } from './harness';

/** Placeholder in the ivr fixtures for the URL of the test's customer app (flow webhooks). */
export const CUSTOMER_APP_URL = '__CUSTOMER_APP_URL__';

/** Nothing listens there: suites that do not exercise webhooks still need a valid URL in the flow file. */
const UNUSED_APP_URL = 'http://127.0.0.1:9';

export interface IvrPlatformOptions {
  customerAppUrl?: string;
  signalingEnv?: Record<string, string>;
  emulatorEnv?: Record<string, string>;
}

/** The platform running the flows of `fixtures/ivr` (routing by caller id), with test-sized prompt and ring times. */
export class IvrPlatform {
  private constructor(
    readonly harness: E2eHarness,
    private readonly fixtures: FixtureCopy,
  ) {}

  static async start(options: IvrPlatformOptions = {}): Promise<IvrPlatform> {
    const fixtures = new FixtureCopy('ivr', { [CUSTOMER_APP_URL]: options.customerAppUrl ?? UNUSED_APP_URL });
    try {
      const harness = await E2eHarness.start({
        // Flows record under recording-compliance's grants.
        services: ['recording-compliance'],
        emulatorEnv: { EMULATOR_PROMPT_MS: '200', EMULATOR_RING_MS: '100', ...options.emulatorEnv },
        signalingEnv: { ROUTING_FILE: fixtures.path('routing.yaml'), ...options.signalingEnv },
      });
      return new IvrPlatform(harness, fixtures);
    } catch (error) {
      fixtures.remove();
      throw error;
    }
  }

  async stop(): Promise<void> {
    try {
      await this.harness.stop();
    } finally {
      this.fixtures.remove();
    }
  }
}

/**
 * One platform for a whole suite (boots take seconds): started before its tests, stopped after them. `ready`
 * receives the harness; options may be computed at start, e.g. from a server the suite started first.
 */
export function useIvrPlatform(options: IvrPlatformOptions | (() => IvrPlatformOptions), ready: (harness: E2eHarness) => void): void {
  let platform: IvrPlatform | undefined;
  beforeAll(async () => {
    platform = await IvrPlatform.start(typeof options === 'function' ? options() : options);
    ready(platform.harness);
  });
  afterAll(() => platform?.stop());
}
