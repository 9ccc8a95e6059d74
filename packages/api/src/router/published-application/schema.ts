import {
  ZObjectId,
  ZPageQuery,
  ZPublishedApplication,
  ZPublishedApplicationFields,
  ZPublishedApplicationPage,
} from '@otp-access/validators';
import { z } from 'zod';

export const ZListPublishedApplicationsInput = ZPageQuery.extend({ storeId: ZObjectId }).strict();
export const ZListPublishedApplicationsOutput = ZPublishedApplicationPage;

/** The request body sits under `data`, so path ids and body fields never mix. */
export const ZCreatePublishedApplicationInput = z
  .object({ storeId: ZObjectId, data: ZPublishedApplicationFields })
  .strict();
export const ZCreatePublishedApplicationOutput = ZPublishedApplication;
