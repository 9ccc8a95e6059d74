import type { TRPCRouterRecord } from '@trpc/server';
import { createOtpUsersProcedure } from './create-otp-users';
import { deleteOtpUserProcedure } from './delete-otp-user';
import { getOtpUserProcedure } from './get-otp-user';
import { getOtpUsersUsageProcedure } from './get-otp-users-usage';
import { listOtpUserDownloadsProcedure } from './list-otp-user-downloads';
import { listOtpUsersProcedure } from './list-otp-users';
import { updateOtpUserProcedure } from './update-otp-user';

export const otpUserRouter = {
  list: listOtpUsersProcedure,
  byId: getOtpUserProcedure,
  create: createOtpUsersProcedure,
  update: updateOtpUserProcedure,
  delete: deleteOtpUserProcedure,
  downloads: listOtpUserDownloadsProcedure,
  usage: getOtpUsersUsageProcedure,
} satisfies TRPCRouterRecord;
