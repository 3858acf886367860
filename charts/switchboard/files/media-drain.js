// preStop hook of a media pod: ask the pod to drain, then wait until its last call has ended.
// Contract: POST /drain starts draining; GET /health/calls -> {"activeCalls": n, "draining": bool}.
// Kubernetes ends the wait at terminationGracePeriodSeconds, so this loop needs no deadline of its own.
const http = require('http');

const port = Number(process.env.HTTP_PORT || 3003);
const pollMs = Number(process.env.DRAIN_POLL_SECONDS || 5) * 1000;

function call(method, path) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function activeCalls() {
  const { status, body } = await call('GET', '/health/calls');
  if (status !== 200) throw new Error(`GET /health/calls answered ${status}`);
  const count = JSON.parse(body).activeCalls;
  if (!Number.isInteger(count) || count < 0) throw new Error(`GET /health/calls gave no activeCalls count: ${body}`);
  return count;
}

async function main() {
  // Retry until the pod accepts the drain: it may still be starting when it is asked to stop.
  for (;;) {
    try {
      const { status } = await call('POST', '/drain');
      if (status >= 200 && status < 300) break;
      console.error(`media-drain: POST /drain answered ${status}`);
    } catch (err) {
      console.error(`media-drain: POST /drain failed: ${err.message}`);
    }
    await sleep(pollMs);
  }
  for (;;) {
    try {
      const count = await activeCalls();
      if (count === 0) return;
      console.log(`media-drain: ${count} call(s) still active`);
    } catch (err) {
      console.error(`media-drain: ${err.message}`);
    }
    await sleep(pollMs);
  }
}

main().then(() => console.log('media-drain: no active calls, stopping'));
