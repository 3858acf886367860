import { decodeJwt, decodeProtectedHeader } from 'jose';
import { CallbackSigner } from './callback-signer';
import { KeyRing } from './key-ring';

describe('CallbackSigner', () => {
  let keys: KeyRing;
  let clockMs: number;
  let signer: CallbackSigner;

  beforeEach(async () => {
    keys = await KeyRing.create();
    clockMs = Date.parse('2026-01-05T09:00:00Z');
    signer = new CallbackSigner('https://localhost:1', 'bot-app', keys, () => clockMs);
  });

  it('sends the same token on the callbacks of a tenant while it is young, as Graph does', async () => {
    const first = await signer.sign('tenant-1');
    clockMs += 60_000;
    expect(await signer.sign('tenant-1')).toBe(first);
    expect(decodeJwt(first)).toMatchObject({ tid: 'tenant-1', aud: 'bot-app', iss: 'https://api.botframework.com', exp: Date.parse('2026-01-05T09:05:00Z') / 1000 });
  });

  it('signs a token per tenant', async () => {
    const [one, two] = await Promise.all([signer.sign('tenant-1'), signer.sign('tenant-2')]);
    expect(one).not.toBe(two);
    expect(decodeJwt(two)).toMatchObject({ tid: 'tenant-2' });
  });

  it('signs a new token once half of the lifetime has passed, so a token sent has minutes left', async () => {
    const first = await signer.sign('tenant-1');
    clockMs += 150_000;
    const renewed = await signer.sign('tenant-1');
    expect(renewed).not.toBe(first);
    expect(decodeJwt(renewed).exp).toBe(Date.parse('2026-01-05T09:07:30Z') / 1000);
  });

  it('signs with the new key at once after a rotation', async () => {
    await signer.sign('tenant-1');
    const { kid } = await signer.rotate();
    expect(decodeProtectedHeader(await signer.sign('tenant-1')).kid).toBe(kid);
  });
});
