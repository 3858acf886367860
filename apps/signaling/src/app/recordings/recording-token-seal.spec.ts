import { RecordingTokenSeal, type SealedToken } from './recording-token-seal';

describe('RecordingTokenSeal', () => {
  const token = 'eyJhbGciOi.recording-access-token.signature';
  const name = 'call-1/7.wav';
  const seal = RecordingTokenSeal.fromCredential('bot-client-secret', 'bot-app');

  it('seals a token so that the sealed text does not contain it, and opens it again', () => {
    const sealed = seal.seal(token, name);
    expect(sealed).not.toContain(token);
    expect(sealed).not.toContain('recording-access-token');
    expect(sealed).toMatch(/^v1\.[\w-]+$/);
    expect(seal.open(sealed, name)).toBe(token);
  });

  it('opens on another replica of the same deployment (same credential), so a takeover can download', () => {
    const sealed = seal.seal(token, name);
    expect(RecordingTokenSeal.fromCredential('bot-client-secret', 'bot-app').open(sealed, name)).toBe(token);
  });

  it('does not open with another credential, another bot, for another recording, or when tampered with', () => {
    const sealed = seal.seal(token, name);
    const tampered = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}` as SealedToken;
    const failures = [
      () => RecordingTokenSeal.fromCredential('rotated-secret', 'bot-app').open(sealed, name),
      () => RecordingTokenSeal.fromCredential('bot-client-secret', 'other-bot').open(sealed, name),
      () => seal.open(sealed, 'call-1/8.wav'),
      () => seal.open(tampered, name),
      () => seal.open('v0.abc' as SealedToken, name),
    ];
    for (const open of failures) {
      let message = '';
      try {
        open();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/sealed recording token for call-1\/\d\.wav/);
      expect(message).not.toContain(token);
    }
  });

  it('seals the same token differently each time (fresh nonce)', () => {
    expect(seal.seal(token, name)).not.toBe(seal.seal(token, name));
  });
});
