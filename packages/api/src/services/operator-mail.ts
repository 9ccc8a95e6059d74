import { sendSmtpMail } from '../delivery/smtp';
import { AppError, ErrorCode } from '../errors';
import type { DeliveryConfig } from './delivery';

/**
 * Mail from the installation itself (admin sign-in codes, invitations), through the server the
 * operator configured (ADMIN_MAIL_URL). Never through an organization's delivery setting: an
 * organization's settings editor could otherwise read, block or delay what is sent to an admin
 * who also belongs to other organizations.
 */
export async function sendOperatorMail(
  config: DeliveryConfig,
  message: { to: string; subject: string; text: string },
): Promise<void> {
  if (!config.operatorMail) {
    throw new AppError(ErrorCode.UNAVAILABLE, {
      message:
        "This installation has no mail server of its own (the operator's ADMIN_MAIL_URL); ask its operator",
    });
  }
  try {
    await sendSmtpMail(config.operatorMail, message, {
      timeoutMs: config.timeoutMs,
      ...(config.smtpTls ? { tls: config.smtpTls } : {}),
    });
  } catch (error) {
    throw new AppError(ErrorCode.UNAVAILABLE, {
      message: 'The message could not be sent; try again later',
      cause: error,
    });
  }
}
