import { describe, expect, it } from 'vitest';
import { deliveryConfigFromEnv, readApiEnv } from './env';

describe('ADMIN_MAIL_URL', () => {
  it('takes `local` (the server starts its sink for it) and sends no operator mail by itself', () => {
    expect(readApiEnv({ ADMIN_MAIL_URL: 'local' }).ADMIN_MAIL_URL).toBe('local');
    expect(deliveryConfigFromEnv({ ADMIN_MAIL_URL: 'local' }).operatorMail).toBeUndefined();
  });

  it('takes an smtp URL as the operator mail server', () => {
    expect(
      deliveryConfigFromEnv({ ADMIN_MAIL_URL: 'smtps://mail.example:465?from=a%40b.example' }).operatorMail,
    ).toMatchObject({
      smtpHost: 'mail.example',
      smtpPort: 465,
      transportStrategy: 'SMTPS',
      fromAddress: 'a@b.example',
    });
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => readApiEnv({ ADMIN_MAIL_URL: 'mail.example' })).toThrow(/ADMIN_MAIL_URL/);
  });
});
