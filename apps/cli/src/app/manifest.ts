import type { TeamsAppManifest } from '@microsoft/teams-manifest';
import { ManifestUtil } from '@microsoft/teams-manifest';
import type { Feature } from './features';
import { UsageError } from './io';

/** The manifest schema version the tool writes; its JSON schema ships in `@microsoft/app-manifest`. */
export const MANIFEST_VERSION = '1.22';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
const SCHEMA_MODULE = `@microsoft/app-manifest/build/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

export interface ManifestOptions {
  botAppId: string;
  features: ReadonlySet<Feature>;
  /** The Teams app's own id; defaults to the bot id (one app per bot). */
  appId?: string;
  version: string;
  shortName: string;
  fullName?: string;
  shortDescription: string;
  fullDescription: string;
  developerName: string;
  websiteUrl: string;
  privacyUrl: string;
  termsOfUseUrl: string;
  accentColor: string;
  /** Host of the calling webhook, listed in validDomains. */
  callbackHost?: string;
}

/**
 * The Teams app manifest of the bot: one bot entry with calling on (and video when the video feature is), in the
 * personal, team and group chat scopes. The icons it names (`color.png` 192×192, `outline.png` 32×32) go beside it
 * in the app package.
 */
export function buildManifest(o: ManifestOptions): TeamsAppManifest {
  return {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: o.version,
    id: (o.appId ?? o.botAppId).toLowerCase(),
    developer: { name: o.developerName, websiteUrl: o.websiteUrl, privacyUrl: o.privacyUrl, termsOfUseUrl: o.termsOfUseUrl },
    name: { short: o.shortName, ...(o.fullName ? { full: o.fullName } : {}) },
    description: { short: o.shortDescription, full: o.fullDescription },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: o.accentColor,
    bots: [
      {
        botId: o.botAppId,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        supportsCalling: true,
        supportsVideo: o.features.has('video'),
      },
    ],
    permissions: ['identity'],
    validDomains: o.callbackHost ? [o.callbackHost] : [],
  } as TeamsAppManifest;
}

/** The manifest JSON schema, read from the package that ships it (the path names MANIFEST_VERSION); never downloaded. */
export function loadManifestSchema(): Record<string, unknown> {
  try {
    // A plain require keeps the schema out of the type check and lets the bundle resolve it from node_modules.
    return require('@microsoft/app-manifest/build/json-schemas/teams/v1.22/MicrosoftTeams.schema.json') as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `the Teams manifest schema v${MANIFEST_VERSION} could not be loaded from ${SCHEMA_MODULE} (${(error as Error).message.split('\n')[0]}); ` +
        'it ships in the npm package @microsoft/app-manifest: npm install --save-dev @microsoft/app-manifest',
    );
  }
}

/** Schema errors, one line each (`/bots/0/supportsCalling must be boolean`); empty when the manifest is valid. */
export async function validateManifest(manifest: TeamsAppManifest, schema = loadManifestSchema()): Promise<string[]> {
  const errors = await ManifestUtil.validateManifestAgainstSchema(manifest, schema as never);
  return errors.map((e) => e.replace(/\. Details: .*$/, '').trim() || e);
}
