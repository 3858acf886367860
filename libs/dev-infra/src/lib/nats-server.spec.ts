import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { ensureNats, findNatsServer, natsAnswers, startNatsServer } from './nats-server';
import { freePort } from './ports';

describe('NATS for local runs and tests', () => {
  it('reports that nothing answers on a closed port', async () => {
    expect(await natsAnswers(`nats://127.0.0.1:${await freePort()}`)).toBe(false);
  });

  it('names how to install nats-server when there is no server and no binary', async () => {
    const saved = process.env['NATS_SERVER_BIN'];
    process.env['NATS_SERVER_BIN'] = '/nonexistent/nats-server';
    try {
      await expect(ensureNats(`nats://127.0.0.1:${await freePort()}`)).rejects.toThrow(/apt-get install nats-server/);
    } finally {
      if (saved === undefined) delete process.env['NATS_SERVER_BIN'];
      else process.env['NATS_SERVER_BIN'] = saved;
    }
  });

  it('finds Debian\'s /usr/sbin/nats-server when /usr/sbin is not on PATH (non-root users)', () => {
    const debian = '/usr/sbin/nats-server';
    if (!existsSync(debian)) return; // not installed from Debian's package on this machine
    expect(findNatsServer({ PATH: '/usr/local/bin:/usr/bin:/bin' })).toBe(debian);
  });

  it('prefers a nats-server on PATH, and NATS_SERVER_BIN over both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-path-'));
    try {
      const onPath = join(dir, 'nats-server');
      writeFileSync(onPath, '', { mode: 0o755 });
      expect(findNatsServer({ PATH: dir })).toBe(onPath);
      expect(findNatsServer({ PATH: dir, NATS_SERVER_BIN: __filename })).toBe(__filename);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const bin = findNatsServer();
  (bin ? it : it.skip)('starts nats-server with JetStream on a free port and stops it', async () => {
    const server = await startNatsServer(bin!);
    try {
      expect(server.started).toBe(true);
      const nc = await connect({ servers: server.url });
      const info = await (await nc.jetstreamManager()).getAccountInfo();
      expect(info.streams).toBe(0);
      await nc.close();
    } finally {
      await server.stop();
    }
    expect(await natsAnswers(server.url)).toBe(false);
  });
});
