import type { PlatformOptions } from '@switchboard/dev-infra';
import { FixtureCopy } from './fixtures';
import { E2eHarness } from './harness';

/**
 * One platform for a whole suite whose signaling routes calls by `fixtures/<fixture>/routing.yaml` (copied to a
 * temporary folder first): started before the suite's tests, stopped and cleaned up after them.
 */
export function useRoutedPlatform(fixture: string, options: PlatformOptions, ready: (harness: E2eHarness) => void): void {
  let fixtures: FixtureCopy | undefined;
  let harness: E2eHarness | undefined;
  beforeAll(async () => {
    fixtures = new FixtureCopy(fixture);
    harness = await E2eHarness.start({ ...options, signalingEnv: { ROUTING_FILE: fixtures.path('routing.yaml'), ...options.signalingEnv } });
    ready(harness);
  });
  afterAll(async () => {
    try {
      await harness?.stop();
    } finally {
      fixtures?.remove();
    }
  });
}
