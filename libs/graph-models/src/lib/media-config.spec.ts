import { mediaConfigSchema, mediaPromptSchema } from './media-config';

describe('mediaConfigSchema', () => {
  it('reads service-hosted and app-hosted configurations', () => {
    expect(
      mediaConfigSchema.parse({
        '@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
        preFetchMedia: [{ uri: 'https://cdn.example.test/menu.wav', resourceId: 'menu' }],
      }),
    ).toMatchObject({ preFetchMedia: [{ resourceId: 'menu' }] });
    expect(mediaConfigSchema.parse({ '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<opaque>' })).toEqual({
      '@odata.type': '#microsoft.graph.appHostedMediaConfig',
      blob: '<opaque>',
    });
  });

  it('refuses an unknown kind, a missing kind and an empty blob', () => {
    expect(mediaConfigSchema.safeParse({ '@odata.type': '#microsoft.graph.mediaConfig' }).success).toBe(false);
    expect(mediaConfigSchema.safeParse({ blob: 'x' }).success).toBe(false);
    expect(
      mediaConfigSchema.safeParse({ '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '' }).error!.issues[0].path,
    ).toEqual(['blob']);
  });

  it('refuses a prompt without a media uri', () => {
    expect(mediaPromptSchema.safeParse({ mediaInfo: { resourceId: 'x' } }).error!.issues[0].path).toEqual(['mediaInfo', 'uri']);
  });
});
