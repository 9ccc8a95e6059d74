/**
 * What the browser tests and the server they start agree on. The seed installs these exact
 * credentials (SEED_ADMIN_PASSWORD, DEMO_API_KEY, OTHER_API_KEY) when the server starts.
 */
export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3217),
  /** The first-run server (production start on an empty database). */
  firstRunPort: Number(process.env.E2E_FIRST_RUN_PORT ?? Number(process.env.E2E_PORT ?? 3217) + 1),
  /** The first-organization journey's own server, started by that spec only. */
  journeyPort: Number(process.env.E2E_JOURNEY_PORT ?? Number(process.env.E2E_PORT ?? 3217) + 2),
  ownerPassword: 'e2e-owner-password-0123',
  demoApiKey: 'demo-e2e-key-0123456789abcdef',
  otherApiKey: 'other-e2e-key-0123456789abcdef',
} as const;

export const baseURL = `http://127.0.0.1:${E2E.port}`;

export const firstRunURL = `http://127.0.0.1:${E2E.firstRunPort}`;

export const journeyURL = `http://127.0.0.1:${E2E.journeyPort}`;
