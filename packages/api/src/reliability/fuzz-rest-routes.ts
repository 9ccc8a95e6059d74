/** Every REST route of the product, as the fuzzer aims at them (fuzz-rest-*.test.ts). */
import { newObjectId } from '@otp-access/db';
import { netgsmSettingBody, TEST_PASSWORD, twilioSettingBody } from '../testing/fixtures';
import { type Credential, org, smtpBody } from './fuzz-rest-support';

export interface RouteSpec {
  method: string;
  /** `:name` segments take `idSegment` values; `:slug` defaults to the organization's slug. */
  path: string;
  surface: 'applivery' | 'spring' | 'operational';
  validBody?: () => Record<string, unknown>;
  /** Query keys this route reads. */
  query?: readonly string[];
  /** The credential this route is mostly sent with, when not the organization's. */
  usual?: Credential;
}

const OTP_USERS = '/v1/organizations/:slug/stores/:storeId/otp-users';
const PAGE = ['page', 'limit'] as const;

/** Every REST route of the product. */
export const routes: RouteSpec[] = [
  { method: 'GET', path: '/v1/organizations/:slug/stores', surface: 'applivery', query: PAGE },
  {
    method: 'GET',
    path: '/v1/organizations/:slug/stores/:storeId/published-applications',
    surface: 'applivery',
    query: PAGE,
  },
  {
    method: 'GET',
    path: OTP_USERS,
    surface: 'applivery',
    query: [...PAGE, 'sort', 'email', 'publishedApplicationId'],
  },
  {
    method: 'POST',
    path: OTP_USERS,
    surface: 'applivery',
    validBody: () => ({
      email: [`new-${newObjectId()}@fuzz.example`],
      publishedApplicationId: org.publishedApplicationId,
      allowedDownloadsNum: 3,
    }),
  },
  { method: 'GET', path: `${OTP_USERS}/:otpUserId`, surface: 'applivery' },
  {
    method: 'PUT',
    path: `${OTP_USERS}/:otpUserId`,
    surface: 'applivery',
    validBody: () => ({ allowedDownloadsNum: 7 }),
  },
  { method: 'DELETE', path: `${OTP_USERS}/:otpUserId`, surface: 'applivery' },
  { method: 'GET', path: '/api/otp/settings', surface: 'spring' },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/twilio',
    surface: 'spring',
    validBody: twilioSettingBody,
  },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/netgsm',
    surface: 'spring',
    validBody: () => ({ ...netgsmSettingBody(), bayiCode: 'b' }),
  },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/dataport',
    surface: 'spring',
    validBody: () => ({
      isDefault: false,
      type: 'SMS',
      provider: 'DATAPORT',
      originator: 'O',
      shortNumber: '1234',
      operator: 'op',
      username: 'u',
      accountNumber: '1',
      password: 'p',
    }),
  },
  { method: 'PUT', path: '/api/otp/settings/mail/default', surface: 'spring', validBody: () => smtpBody() },
  {
    method: 'POST',
    path: '/api/otp/settings/test',
    surface: 'spring',
    validBody: () => ({ type: 'MAIL', to: 'fuzz@test.example' }),
  },
  {
    method: 'POST',
    path: '/login',
    surface: 'spring',
    validBody: () => ({ username: org.members.VIEWER.email, password: TEST_PASSWORD }),
  },
  {
    method: 'POST',
    path: '/validate',
    surface: 'spring',
    validBody: () => ({ username: org.members.VIEWER.email, otp_code: '123456' }),
  },
  {
    method: 'POST',
    path: '/refresh',
    surface: 'spring',
    validBody: () => ({ refresh_token: 'x'.repeat(40) }),
  },
  { method: 'POST', path: '/logout', surface: 'spring', validBody: () => ({}) },
  {
    method: 'GET',
    path: '/api/store/:storeId/apps/:appId/download',
    surface: 'spring',
    usual: 'storeSession',
  },
  { method: 'GET', path: '/api/health', surface: 'operational' },
  { method: 'GET', path: '/api/ready', surface: 'operational' },
  { method: 'GET', path: '/api/openapi.json', surface: 'operational' },
];
