export * from './auth';
export * from './catalog';
export * from './common';
export * from './organization';
export * from './otp-settings';
export * from './otp-user';
export * from './permissions';
