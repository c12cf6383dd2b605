// Docker HEALTHCHECK: GET /health/live on PORT answers 200. The Stripe emulator has no /health
// route (every other path is Stripe's API, which wants a key): there, its port accepting a
// connection is the check.
const http = require('node:http');
const net = require('node:net');

const TIMEOUT_MS = 4000;
const env = process.env;
const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;

function fail(reason) {
  console.error(`unhealthy: ${reason}`);
  process.exit(1);
}

if (env.APP === 'stripe-emulator') {
  const socket = net.connect(Number(env.STRIPE_EMULATOR_PORT || 12111), host, () => {
    socket.end();
    process.exit(0);
  });
  socket.setTimeout(TIMEOUT_MS, () => fail('no connection in time'));
  socket.on('error', (error) => fail(error.message));
} else {
  const request = http.get({ host, port: Number(env.PORT || 3000), path: '/health/live', timeout: TIMEOUT_MS }, (response) => {
    response.resume();
    if (response.statusCode === 200) process.exit(0);
    fail(`/health/live answered ${response.statusCode}`);
  });
  request.on('timeout', () => request.destroy(new Error('no answer in time')));
  request.on('error', (error) => fail(error.message));
}
