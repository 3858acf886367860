import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CA_FILE, KEY_FILE, isUsable, loadOrCreateTls } from './tls';

describe('emulator TLS material', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a certificate for localhost and 127.0.0.1, writes ca.pem and reuses it next time', async () => {
    const first = await loadOrCreateTls(dir);
    expect(first.reused).toBe(false);
    expect(first.caPath).toBe(join(dir, CA_FILE));
    expect(readFileSync(first.caPath, 'utf8')).toBe(first.certPem);
    const cert = new X509Certificate(first.certPem);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const second = await loadOrCreateTls(dir);
    expect(second.reused).toBe(true);
    expect(second.certPem).toBe(first.certPem);
  });

  it('replaces a stored pair whose key does not match or that is close to expiry', async () => {
    const original = await loadOrCreateTls(dir);
    const nearExpiry = new Date(new Date(new X509Certificate(original.certPem).validTo).getTime() - 24 * 3_600_000);
    expect(isUsable(original.certPem, original.keyPem, nearExpiry)).toBe(false);
    writeFileSync(join(dir, KEY_FILE), 'not a key');
    const replaced = await loadOrCreateTls(dir);
    expect(replaced.reused).toBe(false);
    expect(replaced.certPem).not.toBe(original.certPem);
  });
});
