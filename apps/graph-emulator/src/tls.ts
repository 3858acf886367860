import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  /** The self-signed server certificate, which is also the CA clients trust. */
  certPem: string;
  keyPem: string;
  /** Where the certificate was written, for NODE_EXTRA_CA_CERTS. */
  caPath: string;
  /** True when an existing certificate from the state directory was reused. */
  reused: boolean;
}

export const CA_FILE = 'ca.pem';
export const KEY_FILE = 'tls-key.pem';
/** Regenerate when less than this is left, so a long local run never hits expiry. */
const MIN_REMAINING_MS = 7 * 24 * 3_600_000;
const VALIDITY_DAYS = 365;

/** Reuses the certificate in `stateDir` when it still fits; otherwise makes and stores a new one. */
export async function loadOrCreateTls(stateDir: string, now = new Date()): Promise<TlsMaterial> {
  const caPath = join(stateDir, CA_FILE);
  const keyPath = join(stateDir, KEY_FILE);
  const existing = await readPair(caPath, keyPath);
  if (existing && isUsable(existing.certPem, existing.keyPem, now)) {
    return { ...existing, caPath, reused: true };
  }
  const created = await createCertificate(now);
  await mkdir(stateDir, { recursive: true });
  await writeFile(keyPath, created.keyPem, { mode: 0o600 });
  await writeFile(caPath, created.certPem, { mode: 0o644 });
  return { ...created, caPath, reused: false };
}

async function readPair(caPath: string, keyPath: string): Promise<{ certPem: string; keyPem: string } | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(caPath, 'utf8'), readFile(keyPath, 'utf8')]);
    return { certPem, keyPem };
  } catch {
    return undefined;
  }
}

/** A stored pair fits when it parses, matches, covers both loopback names and is not about to expire. */
export function isUsable(certPem: string, keyPem: string, now: Date): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const key = createPrivateKey(keyPem);
    return (
      cert.checkPrivateKey(key) &&
      cert.checkHost('localhost') !== undefined &&
      cert.checkIP('127.0.0.1') !== undefined &&
      new Date(cert.validFrom).getTime() <= now.getTime() &&
      new Date(cert.validTo).getTime() - now.getTime() > MIN_REMAINING_MS
    );
  } catch {
    return false;
  }
}

async function createCertificate(now: Date): Promise<{ certPem: string; keyPem: string }> {
  const notAfter = new Date(now.getTime() + VALIDITY_DAYS * 24 * 3_600_000);
  const pems = await generate([{ name: 'commonName', value: 'Switchboard Graph Emulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
