export { type DataportConfig, sendDataportSms } from './dataport';
export { type NetgsmConfig, sendNetgsmSms } from './netgsm';
export { type SmtpConfig, type SmtpSendOptions, type SmtpTransportStrategy, sendSmtpMail } from './smtp';
export { sendTwilioSms, type TwilioConfig } from './twilio';
export {
  DEFAULT_TIMEOUT_MS,
  DeliveryError,
  type DeliveryErrorKind,
  type DeliveryMessage,
  type DeliveryResult,
  type ProviderExchange,
  type SendOptions,
} from './types';
