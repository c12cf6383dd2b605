#!/usr/bin/env node
// Writes docker/.env for docker/compose.yml: a fresh RS256 key pair, the Postgres password and the
// TURN secret, made on this machine and never committed (docker/.gitignore). With STRIPE_SECRET_KEY
// in the environment payments go to Stripe; without it, to the bundled Stripe emulator.
//
//   node docker/generate-env.js            # refuses to replace an existing docker/.env
//   node docker/generate-env.js --force
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const target = join(__dirname, '.env');
if (existsSync(target) && !process.argv.includes('--force')) {
  console.error(`${target} exists; pass --force to replace it (new keys sign everyone out)`);
  process.exit(1);
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
// One line each: the apps turn a literal \n back into a line break (README, configuration).
const oneLine = (pem) => `'${pem.trim().replace(/\n/g, '\\n')}'`;
const secret = () => randomBytes(32).toString('base64url');

const stripeKey = process.env.STRIPE_SECRET_KEY;
const stripe = stripeKey
  ? [
      '# Real Stripe: no emulator, the SDK talks to Stripe itself.',
      `STRIPE_SECRET_KEY=${stripeKey}`,
      'STRIPE_API_BASE=',
      '# The signing secret of your webhook endpoint <api>/v1/webhooks/stripe (Stripe Dashboard); without it webhooks are refused.',
      `STRIPE_WEBHOOK_SECRET=${process.env.STRIPE_WEBHOOK_SECRET ?? ''}`,
      "# The same account's publishable key: the web pages take cards with Stripe.js (Payment Element).",
      `STRIPE_PUBLISHABLE_KEY=${process.env.STRIPE_PUBLISHABLE_KEY ?? ''}`,
    ]
  : [
      '# No STRIPE_SECRET_KEY: payments go to the bundled Stripe emulator (any sk_test_ key works there).',
      'COMPOSE_PROFILES=stripe-emulator',
      'STRIPE_SECRET_KEY=sk_test_vidivo_emulator',
      'STRIPE_API_BASE=http://stripe-emulator:12111',
      `STRIPE_WEBHOOK_SECRET=whsec_${secret()}`,
    ];

const lines = [
  '# Made by docker/generate-env.js; read by docker compose for docker/compose.yml.',
  `POSTGRES_PASSWORD=${secret()}`,
  `TURN_SECRET=${secret()}`,
  `JWT_PRIVATE_KEY=${oneLine(privateKey)}`,
  `JWT_PUBLIC_KEY=${oneLine(publicKey)}`,
  ...stripe,
  '# Optional: the admin account, created or restored at start (both or neither).',
  '# ADMIN_EMAIL=admin@example.com',
  '# ADMIN_PASSWORD=at-least-8-characters',
  '# Where browsers reach the platform (defaults shown).',
  '# PUBLIC_WEB_URL=http://localhost:3000',
  '# SIGNALING_PUBLIC_URL=ws://localhost:3001/signal/ws',
  '# TURN_URLS=turn:localhost:3478?transport=udp,turn:localhost:3478?transport=tcp',
  '# TURN_EXTERNAL_IP=127.0.0.1',
];
writeFileSync(target, `${lines.join('\n')}\n`, { mode: 0o600 });
console.log(`wrote ${target}`);
