// The floor the HTTP pipeline is measured against: bare Express with its JSON parser and nothing
// else, answering the two measured routes with fixed JSON. Run by http-floor.ts as a process of its own.
const express = require('express');

const app = express();
app.use(express.json());
app.get('/health/live', (_request, response) => response.json({ status: 'ok', info: {}, error: {}, details: {} }));
app.get('/v1/calls/links/:shortCode/info', (request, response) =>
  response.json({ short_code: request.params.shortCode, host_display_name: 'Host', rate_per_minute: '1.00', window_size_minutes: 10, currency: 'usd', is_active: true }),
);
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`listening on ${process.env.PORT}\n`));
